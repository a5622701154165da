"""Camera controls over real sockets: what exists, verified writes, reads."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from homeassistant.auth.models import User
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, Unauthorized
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.rhombus.const import DOMAIN
from simulator import RhombusSimulator

from .helpers import (
    advance,
    entry_for,
    setup_entry,
    state_of,
    wait_until,
    without_area,
)

GET = "/api/deviceconfig/getFacetedConfig"
UPDATE = "/api/deviceconfig/updateFacetedConfig"
FEATURES = "/api/feature/getDeviceFeaturesList"
SET_FEATURES = "/api/feature/updateDeviceFeatures"


async def controls_ready(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Wait until every queued config, features and firmware read is done."""
    await wait_until(hass, lambda: entry.runtime_data.controls.reads.idle)
    await hass.async_block_till_done()


async def setup(hass: HomeAssistant, sim: RhombusSimulator) -> MockConfigEntry:
    """The simulator's entry, with every camera's controls read."""
    entry = await setup_entry(hass, sim, entry_for(sim))
    await controls_ready(hass, entry)
    return entry


def control(hass: HomeAssistant, uuid: str, key: str, domain: str = "switch") -> str:
    """A control's entity id, or an AssertionError naming it when it is missing."""
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, f"{uuid}_{key}")
    assert entity_id is not None, f"{uuid}_{key}"
    return entity_id


def has_control(
    hass: HomeAssistant, uuid: str, key: str, domain: str = "switch"
) -> bool:
    """Whether the camera has this control at all."""
    registry = er.async_get(hass)
    return registry.async_get_entity_id(domain, DOMAIN, f"{uuid}_{key}") is not None


def bodies(sim: RhombusSimulator, path: str) -> list[Any]:
    """Request bodies sent to ``path``, in order."""
    return [r.body for r in sim.requests if r.path == path]


def by_model(sim: RhombusSimulator, model: str) -> str:
    """The uuid of the (first) camera of this model."""
    return next(c.uuid for c in sim.cameras.values() if c.hw_variation == model)


@pytest.fixture
def quiet_camera(simulator: RhombusSimulator) -> str:
    """A fourth camera, an R120: no audio, no recognition features."""
    camera = simulator.add_camera("Nursery")
    camera.hw_variation = "CAMERA_R120"
    return camera.uuid


async def test_each_camera_has_the_controls_its_config_has(
    hass: HomeAssistant, simulator: RhombusSimulator, quiet_camera: str
) -> None:
    """Audio and recognition controls only where the camera reports them."""
    sim = simulator
    await setup(hass, sim)
    r200, r510 = by_model(sim, "CAMERA_R200"), by_model(sim, "CAMERA_R510")
    for uuid in (r200, r510, quiet_camera):
        for key in ("status_light", "person_detection", "vehicle_detection"):
            assert state_of(hass, control(hass, uuid, key)) == "on"
        assert state_of(hass, control(hass, uuid, "night_vision", "select")) == "auto"
    assert not has_control(hass, quiet_camera, "audio_recording")
    assert not has_control(hass, quiet_camera, "face_recognition")
    assert not has_control(hass, quiet_camera, "license_plate_reading")
    assert state_of(hass, control(hass, r200, "audio_recording")) == "on"
    assert state_of(hass, control(hass, r200, "face_recognition")) == "on"
    assert not has_control(hass, r200, "license_plate_reading")
    assert state_of(hass, control(hass, r510, "license_plate_reading")) == "off"
    # Video recording exists, disabled until a user enables it.
    video = er.async_get(hass).async_get(control(hass, r200, "video_recording"))
    assert video is not None
    assert video.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    # Setup: one features call for all cameras, one config read per camera.
    assert sim.calls(FEATURES) == 1
    assert len(bodies(sim, FEATURES)[0]["deviceUuids"]) == 4
    assert sim.calls(GET) == 4


