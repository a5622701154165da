"""``python -m scripts.bench.live_start``: a live view's start, direct and proxied.

What Home Assistant's stream worker does when a live view opens: fetch the
source playlist, then its newest segment. Before the proxy, the source was
the media host's URL with the federated token in it; now it is the camera's
``stream_source`` (the integration's live playlist on loopback, signed), and
the proxy adds the token server side. Both are timed against the same
simulator from a plain aiohttp client (as ffmpeg would fetch), alternating,
in a real Home Assistant core serving HTTP on loopback. A figure to read,
not a pass/fail test.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import socket
import statistics
import tempfile
import time
from typing import Any
from urllib.parse import urljoin

import aiohttp
from homeassistant.components import camera
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

from scripts.bench.hass import DOMAIN, integration_entry, running_hass
from simulator import RhombusSimulator

RUNS = 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _start(http: aiohttp.ClientSession, playlist_url: str) -> float:
    """Seconds to get the playlist and its newest segment."""
    started = time.perf_counter()
    async with http.get(playlist_url) as resp:
        resp.raise_for_status()
        text = await resp.text()
    segment = [line for line in text.splitlines() if line and line[0] != "#"][-1]
    async with http.get(urljoin(playlist_url, segment)) as resp:
        resp.raise_for_status()
        if (await resp.read())[:1] != b"\x47":
            raise RuntimeError("not a transport stream segment")
    return time.perf_counter() - started


def _figure(values: list[float]) -> str:
    ms = sorted(value * 1000 for value in values)
    p90 = ms[max(int(len(ms) * 0.9) - 1, 0)]
    return f"median {statistics.median(ms):5.1f} ms, p90 {p90:5.1f} ms"


async def _direct_url(http: aiohttp.ClientSession, sim: RhombusSimulator) -> str:
    """The old stream source: the live URI with a token in its query."""
    key = {"x-auth-scheme": "api-token", "x-auth-apikey": next(iter(sim.api_keys))}

    async def rest(path: str, body: dict[str, Any]) -> dict[str, Any]:
        async with http.post(f"{sim.rest_url}/api/{path}", json=body, headers=key) as r:
            data: dict[str, Any] = await r.json()
            return data

    camera_uuid = next(iter(sim.cameras))
    uris = await rest("camera/getMediaUris", {"cameraUuid": camera_uuid})
    token = await rest("org/generateFederatedSessionToken", {"durationSec": 600})
    return (
        f"{uris['wanLiveM3u8Uri']}?x-auth-scheme=federated-token"
        f"&x-auth-ft={token['federatedSessionToken']}"
    )


async def main() -> None:
    """Set up, time both ways, print."""
    sim = RhombusSimulator(cameras=1, seed=7, heartbeat_ms=0)
    await sim.start()
    port = _free_port()
    try:
        with tempfile.TemporaryDirectory() as config_dir:
            async with running_hass(Path(config_dir)) as hass:
                http_conf = {"server_host": ["127.0.0.1"], "server_port": port}
                assert await async_setup_component(hass, "http", {"http": http_conf})
                await hass.async_start()
                entry = integration_entry(
                    {
                        "org_name": sim.org_name,
                        "org_uuid": sim.org_uuid,
                        "api_key": next(iter(sim.api_keys)),
                        "rest_url": sim.rest_url,
                        "websocket_url": sim.websocket_url,
                        "media_url": sim.media_url,
                    }
                )
                entry.add_to_hass(hass)
                assert await hass.config_entries.async_setup(entry.entry_id)
                await hass.async_block_till_done()
                camera_uuid = next(iter(sim.cameras))
                entity_id = er.async_get(hass).async_get_entity_id(
                    "camera", DOMAIN, f"{camera_uuid}_camera"
                )
                assert entity_id is not None
                async with aiohttp.ClientSession() as http:
                    await _report(hass, http, sim, entity_id)
                assert await hass.config_entries.async_unload(entry.entry_id)
    finally:
        await sim.stop()


async def _report(
    hass: Any, http: aiohttp.ClientSession, sim: RhombusSimulator, entity_id: str
) -> None:
    # Cold: the first open, token and live URI not yet fetched.
    started = time.perf_counter()
    proxied = await camera.async_get_stream_source(hass, entity_id)
    assert proxied is not None
    cold_proxy = time.perf_counter() - started + await _start(http, proxied)
    started = time.perf_counter()
    direct = await _direct_url(http, sim)
    cold_direct = time.perf_counter() - started + await _start(http, direct)
    runs: dict[str, list[float]] = {"direct": [], "proxy": []}
    for _ in range(RUNS):
        runs["direct"].append(await _start(http, direct))
        runs["proxy"].append(await _start(http, proxied))
    print(f"Live start: playlist + newest segment, {RUNS} runs each, on loopback")
    print(f"  direct (token in the URL): {_figure(runs['direct'])}")
    print(f"  through the proxy:         {_figure(runs['proxy'])}")
    print(
        f"  cold first open (token and live URI fetched): direct "
        f"{cold_direct * 1000:.1f} ms, proxy {cold_proxy * 1000:.1f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
