"""Random demo: alerts at Poisson intervals, now and then a DELETE or a fault."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Coroutine
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import RhombusSimulator

_LOGGER = logging.getLogger(__name__)

DELETE_CHANCE = 0.07
FLAT_CHANCE = 0.15
FAULT_CHANCE = 0.03
STALL_SECONDS = (3.0, 8.0)


class Scenario:
    """One running demo; uses the simulator's seeded random source."""

    def __init__(
        self, sim: RhombusSimulator, alerts_per_minute: float, *, faults: bool
    ) -> None:
        """Prepare a demo at ``alerts_per_minute`` (must be positive)."""
        if alerts_per_minute <= 0:
            raise ValueError("alerts_per_minute must be positive")
        self.sim = sim
        self.rate_per_second = alerts_per_minute / 60
        self.faults = faults
        self.rng = sim.names.rng
        self._recent: deque[str] = deque(maxlen=20)
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        """Start the emitting task (needs a running loop)."""
        self._spawn(self._run())

    async def stop(self) -> None:
        """Cancel every task of the demo and wait for them; un-stall if stalled."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
        if self.faults:
            self.sim.set_stalled(False)

    async def step(self) -> None:
        """Do one random thing: mostly a new alert, sometimes DELETE or a fault."""
        rng = self.rng
        roll = rng.random()
        if self.faults and roll < FAULT_CHANCE:
            await self._inject_fault()
            return
        if self._recent and roll < DELETE_CHANCE:
            alert_uuid = self._recent.popleft()
            _LOGGER.info("Scenario: DELETE alert %s", alert_uuid)
            await self.sim.emit_delete(alert_uuid)
            return
        cameras = list(self.sim.cameras.values())
        if not cameras:
            return
        camera = rng.choice(cameras)
        triggers = self.sim.names.triggers()
        shape = "flat" if rng.random() < FLAT_CHANCE else "nested"
        alert_uuid = await self.sim.emit_alert(
            camera.uuid,
            triggers,
            shape=shape,
            duration_sec=rng.randint(3, 30),
        )
        self._recent.append(alert_uuid)
        _LOGGER.info(
            "Scenario: %s on %s (%s, %s)",
            "+".join(triggers),
            camera.name,
            shape,
            alert_uuid,
        )

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.rng.expovariate(self.rate_per_second))
            await self.step()

    async def _inject_fault(self) -> None:
        if self.rng.random() < 0.5:
            _LOGGER.info("Scenario: dropping every connection")
            await self.sim.drop_connections()
            return
        seconds = self.rng.uniform(*STALL_SECONDS)
        _LOGGER.info("Scenario: stalling the stream for %.1f s", seconds)
        self.sim.set_stalled(True)
        self._spawn(self._unstall_after(seconds))

    async def _unstall_after(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        self.sim.set_stalled(False)
        _LOGGER.info("Scenario: stream resumed")

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
