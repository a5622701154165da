"""``python -m scripts.bench``: the alert path, the recorder, startup and memory.

Each role runs in a fresh process with its own simulator process (see
runner.py): the raw floor (a bare handler in the same Home Assistant core), the
same-work floor (the integration's three state changes and bus event through
minimal entities), the setup of 50 and 500 cameras, the integration with a
site of 1,000 cameras and 500 other devices, then the recorder on for the
same-work floor and the integration. The targets come first, each figure
beside its target and the same-work floor's.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import platform
import subprocess
import sys
import time
from typing import Any

from scripts import REPO_ROOT
from scripts.bench.report import print_report
from scripts.bench.site import SITE_DEVICES

QUICK = [
    "--warmup=2000",
    "--cpu-alerts=10000",
    "--step-seconds=1",
    "--latency-seconds=4",
    "--memory-alerts=20000",
    "--memory-warmup=20000",
    "--profile-alerts=30000",
    "--ladder-seconds=2",
    "--db-alerts=2000",
]
FULL = ["--full"]
SETUP_SIZES = (50, 500)
# The recorder's figures: 10,000 alerts over this many cameras.
RECORDER_CAMERAS = 100


def run_role(role: str, *extra: str) -> dict[str, Any]:
    """Run one role in a child process and return its JSON result."""
    started = time.monotonic()
    print(f"... {role} {' '.join(extra)}", file=sys.stderr, flush=True)
    done = subprocess.run(
        [sys.executable, "-m", "scripts.bench.runner", role, *extra],
        stdout=subprocess.PIPE,
        check=True,
        text=True,
        cwd=REPO_ROOT,
    )
    lines = done.stdout.strip().splitlines()
    result: dict[str, Any] = json.loads(lines[-1])
    result["elapsed"] = time.monotonic() - started
    return result


def machine() -> str:
    """CPU model, cores, Python and Home Assistant versions, load at start."""
    model = "unknown CPU"
    with Path("/proc/cpuinfo").open(encoding="ascii", errors="replace") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    from homeassistant.const import __version__ as ha_version  # noqa: PLC0415

    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{model}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"Home Assistant {ha_version}; load average at start {load}"
    )


def main() -> None:
    """Parse the options, run every role, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small counts: a check of the machinery"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also sample the floor and the integration with py-spy",
    )
    args = parser.parse_args()
    counts = QUICK if args.quick else FULL
    started = time.monotonic()
    header = machine()
    profile: dict[str, list[str]] = {"floor": [], "samework": [], "integration": []}
    if args.profile:
        for role in profile:
            profile[role] = [f"--profile-out=/tmp/rhombus-bench-{role}.pyspy.txt"]
    floor = run_role("floor", *counts, *profile["floor"])
    samework = run_role("samework", *counts, *profile["samework"])
    setups = [run_role("setup", f"--cameras={n}")["setup"] for n in SETUP_SIZES]
    integration = run_role(
        "integration",
        f"--site-devices={SITE_DEVICES}",
        *counts,
        *profile["integration"],
    )
    recorder = {
        of: run_role("recorder", f"--of={of}", f"--cameras={RECORDER_CAMERAS}", *counts)
        for of in ("samework", "integration")
    }
    print_report(
        header=header,
        mode="quick" if args.quick else "full",
        floor=floor,
        samework=samework,
        integration=integration,
        recorder=recorder,
        setups=[*setups, integration["setup"]],
        elapsed=time.monotonic() - started,
    )


if __name__ == "__main__":
    main()
