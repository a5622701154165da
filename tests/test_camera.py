"""Camera entities: stills through Home Assistant's camera API, the cache, HLS."""

from __future__ import annotations

import asyncio
from http import HTTPStatus
import logging
from unittest.mock import MagicMock, patch
from urllib.parse import parse_qs, urlsplit

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import camera
from homeassistant.components.camera.const import DATA_COMPONENT
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.rhombus.camera import RhombusCamera
from custom_components.rhombus.media.access import TOKEN_SECONDS
from custom_components.rhombus.media.proxy import live_path
from simulator import RhombusSimulator

from .helpers import (
    advance,
    entity_id_of,
    snapshot_platform_entities,
    state_of,
    without_area,
)

FRAME_URI = "/api/video/getExactFrameUri"
MEDIA_URIS = "/api/camera/getMediaUris"
TOKEN = "/api/org/generateFederatedSessionToken"


def camera_id(hass: HomeAssistant, camera_uuid: str) -> str:
    return entity_id_of(hass, "camera", f"{camera_uuid}_camera")


def entity_of(hass: HomeAssistant, entity_id: str) -> RhombusCamera:
    entity = hass.data[DATA_COMPONENT].get_entity(entity_id)
    assert isinstance(entity, RhombusCamera)
    return entity


async def test_still_image_and_entity(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    first = next(iter(simulator.cameras.values()))
    entity_id = camera_id(hass, first.uuid)
    assert without_area(entity_id) == "camera.front_entrance_camera"
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "idle"
    assert state.attributes["brand"] == "Rhombus"
    assert state.attributes["model_name"] == first.hw_variation
    assert state.attributes["supported_features"] == camera.CameraEntityFeature.STREAM

    image = await camera.async_get_image(hass, entity_id)
    assert image.content_type == "image/jpeg"
    assert image.content.startswith(b"\xff\xd8\xff")
    assert simulator.calls(FRAME_URI) == 1
    (fetch,) = simulator.media_requests
    assert fetch.path.startswith(f"/media/frame/{first.uuid}/")
    assert fetch.headers["x-auth-apikey"] == "sim-api-key"

    client = await hass_client()
    resp = await client.get(f"/api/camera_proxy/{entity_id}")
    assert resp.status == HTTPStatus.OK
    assert await resp.read() == image.content  # from the cache
    assert simulator.calls(FRAME_URI) == 1


async def test_cache_serves_a_dashboard_with_one_call(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    cameras = list(simulator.cameras)
    entity_id = camera_id(hass, cameras[0])
    images = await asyncio.gather(
        *(camera.async_get_image(hass, entity_id) for _ in range(8))
    )
    assert len({image.content for image in images}) == 1
    assert simulator.calls(FRAME_URI) == 1  # concurrent requests share one fetch
    await advance(hass, freezer, 9)
    await camera.async_get_image(hass, entity_id)
    assert simulator.calls(FRAME_URI) == 1
    await camera.async_get_image(hass, camera_id(hass, cameras[1]))
    assert simulator.calls(FRAME_URI) == 2  # each camera has its own still
    await advance(hass, freezer, 2)
    await camera.async_get_image(hass, entity_id)
    assert simulator.calls(FRAME_URI) == 3  # ten seconds later: a new frame


@pytest.mark.parametrize(
    ("path", "media"),
    [(FRAME_URI, None), (None, "/media/frame/"), (None, "/media/")],
    ids=["rest-error", "frame-error", "frame-uri-expired"],
)
async def test_failing_image_is_an_error_logged_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    path: str | None,
    media: str | None,
) -> None:
    entity_id = camera_id(hass, next(iter(simulator.cameras)))
    if path:
        simulator.fail_rest(path, status=500, times=0)
    else:
        simulator.fail_media(media, status=401 if media == "/media/" else 500, times=0)
    with pytest.raises(HomeAssistantError):
        await camera.async_get_image(hass, entity_id)
    client = await hass_client()
    resp = await client.get(f"/api/camera_proxy/{entity_id}")
    assert resp.status == HTTPStatus.INTERNAL_SERVER_ERROR  # the failure is kept
    await advance(hass, freezer, 11)
    with pytest.raises(HomeAssistantError):
        await camera.async_get_image(hass, entity_id)
    warnings = [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name == "custom_components.rhombus"
    ]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("Camera Front Entrance unavailable: ")
    assert "sim-api-key" not in caplog.text
    assert state_of(hass, entity_id) == "idle"  # nothing else changes

    simulator.clear_faults()
    await advance(hass, freezer, 11)
    assert (await camera.async_get_image(hass, entity_id)).content
    assert "Camera Front Entrance available again" in caplog.text


async def test_unload_during_a_download(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    entity_id = camera_id(hass, next(iter(simulator.cameras)))
    simulator.fail_rest(FRAME_URI, timeout=True)
    pending = asyncio.ensure_future(camera.async_get_image(hass, entity_id))
    await simulator.wait_for_calls(FRAME_URI)
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    with pytest.raises((HomeAssistantError, asyncio.CancelledError)):
        await pending
    simulator.clear_faults()
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED


async def test_stream_source_is_the_integrations_own_live_playlist(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The stream worker gets a signed loopback URL; the token stays inside."""
    first, second, _ = simulator.cameras
    source = await camera.async_get_stream_source(hass, camera_id(hass, first))
    assert source is not None
    parts = urlsplit(source)
    assert (parts.scheme, parts.hostname) == ("http", "127.0.0.1")
    assert parts.path == live_path(loaded_entry.entry_id, first)
    assert parse_qs(parts.query).keys() == {"authSig"}
    assert simulator.calls(TOKEN) == 0  # nothing fetched with a token yet
    # It plays without a login: playlist, then each segment it lists.
    client = await hass_client_no_auth()
    resp = await client.get(f"{parts.path}?{parts.query}")
    assert resp.status == HTTPStatus.OK
    assert resp.content_type == "application/vnd.apple.mpegurl"
    playlist = await resp.text()
    segments = [line for line in playlist.splitlines() if line[:1] != "#"]
    assert len(segments) == 3
    assert all(s.startswith("/api/rhombus/hls/") for s in segments)
    resp = await client.get(segments[-1])
    assert resp.status == HTTPStatus.OK
    assert (await resp.read())[:1] == b"\x47"
    assert not any(token in playlist for token in simulator.federated_tokens)
    # One token serves every camera; the playlist URL is asked once per camera.
    other = await camera.async_get_stream_source(hass, camera_id(hass, second))
    assert other is not None
    await client.get(urlsplit(other).path + "?" + urlsplit(other).query)
    await camera.async_get_stream_source(hass, camera_id(hass, first))
    assert simulator.calls(TOKEN) == 1
    asked = [r.body for r in simulator.requests if r.path == TOKEN]
    assert asked == [{"durationSec": TOKEN_SECONDS}]
    assert simulator.calls(MEDIA_URIS) == 2


async def test_an_open_stream_gets_a_freshly_signed_source_once_a_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The signature runs 24 h; an open stream gets a new URL at 80 %."""
    entity_id = camera_id(hass, next(iter(simulator.cameras)))
    source = await camera.async_get_stream_source(hass, entity_id)
    stream = MagicMock()
    entity_of(hass, entity_id).stream = stream  # what Home Assistant keeps open
    await advance(hass, freezer, 0.8 * 86_400 - 700)
    assert not stream.update_source.called
    await advance(hass, freezer, 700)
    assert stream.update_source.call_count == 1
    renewed = stream.update_source.call_args.args[0]
    assert renewed != source
    await advance(hass, freezer, 0.2 * 86_400 + 60)  # the first has run out
    client = await hass_client_no_auth()
    old, new = urlsplit(source), urlsplit(renewed)
    assert (await client.get(f"{old.path}?{old.query}")).status == 401
    assert (await client.get(f"{new.path}?{new.query}")).status == HTTPStatus.OK
    assert stream.update_source.call_count == 1  # not restarted for nothing


async def test_the_token_is_renewed_server_side_as_it_ages(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """No restart for a token: the proxy adds whichever is current."""
    entity_id = camera_id(hass, next(iter(simulator.cameras)))
    source = urlsplit(await camera.async_get_stream_source(hass, entity_id) or "")
    client = await hass_client_no_auth()

    async def live() -> int:
        return (await client.get(f"{source.path}?{source.query}")).status

    assert await live() == HTTPStatus.OK
    await advance(hass, freezer, TOKEN_SECONDS * 0.8 + 1)
    assert simulator.calls(TOKEN) == 1  # nothing renewed on a timer
    # Renewal fails: the aged token still works, so it is used.
    simulator.fail_rest(TOKEN)
    assert await live() == HTTPStatus.OK
    assert await live() == HTTPStatus.OK  # renewed now
    assert simulator.calls(TOKEN) == 3
    # The media host refuses the token early: replaced at once.
    simulator.expire_tokens()
    await advance(hass, freezer, 30)
    assert await live() == HTTPStatus.OK
    assert simulator.calls(TOKEN) == 4
    # Expired and not renewable: the worker sees a gateway error.
    await advance(hass, freezer, TOKEN_SECONDS + 1)
    simulator.fail_rest(TOKEN)
    assert await live() == HTTPStatus.BAD_GATEWAY


async def test_stream_source_failures(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entity_id = camera_id(hass, next(iter(simulator.cameras)))
    simulator.fail_rest(MEDIA_URIS, status=403)
    assert await camera.async_get_stream_source(hass, entity_id) is None
    assert "Camera Front Entrance unavailable" in caplog.text
    with patch(
        "custom_components.rhombus.aiorhombus.RhombusMediaClient.get_live_hls_uri",
        return_value=None,
    ):
        assert await camera.async_get_stream_source(hass, entity_id) is None
    assert simulator.calls(TOKEN) == 0
    assert await camera.async_get_stream_source(hass, entity_id) is None  # kept 1 h


async def test_new_camera_gets_a_camera_entity_without_reload(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    added = simulator.add_camera("Side Gate")
    await loaded_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    entity_id = camera_id(hass, added.uuid)
    assert (await camera.async_get_image(hass, entity_id)).content


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant, simulator: RhombusSimulator, snapshot: SnapshotAssertion
) -> None:
    """Every entity of the platform: name, class, category, unit and state."""
    await snapshot_platform_entities(hass, simulator, Platform.CAMERA, snapshot)
