"""The benchmark's simulator process: the fake Rhombus cloud, driven over stdio.

Runs in its own process so that its CPU is not charged to Home Assistant's
event loop. It prints one JSON line with the URLs and camera uuids, then
answers one JSON line per command read from stdin:

- ``{"op": "subscribed", "count": n}``: wait until ``n`` SUBSCRIBEs arrived.
- ``{"op": "send", "count": n, "rate": r, "stamps": bool}``: send ``n`` alert
  messages, a CREATE and its DELETE in turn (each one changes a sensor), at
  ``r`` per second (0: as fast as the socket takes them); ``stamps`` returns
  each message's wall-clock send time.
- ``{"op": "calls"}``: the REST calls so far, ``[time, path]`` each.
- ``{"op": "site_steps", "count": n, "interval": s}``: ``n`` ticks of the demo
  site's drift, ``s`` seconds apart: every climate sensor and E50 sends a
  CLIMATE_STATE message, and one door, room, button, sound or badge changes.
- ``{"op": "quit"}``.

Messages are the simulator's own nested alert bodies (``change_body`` and
``delete_body``) in the MESSAGE frames its broadcast writes, sent through its
sessions (``send_raw``). Alerts are not stored in its history, so a million
of them cost no memory here and REST has no details to give (the payloads
are complete, nothing should ask).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from typing import Any

from simulator import RhombusSimulator
from simulator.events import change_body, delete_body
from simulator.frames import encode_frame
from simulator.site_demo import SiteDrift, build_site
from simulator.site_world import CLIMATE_SENSOR, ENVIRONMENTAL_GATEWAY

# The sensors' trigger: MOTION_HUMAN is the real API's "person".
TRIGGERS = ("MOTION_HUMAN",)
# Send-time stamps are sampled this often (seconds) when not kept per message.
REQUEST_POLL = 0.2


class Driver:
    """Sends alert traffic on command and watches the REST calls."""

    def __init__(self, sim: RhombusSimulator) -> None:
        """Prepare one alert template per camera."""
        self.sim = sim
        self.templates = [
            sim.world.build_alert(
                uuid,
                TRIGGERS,
                alert_uuid="template",
                description=None,
                timestamp_ms=None,
                duration_sec=8,
            )
            for uuid in sim.cameras
        ]
        self.sequence = 0
        self.message_id = 0
        self.calls: list[tuple[float, str]] = []

    async def watch_requests(self) -> None:
        """Stamp each recorded REST request with the time it was seen."""
        seen = 0
        while True:
            requests = self.sim.requests
            now = time.time()
            self.calls.extend((now, request.path) for request in requests[seen:])
            seen = len(requests)
            await asyncio.sleep(REQUEST_POLL)

    def subscription(self) -> tuple[str, str]:
        """The (id, destination) of the latest SUBSCRIBE, for MESSAGE headers."""
        for frame in reversed(self.sim.received_frames):
            if frame.command == "SUBSCRIBE":
                return frame.headers["id"], frame.headers["destination"]
        raise RuntimeError("nobody subscribed")

    def frame(self, body: dict[str, Any], sub: tuple[str, str]) -> str:
        """The MESSAGE frame ``emit_change`` would send, byte for byte.

        The simulator's framing escapes headers character by character,
        which costs more than everything else it does per message; these
        header values need no escaping, so the frame is written directly
        (``check_framing`` proves it matches).
        """
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        self.message_id += 1
        return (
            f"MESSAGE\ndestination:{sub[1]}\nsubscription:{sub[0]}\n"
            f"message-id:{self.message_id}\ncontent-type:application/json\n"
            f"content-length:{len(text.encode())}\n\n{text}\x00"
        )

    def check_framing(self, sub: tuple[str, str]) -> None:
        """Fail unless :meth:`frame` writes what the simulator's codec writes."""
        body = change_body(self.templates[0], shape="nested", change_type="CREATE")
        mine = self.frame(body, sub)
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        headers = [
            ("destination", sub[1]),
            ("subscription", sub[0]),
            ("message-id", str(self.message_id)),
            ("content-type", "application/json"),
            ("content-length", str(len(text.encode()))),
        ]
        if mine != encode_frame("MESSAGE", headers, text):
            raise RuntimeError("bench framing differs from the simulator's")

    async def send(self, count: int, rate: float, *, stamps: bool) -> dict[str, Any]:
        """Send ``count`` messages at ``rate`` per second (0: flood)."""
        sim, templates = self.sim, self.templates
        sub = self.subscription()
        self.check_framing(sub)
        sent_at: list[float] = []
        alert: dict[str, Any] = {}
        started = time.time()
        base = time.perf_counter()
        for index in range(count):
            if rate and index % 8 == 0:  # pace in small batches, not per message
                ahead = index / rate - (time.perf_counter() - base)
                if ahead > 0.001:
                    await asyncio.sleep(ahead)
            if index % 2 == 0:
                self.sequence += 1
                alert = dict(templates[self.sequence % len(templates)])
                alert["uuid"] = f"bench-{self.sequence:012d}"
                alert["timestampMs"] = int(time.time() * 1000)
                body = change_body(alert, shape="nested", change_type="CREATE")
            else:
                body = delete_body(alert["uuid"], alert)
            text = self.frame(body, sub)
            if stamps:
                sent_at.append(time.time())
            if not await sim.send_raw(text):
                raise RuntimeError("no subscriber took the message")
        ended = time.time()
        reply: dict[str, Any] = {"sent": count, "started": started, "ended": ended}
        if stamps:
            reply["stamps"] = sent_at
        return reply


