"""The smoke test's media-browser step: browse and play over the WebSocket API.

Browses ``media-source://rhombus`` down to a camera's alerts as the frontend
does, loads one alert's thumbnail through Home Assistant (a signed path, no
Rhombus key), resolves the newest alert and fetches the playlist it names and
a segment of it, through Home Assistant, with no federated token in sight.
"""

from __future__ import annotations

import asyncio
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


async def _browse_root(ws: HassWebSocket) -> tuple[dict[str, Any], float]:
    """Browse the root once Home Assistant has registered the media source.

    An entry added through the config flow has its ``media_source`` platform
    imported by a task on Home Assistant's import executor, after the flow has
    answered; on a busy machine a browse can beat it ("Unknown media source").
    """
    start = time.monotonic()
    while True:
        try:
            return await _browse(ws, ROOT), time.monotonic() - start
        except BootstrapError as err:
            if "Unknown media source" not in str(err) or time.monotonic() - start > 30:
                raise
        await asyncio.sleep(0.1)


async def check_media_browser(
    client: HassClient,
    ws: HassWebSocket,
    sim: Any,
    step: Callable[[str], None],
) -> None:
    """Browse entry → camera → alerts, load a thumbnail, resolve and fetch one."""
    camera_uuid, camera = next(iter(sim.cameras.items()))
    sim.add_alert_history(camera_uuid, 500, newest_ms=int(time.time() * 1000) - HOUR_MS)
    root, waited = await _browse_root(ws)
    accounts = root.get("children") or []
    if len(accounts) != 1:
        raise BootstrapError(f"media browser root lists {len(accounts)} accounts")
    step(f"media source answered after {waited:.1f}s waiting for its registration")
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
