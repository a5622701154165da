"""Footage through Home Assistant: no URL handed out holds the federated token.

Everything the media source (browse, resolve) and the camera (stream source,
pictures) hand out is fetched over real sockets, every playlist followed to
its segments, and each URL, answer and body is searched for the token.
"""

from __future__ import annotations

import json
import re
import time
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from homeassistant.components import camera
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.rhombus.media.proxy import (
    clip_path,
    live_path,
    local_base_url,
    vod_path,
)
from simulator import RhombusSimulator
from simulator.images import ts_segment

from .aiorhombus.helpers import serve
from .helpers import entity_id_of, entry_for, setup_entry

ROOT = "media-source://rhombus"
HOUR_MS = 3_600_000
TOKENS = "/api/org/generateFederatedSessionToken"
_URI_ATTRIBUTE = re.compile(r'URI="([^"]*)"')


def uris_of(playlist: str) -> list[str]:
    """Every URI a playlist names: URI lines and ``URI="..."`` attributes."""
    found: list[str] = []
    for line in playlist.splitlines():
        if line.startswith("#"):
            found += _URI_ATTRIBUTE.findall(line)
        elif line.strip():
            found.append(line.strip())
    return found


class Collector:
    """Fetches as a browser (or the stream worker) would, keeping all it saw."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.seen: list[str] = []  # URLs, answers and text bodies
        self.segments: dict[str, bytes] = {}

    async def get(self, url: str) -> tuple[int, bytes]:
        self.seen.append(url)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        resp = await self.client.get(path)
        body = await resp.read()
        if not resp.content_type.startswith(("image/", "video/")):
            self.seen.append(body.decode("utf-8", "replace"))
        return resp.status, body

    async def play(self, url: str) -> list[bytes]:
        """Follow a playlist down to its segments; their bytes, in order."""
        status, body = await self.get(url)
        assert status == 200, url
        text = body.decode()
        assert text.startswith("#EXTM3U")
        out: list[bytes] = []
        for uri in uris_of(text):
            assert uri.startswith("/api/rhombus/hls/"), uri  # always a path of ours
            assert "authSig=" in uri
            if urlsplit(uri).path.endswith(".m3u8"):
                out += await self.play(uri)
            else:
                status, segment = await self.get(uri)
                assert status == 200, uri
                self.segments[uri] = segment
                out.append(segment)
        return out


async def browse_all(ws: Any, media_id: str, seen: list[str]) -> list[dict[str, Any]]:
    """Every playable item under ``media_id`` (answers kept in ``seen``)."""
    await ws.send_json_auto_id(
        {"type": "media_source/browse_media", "media_content_id": media_id}
    )
    msg = await ws.receive_json()
    assert msg["success"], msg
    seen.append(json.dumps(msg))
    items: list[dict[str, Any]] = []
    for child in msg["result"]["children"] or []:
        if child["can_play"]:
            items.append(child)
        elif child["can_expand"] and child["title"] != "Older":
            items += await browse_all(ws, child["media_content_id"], seen)
    return items


async def resolve(ws: Any, media_id: str, seen: list[str]) -> str:
    await ws.send_json_auto_id(
        {"type": "media_source/resolve_media", "media_content_id": media_id}
    )
    msg = await ws.receive_json()
    assert msg["success"], msg
    seen.append(json.dumps(msg))
    url: str = msg["result"]["url"]
    return url


def assert_no_token(sim: RhombusSimulator, texts: list[str]) -> None:
    tokens = list(sim.federated_tokens)
    assert tokens, "no token was ever issued: the test would prove nothing"
    for text in texts:
        assert "x-auth-ft" not in text, text[:200]
        assert not any(token in text for token in tokens), text[:200]


async def test_no_url_handed_out_holds_the_token(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Browse and resolve everything, open every camera: no token anywhere."""
    first, second, _ = simulator.cameras
    now = int(time.time() * 1000)
    simulator.add_alert_history(first, 3, newest_ms=now - HOUR_MS)
    await simulator.emit_alert(second, ("MOTION_CAR",), timestamp_ms=now - HOUR_MS)
    simulator.add_saved_clip(first, now - 2 * HOUR_MS, 6, title="Gate")
    ws = await hass_ws_client()
    fetch = Collector(await hass_client_no_auth())  # signed paths need no login
    seen = fetch.seen

    items = await browse_all(ws, ROOT, seen)
    assert {i["title"] for i in items} >= {"Gate"}
    assert len(items) >= 5
    for item in items:
        if item["thumbnail"]:
            assert (await fetch.get(item["thumbnail"]))[0] == 200
        url = await resolve(ws, item["media_content_id"], seen)
        assert urlsplit(url).path.startswith(
            ("/api/rhombus/vod/", "/api/rhombus/clip/")
        )
        assert await fetch.play(url)

    # The camera: its stream source (for the stream worker, signed, loopback),
    # the pictures its states name, and the states themselves.
    for cam in (first, second):
        entity_id = entity_id_of(hass, "camera", f"{cam}_camera")
        source = await camera.async_get_stream_source(hass, entity_id)
        assert source is not None
        assert urlsplit(source).hostname == "127.0.0.1"
        assert await fetch.play(source)
    authed = Collector(await hass_client())
    for state in hass.states.async_all(("camera", "image")):
        seen.append(json.dumps(state.as_dict(), default=str))
        if picture := state.attributes.get("entity_picture"):
            await authed.get(picture)
    seen += authed.seen
    assert_no_token(simulator, [*seen, caplog.text])
    assert simulator.calls(TOKENS) == 1  # one token, added server side throughout


