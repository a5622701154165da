"""The media browser over Home Assistant's WebSocket API, against the simulator.

Browsing and resolving go through ``media_source/browse_media`` and
``media_source/resolve_media`` as the frontend sends them; thumbnails and
playlists are fetched over real sockets.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import time
from typing import Any
from unittest.mock import MagicMock
from urllib.parse import parse_qs, unquote, urlsplit

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import camera
from homeassistant.core import HomeAssistant
from homeassistant.helpers.template import Template
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)
import yaml

from custom_components.rhombus.const import EVENT_RHOMBUS
from custom_components.rhombus.media.access import KeyedCache
from custom_components.rhombus.media.proxy import vod_path
from custom_components.rhombus.media.views import PLACEHOLDER_URL, ThumbnailView
from simulator import RhombusSimulator

from .helpers import advance, entity_id_of, entry_for, setup_entry, wait_until

HOUR_MS = 3_600_000
ALERTS = "/api/event/getPolicyAlertsV2"
TOKENS = "/api/org/generateFederatedSessionToken"
ROOT = "media-source://rhombus"


class MediaBrowser:
    """What the frontend does: one WebSocket, browse and resolve by id."""

    def __init__(self, ws: Any, make_ws: WebSocketGenerator) -> None:
        self.ws = ws
        self._make_ws = make_ws

    async def another_tab(self) -> MediaBrowser:
        """A second browser on the same Home Assistant."""
        return MediaBrowser(await self._make_ws(), self._make_ws)

    async def send(self, kind: str, media_content_id: str) -> dict[str, Any]:
        await self.ws.send_json_auto_id(
            {"type": f"media_source/{kind}", "media_content_id": media_content_id}
        )
        msg: dict[str, Any] = await self.ws.receive_json()
        return msg

    async def browse(self, media_content_id: str = ROOT) -> dict[str, Any]:
        msg = await self.send("browse_media", media_content_id)
        assert msg["success"], msg
        result: dict[str, Any] = msg["result"]
        return result

    async def resolve(self, media_content_id: str) -> dict[str, Any]:
        msg = await self.send("resolve_media", media_content_id)
        assert msg["success"], msg
        result: dict[str, Any] = msg["result"]
        return result


@pytest.fixture
async def browser(
    loaded_entry: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> MediaBrowser:
    return MediaBrowser(await hass_ws_client(), hass_ws_client)


def first_camera(sim: RhombusSimulator) -> str:
    return next(iter(sim.cameras))


def alert_id(entry: MockConfigEntry, cam: str, ms: int, seconds: int) -> str:
    return f"{ROOT}/{entry.entry_id}/alert/{cam}/{ms}/{seconds}"


async def get(url: str) -> tuple[int, str, bytes]:
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        return resp.status, resp.content_type, await resp.read()


async def test_accounts_then_cameras_kinds_and_saved_clips(
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
) -> None:
    root = await browser.browse()
    assert [c["title"] for c in root["children"]] == ["Acme HQ"]
    account = await browser.browse(root["children"][0]["media_content_id"])
    titles = [c["title"] for c in account["children"]]
    names = sorted((c.name for c in simulator.cameras.values()), key=str.casefold)
    assert titles[:3] == names
    assert titles[3:6] == ["Person", "Vehicle", "Motion"]
    assert titles[-3:] == ["Saved clips", "People", "Plates"]
    folder = account["children"][0]
    assert folder["can_expand"]
    assert not folder["can_play"]
    assert folder["thumbnail"].startswith(
        f"/api/rhombus/latest/{loaded_entry.entry_id}/"
    )
    assert "authSig=" in folder["thumbnail"]


async def test_camera_alerts_newest_first_with_thumbnails_and_paging(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """10,000 alerts: each page is one REST call of 50, kept 30 s."""
    cam = first_camera(simulator)
    newest = int(time.time() * 1000) - HOUR_MS
    simulator.add_alert_history(
        cam, 10_000, newest_ms=newest, triggers=("MOTION_HUMAN", "MOTION_CAR")
    )
    before = simulator.calls(ALERTS)
    folder = await browser.browse(f"{ROOT}/{loaded_entry.entry_id}/camera/{cam}")
    assert simulator.calls(ALERTS) == before + 1
    children = folder["children"]
    assert len(children) == 51
    alerts, older = children[:50], children[50]
    assert older["title"] == "Older"
    assert older["can_expand"]
    assert [a["media_content_id"] for a in alerts] == [
        alert_id(loaded_entry, cam, newest - i * 60_000, 8) for i in range(50)
    ]
    local = dt_util.as_local(dt_util.utc_from_timestamp(newest / 1000))
    day = "" if local.date() == dt_util.now().date() else f"{local:%Y-%m-%d} "
    assert alerts[0]["title"] == f"{day}{local:%H:%M} · Person, Vehicle"
    assert folder["title"] == simulator.cameras[cam].name
    assert all(a["can_play"] and not a["can_expand"] for a in alerts)

    # The alert's thumbnail: a signed path of Home Assistant, no Rhombus key.
    thumbnail = alerts[0]["thumbnail"]
    assert thumbnail.startswith("/api/rhombus/thumbnail/")
    assert simulator.api_keys.isdisjoint(parse_qs(urlsplit(thumbnail).query))
    client = await hass_client_no_auth()
    resp = await client.get(thumbnail)
    assert resp.status == 200
    assert resp.content_type == "image/jpeg"
    assert (await resp.read()).startswith(b"\xff\xd8\xff")

    await browser.browse(f"{ROOT}/{loaded_entry.entry_id}/camera/{cam}")
    assert simulator.calls(ALERTS) == before + 1  # kept 30 s

    page = await browser.browse(older["media_content_id"])
    assert simulator.calls(ALERTS) == before + 2
    assert page["children"][0]["media_content_id"] == alert_id(
        loaded_entry, cam, newest - 50 * 60_000, 8
    )
    assert len(page["children"]) == 51
    assert len(hass.config_entries.async_entries("rhombus")) == 1


async def test_camera_folder_shows_its_latest_alert_thumbnail(
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    cam = first_camera(simulator)
    simulator.add_alert_history(cam, 3, newest_ms=int(time.time() * 1000) - HOUR_MS)
    account = await browser.browse(f"{ROOT}/{loaded_entry.entry_id}")
    folders = {
        c["media_content_id"].rsplit("/", 1)[-1]: c["thumbnail"]
        for c in account["children"][:3]
    }
    alerts = await browser.browse(f"{ROOT}/{loaded_entry.entry_id}/camera/{cam}")
    client = await hass_client_no_auth()
    newest = await (await client.get(alerts["children"][0]["thumbnail"])).read()

    before = simulator.calls(ALERTS)
    resp = await client.get(folders[cam])
    assert resp.status == 200
    assert await resp.read() == newest
    await client.get(folders[cam])
    assert simulator.calls(ALERTS) == before + 1  # kept 30 s

    quiet = next(uuid for uuid in folders if uuid != cam)
    resp = await client.get(folders[quiet])
    assert resp.status == 200
    assert resp.content_type == "image/svg+xml"  # no alert yet: the placeholder


async def test_an_alert_without_thumbnail_gets_the_placeholder(
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    cam = first_camera(simulator)
    uuid = await simulator.emit_alert(
        cam, timestamp_ms=int(time.time() * 1000) - HOUR_MS
    )
    del simulator.alerts[uuid]["thumbnailLocation"]
    three_days_ago = int(time.time() * 1000) - 72 * HOUR_MS
    await simulator.emit_alert(cam, ("MOTION_CAR",), timestamp_ms=three_days_ago)
    folder = await browser.browse(f"{ROOT}/{loaded_entry.entry_id}/camera/{cam}")
    thumbnails = [c["thumbnail"] for c in folder["children"]]
    assert thumbnails[0] == PLACEHOLDER_URL
    assert thumbnails[1].startswith("/api/rhombus/thumbnail/")
    # An alert of another day shows its date.
    local = dt_util.as_local(dt_util.utc_from_timestamp(three_days_ago / 1000))
    assert folder["children"][1]["title"] == f"{local:%Y-%m-%d %H:%M} · Vehicle"
    resp = await (await hass_client_no_auth()).get(PLACEHOLDER_URL)
    assert resp.status == 200
    assert (await resp.text()).startswith("<svg")


async def test_kind_folder_spans_cameras(
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
) -> None:
    first, second, _ = simulator.cameras
    newest = int(time.time() * 1000) - HOUR_MS
    simulator.add_alert_history(first, 3, newest_ms=newest, triggers=("MOTION_CAR",))
    simulator.add_alert_history(
        second, 3, newest_ms=newest - 1, triggers=("MOTION_HUMAN",)
    )
    folder = await browser.browse(f"{ROOT}/{loaded_entry.entry_id}/kind/vehicle")
    assert folder["title"] == "Vehicle"
    titles = [c["title"] for c in folder["children"]]
    assert len(titles) == 3
    assert all(simulator.cameras[first].name in title for title in titles)


async def test_an_alert_resolves_to_the_cameras_footage_of_its_window(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The bus event's id plays; the token is the one live streams use."""
    events = async_capture_events(hass, EVENT_RHOMBUS)
    cam = first_camera(simulator)
    ts = int(time.time() * 1000) - HOUR_MS
    await simulator.emit_alert(cam, timestamp_ms=ts, duration_sec=8)
    await wait_until(hass, lambda: len(events) == 1)
    media_id = events[0].data["media_content_id"]
    assert media_id == alert_id(loaded_entry, cam, ts, 8)
    image = hass.states.get(entity_id_of(hass, "image", f"{cam}_last_alert"))
    assert image is not None
    assert image.attributes["media_content_id"] == media_id

    played = await browser.resolve(media_id)
    assert played["mime_type"] == "application/vnd.apple.mpegurl"
    # 5 s before the alert to 5 s after its 8 s, served by Home Assistant.
    path = vod_path(loaded_entry.entry_id, cam, ts - 5_000, 18)
    assert played["url"].startswith(f"{path}?authSig=")
    client = await hass_client_no_auth()
    resp = await client.get(played["url"])
    assert resp.status == 200
    assert (await resp.text()).count("#EXTINF") == 9
    assert simulator.calls(TOKENS) == 1
    assert simulator.media_calls("/media/vod/") == 1  # checked once, then kept

    source = await camera.async_get_stream_source(
        hass, entity_id_of(hass, "camera", f"{cam}_camera")
    )
    assert source is not None
    live = urlsplit(source)
    assert (await client.get(f"{live.path}?{live.query}")).status == 200
    assert simulator.calls(TOKENS) == 1  # one token for footage and streams


