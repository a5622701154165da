"""The benchmark's measurements, shared by the floor and the integration.

Each phase asks the simulator process for traffic and watches Home Assistant
from inside its own event loop: CPU is the loop thread's own time
(``time.thread_time``), so the simulator, in another process, is not counted.
Polling for completion is slow (50 ms) while traffic flows and fine (1 ms) only
once the simulator says it has sent everything, so the watching costs next to
nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
import gc
import json
from pathlib import Path
import statistics
import sys
import time
from typing import Any, Self

from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback

from scripts import REPO_ROOT

# A rate is sustained when the simulator kept this share of it and Home
# Assistant finished the last message this soon after it was sent.
RATE_KEPT = 0.97
MAX_DRAIN_SECONDS = 0.05
# ... and the recorder, when on, had no more than this share of the step queued.
BACKLOG_KEPT = 0.5
SWEEP_RATES = (
    1000, 2000, 3000, 4000, 5000, 6000, 6500, 7000, 8000, 9000, 10000,
    11500, 13000, 15000, 17500, 20000, 25000,
)  # fmt: skip


class SimProcess:
    """The simulator in a child process, spoken to in JSON lines."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        """Wrap a started ``bench_sim.py``; read its hello with :meth:`hello`."""
        self.process = process
        self.info: dict[str, Any] = {}

    @classmethod
    async def start(cls, cameras: int, site_devices: int = 0) -> SimProcess:
        """Start the simulator with ``cameras`` (and a site); wait for its URLs."""
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "scripts.bench.sim",
            "--cameras",
            str(cameras),
            "--site-devices",
            str(site_devices),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=64 * 1024 * 1024,
            cwd=REPO_ROOT,
        )
        sim = cls(process)
        sim.info = await sim._read()
        return sim

    async def call(self, op: str, **args: Any) -> dict[str, Any]:
        """Send one command and wait for its answer."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"op": op, **args}).encode() + b"\n")
        await self.process.stdin.drain()
        return await self._read()

    async def close(self) -> None:
        """Ask the simulator to stop and wait for it."""
        if self.process.returncode is None:
            assert self.process.stdin is not None
            self.process.stdin.write(b'{"op": "quit"}\n')
            await self.process.stdin.drain()
            await self.process.wait()

    async def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError("the simulator process ended")
        answer: dict[str, Any] = json.loads(line)
        return answer


@dataclass
class Target:
    """What is measured: a core and a count of the alerts it has handled."""

    hass: HomeAssistant
    processed: Callable[[], int]
    sensor_ids: set[str] = field(default_factory=set)
    # Work queued elsewhere that a sustained rate must also keep up with.
    backlog: Callable[[], int] | None = None


async def wait_processed(target: Target, count: int, *, fine: bool) -> float:
    """Wait until ``count`` alerts were handled; return the wall-clock time."""
    poll = 0.001 if fine else 0.05
    deadline = time.monotonic() + 120
    while target.processed() < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"handled {target.processed()} of {count} alerts")
        await asyncio.sleep(poll)
    return time.time()


async def send_and_wait(
    sim: SimProcess, target: Target, count: int, rate: float, *, stamps: bool = False
) -> tuple[dict[str, Any], float, float]:
    """Send ``count`` alerts; return the simulator's answer, CPU seconds, done time."""
    goal = target.processed() + count
    cpu = time.thread_time()
    answer = await sim.call("send", count=count, rate=rate, stamps=stamps)
    done = await wait_processed(target, goal, fine=True)
    return answer, time.thread_time() - cpu, done


async def cpu_per_alert(
    sim: SimProcess, target: Target, count: int, rate: float
) -> dict[str, Any]:
    """Event-loop CPU per alert at a steady ``rate`` (0: as fast as possible)."""
    answer, cpu, done = await send_and_wait(sim, target, count, rate)
    return {
        "count": count,
        "rate": rate,
        "us_per_alert": cpu / count * 1e6,
        "seconds": done - answer["started"],
    }