async def test_an_alert_and_a_saved_clip_play_through_the_proxy(
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Relative and absolute segment URIs, a nested playlist: the cloud's bytes."""
    cam = next(iter(simulator.cameras))
    ts = int(time.time() * 1000) - HOUR_MS
    clip = simulator.add_saved_clip(cam, ts, 6)
    ws = await hass_ws_client()
    fetch = Collector(await hass_client_no_auth())
    entry = loaded_entry.entry_id

    url = await resolve(ws, f"{ROOT}/{entry}/alert/{cam}/{ts}/8", fetch.seen)
    assert url.startswith(f"{vod_path(entry, cam, ts - 5_000, 18)}?authSig=")
    start_s = (ts - 5_000) // 1000
    assert await fetch.play(url) == [
        ts_segment(f"{cam} {start_s} {n}") for n in range(9)
    ]

    url = await resolve(ws, f"{ROOT}/{entry}/clip/{cam}/us-west-2/{clip}", fetch.seen)
    assert url.startswith(clip_path(entry, cam, "us-west-2", clip))
    assert await fetch.play(url) == [ts_segment(f"{clip} {n}") for n in range(3)]
    assert_no_token(simulator, fetch.seen)
    # Segments were asked of the cloud with the token, never with the key.
    segments = [r for r in simulator.media_requests if r.path.endswith(".ts")]
    assert len(segments) == 12
    assert all("x-auth-apikey" not in r.headers for r in segments)


async def test_the_proxy_refuses_unsigned_and_foreign_requests(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    cam = next(iter(simulator.cameras))
    entry = loaded_entry.entry_id
    ts = int(time.time() * 1000) - HOUR_MS
    ws = await hass_ws_client()
    fetch = Collector(await hass_client_no_auth())
    url = await resolve(ws, f"{ROOT}/{entry}/alert/{cam}/{ts}/8", fetch.seen)
    _, body = await fetch.get(url)
    segment = uris_of(body.decode())[0]
    anonymous = await hass_client_no_auth()
    for signed in (url, segment):
        unsigned = urlsplit(signed).path
        assert (await anonymous.get(unsigned)).status == 401
        assert (await anonymous.get(f"{unsigned}?authSig=forged")).status == 401
    assert (await anonymous.get(live_path(entry, cam))).status == 401

    # Another account's entry, or what this account lacks: 404, no cloud call.
    other_sim = RhombusSimulator(cameras=1, seed=8, heartbeat_ms=0, org_name="Other")
    await other_sim.start()
    try:
        other = await setup_entry(hass, other_sim, entry_for(other_sim))
        client = await hass_client()
        before = len(simulator.media_requests), len(other_sim.media_requests)
        key_path = urlsplit(segment).path.replace(entry, other.entry_id)
        for path in (
            key_path,
            vod_path(other.entry_id, cam, ts, 18),
            live_path(other.entry_id, cam),
            clip_path(entry, "NotOurCameraAAAAAAAAAA", "us-west-2", "C" * 22),
            vod_path(entry, cam, ts, 0),
            f"/api/rhombus/hls/{entry}/{'A' * 20}/media.ts",
            live_path("NoSuchEntry", cam),
        ):
            assert (await client.get(path)).status == 404, path
        assert (len(simulator.media_requests), len(other_sim.media_requests)) == before
        assert await hass.config_entries.async_unload(other.entry_id)
    finally:
        await other_sim.stop()


async def test_the_token_goes_only_to_the_configured_media_host(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A playlist naming another host: fetched without the token."""
    asked: list[dict[str, str]] = []

    async def foreign(request: web.Request) -> web.Response:
        asked.append(dict(request.query))
        if request.path.endswith(".m3u8"):
            text = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg_0.ts\n"
            return web.Response(text=text, content_type="application/vnd.apple.mpegurl")
        return web.Response(body=b"\x47" * 188, content_type="video/mp2t")

    app = web.Application()
    app.router.add_get("/{tail:.*}", foreign)
    cam = next(iter(simulator.cameras))
    async with serve(app) as other_origin:
        # The camera's VOD template names another (loopback) origin.
        template = f"{other_origin}/vod/{cam}/{{START_TIME}}/{{DURATION}}/file.m3u8"
        loaded_entry.runtime_data.recordings._templates[cam] = template
        ws = await hass_ws_client()
        fetch = Collector(await hass_client_no_auth())
        ts = int(time.time() * 1000) - HOUR_MS
        url = await resolve(
            ws, f"{ROOT}/{loaded_entry.entry_id}/alert/{cam}/{ts}/8", fetch.seen
        )
        assert await fetch.play(url) == [b"\x47" * 188]
    assert len(asked) == 3  # the playlist (checked, then played) and a segment
    assert all("x-auth-ft" not in query for query in asked)
    assert simulator.calls(TOKENS) == 0


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        ({"server_port": 8123}, "http://127.0.0.1:8123"),
        ({"server_host": ["0.0.0.0", "::"], "server_port": 80}, "http://127.0.0.1:80"),  # noqa: S104
        (
            {"server_host": ["192.168.1.5"], "ssl_certificate": "/ssl/c.pem"},
            "https://192.168.1.5:8123",
        ),
        ({"server_host": ["fd00::5"], "server_port": 9}, "http://[fd00::5]:9"),
    ],
)
def test_the_stream_worker_reaches_home_assistant_where_it_listens(
    server: dict[str, Any], expected: str
) -> None:
    """Loopback unless Home Assistant listens on one address only; https if set."""
    hass = SimpleNamespace(http=SimpleNamespace(**server))
    assert local_base_url(hass) == expected  # type: ignore[arg-type]
