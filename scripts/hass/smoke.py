"""Real-process smoke test: a fresh `hass` with this integration, fed by the simulator.

The logic behind scripts/smoke (and `scripts/test-newest --smoke`, which runs
it on the newest Home Assistant). The simulator runs inside this process (so the
test can emit an alert at a chosen moment); Home Assistant is a real child
process with a temporary config dir, driven only through its REST and
WebSocket APIs, as a user's browser would. Exits non-zero at the first failure.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from pathlib import Path
import shutil
import signal
import tempfile
import time
from typing import Any

import aiohttp

from scripts.hass.bootstrap import (
    DEV_PASSWORD,
    DEV_USERNAME,
    DOMAIN,
    BootstrapError,
    CloudEndpoints,
    HassClient,
)
from scripts.hass.process import (
    free_port,
    log_mentions,
    log_problems,
    start_hass,
    stop_process,
    write_configuration,
)
from scripts.hass.smoke_media import check_media_browser
from scripts.hass.websocket import HassWebSocket
from simulator import RhombusSimulator

SIM_API_KEY = "smoke-api-key"


class SmokeError(Exception):
    """A smoke check did not hold."""


class Smoke:
    """One smoke run; `steps` prints each step with its timing."""

    def __init__(self, config_dir: Path) -> None:
        """Use a fresh config dir."""
        self.config_dir = config_dir
        self.started = time.monotonic()
        self._step_started = self.started
        self.hass: asyncio.subprocess.Process | None = None
        # Federated tokens the simulator issued: none may reach the hass log.
        self.tokens: dict[str, float] = {}

    def step(self, message: str) -> None:
        """Print a finished step: total time and the step's own time."""
        now = time.monotonic()
        total, own = now - self.started, now - self._step_started
        print(f"[{total:5.1f}s] ({own:4.1f}s) {message}", flush=True)
        self._step_started = now

    async def run(self) -> None:
        """Run every step; the caller stops hass if one fails."""
        port = free_port()
        write_configuration(self.config_dir, port, writer="smoke")
        async with AsyncExitStack() as stack:
            sim = RhombusSimulator(cameras=2, api_key=SIM_API_KEY, seed=7)
            await sim.start(port=0)
            stack.push_async_callback(sim.stop)
            self.step(f"simulator on {sim.rest_url} ({len(sim.cameras)} cameras)")
            self.hass = await start_hass(
                self.config_dir, self.config_dir / "hass-console.log"
            )
            session = await stack.enter_async_context(aiohttp.ClientSession())
            client = HassClient(session, f"http://127.0.0.1:{port}")
            await self._start(client)
            await self._add_entry(client, sim)
            self.tokens = sim.federated_tokens
            await self._alert(client, sim)
            await self._stop_and_check_log()

    async def _start(self, client: HassClient) -> None:
        await client.wait_until_up(90)
        self.step(f"hass HTTP up on {client.base_url}")
        await client.onboard_or_login(DEV_USERNAME, DEV_PASSWORD)
        self.step("onboarded (user, core_config, analytics, integration)")
        await client.wait_until_running(60)
        self.step("hass state RUNNING")

    async def _add_entry(self, client: HassClient, sim: RhombusSimulator) -> None:
        cloud = CloudEndpoints(
            api_key=SIM_API_KEY,
            rest_url=sim.rest_url,
            websocket_url=sim.websocket_url,
            media_url=sim.media_url,
        )
        entry = await client.create_rhombus_entry(cloud)
        if entry["state"] != "loaded":
            raise SmokeError(f"entry {entry['title']!r} is {entry['state']}")
        self.step(f"config flow created entry {entry['title']!r} (loaded)")
        try:
            await sim.wait_for_subscription(timeout=30)
        except TimeoutError:
            raise SmokeError("the integration never subscribed to the stream") from None
        self.step("integration subscribed to the STOMP topic")

    async def _alert(self, client: HassClient, sim: RhombusSimulator) -> None:
        camera_uuid, camera = next(iter(sim.cameras.items()))
        async with HassWebSocket(client) as ws:
            entity_id = await ws.entity_id_for_unique_id(
                DOMAIN, f"{camera_uuid}_person"
            )
            if entity_id is None:
                raise SmokeError(f"no entity with unique_id {camera_uuid}_person")
            state = await client.request("GET", f"/api/states/{entity_id}")
            if state is None or state["state"] != "off":
                raise SmokeError(f"{entity_id} starts as {state and state['state']}")
            self.step(f"{entity_id} ({camera.name}) is off")
            await ws.subscribe_events("rhombus_event")
            alert_uuid = await sim.emit_alert(camera_uuid, ("MOTION_HUMAN",))
            self.step(f"simulator emitted person alert {alert_uuid}")
            data = await self._wait_for_event(ws, alert_uuid)
            if "person" not in (data.get("detections") or []):
                raise SmokeError(f"rhombus_event detections: {data.get('detections')}")
            if data.get("device_uuid") != camera_uuid:
                raise SmokeError(
                    f"rhombus_event device_uuid: {data.get('device_uuid')}"
                )
            self.step(
                f"rhombus_event: {data.get('change_type')} {data.get('camera_name')!r} "
                f"detections={data.get('detections')}"
            )
        on = await client.wait_for_state(entity_id, "on", 15)
        self.step(f"{entity_id} turned {on['state']} (REST /api/states)")
        await sim.emit_delete(alert_uuid)
        await client.wait_for_state(entity_id, "off", 15)
        self.step(f"alert deleted: {entity_id} is off again")
        async with HassWebSocket(client) as ws:
            await check_media_browser(client, ws, sim, self.step)

    async def _wait_for_event(
        self, ws: HassWebSocket, alert_uuid: str
    ) -> dict[str, Any]:
        deadline = time.monotonic() + 15
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                event = await ws.next_event(remaining)
            except TimeoutError:
                break
            data: dict[str, Any] = event["data"]
            if data.get("entity_uuid") == alert_uuid:
                return data
        raise SmokeError(f"no rhombus_event with entity_uuid {alert_uuid} in 15s")

    async def _stop_and_check_log(self) -> None:
        if self.hass is not None:
            code = await stop_process(self.hass, "hass", 60)
            self.step(f"hass stopped (exit code {code})")
        log_file = self.config_dir / "home-assistant.log"
        if not log_file.is_file():
            raise SmokeError(f"hass wrote no {log_file.name}")
        # Guards the check below against a log format it no longer parses.
        if (mentions := log_mentions(log_file)) == 0:
            raise SmokeError("no well-formed record in the hass log names rhombus")
        problems = log_problems(log_file)
        if problems:
            raise SmokeError(
                "hass log has problems naming rhombus:\n" + "\n".join(problems)
            )
        text = log_file.read_text(errors="replace")
        if SIM_API_KEY in text:
            raise SmokeError("the API key appears in the hass log")
        if any(token in text for token in self.tokens):
            raise SmokeError("a federated token appears in the hass log")
        self.step(
            f"hass log: {mentions} records name rhombus, none an ERROR, traceback "
            "or deprecation; no API key, no federated token"
        )


