"""The smoke test's media-browser step: browse and play over the WebSocket API.

Browses ``media-source://rhombus`` down to a camera's alerts as the frontend
does, loads one alert's thumbnail through Home Assistant (a signed path, no
Rhombus key), resolves the newest alert and fetches the playlist it names and
a segment of it, through Home Assistant, with no federated token in sight.
"""

from __future__ import annotations

from collections.abc import Callable
import time
from typing import Any

from scripts.hass.bootstrap import BootstrapError, HassClient
from scripts.hass.websocket import HassWebSocket

ROOT = "media-source://rhombus"
HOUR_MS = 3_600_000


async def _browse(ws: HassWebSocket, media_content_id: str) -> dict[str, Any]:
    result: dict[str, Any] = await ws.command(
        "media_source/browse_media", media_content_id=media_content_id
    )
    return result


async def check_media_browser(
    client: HassClient,
    ws: HassWebSocket,
    sim: Any,
    step: Callable[[str], None],
) -> None:
    """Browse entry → camera → alerts, load a thumbnail, resolve and fetch one."""
    camera_uuid, camera = next(iter(sim.cameras.items()))
    sim.add_alert_history(camera_uuid, 500, newest_ms=int(time.time() * 1000) - HOUR_MS)
    root = await _browse(ws, ROOT)
    accounts = root.get("children") or []
    if len(accounts) != 1:
        raise BootstrapError(f"media browser root lists {len(accounts)} accounts")
    account = await _browse(ws, accounts[0]["media_content_id"])
    folder = next((c for c in account["children"] if c["title"] == camera.name), None)
    if folder is None:
        raise BootstrapError(f"no folder for camera {camera.name!r}")
    alerts = await _browse(ws, folder["media_content_id"])
    children = alerts.get("children") or []
    if len(children) != 51 or children[-1]["title"] != "Older":
        raise BootstrapError(f"camera folder: {len(children)} items, no Older page")
    step(
        f"media browser: {accounts[0]['title']!r} → {camera.name!r} → "
        f"50 alerts + Older (first: {children[0]['title']!r})"
    )
    thumbnail = children[0]["thumbnail"]
    async with client.session.get(f"{client.base_url}{thumbnail}") as resp:
        image = await resp.read()
        if resp.status != 200 or not image.startswith(b"\xff\xd8\xff"):
            raise BootstrapError(f"alert thumbnail answered {resp.status}")
    step(f"alert thumbnail through Home Assistant: {len(image)} bytes of JPEG")
    played: dict[str, Any] = await ws.command(
        "media_source/resolve_media", media_content_id=children[0]["media_content_id"]
    )
    if played.get("mime_type") != "application/vnd.apple.mpegurl":
        raise BootstrapError(f"resolved to {played.get('mime_type')}")
    url: str = played["url"]
    if not url.startswith("/api/rhombus/vod/"):
        raise BootstrapError("the alert did not resolve to the integration's proxy")
    async with client.session.get(f"{client.base_url}{url}") as resp:
        playlist = await resp.text()
        if resp.status != 200 or not playlist.startswith("#EXTM3U"):
            raise BootstrapError(f"the resolved playlist answered {resp.status}")
    segment = next(line for line in playlist.splitlines() if line[:1] == "/")
    async with client.session.get(f"{client.base_url}{segment}") as resp:
        if resp.status != 200 or (await resp.read())[:1] != b"\x47":
            raise BootstrapError(f"a proxied segment answered {resp.status}")
    if any(token in url + playlist for token in sim.federated_tokens):
        raise BootstrapError("a federated token left Home Assistant")
    segments = playlist.count("#EXTINF")
    step(
        f"alert resolved to Home Assistant's playlist of {segments} segments; "
        "one segment played through the proxy; no token in either"
    )
