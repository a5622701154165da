"""One benchmark role in its own process.

``floor`` (the raw floor), ``samework`` (the same-work floor), ``integration``,
``setup`` (timing only), and ``recorder`` (the recorder on, ``--of`` the
integration or the same-work floor: its cost per alert, the rate it sustains,
and the rate ladder against the latency limit).

Each role starts its own simulator process and its own Home Assistant core,
runs its phases and prints one JSON line of results on stdout; logs go to
stderr. ``scripts/bench`` runs the roles one after the other and prints the
table.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
import itertools
import json
import logging
from pathlib import Path
import sys
import tempfile
import time
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.runner import HassEventLoopPolicy

from scripts.bench.controls import control_calls, disable_controls
from scripts.bench.hass import (
    FloorClient,
    StreamClient,
    entity_count,
    integration_entry,
    person_sensors,
    running_hass,
)
from scripts.bench.ladder import latency_frozen, latency_ladder
from scripts.bench.phases import (
    SWEEP_RATES,
    SimProcess,
    Target,
    cpu_per_alert,
    latency,
    memory,
    send_and_wait,
    sweep,
)
from scripts.bench.profile import Profiler
from scripts.bench.recorder import backlog, cost_per_alert, enable_recorder
from scripts.bench.samework import SameWorkFloor
from scripts.bench.site import SITE_PATHS, site_figures

CAMERA_LIST = "/api/camera/getMinimalCameraStateList"
# The site-action services' own polls (once a minute at most): not alert costs.
SERVICE_POLLS = frozenset(
    {
        "/api/location/getLocations",
        "/api/alertmonitoring/orgStatus",
        "/api/accesscontrol/lockdownPlan/findLocationLockdownStates",
        "/api/accesscontrol/lockdownPlan/findLockdownPlansByLocation",
        "/api/policy/getPolicyPauseSettings",
        "/api/audioplayback/getAudioUploadMetadataForOrg",
    }
)
LATENCY_RATE = 500.0
# Long enough to see whether the camera list is fetched more than once per
# refresh interval (300 s) in a full run.
REST_WINDOW_SECONDS = 305.0
# The recorder's thread shares the interpreter: start the sweep lower.
RECORDER_RATES = (250, 500, *SWEEP_RATES)


async def run_phases(
    sim: SimProcess, target: Target, args: argparse.Namespace
) -> dict[str, Any]:
    """The measurements both the floor and the integration get."""
    results: dict[str, Any] = {}
    await send_and_wait(sim, target, args.warmup, 0)
    results["cpu"] = await cpu_per_alert(sim, target, args.cpu_alerts, args.cpu_rate)
    results["flood"] = await cpu_per_alert(sim, target, args.cpu_alerts, 0)
    results["sweep"] = await sweep(sim, target, args.step_seconds, SWEEP_RATES)
    results["latency"] = await latency(sim, target, LATENCY_RATE, args.latency_seconds)
    results["latency_frozen"] = await latency_frozen(
        sim, target, LATENCY_RATE, args.latency_seconds
    )
    return results


async def profile(
    sim: SimProcess, target: Target, args: argparse.Namespace
) -> dict[str, Any]:
    """Sample this process with py-spy while alerts flood in."""
    async with Profiler(args.profile_out) as profiler:
        _answer, cpu, _done = await send_and_wait(sim, target, args.profile_alerts, 0)
    return profiler.summary(cpu / args.profile_alerts * 1e6)


async def start_floor(
    hass: HomeAssistant, sim: SimProcess, kind: str
) -> tuple[StreamClient, Target]:
    """Connect the raw or the same-work floor to ``sim``."""
    client: StreamClient
    if kind == "samework":
        client = SameWorkFloor(hass, sim.info)
        await client.add_entities()
    else:
        client = FloorClient(hass, sim.info)
    await client.start()
    await sim.call("subscribed", count=1)
    return client, Target(hass, lambda: client.processed, client.sensor_ids)


async def floor(hass: HomeAssistant, args: argparse.Namespace) -> dict[str, Any]:
    """A floor (``args.role``): the least an integration must do per alert."""
    sim = await SimProcess.start(args.cameras)
    client: StreamClient | None = None
    try:
        client, target = await start_floor(hass, sim, args.role)
        results = await run_phases(sim, target, args)
        if args.profile_out:
            results["profile"] = await profile(sim, target, args)
        return results
    finally:
        if client is not None:
            await client.stop()
        await sim.close()


async def setup_integration(
    hass: HomeAssistant, sim: SimProcess
) -> tuple[str, dict[str, Any]]:
    """Set the integration up against ``sim``; return its entry id and timings."""
    entry = integration_entry(sim.info)
    entry.add_to_hass(hass)
    disable_controls(hass, entry, sim.info["cameras"])
    started = time.perf_counter()
    if not await hass.config_entries.async_setup(entry.entry_id):
        raise RuntimeError("the integration did not set up")
    await hass.async_block_till_done()
    loaded = time.perf_counter()
    await sim.call("subscribed", count=1)
    streaming = time.perf_counter()
    entities, enabled = entity_count(hass, entry.entry_id)
    return entry.entry_id, {
        "cameras": len(sim.info["cameras"]),
        "site_devices": len(sim.info["site"]),
        "seconds": streaming - started,
        "loaded_seconds": loaded - started,
        "entities": entities,
        "enabled": enabled,
        "states": len(hass.states.async_entity_ids("binary_sensor")),
    }


async def setup_only(hass: HomeAssistant, args: argparse.Namespace) -> dict[str, Any]:
    """Time the setup of ``args.cameras`` cameras, nothing else."""
    sim = await SimProcess.start(args.cameras)
    try:
        entry_id, timings = await setup_integration(hass, sim)
        await hass.config_entries.async_unload(entry_id)
        return {"setup": timings}
    finally:
        await sim.close()


async def integration(hass: HomeAssistant, args: argparse.Namespace) -> dict[str, Any]:
    """Set up a site (cameras and other devices), every phase, then REST counts."""
    sim = await SimProcess.start(args.cameras, args.site_devices)
    entry_id = ""
    try:
        entry_id, timings = await setup_integration(hass, sim)
        window_start = time.time()
        hub = hass.config_entries.async_get_entry(entry_id).runtime_data.hub  # type: ignore[union-attr]
        stats = hub.stream.stats
        handled = stats.messages
        target = Target(hass, lambda: stats.messages)
        target.sensor_ids = set(person_sensors(hass, sim.info["cameras"]).values())
        results: dict[str, Any] = {"setup": timings}
        results.update(await run_phases(sim, target, args))
        results["memory"] = await memory(
            sim, target, args.memory_alerts, args.memory_warmup
        )
        if args.full and (rest := REST_WINDOW_SECONDS - (time.time() - window_start)):
            # A trickle keeps the stream busy while the window fills.
            await keep_busy(sim, target, rest)
        results["rest"] = await rest_calls(sim, window_start, stats.messages - handled)
        if args.site_devices:
            results["site"] = await site_figures(hass, sim, entry_id, results["rest"])
        results["alert_log"] = len(hub.alerts)
        if args.profile_out:
            results["profile"] = await profile(sim, target, args)
        return results
    finally:
        if entry_id:
            await hass.config_entries.async_unload(entry_id)
        await sim.close()


async def keep_busy(sim: SimProcess, target: Target, seconds: float) -> None:
    """Send 20 alerts a second for ``seconds``."""
    if seconds > 0:
        await send_and_wait(sim, target, int(seconds * 20) // 2 * 2, 20)


async def rest_calls(
    sim: SimProcess, window_start: float, alerts: int
) -> dict[str, Any]:
    """REST calls after setup, by path, against the alerts handled meanwhile.

    "other" counts what is neither the camera list, a site list call nor a
    site-action service's poll: what alerts cost (nothing, when their payloads
    are complete).
    """
    calls = [(at, path) for at, path in (await sim.call("calls"))["calls"]]
    after = [path for at, path in calls if at >= window_start]
    lists = sorted(at for at, path in calls if path == CAMERA_LIST)
    gaps = [b - a for a, b in itertools.pairwise(lists)]
    polled = sum(
        1
        for path in after
        if path == CAMERA_LIST or path in SITE_PATHS or path in SERVICE_POLLS
    )
    return {
        "window_start": window_start,
        "window_seconds": time.time() - window_start,
        "calls": calls,
        "alerts": alerts,
        "camera_list": after.count(CAMERA_LIST),
        "other": len(after) - polled,
        "min_camera_list_gap": min(gaps) if gaps else None,
        "controls": control_calls(calls, len(sim.info["cameras"])),
    }


async def recorder(hass: HomeAssistant, args: argparse.Namespace) -> dict[str, Any]:
    """The recorder on: cost per alert, sustained rate, the latency ladder."""
    path = await enable_recorder(hass, args.config_dir)
    sim = await SimProcess.start(args.cameras)
    client: StreamClient | None = None
    entry_id = ""
    try:
        if args.of == "integration":
            entry_id, _timings = await setup_integration(hass, sim)
            stats = hass.config_entries.async_get_entry(
                entry_id
            ).runtime_data.hub.stream.stats  # type: ignore[union-attr]
            target = Target(hass, lambda: stats.messages)
            target.sensor_ids = set(person_sensors(hass, sim.info["cameras"]).values())
        else:
            client, target = await start_floor(hass, sim, "samework")
        await send_and_wait(sim, target, args.warmup, 0)
        results: dict[str, Any] = {
            "db": await cost_per_alert(hass, path, sim, target, args.db_alerts)
        }
        target.backlog = lambda: backlog(hass)
        results["sweep"] = await sweep(sim, target, args.step_seconds, RECORDER_RATES)
        results["ladder"] = await latency_ladder(sim, target, args.ladder_seconds)
        return results
    finally:
        if client is not None:
            await client.stop()
        if entry_id:
            await hass.config_entries.async_unload(entry_id)
        await sim.close()


ROLES: dict[str, Callable[[HomeAssistant, argparse.Namespace], Awaitable[Any]]] = {
    "floor": floor,
    "samework": floor,
    "integration": integration,
    "setup": setup_only,
    "recorder": recorder,
}


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    """Run one role in a fresh core under a temporary config directory."""
    with tempfile.TemporaryDirectory(prefix="rhombus-bench-") as config_dir:
        args.config_dir = Path(config_dir)
        async with running_hass(args.config_dir) as hass:
            result: dict[str, Any] = await ROLES[args.role](hass, args)
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Options; ``scripts/bench`` passes the counts for --quick or a full run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("role", choices=sorted(ROLES))
    parser.add_argument("--cameras", type=int, default=1000)
    parser.add_argument("--site-devices", type=int, default=0)
    parser.add_argument("--warmup", type=int, default=4000)
    parser.add_argument("--cpu-alerts", type=int, default=40_000)
    parser.add_argument("--cpu-rate", type=float, default=4000)
    parser.add_argument("--step-seconds", type=float, default=2.0)
    parser.add_argument("--latency-seconds", type=float, default=10.0)
    parser.add_argument("--memory-alerts", type=int, default=1_000_000)
    parser.add_argument("--memory-warmup", type=int, default=30_000)
    parser.add_argument("--profile-alerts", type=int, default=100_000)
    parser.add_argument("--profile-out", default="")
    parser.add_argument(
        "--of", choices=("integration", "samework"), default="integration"
    )
    parser.add_argument("--db-alerts", type=int, default=10_000)
    parser.add_argument("--ladder-seconds", type=float, default=4.0)
    parser.add_argument("--full", action="store_true")
    return parser.parse_args(argv)


def main() -> None:
    """Entry point for ``scripts/bench``'s child processes."""
    args = parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    runner = asyncio.Runner(loop_factory=HassEventLoopPolicy(False).new_event_loop)  # noqa: FBT003
    with runner:
        result = runner.run(main_async(args))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
