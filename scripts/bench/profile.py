"""``--profile``: sample the benchmark's own process with py-spy on the hot path.

py-spy (requirements_bench.txt) runs beside the process, so the code under
test is not slowed by instrumentation. Its raw output (collapsed stacks) is
kept, and summarised as the functions with the most samples on top of the
stack ("self") and anywhere in it ("total").
"""

from __future__ import annotations

import asyncio
from collections import Counter
import os
from pathlib import Path
import re
import shutil
import signal
import sys
from types import TracebackType
from typing import Any, Self

SAMPLES_PER_SECOND = 1000
TOP = 15
# "function (path/to/file.py:123)" -> function and file, without the line.
_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^:()]*)(?::\d+)?\)$")
# Where an alert's time goes: a label and the frames (name prefixes) that
# count for it, each sample counted once per label.
COMPONENTS = (
    ("WebSocket receive (aiohttp)", ("ClientWebSocketResponse.receive",)),
    (
        "STOMP + JSON (+ ChangeEvent)",
        ("parse (", "loads (", "json_loads", "ChangeEvent.from_message"),
    ),
    ("bus event", ("RhombusHub._fire", "EventBus.async_fire (")),
    ("state writes (all)", ("Entity.async_write_ha_state", "StateMachine.async_set (")),
    # The integration's entity handler, or the same-work floor's.
    (
        "detection binary sensor",
        ("RhombusDetectionSensor._on_alert", "FloorSensor.set_on"),
    ),
    ("event entity", ("RhombusDetectionEvent._on_alert", "FloorEvent.fire")),
    ("image entity", ("RhombusAlertImage._on_alert", "FloorImage.show")),
)
# The hub's own work: what is under it but in none of the lines above.
HUB = ("hub's own routing (dedupe, lookups)", "RhombusHub._on_event")
# A sample waiting in epoll is the loop idling, not work.
_IDLE = "EpollSelector.select"
# Frames every sample goes through: the loop itself, not the work.
_PLUMBING = (
    "run_forever",
    "_run_once",
    "run_until_complete",
    "Runner.run",
    "Handle._run",
    "<module>",
    "main (",
    "RhombusEventStream._run ",
    "_connect_and_listen",
)


class Profiler:
    """Async context manager: py-spy records this process while it is open."""

    def __init__(self, output: str) -> None:
        """Write collapsed stacks to ``output``."""
        self.output = Path(output)
        self._process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> Self:
        """Attach py-spy and give it a moment to start sampling."""
        py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        try:
            self._process = await asyncio.create_subprocess_exec(
                py_spy,
                "record",
                "--pid",
                str(os.getpid()),
                "--rate",
                str(SAMPLES_PER_SECOND),
                "--format",
                "raw",
                "--nonblocking",
                "--output",
                str(self.output),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
        except FileNotFoundError:
            return self  # the summary says py-spy is missing; the run goes on
        await asyncio.sleep(1.0)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop py-spy; it writes its file on SIGINT."""
        if self._process is not None and self._process.returncode is None:
            self._process.send_signal(signal.SIGINT)
            await self._process.wait()

    def summary(self, us_per_alert: float) -> dict[str, Any]:
        """The top functions by self and total samples, and where an alert goes."""
        if not self.output.exists():
            return {"error": "py-spy wrote no profile (is it installed?)"}
        result = summarise(self.output.read_text(encoding="utf-8"))
        result["us_per_alert"] = us_per_alert
        return result


def _name(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if match is None:
        return frame.strip()
    file = match["file"]
    for marker in ("site-packages/", "/custom_components/", "/scripts/", "/lib/"):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    return f"{match['func']} ({file})"


def summarise(raw: str) -> dict[str, Any]:
    """Read py-spy's raw format: ``frame;frame;... count`` per line."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    parts: Counter[str] = Counter()
    samples = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_name(frame) for frame in stack.split(";")]
        if frames[-1].startswith(_IDLE):
            continue
        samples += count
        own[frames[-1]] += count
        for name in set(frames):
            if not any(part in name for part in _PLUMBING):
                total[name] += count
        counted = False
        for label, prefixes in COMPONENTS:
            if any(name.startswith(prefixes) for name in frames):
                parts[label] += count
                counted = True
        if not counted and any(name.startswith(HUB[1]) for name in frames):
            parts[HUB[0]] += count

    def top(counter: Counter[str]) -> list[tuple[str, float]]:
        return [
            (name, round(count / samples * 100, 1))
            for name, count in counter.most_common(TOP)
        ]

    share = {
        label: round(parts[label] / samples * 100, 1)
        for label in [label for label, _ in COMPONENTS] + [HUB[0]]
        if parts[label]
    }
    return {
        "samples": samples,
        "self": top(own),
        "total": top(total),
        "components": share,
    }