# (key, domain, service, data, Rhombus field path, value sent)
_DEVICE = ("deviceSettings",)
_VIDEO = ("videoFacetSettings", "v0")
_AUDIO = ("audioFacetSettings", "a0")
_OFF: dict[str, Any] = {}
TOGGLES = [
    ("status_light", "switch", "turn_off", _OFF, (*_DEVICE, "led_stealth_mode"), True),
    (
        "night_vision",
        "select",
        "select_option",
        {"option": "off"},
        ("deviceVideoSettings", "ir_leds_mode"),
        "OFF",
    ),
    ("audio_recording", "switch", "turn_off", _OFF, (*_AUDIO, "audio_record"), False),
    (
        "person_detection",
        "switch",
        "turn_off",
        _OFF,
        (*_VIDEO, "human_detection"),
        False,
    ),
    (
        "vehicle_detection",
        "switch",
        "turn_off",
        _OFF,
        (*_VIDEO, "vehicle_detection"),
        False,
    ),
    (
        "video_recording",
        "switch",
        "turn_off",
        _OFF,
        (*_VIDEO, "video_persist_disabled"),
        True,
    ),
]


def nested(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """``{"a": {"b": value}}`` from ``("a", "b")``."""
    out: Any = value
    for part in reversed(path):
        out = {part: out}
    return out


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(("key", "domain", "service", "data", "path", "sent"), TOGGLES)
async def test_a_toggle_sends_one_field_and_shows_the_read_back(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    key: str,
    domain: str,
    service: str,
    data: dict[str, Any],
    path: tuple[str, ...],
    sent: Any,
) -> None:
    """One update call holding only that field; the state is Rhombus's answer."""
    sim = simulator
    await setup(hass, sim)
    uuid = by_model(sim, "CAMERA_R200")
    entity_id = control(hass, uuid, key, domain)
    reads = sim.calls(GET)
    await hass.services.async_call(
        domain, service, {"entity_id": entity_id, **data}, blocking=True
    )
    assert bodies(sim, UPDATE) == [
        {"configUpdate": {"deviceUuid": uuid, **nested(path, sent)}}
    ]
    assert sim.calls(GET) == reads + 1  # the read-back
    config = sim.camera_config(uuid).payload(sim.cameras[uuid], sim.org_uuid)
    assert nested(path, sent) == nested(path, _dig(config, path))
    expected = data.get("option", "off")
    assert state_of(hass, entity_id) == expected


def _dig(document: dict[str, Any], path: tuple[str, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


async def test_a_multi_sensor_camera_gets_the_field_on_each_of_its_facets(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """The R600's two video facets both get the change, nothing else."""
    sim = simulator
    await setup(hass, sim)
    uuid = by_model(sim, "CAMERA_R600")
    await hass.services.async_call(
        "switch",
        "turn_off",
        {"entity_id": control(hass, uuid, "person_detection")},
        blocking=True,
    )
    assert bodies(sim, UPDATE) == [
        {
            "configUpdate": {
                "deviceUuid": uuid,
                "videoFacetSettings": {
                    "v0": {"human_detection": False},
                    "v1": {"human_detection": False},
                },
            }
        }
    ]


@pytest.mark.parametrize(
    ("key", "feature", "service", "state"),
    [
        ("face_recognition", "FACE_RECOGNITION", "turn_off", "off"),
        ("license_plate_reading", "LICENSE_PLATE_RECOGNITION", "turn_on", "on"),
    ],
)
async def test_a_feature_switch_sends_that_feature_alone(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    key: str,
    feature: str,
    service: str,
    state: str,
) -> None:
    """updateDeviceFeatures names one feature; the state is the read-back."""
    sim = simulator
    await setup(hass, sim)
    uuid = by_model(sim, "CAMERA_R510")
    entity_id = control(hass, uuid, key)
    await hass.services.async_call(
        "switch", service, {"entity_id": entity_id}, blocking=True
    )
    assert bodies(sim, SET_FEATURES) == [
        {"deviceUuid": uuid, "featureMap": {feature: state == "on"}}
    ]
    assert bodies(sim, FEATURES)[-1] == {"deviceUuids": [uuid]}
    assert sim.camera_config(uuid).features[feature] is (state == "on")
    assert state_of(hass, entity_id) == state


@pytest.mark.parametrize(
    ("key", "service"), [("status_light", "turn_off"), ("face_recognition", "turn_off")]
)
async def test_an_ignored_write_shows_rhombus_value_and_says_so(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    key: str,
    service: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Rhombus answers success but keeps the old value: a translated error."""
    sim = simulator
    await setup(hass, sim)
    uuid = by_model(sim, "CAMERA_R200")
    sim.camera_config(uuid).ignore_writes = True
    entity_id = control(hass, uuid, key)
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            "switch", service, {"entity_id": entity_id}, blocking=True
        )
    assert caught.value.translation_key == "control_not_applied"
    assert "Rhombus did not apply the change" in str(caught.value)
    assert state_of(hass, entity_id) == "on"
    # The log says it was asked for, and that it did not take; never "set".
    said = [r.getMessage() for r in caplog.records if "of camera" in r.getMessage()]
    assert f" asks to set {said[1].split()[3]}" in said[0]
    assert f"of camera {sim.cameras[uuid].name} to " in said[0]
    assert said[1].startswith("Could not set ")
    assert "Rhombus did not apply the change" in said[1]
    assert len(said) == 2


async def test_a_failed_write_is_a_translated_error(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """A 5xx on the update: the state stays, the error says which control."""
    sim = simulator
    await setup(hass, sim)
    uuid = by_model(sim, "CAMERA_R200")
    entity_id = control(hass, uuid, "status_light")
    sim.fail_rest(UPDATE, status=503)
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            "switch", "turn_off", {"entity_id": entity_id}, blocking=True
        )
    assert caught.value.translation_key == "control_failed"
    assert state_of(hass, entity_id) == "on"


async def test_a_failed_feature_write_reads_the_features_again(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """A 5xx on a feature: its state comes from a features read, not the config."""
    sim = simulator
    await setup(hass, sim)
    uuid = by_model(sim, "CAMERA_R200")
    entity_id = control(hass, uuid, "face_recognition")
    features, configs = len(bodies(sim, FEATURES)), sim.calls(GET)
    sim.fail_rest(SET_FEATURES, status=503)
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            "switch", "turn_off", {"entity_id": entity_id}, blocking=True
        )
    assert caught.value.translation_key == "control_failed"
    await wait_until(hass, lambda: len(bodies(sim, FEATURES)) == features + 1)
    assert bodies(sim, FEATURES)[-1] == {"deviceUuids": [uuid]}
    assert sim.calls(GET) == configs
    assert state_of(hass, entity_id) == "on"


async def test_a_features_read_answered_after_a_write_does_not_undo_it(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """A read sent before a write, answered after its read-back, is dropped."""
    sim = simulator
    entry = await setup(hass, sim)
    controls = entry.runtime_data.controls
    uuid = by_model(sim, "CAMERA_R200")
    entity_id = control(hass, uuid, "face_recognition")
    assert state_of(hass, entity_id) == "on"
    answered = asyncio.Event()
    release = asyncio.Event()
    real = controls.features_client.get_features

    async def late(uuids: Any) -> Any:
        found = await real(uuids)  # Rhombus answers "on": the write is not sent yet
        answered.set()
        await release.wait()  # ... and the answer arrives after the write
        return found

    controls.features_client.get_features = late  # type: ignore[method-assign]
    controls.request_features(uuid)
    await wait_until(hass, answered.is_set)
    controls.features_client.get_features = real  # type: ignore[method-assign]
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": entity_id}, blocking=True
    )
    assert state_of(hass, entity_id) == "off"
    release.set()
    await wait_until(hass, lambda: controls.reads.idle)
    assert state_of(hass, entity_id) == "off"
    assert sim.camera_config(uuid).features["FACE_RECOGNITION"] is False


async def test_two_changes_to_one_camera_are_serialised(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """The second update goes out only after the first one's read-back."""
    sim = simulator
    await setup(hass, sim)
    uuid = by_model(sim, "CAMERA_R200")
    first = len(sim.requests)
    await asyncio.gather(
        hass.services.async_call(
            "switch",
            "turn_off",
            {"entity_id": control(hass, uuid, "status_light")},
            blocking=True,
        ),
        hass.services.async_call(
            "switch",
            "turn_off",
            {"entity_id": control(hass, uuid, "vehicle_detection")},
            blocking=True,
        ),
    )
    paths = [r.path for r in sim.requests[first:] if r.path in (GET, UPDATE)]
    assert paths == [UPDATE, GET, UPDATE, GET]
    assert state_of(hass, control(hass, uuid, "status_light")) == "off"
    assert state_of(hass, control(hass, uuid, "vehicle_detection")) == "off"


async def test_a_change_made_in_rhombus_arrives_within_5_s(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """DEVICE_CONFIG on the stream: that camera is read again, the state follows."""
    sim = simulator
    await setup(hass, sim)
    uuid = by_model(sim, "CAMERA_R510")
    other = by_model(sim, "CAMERA_R200")
    reads = sim.calls(GET)
    sim.camera_config(uuid).device_video["ir_leds_mode"] = "ON"
    sim.camera_config(uuid).audio["a0"]["audio_record"] = False
    started = time.monotonic()
    await sim.emit_config_change(uuid)
    night = control(hass, uuid, "night_vision", "select")
    await wait_until(hass, lambda: state_of(hass, night) == "on")
    assert time.monotonic() - started < 5
    assert state_of(hass, control(hass, uuid, "audio_recording")) == "off"
    assert bodies(sim, GET)[reads:] == [{"deviceUuid": uuid}]
    assert state_of(hass, control(hass, other, "audio_recording")) == "on"


async def test_with_every_control_disabled_no_config_call_is_made(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """A registry with every control disabled: no config call.

    The one features call at setup is the camera list's (for all cameras: it
    decides which face and plate entities are enabled); the controls add none.
    """
    sim = simulator
    entry = entry_for(sim)
    entry.add_to_hass(hass)
    registry = er.async_get(hass)
    for uuid in sim.cameras:
        for domain, key in (("switch", "status_light"), ("select", "night_vision")):
            registry.async_get_or_create(
                domain,
                DOMAIN,
                f"{uuid}_{key}",
                config_entry=entry,
                disabled_by=er.RegistryEntryDisabler.USER,
            )
    await setup_entry(hass, sim, entry)
    await controls_ready(hass, entry)
    await sim.emit_config_change(next(iter(sim.cameras)))
    await controls_ready(hass, entry)
    assert sim.calls(GET) == 0
    assert sim.calls(FEATURES) == 1
    # The location's Alerts switch is no camera control.
    assert [without_area(e) for e in hass.states.async_entity_ids("switch")] == [
        "switch.main_office_rhombus_alerts"
    ]


async def test_changes_are_logged_with_who_made_them(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """INFO for a control, WARNING when video recording is turned off."""
    sim = simulator
    caplog.set_level(logging.INFO, "custom_components.rhombus")
    entry = await setup(hass, sim)
    uuid = by_model(sim, "CAMERA_R200")
    name = sim.cameras[uuid].name
    video = control(hass, uuid, "video_recording")
    er.async_get(hass).async_update_entity(video, disabled_by=None)
    await hass.config_entries.async_reload(entry.entry_id)
    await controls_ready(hass, entry)
    context = Context(user_id=hass_admin_user.id)
    for entity_id in (control(hass, uuid, "status_light"), video):
        await hass.services.async_call(
            "switch",
            "turn_off",
            {"entity_id": entity_id},
            blocking=True,
            context=context,
        )
    who = f"asked by user {hass_admin_user.name}"
    lines = {(r.levelno, r.getMessage()) for r in caplog.records}
    user = f"user {hass_admin_user.name}"
    assert (
        logging.INFO,
        f"{user} asks to set Status light of camera {name} to off",
    ) in lines
    assert (logging.INFO, f"Status light of camera {name} set to off, {who}") in lines
    assert (
        logging.WARNING,
        f"Video recording of camera {name} set to off, {who}",
    ) in lines
    assert state_of(hass, video) == "off"


async def test_controls_are_read_every_30_minutes_while_enabled(
    hass: HomeAssistant, simulator: RhombusSimulator, freezer: Any
) -> None:
    """Half an hour on: one features call for all, one config read each."""
    sim = simulator
    entry = await setup_entry(hass, sim, entry_for(sim))
    reads_done = entry.runtime_data.controls.reads

    async def drain() -> None:
        # Frozen loop time: each spacing sleep ends when time is moved on.
        while not reads_done.idle:
            await advance(hass, freezer, 1)

    await drain()
    reads, features = sim.calls(GET), sim.calls(FEATURES)
    assert reads == 3
    await advance(hass, freezer, 29 * 60)
    await drain()
    assert sim.calls(GET) == reads
    await advance(hass, freezer, 61)
    await drain()
    assert sim.calls(GET) == reads + 3
    assert sim.calls(FEATURES) == features + 1


async def test_a_camera_whose_first_read_failed_is_read_again(
    hass: HomeAssistant, simulator: RhombusSimulator, quiet_camera: str, freezer: Any
) -> None:
    """A 5xx at setup: no controls yet; the 30-minute read brings them.

    The R120 has no feature switch either, so nothing of it is enabled yet.
    """
    sim = simulator
    sim.fail_rest(GET, status=503, times=4)
    entry = await setup_entry(hass, sim, entry_for(sim))
    queue = entry.runtime_data.controls.reads
    while not queue.idle:
        await advance(hass, freezer, 1)
    assert not has_control(hass, quiet_camera, "status_light")
    await advance(hass, freezer, 30 * 60)
    while not queue.idle:
        await advance(hass, freezer, 1)
    assert state_of(hass, control(hass, quiet_camera, "status_light")) == "on"


async def test_a_change_naming_a_facet_reaches_its_camera(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """``deviceUuid`` as ``<camera>.v0`` is that camera."""
    sim = simulator
    await setup(hass, sim)
    uuid = by_model(sim, "CAMERA_R200")
    sim.camera_config(uuid).device["led_stealth_mode"] = True
    await sim.emit_change(
        {
            "entity": "DEVICE_CONFIG",
            "entityUuid": uuid,
            "type": "UPDATE",
            "deviceUuid": f"{uuid}.v0",
        }
    )
    light = control(hass, uuid, "status_light")
    await wait_until(hass, lambda: state_of(hass, light) == "off")


async def test_only_administrators_change_a_camera_or_restart_it(
    hass: HomeAssistant, simulator: RhombusSimulator, not_admin: User
) -> None:
    """A control or a restart by a user who is not an admin: refused, nothing sent.

    The user may control entities (Home Assistant's "users" group), so the
    refusal is the integration's, not Home Assistant's entity permissions.
    """
    sim = simulator
    uuid = by_model(sim, "CAMERA_R200")
    user = not_admin
    entry = entry_for(sim)
    entry.add_to_hass(hass)
    restart = er.async_get(hass).async_get_or_create(
        "button", DOMAIN, f"{uuid}_restart", config_entry=entry
    )
    await setup_entry(hass, sim, entry)
    await controls_ready(hass, entry)
    light = control(hass, uuid, "status_light")
    before = hass.states.get(light)
    assert before is not None
    context = Context(user_id=user.id)
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            "switch", "turn_off", {"entity_id": light}, blocking=True, context=context
        )
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": restart.entity_id},
            blocking=True,
            context=context,
        )
    assert sim.calls(UPDATE) == 0
    assert sim.calls("/api/camera/reboot") == 0
    after = hass.states.get(light)
    assert after is not None
    assert after.state == before.state
