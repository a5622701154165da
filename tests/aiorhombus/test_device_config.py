"""Config, features and housekeeping calls: parsing and what goes on the wire."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from custom_components.rhombus.aiorhombus import (
    AUDIO_RECORD,
    HUMAN_DETECTION,
    IR_LEDS_MODE,
    LED_STEALTH_MODE,
    CameraConfig,
    FirmwareState,
    RhombusApiError,
    RhombusCommandError,
    RhombusConfigClient,
    RhombusDeviceAdminClient,
    RhombusFeaturesClient,
    RhombusRestClient,
)
from simulator import RhombusSimulator

from .helpers import KEY

FIELDS = (LED_STEALTH_MODE, IR_LEDS_MODE, AUDIO_RECORD, HUMAN_DETECTION)


def test_facet_keys_come_from_the_camera() -> None:
    """An audio facet named ``a7`` and video facets ``v2``/``v3`` are used as such."""
    config = CameraConfig.from_api(
        "cam",
        {
            "videoFacetSettings": {"v2": {"human_detection": True}, "v3": {}},
            "audioFacetSettings": {"a7": {"audio_record": False}},
        },
        FIELDS,
    )
    assert config.values == {HUMAN_DETECTION: True, AUDIO_RECORD: False}
    assert config.facets == {HUMAN_DETECTION: ("v2",), AUDIO_RECORD: ("a7",)}


@pytest.mark.parametrize(
    "config",
    [
        {"deviceSettings": {"led_stealth_mode": None}},  # nullable: not reported
        {"deviceSettings": {"led_mode_when_active": "LED_OFF"}},  # field missing
        # MCP-update's reading: false in updatedSetMethodMap = cannot be set.
        {
            "deviceSettings": {
                "led_stealth_mode": True,
                "updatedSetMethodMap": {"led_stealth_mode": False},
            }
        },
    ],
)
def test_a_field_missing_null_or_marked_unsettable_is_no_value(
    config: dict[str, Any],
) -> None:
    """No value means no control."""
    assert CameraConfig.from_api("cam", config, FIELDS).get(LED_STEALTH_MODE) is None


def test_an_audio_facet_without_audio_support_is_no_audio() -> None:
    """``audio_supported: false`` hides audio recording."""
    config = CameraConfig.from_api(
        "cam",
        {
            "audioFacetSettings": {
                "a0": {"audio_record": True, "audio_supported": False}
            }
        },
        FIELDS,
    )
    assert config.get(AUDIO_RECORD) is None


def test_an_unknown_ir_mode_is_no_value() -> None:
    """Only IRModesEnum values make a night-vision state."""
    config = CameraConfig.from_api(
        "cam", {"deviceVideoSettings": {"ir_leds_mode": "STROBE"}}, FIELDS
    )
    assert config.get(IR_LEDS_MODE) is None


def test_firmware_state_tolerates_nulls() -> None:
    """Every FullDeviceStateType field is nullable."""
    assert FirmwareState.from_api(None) == FirmwareState(None, None, None, False)


async def test_calls_against_the_simulator(
    sim: RhombusSimulator, http: aiohttp.ClientSession
) -> None:
    """Read, update one field, read back; features by uuid; reboot statuses."""
    rest = RhombusRestClient(http, KEY, sim.rest_url)
    uuid = next(iter(sim.cameras))
    client = RhombusConfigClient(rest)
    config = await client.get_config(uuid, FIELDS)
    assert config.get(IR_LEDS_MODE) == "AUTO"
    await client.update_field(config, IR_LEDS_MODE, "ON")
    assert (await client.get_config(uuid, FIELDS)).get(IR_LEDS_MODE) == "ON"
    with pytest.raises(RhombusApiError):
        await client.get_config("nope", FIELDS)
    features = await RhombusFeaturesClient(rest).get_features([f"{uuid}.v0"])
    assert set(features) == {uuid}
    admin = RhombusDeviceAdminClient(rest)
    await admin.reboot_camera(uuid)
    sim.set_camera_status(uuid, "RED")
    with pytest.raises(RhombusCommandError) as caught:
        await admin.reboot_camera(uuid)
    assert caught.value.status == "FAILED_CAMERA_OFFLINE"
