"""Start and stop the real processes: Home Assistant and the Rhombus simulator.

Shared by scripts/develop and scripts/smoke. Each child runs in its own session
so a terminal's Ctrl-C reaches only the driver, which then stops them in order.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
import os
from pathlib import Path
import re
import signal
import socket
import sys
import time
from typing import Any

from scripts import REPO_ROOT
from scripts.hass.bootstrap import BootstrapError, CloudEndpoints

DEFAULT_SIM_API_KEY = "sim-api-key"

# Lean on purpose: bootstrap adds Home Assistant's default integrations anyway.
_CONFIGURATION = """\
# Written by scripts/{writer}; rewritten on every run, edits are lost.
homeassistant:
  name: Rhombus development
  unit_system: metric
  time_zone: UTC
  country: US
  latitude: 0
  longitude: 0
  elevation: 0
frontend:
config:
http:
  server_host: 127.0.0.1
  server_port: {port}
history:
logbook:
logger:
  default: {default_level}
  logs:
    custom_components.rhombus: debug
"""

_BACKGROUND: set[asyncio.Task[None]] = set()
_LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ (?P<level>[A-Z]+) ")
# Home Assistant's frame helper ("Detected that custom integration ... will stop
# working in ...") and deprecation warnings.
_DEPRECATION = re.compile(
    r"will stop working|deprecat|detected that custom integration", re.IGNORECASE
)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def write_configuration(
    config_dir: Path, port: int, *, writer: str, default_level: str = "info"
) -> None:
    """Write configuration.yaml and link the integration into custom_components."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "configuration.yaml").write_text(
        _CONFIGURATION.format(writer=writer, port=port, default_level=default_level)
    )
    link = config_dir / "custom_components" / "rhombus"
    link.parent.mkdir(exist_ok=True)
    target = REPO_ROOT / "custom_components" / "rhombus"
    if link.is_symlink() and link.resolve() == target:
        return
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target, target_is_directory=True)


async def start_hass(config_dir: Path, output: Path) -> asyncio.subprocess.Process:
    """Start `hass` on a config dir; its console output goes to a file."""
    with output.open("wb") as sink:
        # --skip-pip: what hass needs is installed up front (requirements_develop.txt),
        # so a run never reaches for the network behind the developer's back.
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "homeassistant",
            "--config",
            str(config_dir),
            "--skip-pip",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=sink,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
            # Not the repo root: its custom_components package would shadow the link.
            cwd=config_dir,
        )


async def stop_process(
    process: asyncio.subprocess.Process, name: str, seconds: float = 30
) -> int | None:
    """Ask a child to stop (SIGTERM), kill it if it will not; return its exit code."""
    if process.returncode is not None:
        return process.returncode
    with suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        return await asyncio.wait_for(process.wait(), seconds)
    except TimeoutError:
        print(f"  {name} did not stop within {seconds:.0f}s: killing it")
        with suppress(ProcessLookupError):
            process.kill()
        return await process.wait()


