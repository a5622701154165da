"""Run a real Home Assistant with this integration against the simulator.

The logic behind scripts/develop: start the simulator and `hass` (config and
state in .develop/), onboard on the first run, add the Rhombus entry through
the config-flow REST API, print where to log in, then stay in the foreground
echoing the integration's log lines until Ctrl-C. `--check` verifies instead.
"""

from __future__ import annotations

import argparse
import asyncio
from contextlib import suppress
import json
from pathlib import Path
import re
import signal
import time
from typing import Any

import aiohttp

from scripts import REPO_ROOT
from scripts.hass.bootstrap import (
    DEV_PASSWORD,
    DEV_USERNAME,
    BootstrapError,
    CloudEndpoints,
    HassClient,
)
from scripts.hass.process import (
    LogTail,
    describe_event,
    free_port,
    log_problems,
    start_hass,
    start_simulator,
    stop_process,
    write_configuration,
)
from scripts.hass.site_check import check_site
from scripts.hass.websocket import HassWebSocket

DEVELOP_DIR = REPO_ROOT / ".develop"
CONFIG_DIR = DEVELOP_DIR / "config"
STATE_FILE = DEVELOP_DIR / "state.json"
_LOUD = re.compile(r" (WARNING|ERROR|CRITICAL) ")
SIMULATOR_SEED = 2025  # stable org and camera UUIDs, so re-runs keep their devices


def _port_is_free(port: int) -> bool:
    import socket  # noqa: PLC0415 - only needed here

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the servers themselves bind: lingering TIME_WAIT sockets do not count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _load_state() -> dict[str, Any]:
    with suppress(FileNotFoundError, json.JSONDecodeError):
        state: dict[str, Any] = json.loads(STATE_FILE.read_text())
        return state
    return {}


