"""The random demo scenario and the command line."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
import random
import signal
import subprocess
import sys
import urllib.request

import pytest

from simulator import RhombusSimulator, __main__ as cli
from simulator.scenario import Scenario

from .helpers import AUTH, StompClient

ROOT = Path(__file__).resolve().parents[2]


class AlwaysZero(random.Random):
    def random(self) -> float:
        return 0.0


def stalled(sim: RhombusSimulator) -> bool:
    return sim.faults.stalled


async def test_scenario_emits_alerts(
    sim: RhombusSimulator, client: StompClient
) -> None:
    sim.start_scenario(6_000)  # about 100 per second
    with pytest.raises(RuntimeError, match="already"):
        sim.start_scenario(1)
    bodies = [json.loads((await client.frame()).body) for _ in range(5)]
    await sim.stop_scenario()
    await sim.stop_scenario()  # idempotent
    assert all(b["entity"] == "POLICY_ALERT" for b in bodies)
    created = [b for b in bodies if b["type"] == "CREATE"]
    assert created
    assert all(b["entityUuid"] in sim.alerts for b in created)
    assert all(b["deviceUuid"] in sim.cameras for b in created)


async def test_scenario_mix(sim: RhombusSimulator) -> None:
    scenario = Scenario(sim, 60, faults=False)
    for _ in range(400):
        await scenario.step()
    alerts = list(sim.alerts.values())
    triggers = [a["policyAlertTriggers"][0] for a in alerts]
    assert max(set(triggers), key=triggers.count) == "MOTION_HUMAN"
    assert any(a["deleted"] for a in alerts)
    assert all(a["textDescription"] for a in alerts)


async def test_scenario_shapes(sim: RhombusSimulator, client: StompClient) -> None:
    scenario = Scenario(sim, 60, faults=False)
    for _ in range(60):
        await scenario.step()
    bodies = [json.loads((await client.frame()).body) for _ in range(60)]
    creates = [b for b in bodies if b["type"] == "CREATE"]
    nested = [b for b in creates if "update" in b]
    flat = [b for b in creates if "policyAlertTriggers" in b]
    assert nested
    assert flat
    assert len(nested) > len(flat)
    assert any(b["type"] == "DELETE" for b in bodies)


async def test_scenario_without_cameras() -> None:
    async with RhombusSimulator(cameras=0, seed=1) as sim:
        scenario = Scenario(sim, 60, faults=False)
        for _ in range(20):
            await scenario.step()
        assert not sim.alerts


async def test_scenario_faults(sim: RhombusSimulator, client: StompClient) -> None:
    scenario = Scenario(sim, 60, faults=True)
    scenario.rng.seed(11)
    for _ in range(300):
        await scenario.step()
        if stalled(sim):
            break
    else:
        pytest.fail("no stall in 300 steps")
    assert scenario._tasks  # the un-stall timer
    await scenario.stop()
    assert not stalled(sim)
    dropped = Scenario(sim, 60, faults=True)
    dropped.rng = AlwaysZero()
    await dropped.step()  # a fault, and 0.0 < 0.5 picks a drop
    assert sim.active_connections == 0


async def test_unstall_timer(sim: RhombusSimulator) -> None:
    scenario = Scenario(sim, 60, faults=True)
    sim.set_stalled(True)
    await scenario._unstall_after(0)
    assert not sim.faults.stalled


def test_scenario_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Scenario(RhombusSimulator(cameras=0), 0, faults=False)


async def test_run_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    args = cli.parse_args(
        ["--port", "0", "--cameras", "2", "--alerts-per-minute", "600", "--seed", "1"]
    )
    stop = asyncio.Event()
    task = asyncio.create_task(cli.run(args, stop))
    await asyncio.sleep(0.2)  # prints, then a few demo alerts
    stop.set()
    await task
    out = capsys.readouterr().out
    assert "REST:      http://127.0.0.1:" in out
    assert "API key:   sim-api-key" in out
    assert "Cameras:   2" in out
    assert out.rstrip().endswith("Simulator stopped.")


async def test_run_fails_cleanly_on_bad_port() -> None:
    async with RhombusSimulator(cameras=0) as other:
        port = other.rest_url.rsplit(":", 1)[1]
        args = cli.parse_args(["--port", port, "--alerts-per-minute", "0"])
        with pytest.raises(OSError):
            await cli.run(args, asyncio.Event())


def test_main_wires_logging_and_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []

    def fake_run(coro):
        seen.append(coro.cr_frame.f_locals["args"])
        coro.close()

    monkeypatch.setattr(asyncio, "run", fake_run)
    cli.main(["--cameras", "7", "--faults"])
    assert (seen[0].cameras, seen[0].faults, seen[0].port) == (7, True, 8080)


def test_cli_subprocess_starts_and_stops() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--port", "0", "--cameras", "2",
         "--alerts-per-minute", "600", "--faults", "--heartbeat-ms", "100"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(6)]
        rest = lines[0].split()[1]
        assert lines[1].split()[1] == rest.replace("http", "ws", 1) + (
            "/websocket?x-auth-scheme=api-token"
        )
        request = urllib.request.Request(  # noqa: S310 - loopback URL we just printed
            rest + "/api/org/getOrgV2", data=b"{}", headers=AUTH, method="POST"
        )
        with urllib.request.urlopen(request, timeout=5) as resp:  # noqa: S310
            org = json.load(resp)["org"]
        assert lines[3].strip().endswith(f"({org['uuid']})")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0
    assert out.strip().endswith("Simulator stopped.")
    assert "Traceback" not in err