async def start_simulator(
    port: int,
    cameras: int,
    alerts_per_minute: float,
    output: Path,
    extra_args: tuple[str, ...] = (),
) -> tuple[asyncio.subprocess.Process, CloudEndpoints]:
    """Run `python -m simulator` and read its endpoints from what it prints."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-u",
        "-m",
        "simulator",
        "--cameras",
        str(cameras),
        "--alerts-per-minute",
        str(alerts_per_minute),
        "--port",
        str(port),
        *extra_args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
        cwd=REPO_ROOT,
    )
    assert process.stdout is not None
    banner: list[str] = []
    try:
        async with asyncio.timeout(20):
            while (cloud := parse_simulator_banner(banner)) is None:
                line = await process.stdout.readline()
                if not line:
                    break
                banner.append(line.decode(errors="replace").rstrip())
    except TimeoutError:
        cloud = None
    if cloud is None:
        await stop_process(process, "simulator", 5)
        shown = "\n    ".join(banner[-20:]) or "(nothing)"
        raise BootstrapError(
            f"simulator did not print its endpoints; it said:\n    {shown}"
        )
    # Keep draining its output so a full pipe never blocks it.
    drain = asyncio.get_running_loop().create_task(
        _drain(process.stdout, output, banner)
    )
    _BACKGROUND.add(drain)
    drain.add_done_callback(_BACKGROUND.discard)
    return process, cloud


async def _drain(stream: asyncio.StreamReader, output: Path, banner: list[str]) -> None:
    with output.open("w") as sink:
        sink.write("\n".join(banner) + "\n")
        while line := await stream.readline():
            sink.write(line.decode(errors="replace"))
            sink.flush()


_URL = re.compile(r"\b(?:https?|wss?)://[^\s'\"<>,]+")


def parse_simulator_banner(lines: list[str]) -> CloudEndpoints | None:
    """Find the REST, WebSocket and media URLs and the key in the simulator banner."""
    rest = websocket = media = None
    api_key = DEFAULT_SIM_API_KEY
    for line in lines:
        lowered = line.lower()
        if "key" in lowered and (key := re.search(r"key\W+([\w.-]+)\s*$", line)):
            api_key = key.group(1)
        for found in _URL.findall(line):
            url = found.rstrip(".)")
            if url.startswith("ws"):
                websocket = websocket or url
            elif "media" in lowered or "/media" in url:
                media = media or url
            elif "rest" in lowered or "api" in lowered:
                rest = rest or url
    if rest and websocket and media:
        return CloudEndpoints(
            api_key=api_key, rest_url=rest, websocket_url=websocket, media_url=media
        )
    return None


def _log_records(log_file: Path) -> list[tuple[str | None, str]]:
    """Split a hass log into (level, text) records; level None: head unparsed."""
    records: list[list[str]] = []
    for line in log_file.read_text(errors="replace").splitlines():
        if _LOG_RECORD.match(line) or not records:
            records.append([line])
        else:
            records[-1].append(line)
    return [
        (
            head["level"] if (head := _LOG_RECORD.match(lines[0])) else None,
            "\n".join(lines),
        )
        for lines in records
    ]


def log_problems(log_file: Path, needles: tuple[str, ...] = ("rhombus",)) -> list[str]:
    """Return the ERROR records, tracebacks and deprecation reports naming a needle."""
    problems = []
    for level, text in _log_records(log_file):
        serious = (
            level in {"ERROR", "CRITICAL"}
            or "Traceback (most recent call last)" in text
            or (level == "WARNING" and _DEPRECATION.search(text) is not None)
        )
        if serious and any(needle in text for needle in needles):
            problems.append(text)
    return problems


def log_mentions(log_file: Path, needle: str = "rhombus") -> int:
    """Count the well-formed records naming a needle (log_problems sees those)."""
    return sum(1 for level, text in _log_records(log_file) if level and needle in text)


class LogTail:
    """Read the lines appended to a log file since the last call."""

    def __init__(self, path: Path) -> None:
        """Start at the file's current end."""
        self._path = path
        self._position = path.stat().st_size if path.exists() else 0

    def new_lines(self) -> list[str]:
        """Return the complete lines written since the previous call."""
        with suppress(FileNotFoundError), self._path.open("rb") as log:
            log.seek(self._position)
            chunk = log.read()
            complete = chunk[: chunk.rfind(b"\n") + 1]
            self._position += len(complete)
            return complete.decode(errors="replace").splitlines()
        return []


def describe_event(event: dict[str, Any]) -> str:
    """One console line for a rhombus_event from the WebSocket API."""
    data: dict[str, Any] = event.get("data", {})
    when = time.strftime("%H:%M:%S")
    kinds = ", ".join(data.get("detections") or ()) or "-"
    triggers = ",".join(data.get("triggers") or ())
    replayed = " (replayed)" if data.get("replayed") else ""
    return (
        f"  {when} {data.get('change_type', '?'):<7} {data.get('camera_name')!s:<22} "
        f"{kinds:<16} [{triggers}]{replayed}"
    )