class Develop:
    """One run of scripts/develop."""

    def __init__(self, args: argparse.Namespace) -> None:
        """Keep the options; nothing starts until `run`."""
        self.args = args
        self.started = time.monotonic()
        self.stop_requested = asyncio.Event()
        self.hass: asyncio.subprocess.Process | None = None
        self.simulator: asyncio.subprocess.Process | None = None

    def step(self, message: str) -> None:
        """Print one progress line with the seconds since start."""
        print(f"[{time.monotonic() - self.started:5.1f}s] {message}", flush=True)

    async def run(self) -> int:
        """Start everything, then wait (or check); always stop what was started."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.stop_requested.set)
        try:
            return await self._run()
        except BootstrapError as err:
            print(f"\nscripts/develop: FAILED: {err}", flush=True)
            return 1
        finally:
            await self._stop_children()

    async def _run(self) -> int:
        args = self.args
        state = _load_state()
        if not _port_is_free(args.port):
            raise BootstrapError(f"port {args.port} is taken; pick another with --port")
        sim_port = state.get("simulator_port", 0)
        if not sim_port or sim_port == args.port or not _port_is_free(sim_port):
            sim_port = free_port()
        write_configuration(CONFIG_DIR, args.port, writer="develop")

        self.step(f"starting the simulator on port {sim_port}")
        self.simulator, cloud = await start_simulator(
            sim_port,
            args.cameras,
            args.alerts_per_minute,
            DEVELOP_DIR / "simulator.log",
            extra_args=("--seed", str(SIMULATOR_SEED)),
        )
        self.step(
            f"starting Home Assistant (log: {_rel(CONFIG_DIR)}/home-assistant.log)"
        )
        self.hass = await start_hass(CONFIG_DIR, DEVELOP_DIR / "hass-console.log")
        base_url = f"http://127.0.0.1:{args.port}"
        async with aiohttp.ClientSession() as session:
            client = HassClient(session, base_url)
            await self._until_stopped(client.wait_until_up(180), "HTTP server")
            if await client.onboard_or_login(DEV_USERNAME, DEV_PASSWORD):
                self.step(f"onboarded: created user {DEV_USERNAME!r}")
            else:
                self.step(f"logged in as {DEV_USERNAME!r} (already onboarded)")
            await self._until_stopped(client.wait_until_running(180), "startup")
            self.step("Home Assistant is running")
            if removed := await client.remove_onboarding_extras():
                self.step(f"removed entries onboarding added: {', '.join(removed)}")
            await self._ensure_entry(client, cloud, state, sim_port)
            credentials = DEVELOP_DIR / "credentials.txt"
            credentials.write_text(
                f"url: {base_url}\nusername: {DEV_USERNAME}\npassword: {DEV_PASSWORD}\n"
            )
            self._print_banner(base_url, cloud)
            if args.check:
                return await self._check(client, base_url, cloud)
            return await self._follow(client)

    async def _ensure_entry(
        self,
        client: HassClient,
        cloud: CloudEndpoints,
        state: dict[str, Any],
        sim_port: int,
    ) -> None:
        entries = await client.config_entries()
        if entries and state.get("rest_url") != cloud.rest_url:
            # The entry points at an old simulator port: replace it.
            for entry in entries:
                await client.request(
                    "DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}"
                )
            self.step("removed the Rhombus entry that pointed at an old simulator port")
        entry, created = await client.ensure_rhombus_entry(cloud)
        verb = "created" if created else "reusing"
        self.step(f"{verb} the Rhombus entry {entry['title']!r} ({entry['state']})")
        state.update(simulator_port=sim_port, rest_url=cloud.rest_url)
        STATE_FILE.write_text(json.dumps(state, indent=2) + "\n")

    def _print_banner(self, base_url: str, cloud: CloudEndpoints) -> None:
        line = "-" * 64
        hint = (
            ""
            if self.args.no_browser_hint
            else "  Open it in your browser and log in.\n"
        )
        print(
            f"{line}\n"
            f"  Home Assistant: {base_url}\n{hint}"
            f"  Username: {DEV_USERNAME}\n  Password: {DEV_PASSWORD}\n"
            f"  (also in {_rel(DEVELOP_DIR)}/credentials.txt)\n"
            f"  Simulator REST: {cloud.rest_url}  "
            f"({self.args.cameras} cameras, "
            f"{self.args.alerts_per_minute:g} alerts/min)\n"
            f"  Logs: {_rel(CONFIG_DIR)}/home-assistant.log, "
            f"{_rel(DEVELOP_DIR)}/simulator.log\n"
            f"{line}",
            flush=True,
        )

    async def _until_stopped(self, awaitable: Any, what: str) -> None:
        """Await a wait-for step, but give up if a child dies or Ctrl-C comes."""
        task = asyncio.ensure_future(awaitable)
        watchers: list[asyncio.Future[Any]] = [
            asyncio.ensure_future(self.stop_requested.wait())
        ]
        watchers += [
            asyncio.ensure_future(child.wait())
            for child in (self.hass, self.simulator)
            if child is not None
        ]
        try:
            await asyncio.wait([task, *watchers], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for watcher in watchers:
                watcher.cancel()
        if not task.done():
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
            if self.stop_requested.is_set():
                raise BootstrapError(f"interrupted while waiting for {what}")
            raise BootstrapError(
                f"a process exited while waiting for {what}{self._why()}"
            )
        task.result()

    def _why(self) -> str:
        console = DEVELOP_DIR / "hass-console.log"
        if (
            self.hass is not None
            and self.hass.returncode is not None
            and console.exists()
        ):
            tail = console.read_text(errors="replace").splitlines()[-15:]
            return ":\n    " + "\n    ".join(tail)
        return ""

    async def _check(
        self, client: HassClient, base_url: str, cloud: CloudEndpoints
    ) -> int:
        """Verify the running setup end to end, for automation."""
        failures: list[str] = []
        async with client._session.get(f"{base_url}/") as resp:  # noqa: SLF001
            page = await resp.text()
        if resp.status != 200 or "<html" not in page.lower():
            failures.append(f"frontend page answered {resp.status}")
        else:
            self.step("frontend page is served")
        entries = await client.config_entries()
        if not entries or entries[0]["state"] != "loaded":
            failures.append(f"Rhombus entry not loaded: {entries}")
        async with HassWebSocket(client) as ws:
            registry = await ws.command("config/entity_registry/list")
            ours = [e for e in registry if e.get("platform") == "rhombus"]
            self.step(f"{len(ours)} Rhombus entities registered")
            if not ours:
                failures.append("no Rhombus entities")
            failures += await check_site(ws, self.step)
            await ws.subscribe_events("rhombus_event")
            try:
                event = await ws.next_event(45)
                data = event["data"]
                self.step(
                    f"live rhombus_event: {data.get('camera_name')!r} "
                    f"{data.get('detections')}"
                )
            except TimeoutError:
                failures.append("no rhombus_event within 45s of demo alerts")
        log_file = CONFIG_DIR / "home-assistant.log"
        failures.extend(f"log problem:\n{p}" for p in log_problems(log_file))
        if cloud.api_key in log_file.read_text(errors="replace"):
            failures.append("the API key appears in home-assistant.log")
        for failure in failures:
            print(f"CHECK FAILED: {failure}")
        if not failures:
            self.step("check passed")
        return 1 if failures else 0

    async def _follow(self, client: HassClient) -> int:
        """Print each rhombus_event and integration warning until Ctrl-C."""
        self.step("running; Ctrl-C stops Home Assistant and the simulator")
        self.step("live rhombus_event bus events and the integration's warnings:")
        tail = LogTail(CONFIG_DIR / "home-assistant.log")
        children = [c for c in (self.hass, self.simulator) if c is not None]
        try:
            async with HassWebSocket(client) as ws:
                await ws.subscribe_events("rhombus_event")
                while not self.stop_requested.is_set():
                    if any(child.returncode is not None for child in children):
                        break
                    with suppress(TimeoutError):
                        print(describe_event(await ws.next_event(0.5)), flush=True)
                    for line in tail.new_lines():
                        if "rhombus" in line and _LOUD.search(line):
                            print(f"  log: {line}", flush=True)
        except (aiohttp.ClientError, TypeError, BootstrapError):
            pass  # the WebSocket closed: find out why below
        if self.stop_requested.is_set():
            return 0
        print(f"Home Assistant or the simulator stopped on its own.{self._why()}")
        return 1

    async def _stop_children(self) -> None:
        if self.hass is not None and self.hass.returncode is None:
            self.step("stopping Home Assistant")
            await stop_process(self.hass, "Home Assistant", 60)
        if self.simulator is not None and self.simulator.returncode is None:
            self.step("stopping the simulator")
            await stop_process(self.simulator, "simulator", 10)
        self.step("stopped")


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


def main() -> None:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(prog="scripts/develop", description=__doc__)
    parser.add_argument("--port", type=int, default=8123, help="Home Assistant port")
    parser.add_argument("--cameras", type=int, default=6)
    parser.add_argument("--alerts-per-minute", type=float, default=20)
    parser.add_argument("--no-browser-hint", action="store_true")
    parser.add_argument(
        "--check", action="store_true", help="start, verify end to end, stop (for CI)"
    )
    raise SystemExit(asyncio.run(Develop(parser.parse_args()).run()))


if __name__ == "__main__":
    main()