async def serve(args: argparse.Namespace) -> None:
    """Start the simulator, then answer commands until ``quit`` or EOF."""
    sim = RhombusSimulator(cameras=args.cameras, seed=args.seed, heartbeat_ms=0)
    build_site(sim, args.site_devices)
    await sim.start()
    driver = Driver(sim)
    watcher = asyncio.create_task(driver.watch_requests())
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), sys.stdin
    )
    hello = {
        "rest_url": sim.rest_url,
        "websocket_url": sim.websocket_url,
        "media_url": sim.media_url,
        "org_uuid": sim.org_uuid,
        "org_name": sim.org_name,
        "api_key": next(iter(sim.api_keys)),
        "cameras": list(sim.cameras),
        "site": [*sim.site.devices, *sim.site.doors],
    }
    reply(hello)
    try:
        while line := await reader.readline():
            command = json.loads(line)
            op = command["op"]
            if op == "quit":
                break
            if op == "subscribed":
                await sim.wait_for_subscription(command["count"], timeout=60)
                reply({"ok": True})
            elif op == "send":
                rate = float(command.get("rate", 0))
                stamps = bool(command.get("stamps", False))
                reply(await driver.send(command["count"], rate, stamps=stamps))
            elif op == "calls":
                reply({"calls": driver.calls})
            elif op == "site_steps":
                reply(await site_steps(sim, command["count"], command["interval"]))
            else:
                reply({"error": f"unknown op {op}"})
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
        await sim.stop()


async def site_steps(
    sim: RhombusSimulator, count: int, interval: float
) -> dict[str, Any]:
    """Drift the site ``count`` times; return how many climate messages it sent.

    Each tick sends one CLIMATE_STATE per climate sensor and E50 (and one
    door, room, button, sound or badge change besides).
    """
    drift = SiteDrift(sim, interval)
    climate = len(sim.site.of_kind(CLIMATE_SENSOR))
    gateways = len(sim.site.of_kind(ENVIRONMENTAL_GATEWAY))
    started = time.time()
    for index in range(count):
        await drift.step()
        if index < count - 1:
            await asyncio.sleep(interval)
    return {
        "started": started,
        "ended": time.time(),
        "climate_messages": count * climate,
        "gateway_messages": count * gateways,
    }


def reply(message: dict[str, Any]) -> None:
    """Write one JSON line to stdout."""
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> None:
    """Entry point: ``python scripts/bench_sim.py --cameras 1000``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cameras", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--site-devices", type=int, default=0)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