async def test_a_refused_token_is_renewed_once_for_concurrent_players(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The VOD host refuses the token: one new token, however many players."""
    cam = first_camera(simulator)
    media_id = alert_id(loaded_entry, cam, int(time.time() * 1000) - HOUR_MS, 8)
    url = (await browser.resolve(media_id))["url"]
    assert simulator.calls(TOKENS) == 1
    simulator.expire_tokens()
    await advance(hass, freezer, 31)  # the checked playlist is no longer kept
    client = await hass_client_no_auth()
    first, second = await asyncio.gather(client.get(url), client.get(url))
    assert (first.status, second.status) == (200, 200)
    assert simulator.calls(TOKENS) == 2  # both refused, one renewal


async def test_no_footage_is_a_translated_error(
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
) -> None:
    cam = first_camera(simulator)
    ts = int(time.time() * 1000) - 40 * 86_400_000  # past the 30-day retention
    msg = await browser.send("resolve_media", alert_id(loaded_entry, cam, ts, 8))
    assert not msg["success"]
    assert msg["error"]["code"] == "resolve_media_failed"
    assert msg["error"]["message"].startswith("Rhombus has no recorded footage")


@pytest.mark.parametrize(
    "identifier",
    [
        "nonsense/../x",
        "{entry}/camera/NotOurCameraAAAAAAAAAA",
        "{entry}/alert/NotOurCameraAAAAAAAAAA/1000/8",
        "{entry}/kind/not_a_kind",
        "OtherEntryId/camera/{camera}",
        "OtherEntryId/alert/{camera}/1000/8",
        "{entry}/alert/{camera}/abc/8",
        "{entry}/camera/{camera}/extra/segments/here",
        "{entry}/clip/NotOurCameraAAAAAAAAAA/us-west-2/SomeClipAAAAAAAAAAAAAA",
        "{entry}/clip/{camera}/US_WEST/SomeClipAAAAAAAAAAAAAA",
    ],
)
async def test_bad_ids_are_refused_without_rest(
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
    identifier: str,
) -> None:
    identifier = identifier.format(
        entry=loaded_entry.entry_id, camera=first_camera(simulator)
    )
    before = len(simulator.requests)
    browsed = await browser.send("browse_media", f"{ROOT}/{identifier}")
    resolved = await browser.send("resolve_media", f"{ROOT}/{identifier}")
    assert browsed["error"]["code"] == "browse_media_failed"
    assert resolved["error"]["code"] == "resolve_media_failed"
    assert (
        "does not exist in any loaded Rhombus account" in (resolved["error"]["message"])
    )
    assert len(simulator.requests) == before


async def test_another_accounts_camera_is_refused(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
) -> None:
    """A second account's id with the first account's camera names nothing."""
    other_sim = RhombusSimulator(cameras=1, seed=8, heartbeat_ms=0, org_name="Other")
    await other_sim.start()
    try:
        other = await setup_entry(hass, other_sim, entry_for(other_sim))
        cam = first_camera(simulator)
        before = len(simulator.requests), len(other_sim.requests)
        for kind in ("browse_media", "resolve_media"):
            msg = await browser.send(kind, alert_id(other, cam, 1000, 8))
            assert not msg["success"]
        msg = await browser.send(
            "browse_media", f"{ROOT}/{other.entry_id}/camera/{cam}"
        )
        assert msg["error"]["code"] == "browse_media_failed"
        assert (len(simulator.requests), len(other_sim.requests)) == before
        # Its own camera is fine.
        own = first_camera(other_sim)
        await browser.browse(f"{ROOT}/{other.entry_id}/camera/{own}")
        assert await hass.config_entries.async_unload(other.entry_id)
    finally:
        await other_sim.stop()


async def test_a_saved_clip_lists_and_resolves(
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Clips name their camera as ``<camera>.v0``: they still list and play."""
    cam = first_camera(simulator)
    clip_uuid = simulator.add_saved_clip(
        cam, int(time.time() * 1000) - HOUR_MS, 6, title="Gate"
    )
    assert simulator.saved_clips[clip_uuid]["deviceUuid"] == f"{cam}.v0"
    folder = await browser.browse(f"{ROOT}/{loaded_entry.entry_id}/clips")
    clip = folder["children"][0]
    assert clip["title"] == "Gate"
    played = await browser.resolve(clip["media_content_id"])
    resp = await (await hass_client_no_auth()).get(played["url"])
    assert resp.status == 200
    assert (await resp.text()).startswith("#EXTM3U")


async def test_alerts_dated_absurdly_are_left_out_of_the_folder(
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One alert dated 2100 or before 1970 does not break the camera's folder."""
    cam = first_camera(simulator)
    now = int(time.time() * 1000)
    await simulator.emit_alert(cam, timestamp_ms=now - HOUR_MS)
    for absurd in (4_102_444_800_000, 10**17, -86_400_000):
        await simulator.emit_alert(cam, timestamp_ms=absurd)
    for kind, key in (("camera", cam), ("kind", "person")):
        folder = await browser.browse(f"{ROOT}/{loaded_entry.entry_id}/{kind}/{key}")
        ids = [c["media_content_id"] for c in folder["children"]]
        assert ids == [alert_id(loaded_entry, cam, now - HOUR_MS, 8)]
    said = [r.levelname for r in caplog.records if "Skipped 3 alerts" in r.message]
    assert said == ["WARNING", "DEBUG"]


async def test_the_cookbook_footage_link_opens_the_cameras_alerts(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
) -> None:
    """The cookbook's notification link names the camera's folder, as the panel does."""
    cookbook = (Path(__file__).parents[1] / "docs" / "automations.md").read_text()
    section = cookbook.split("## Alert footage link to a phone", 1)[1]
    automation = yaml.safe_load(section.split("```yaml", 1)[1].split("```", 1)[0])
    variables = automation[0]["actions"][0]["variables"]
    events = async_capture_events(hass, EVENT_RHOMBUS)
    cam = first_camera(simulator)
    await simulator.emit_alert(cam, timestamp_ms=int(time.time() * 1000) - HOUR_MS)
    await wait_until(hass, lambda: len(events) == 1)
    context = {"trigger": {"event": {"data": events[0].data}}}
    folder = Template(variables["folder"], hass).async_render(context)
    context["folder"] = folder
    link = Template(variables["link"], hass).async_render(context)
    prefix = "/media-browser/browser/"
    assert link.startswith(prefix)
    # The media panel splits its path at "/" and decodes "type,id" per part.
    kind, _, media_id = unquote(link.removeprefix(prefix)).partition(",")
    assert "/" not in link.removeprefix(prefix)
    assert (kind, media_id) == ("video", folder)
    alerts = await browser.browse(media_id)
    first = alerts["children"][0]["media_content_id"]
    assert first == events[0].data["media_content_id"]


async def test_rhombus_failures_are_translated_errors(
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
) -> None:
    cam = first_camera(simulator)
    simulator.fail_rest(ALERTS, status=500)
    msg = await browser.send(
        "browse_media", f"{ROOT}/{loaded_entry.entry_id}/camera/{cam}"
    )
    assert msg["error"]["code"] == "browse_media_failed"
    assert msg["error"]["message"].startswith("Could not get this from Rhombus")

    simulator.fail_media("/media/vod/", status=503)
    media_id = alert_id(loaded_entry, cam, int(time.time() * 1000) - HOUR_MS, 8)
    msg = await browser.send("resolve_media", media_id)
    assert msg["error"]["message"].startswith("Could not get this from Rhombus")
    assert "x-auth-ft" not in msg["error"]["message"]  # no token in the error

    folder = f"{ROOT}/{loaded_entry.entry_id}/camera/{cam}"
    msg = await browser.send("resolve_media", folder)
    assert msg["error"]["message"] == "This Rhombus media item is a folder, not a video"
    msg = await browser.send("browse_media", media_id)
    assert msg["error"]["message"] == "This Rhombus media item is a video, not a folder"


@pytest.mark.parametrize(
    "path",
    [
        "/api/rhombus/thumbnail/{entry}/us-west-2/bad.uuid",
        "/api/rhombus/thumbnail/NoSuchEntry/us-west-2/{alert}",
        "/api/rhombus/thumbnail/{entry}/us-west-2/NoSuchAlertAAAAAAAAAAA",
        "/api/rhombus/latest/{entry}/NotOurCameraAAAAAAAAAA",
        "/api/rhombus/latest/NoSuchEntry/{camera}",
        "/api/rhombus/latest/{entry}/bad.uuid",
    ],
)
async def test_thumbnail_views_answer_404_for_what_the_account_lacks(
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    path: str,
) -> None:
    cam = first_camera(simulator)
    alert = await simulator.emit_alert(cam)
    good = f"/api/rhombus/thumbnail/{loaded_entry.entry_id}/us-west-2/{alert}"
    client = await hass_client()
    assert (await client.get(good)).status == 200
    assert (await (await hass_client_no_auth()).get(good)).status == 401
    path = path.format(entry=loaded_entry.entry_id, camera=cam, alert=alert)
    assert (await client.get(path)).status == 404


async def test_thumbnails_are_kept_and_shared(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """A folder's 50 tiles, two tabs: each alert's thumbnail is fetched once."""
    alert = await simulator.emit_alert(first_camera(simulator))
    path = f"/api/rhombus/thumbnail/{loaded_entry.entry_id}/us-west-2/{alert}"
    client = await hass_client()
    calls = simulator.media_calls("/media/metadata/")
    answers = await asyncio.gather(*(client.get(path) for _ in range(8)))
    assert [a.status for a in answers] == [200] * 8
    assert simulator.media_calls("/media/metadata/") == calls + 1
    await advance(hass, freezer, 119)
    assert (await client.get(path)).status == 200
    assert simulator.media_calls("/media/metadata/") == calls + 1
    await advance(hass, freezer, 2)
    assert (await client.get(path)).status == 200
    assert simulator.media_calls("/media/metadata/") == calls + 2
    # A failure is kept briefly too: not asked again at every tile refresh.
    other = await simulator.emit_alert(first_camera(simulator))
    simulator.fail_media("/media/metadata/", status=503)
    other_path = path.replace(alert, other)
    for _ in range(3):
        assert (await client.get(other_path)).status == 404
    assert simulator.media_calls("/media/metadata/") == calls + 3
    await advance(hass, freezer, 11)
    assert (await client.get(other_path)).status == 200


async def test_ids_with_a_trailing_newline_are_refused_without_a_call(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Home Assistant filters a newline from paths; the view checks anyway."""
    view = ThumbnailView(hass, KeyedCache(1, 1, 1))
    alert = await simulator.emit_alert(first_camera(simulator))
    before = len(simulator.media_requests)
    entry = loaded_entry.entry_id
    for args in ((entry, "us-west-2\n", alert), (entry, "us-west-2", f"{alert}\n")):
        assert (await view.get(MagicMock(), *args)).status == 404
    assert len(simulator.media_requests) == before


async def test_latest_thumbnail_when_rhombus_fails_is_404(
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    cam = first_camera(simulator)
    simulator.fail_rest(ALERTS, status=500)
    client = await hass_client()
    resp = await client.get(f"/api/rhombus/latest/{loaded_entry.entry_id}/{cam}")
    assert resp.status == 404


async def test_pages_are_kept_30_seconds(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    browser: MediaBrowser,
) -> None:
    cam = first_camera(simulator)
    simulator.add_alert_history(cam, 5, newest_ms=int(time.time() * 1000) - HOUR_MS)
    folder = f"{ROOT}/{loaded_entry.entry_id}/camera/{cam}"
    before = simulator.calls(ALERTS)
    await browser.browse(folder)
    await advance(hass, freezer, 29)
    await browser.browse(folder)
    assert simulator.calls(ALERTS) == before + 1
    await advance(hass, freezer, 2)
    await browser.browse(folder)
    assert simulator.calls(ALERTS) == before + 2
