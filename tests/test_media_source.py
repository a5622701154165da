"""Draft HA layer: the media source, the thumbnail proxy and ``rhombus.save_clip``.

Not wired into setup yet: the tests build the source, register the view and the
action themselves, against a real entry on the simulator.
"""

from __future__ import annotations

from datetime import timedelta
import time

import aiohttp
from homeassistant.components.media_source import MediaSourceItem, Unresolvable
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.rhombus.clip_service import async_setup_clip_service
from custom_components.rhombus.const import DOMAIN
from custom_components.rhombus.media_source import (
    RhombusMediaSource,
    async_get_media_source,
)
from custom_components.rhombus.views import async_register_views
from simulator import RhombusSimulator

from .helpers import entity_id_of

HOUR_MS = 3_600_000
ALERTS = "/api/event/getPolicyAlertsV2"


def item(hass: HomeAssistant, identifier: str) -> MediaSourceItem:
    return MediaSourceItem(hass, DOMAIN, identifier, None)


@pytest.fixture
async def source(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> RhombusMediaSource:
    made = await async_get_media_source(hass)
    assert isinstance(made, RhombusMediaSource)
    return made


async def test_account_lists_cameras_kinds_and_clips(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    source: RhombusMediaSource,
) -> None:
    root = await source.async_browse_media(item(hass, ""))
    assert [c.title for c in root.children or []] == ["Acme HQ"]
    account = await source.async_browse_media(item(hass, loaded_entry.entry_id))
    titles = [c.title for c in account.children or []]
    names = sorted((c.name for c in simulator.cameras.values()), key=str.casefold)
    assert titles[:3] == names
    camera_folder = (account.children or [])[0]
    assert camera_folder.thumbnail is not None
    assert camera_folder.thumbnail.startswith("/api/camera_proxy/camera.")
    assert "authSig=" in camera_folder.thumbnail
    assert "Person" in titles
    assert titles[-1] == "Saved clips"


async def test_camera_alerts_newest_first_paged_and_cached(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    source: RhombusMediaSource,
) -> None:
    cam = next(iter(simulator.cameras))
    newest = int(time.time() * 1000) - HOUR_MS
    simulator.add_alert_history(
        cam, 10_000, newest_ms=newest, triggers=("MOTION_HUMAN", "MOTION_CAR")
    )
    before = simulator.calls(ALERTS)
    folder = await source.async_browse_media(
        item(hass, f"{loaded_entry.entry_id}/camera/{cam}")
    )
    children = folder.children or []
    assert len(children) == 51
    assert simulator.calls(ALERTS) == before + 1
    local = dt_util.as_local(dt_util.utc_from_timestamp(newest / 1000))
    assert children[0].title == f"{local:%H:%M} · Person, Vehicle"
    assert children[0].can_play
    assert children[0].thumbnail is not None
    assert "authSig=" in children[0].thumbnail
    assert children[-1].title == "Older"

    await source.async_browse_media(item(hass, f"{loaded_entry.entry_id}/camera/{cam}"))
    assert simulator.calls(ALERTS) == before + 1  # cached for 30 s

    older = await source.async_browse_media(item(hass, children[-1].identifier or ""))
    assert simulator.calls(ALERTS) == before + 2
    first_older = (older.children or [])[0].identifier or ""
    assert f"/{newest - 50 * 60_000}/" in first_older


async def test_alert_resolves_to_a_playable_hls_url(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    source: RhombusMediaSource,
) -> None:
    cam = next(iter(simulator.cameras))
    ts = int(time.time() * 1000) - HOUR_MS
    played = await source.async_resolve_media(
        item(hass, f"{loaded_entry.entry_id}/alert/{cam}/{ts}/8")
    )
    assert played.mime_type == "application/vnd.apple.mpegurl"
    assert f"/media/vod/{cam}/{ts // 1000 - 5}/18/" in played.url
    async with aiohttp.ClientSession() as http, http.get(played.url) as resp:
        assert resp.status == 200
        assert (await resp.text()).count("#EXTINF") == 9


async def test_no_footage_is_a_translated_error(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    source: RhombusMediaSource,
) -> None:
    cam = next(iter(simulator.cameras))
    ts = int(time.time() * 1000) - 40 * 86_400_000  # past retention
    with pytest.raises(Unresolvable) as caught:
        await source.async_resolve_media(
            item(hass, f"{loaded_entry.entry_id}/alert/{cam}/{ts}/8")
        )
    assert caught.value.translation_key == "media_no_footage"


@pytest.mark.parametrize(
    "identifier",
    [
        "nonsense/../x",
        "{entry}/camera/NotOurCameraAAAAAAAAAA",
        "{entry}/alert/NotOurCameraAAAAAAAAAA/1000/8",
        "{entry}/kind/not_a_kind",
        "OtherEntryId/camera/{camera}",
        "{entry}/alert/{camera}/abc/8",
    ],
)
async def test_bad_ids_are_refused_without_rest(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    source: RhombusMediaSource,
    identifier: str,
) -> None:
    cam = next(iter(simulator.cameras))
    identifier = identifier.format(entry=loaded_entry.entry_id, camera=cam)
    before = len(simulator.requests)
    with pytest.raises(Unresolvable):
        await source.async_browse_media(item(hass, identifier))
    with pytest.raises(Unresolvable):
        await source.async_resolve_media(item(hass, identifier))
    assert len(simulator.requests) == before


async def test_saved_clip_lists_and_resolves(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    source: RhombusMediaSource,
) -> None:
    cam = next(iter(simulator.cameras))
    simulator.add_saved_clip(cam, 1_000, 6, title="Gate")
    folder = await source.async_browse_media(
        item(hass, f"{loaded_entry.entry_id}/clips")
    )
    clip = (folder.children or [])[0]
    assert clip.title == "Gate"
    played = await source.async_resolve_media(item(hass, clip.identifier or ""))
    async with aiohttp.ClientSession() as http, http.get(played.url) as resp:
        assert resp.status == 200


async def test_thumbnail_proxy_needs_home_assistant_auth(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    await async_setup_component(hass, "http", {})
    async_register_views(hass)
    alert = await simulator.emit_alert(next(iter(simulator.cameras)))
    path = f"/api/rhombus/thumbnail/{loaded_entry.entry_id}/us-west-2/{alert}"
    client = await hass_client()
    resp = await client.get(path)
    assert resp.status == 200
    assert (await resp.read()).startswith(b"\xff\xd8\xff")
    anonymous = await hass_client_no_auth()
    assert (await anonymous.get(path)).status == 401
    assert (
        await client.get(path.replace(alert, "NoSuchAlertAAAAAAAAAAA"))
    ).status == 404


async def test_save_clip_calls_splice_once_and_returns_the_uuid(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    async_setup_clip_service(hass)
    cam = next(iter(simulator.cameras))
    camera_entity = entity_id_of(hass, "camera", f"{cam}_camera")
    start = dt_util.utcnow() - timedelta(hours=1)
    response = await hass.services.async_call(
        DOMAIN,
        "save_clip",
        {"entity_id": camera_entity, "start": start, "duration": 30, "title": "Porch"},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    assert len(simulator.splice_requests) == 1
    assert response["clip_uuid"] in simulator.saved_clips
    assert simulator.splice_requests[0]["durationSec"] == 30

    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "save_clip",
            {"entity_id": camera_entity, "start": start, "duration": 3601},
            blocking=True,
        )
    assert caught.value.translation_key == "clip_bad_duration"
    assert len(simulator.splice_requests) == 1


async def test_kind_folder_spans_cameras(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    source: RhombusMediaSource,
) -> None:
    first, second, _ = simulator.cameras
    newest = int(time.time() * 1000) - HOUR_MS
    simulator.add_alert_history(first, 3, newest_ms=newest, triggers=("MOTION_CAR",))
    simulator.add_alert_history(
        second, 3, newest_ms=newest - 1, triggers=("MOTION_HUMAN",)
    )
    folder = await source.async_browse_media(
        item(hass, f"{loaded_entry.entry_id}/kind/vehicle")
    )
    children = folder.children or []
    assert len(children) == 3
    assert all(simulator.cameras[first].name in c.title for c in children)
