"""``python -m scripts.bench.compare --base REV``: the alert path, then and now.

Measures the event loop's CPU per message (alerts without faces or plates, at
4,000 a second and flooded) for the integration as it is and as it was at
``REV`` (or between two revisions, ``--now``), in alternating rounds on this
machine: the same harness, simulator and alerts; only ``custom_components/``
differs (a revision's is exported to a temporary directory, with this
checkout's ``scripts/`` and ``simulator/`` beside it). Prints each round and
the medians beside each other, with the rounds' spread as the noise to
compare the difference with.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from pathlib import Path
import statistics
import subprocess
import sys
import tempfile
import time

from scripts import REPO_ROOT

PHASES = (("cpu", "at 4,000/s"), ("flood", "flooded"))


def export(rev: str, into: Path) -> Path:
    """``rev``'s integration beside this checkout's harness; the run directory."""
    into.mkdir()
    archive = subprocess.run(
        ["git", "archive", rev, "custom_components"],
        cwd=REPO_ROOT,
        check=True,
        stdout=subprocess.PIPE,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    for shared in ("scripts", "simulator"):
        (into / shared).symlink_to(REPO_ROOT / shared)
    return into


def measure(cwd: Path, args: argparse.Namespace) -> dict[str, float]:
    """One child run in ``cwd`` (whose ``custom_components`` is imported)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.bench.compare",
            "--child",
            f"--cameras={args.cameras}",
            f"--site-devices={args.site_devices}",
            f"--messages={args.messages}",
        ],
        cwd=cwd,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


async def child(args: argparse.Namespace) -> dict[str, float]:
    """Set the integration up, warm it, then the two CPU phases."""
    from homeassistant.helpers import entity_registry as er  # noqa: PLC0415

    from scripts.bench.hass import person_sensors, running_hass  # noqa: PLC0415
    from scripts.bench.phases import (  # noqa: PLC0415
        SimProcess,
        Target,
        cpu_per_alert,
        send_and_wait,
    )
    from scripts.bench.runner import setup_integration  # noqa: PLC0415

    sim = await SimProcess.start(args.cameras, args.site_devices)
    try:
        with tempfile.TemporaryDirectory() as config_dir:
            async with running_hass(Path(config_dir)) as hass:
                entry_id, _timings = await setup_integration(hass, sim)
                entry = hass.config_entries.async_get_entry(entry_id)
                assert entry is not None
                stats = entry.runtime_data.hub.stream.stats
                target = Target(hass, lambda: stats.messages)
                cameras = sim.info["cameras"]
                target.sensor_ids = set(person_sensors(hass, cameras).values())
                await send_and_wait(sim, target, args.messages // 4 // 2 * 2, 0)
                # Counted in messages (a CREATE or its DELETE), as the table is.
                found = {
                    phase: (await cpu_per_alert(sim, target, args.messages, rate))[
                        "us_per_alert"
                    ]
                    for phase, rate in (("cpu", 4000.0), ("flood", 0.0))
                }
                found["entities"] = len(er.async_get(hass).entities)
                await hass.config_entries.async_unload(entry_id)
                return found
    finally:
        await sim.close()


def report(base: str, now_rev: str, rounds: list[dict[str, dict[str, float]]]) -> None:
    """Each round, then the medians and the difference against the spread."""
    print(
        "\nLoop CPU per message (µs), alerts without faces or plates; "
        f"then: {base}, now: {now_rev or 'this tree'}"
    )
    print(f"{'round':<7}" + "".join(f"{f'{w} then':>16}{'now':>10}" for _, w in PHASES))
    for number, found in enumerate(rounds, 1):
        cells = "".join(
            f"{found['base'][phase]:>16.1f}{found['now'][phase]:>10.1f}"
            for phase, _ in PHASES
        )
        print(f"{number:<7}{cells}")
    for phase, what in PHASES:
        then = [r["base"][phase] for r in rounds]
        now = [r["now"][phase] for r in rounds]
        spread = max(
            max(then) - min(then), max(now) - min(now), 1e-9
        )  # the noise of one side's rounds
        difference = statistics.median(now) - statistics.median(then)
        print(
            f"{what}: median then {statistics.median(then):.1f} µs, now "
            f"{statistics.median(now):.1f} µs, difference {difference:+.1f} µs "
            f"({difference / statistics.median(then):+.1%}); rounds' spread "
            f"{spread:.1f} µs: {'within' if abs(difference) <= spread else 'beyond'}"
            " noise"
        )


def main() -> None:
    """Parse the options; run the rounds (or, as a child, one measurement)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="HEAD~1")
    parser.add_argument("--now", default="", help="a revision (default: this tree)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cameras", type=int, default=1000)
    parser.add_argument("--site-devices", type=int, default=500)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        from homeassistant.runner import HassEventLoopPolicy  # noqa: PLC0415

        logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
        loop = HassEventLoopPolicy(False).new_event_loop  # noqa: FBT003
        with asyncio.Runner(loop_factory=loop) as runner:
            sys.stdout.write(json.dumps(runner.run(child(args))) + "\n")
        return
    rounds: list[dict[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="rhombus-compare-") as tmp:
        base_dir = export(args.base, Path(tmp) / "base")
        now_dir = export(args.now, Path(tmp) / "now") if args.now else REPO_ROOT
        for number in range(args.rounds):
            # Alternate which goes first: a drift of the machine cancels out.
            order = [("base", base_dir), ("now", now_dir)]
            found: dict[str, dict[str, float]] = {}
            for side, cwd in order if number % 2 == 0 else order[::-1]:
                started = time.monotonic()
                found[side] = measure(cwd, args)
                print(
                    f"round {number + 1} {side}: {found[side]} "
                    f"({time.monotonic() - started:.0f} s)",
                    file=sys.stderr,
                    flush=True,
                )
            rounds.append(found)
    report(args.base, args.now, rounds)


if __name__ == "__main__":
    main()