async def sweep(
    sim: SimProcess, target: Target, seconds: float, rates: tuple[int, ...]
) -> dict[str, Any]:
    """Raise the rate until Home Assistant or the simulator falls behind."""
    steps: list[dict[str, Any]] = []
    best = 0
    sim_bound = False
    for rate in rates:
        for _attempt in range(2):  # a failure is retried once: the CPU is shared
            count = max(int(rate * seconds) // 2 * 2, 2)
            answer, cpu, done = await send_and_wait(sim, target, count, rate)
            achieved = count / max(answer["ended"] - answer["started"], 1e-9)
            drain = max(done - answer["ended"], 0.0)
            step = {
                "rate": rate,
                "achieved": achieved,
                "drain_ms": drain * 1000,
                "us_per_alert": cpu / count * 1e6,
                "ok": achieved >= rate * RATE_KEPT and drain <= MAX_DRAIN_SECONDS,
            }
            if target.backlog is not None:
                step["backlog"] = target.backlog()
                step["ok"] = step["ok"] and step["backlog"] <= count * BACKLOG_KEPT
            steps.append(step)
            if step["ok"]:
                break
            await asyncio.sleep(0.5)
        if not step["ok"]:
            # Home Assistant kept up with all that came: the sender was the limit.
            sim_bound = drain <= MAX_DRAIN_SECONDS and (
                step.get("backlog", 0) <= count * BACKLOG_KEPT
            )
            if sim_bound:
                best = max(best, int(achieved))
            break
        best = rate
    return {"steps": steps, "max_rate": best, "sim_bound": sim_bound}


async def latency(
    sim: SimProcess, target: Target, rate: float, seconds: float
) -> dict[str, Any]:
    """Send time to the sensor's state change, for every message at ``rate``."""
    changed: list[float] = []
    sensors = target.sensor_ids

    @callback
    def on_change(event: Event[EventStateChangedData]) -> None:
        if (state := event.data["new_state"]) is not None:
            changed.append(state.last_changed_timestamp)

    @callback
    def is_sensor(data: EventStateChangedData) -> bool:
        return data["entity_id"] in sensors

    remove = target.hass.bus.async_listen(
        EVENT_STATE_CHANGED, on_change, event_filter=is_sensor
    )
    try:
        count = int(rate * seconds) // 2 * 2
        with GcWatch() as watch:
            answer, _cpu, _done = await send_and_wait(
                sim, target, count, rate, stamps=True
            )
    finally:
        remove()
    sent: list[float] = answer["stamps"]
    if len(changed) != len(sent):
        return {"error": f"{len(changed)} state changes for {len(sent)} messages"}
    delays = sorted((c - s) * 1000 for c, s in zip(changed, sent, strict=True))
    return {
        "count": len(delays),
        "p50_ms": statistics.median(delays),
        "p99_ms": delays[int(len(delays) * 0.99) - 1],
        "max_ms": delays[-1],
        **watch.summary(),
    }


class GcWatch:
    """Times the garbage collector's passes while a phase runs.

    A full (oldest-generation) pass walks every tracked object of the process,
    so its pause grows with the whole Home Assistant instance; a young pass
    grows with the objects that outlived the last one (states, contexts,
    remembered alerts).
    """

    def __init__(self) -> None:
        """Not watching until entered."""
        self.full: list[float] = []
        self.young: list[float] = []
        self._started = 0.0

    def __enter__(self) -> Self:
        """Start timing collections."""
        gc.callbacks.append(self._on_gc)
        return self

    def __exit__(self, *_: object) -> None:
        """Stop timing."""
        gc.callbacks.remove(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        pause = (time.perf_counter() - self._started) * 1000
        (self.full if info["generation"] == 2 else self.young).append(pause)

    def summary(self) -> dict[str, Any]:
        """How many full passes, and the longest full and young pause (ms)."""
        return {
            "full_gc": len(self.full),
            "full_gc_ms": max(self.full, default=0),
            "young_gc_ms": max(self.young, default=0),
        }


def rss_kib() -> int:
    """Resident memory of this process, after a full collection."""
    gc.collect()
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def memory(
    sim: SimProcess, target: Target, count: int, warmup: int
) -> dict[str, Any]:
    """Resident memory before and after ``count`` alerts sent as fast as possible."""
    chunk = 100_000
    await send_and_wait(sim, target, warmup, 0)
    before = rss_kib()
    cpu = 0.0
    started = time.time()
    with GcWatch() as watch:
        for offset in range(0, count, chunk):
            _answer, seconds, _done = await send_and_wait(
                sim, target, min(chunk, count - offset), 0
            )
            cpu += seconds
    elapsed = time.time() - started
    after = rss_kib()
    return {
        "count": count,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "growth_pct": (after - before) / before * 100,
        "us_per_alert": cpu / count * 1e6,
        "rate": count / elapsed,
        "objects": len(gc.get_objects()),
        **watch.summary(),
    }
