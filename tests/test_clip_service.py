"""``rhombus.save_clip``: one spliceV3 call, the clip's uuid as response data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
)
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.rhombus.const import DOMAIN
from simulator import RhombusSimulator

from .helpers import device_for, entity_id_of

SPLICE = "/api/video/spliceV3"


async def save_clip(
    hass: HomeAssistant, data: dict[str, Any], *, response: bool = True
) -> Any:
    return await hass.services.async_call(
        DOMAIN, "save_clip", data, blocking=True, return_response=response
    )


async def test_save_clip_calls_splice_once_and_returns_the_uuid(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    cam = next(iter(simulator.cameras))
    start = dt_util.utcnow().replace(microsecond=0) - timedelta(hours=1)
    response = await save_clip(
        hass,
        {
            "entity_id": entity_id_of(hass, "camera", f"{cam}_camera"),
            "start": start,
            "duration": "00:00:30",
            "title": "Porch",
        },
    )
    assert simulator.calls(SPLICE) == 1
    uuid = response["clip_uuid"]
    assert simulator.saved_clips[uuid]["title"] == "Porch"
    body = simulator.splice_requests[0]
    assert body["durationSec"] == 30
    assert body["startTimeMillis"] == int(start.timestamp() * 1000)

    # The saved clip is in the media browser and plays.
    ws = await hass_ws_client()
    await ws.send_json_auto_id(
        {
            "type": "media_source/browse_media",
            "media_content_id": f"media-source://rhombus/{loaded_entry.entry_id}/clips",
        }
    )
    clips = (await ws.receive_json())["result"]["children"]
    assert [c["title"] for c in clips] == ["Porch"]
    assert clips[0]["media_content_id"].endswith(f"/{uuid}")
    await ws.send_json_auto_id(
        {
            "type": "media_source/resolve_media",
            "media_content_id": clips[0]["media_content_id"],
        }
    )
    assert (await ws.receive_json())["success"]


async def test_save_clip_by_device_without_response(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    cam = next(iter(simulator.cameras))
    device = device_for(hass, cam)
    assert device is not None
    start = dt_util.utcnow() - timedelta(minutes=10)
    result = await save_clip(
        hass, {"device_id": device.id, "start": start, "duration": 20}, response=False
    )
    assert result is None
    assert simulator.calls(SPLICE) == 1
    assert simulator.splice_requests[0]["deviceUuids"] == [cam]


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        ({"duration": 3601}, "clip_bad_duration", "A clip lasts from 1 second to"),
        ({"start_in": timedelta(hours=1)}, "clip_in_future", "A clip cannot start"),
        (
            {"start": datetime(1969, 7, 20, 20, 17, tzinfo=UTC)},
            "clip_too_early",
            "A clip cannot start before the year 2000",
        ),
        ({"entity_id": "camera.nope"}, "clip_unknown_camera", "Choose a Rhombus"),
    ],
)
async def test_bad_calls_are_refused_before_any_request(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    change: dict[str, Any],
    key: str,
    message: str,
) -> None:
    cam = next(iter(simulator.cameras))
    data: dict[str, Any] = {
        "entity_id": entity_id_of(hass, "camera", f"{cam}_camera"),
        "start": dt_util.utcnow() + change.pop("start_in", -timedelta(hours=1)),
        "duration": 30,
        **change,
    }
    before = len(simulator.requests)
    with pytest.raises(ServiceValidationError) as caught:
        await save_clip(hass, data)
    assert caught.value.translation_key == key
    assert str(caught.value).startswith(message)
    assert len(simulator.requests) == before


async def test_a_refused_splice_is_a_translated_error(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Rhombus's own limit (lower than ours here) refuses the clip."""
    simulator.set_max_splice_seconds(10)
    cam = next(iter(simulator.cameras))
    with pytest.raises(HomeAssistantError) as caught:
        await save_clip(
            hass,
            {
                "entity_id": entity_id_of(hass, "camera", f"{cam}_camera"),
                "start": dt_util.utcnow() - timedelta(hours=1),
                "duration": 60,
            },
        )
    assert caught.value.translation_key == "clip_refused"
    assert str(caught.value).startswith("Rhombus did not save the clip")
    assert simulator.calls(SPLICE) == 1
    assert simulator.saved_clips == {}


@pytest.mark.parametrize(
    ("fault", "key", "message"),
    [
        ({"status": 401}, "clip_auth_failed", "Rhombus rejected the API key"),
        ({"status": None, "timeout": True}, "clip_cannot_connect", "Could not reach"),
    ],
)
async def test_splice_failures_are_translated_errors(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    fault: dict[str, Any],
    key: str,
    message: str,
) -> None:
    simulator.fail_rest(SPLICE, **fault)
    cam = next(iter(simulator.cameras))
    with pytest.raises(HomeAssistantError) as caught:
        await save_clip(
            hass,
            {
                "entity_id": entity_id_of(hass, "camera", f"{cam}_camera"),
                "start": dt_util.utcnow() - timedelta(hours=1),
                "duration": 5,
            },
        )
    assert caught.value.translation_key == key
    assert str(caught.value).startswith(message)


async def test_a_camera_of_an_unloaded_account_is_refused(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    cam = next(iter(simulator.cameras))
    entity_id = entity_id_of(hass, "camera", f"{cam}_camera")
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    with pytest.raises(ServiceValidationError) as caught:
        await save_clip(
            hass,
            {
                "entity_id": entity_id,
                "start": dt_util.utcnow() - timedelta(hours=1),
                "duration": 5,
            },
        )
    assert caught.value.translation_key == "entry_not_loaded"
    assert simulator.calls(SPLICE) == 0


async def test_save_clip_is_for_administrators(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_read_only_user: MockUser,
    hass_admin_user: MockUser,
) -> None:
    """A non-admin is refused before any call; an admin gets the clip's uuid."""
    cam = next(iter(simulator.cameras))
    data = {
        "entity_id": entity_id_of(hass, "camera", f"{cam}_camera"),
        "start": dt_util.utcnow().replace(microsecond=0) - timedelta(hours=1),
        "duration": "00:00:30",
    }
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            "save_clip",
            data,
            blocking=True,
            return_response=True,
            context=Context(user_id=hass_read_only_user.id),
        )
    assert simulator.calls(SPLICE) == 0
    response = await hass.services.async_call(
        DOMAIN,
        "save_clip",
        data,
        blocking=True,
        return_response=True,
        context=Context(user_id=hass_admin_user.id),
    )
    assert response is not None
    assert response["clip_uuid"] in simulator.saved_clips