async def main() -> int:
    """Run the smoke test; always stop what it started."""
    config_dir = Path(tempfile.mkdtemp(prefix="rhombus-smoke-"))
    smoke = Smoke(config_dir)
    failure: str | None = None
    # A CI time-out sends SIGTERM: unwind (and stop hass) as for Ctrl-C.
    main_task = asyncio.current_task()
    if main_task is not None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main_task.cancel)
    try:
        await asyncio.wait_for(smoke.run(), 240)
    except (SmokeError, BootstrapError) as err:
        failure = str(err)
    except TimeoutError:
        failure = "the whole smoke test took over 240s"
    except asyncio.CancelledError:
        failure = "interrupted"
    finally:
        if smoke.hass is not None and smoke.hass.returncode is None:
            await stop_process(smoke.hass, "hass", 30)
    if failure is None:
        shutil.rmtree(config_dir, ignore_errors=True)
        print(f"SMOKE PASSED in {time.monotonic() - smoke.started:.1f}s")
        return 0
    log = config_dir / "home-assistant.log"
    print(f"SMOKE FAILED: {failure}\n  hass config and log kept in {config_dir}")
    if log.exists():
        tail = log.read_text(errors="replace").splitlines()[-25:]
        print("  last lines of home-assistant.log:\n    " + "\n    ".join(tail))
    return 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
