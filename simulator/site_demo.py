"""The demo site (``python -m simulator``) and its drifting readings.

Every ``interval`` seconds the E2 and the E50 drift a little (CLIMATE_STATE),
and now and then something happens: a door opens or closes, the room empties,
a button is pressed, vape is detected, glass breaks, a badge is shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any, Final

from .site_world import (
    ACCESS_CONTROL,
    AUDIO_GATEWAY,
    BUTTON,
    CLIMATE_SENSOR,
    DOOR_SENSOR,
    ENVIRONMENTAL_GATEWAY,
    OCCUPANCY_SENSOR,
)

if TYPE_CHECKING:
    from .app import RhombusSimulator

_LOGGER = logging.getLogger(__name__)


# One of every kind, as the demo shows them: (kind, name, hardware, fields).
# Access-controlled doors take `add_access_door`'s keywords instead.
DEMO_SITE: Final[tuple[tuple[str, str, str, dict[str, Any]], ...]] = (
    (DOOR_SENSOR, "Front Door", "SENSOR_DOOR_D20", {"status": "CLOSED"}),
    (DOOR_SENSOR, "Back Door", "SENSOR_DOOR_D20", {"status": "CLOSED"}),
    (DOOR_SENSOR, "Server Room Door", "SENSOR_DOOR_D1", {"status": "OPEN"}),
    (
        CLIMATE_SENSOR,
        "Restroom 2F",
        "SENSOR_ENVIRONMENTAL_E2",
        {
            "temperatureCelcius": 22.4,
            "humidity": 41.0,
            "co2": 612.0,
            "tvoc": 140.0,
            "pm25": 6.1,
            "iaq": 48.0,
            "ethanol": 0.4,
            "vapePercent": 0.0,
            "thcPercent": 0.0,
            "heatIndexDegF": 71.6,
            "heatIndexRangeWarning": "HEAT_INDEX_OK",
            "probeConnected": False,
            "calibrating": False,
            "floorNumber": 2,
        },
    ),
    (
        ENVIRONMENTAL_GATEWAY,
        "Lobby Air",
        "GATEWAY_ENVIRONMENTAL_E50",
        {
            "connected": True,
            "healthStatus": "GREEN",
            "healthDetails": "NONE",
            "calibrating": False,
            "tempC": 21.9,
            "relHumid": 38.5,
            "co2Ppm": 540,
            "pm1p0": 3.1,
            "pm2p5": 4.2,
            "pm4p0": 4.9,
            "pm10p0": 5.3,
            "vocIdx": 102.0,
            "noxIdx": 1.0,
            "ch2oPpb": 12.0,
            "coConcentration": 0.0,
            "pressure": 1012.8,
            "iaq": 55.0,
            "airQualityIndex": 18,
            "airQualityIndexPollutant": "PM2P5",
            # 25 °C exactly: no rounding to differ between releases
            "heatIndexDegF": 77.0,
            "vapeDetected": False,
            "vapeConfidencePercent": 0.0,
            "smokeConfidencePercent": 0.0,
            "leakProbePresent": True,
            "leakDetected": False,
            "tempProbePresent": False,
        },
    ),
    (
        OCCUPANCY_SENSOR,
        "Conference Room A",
        "SENSOR_MOTION_M15",
        {"status": "OCCUPIED", "rawLux": 310, "normalizedLux": 0.62},
    ),
    (
        BUTTON,
        "Front Desk Panic",
        "BLE_BUTTON_B10",
        {"buttonMode": "PANIC", "testModeEnabled": False},
    ),
    (
        AUDIO_GATEWAY,
        "Hallway Audio",
        "GATEWAY_A100",
        {
            "connectionStatus": "GREEN",
            "healthStatus": "GREEN",
            "healthStatusDetails": "NONE",
            "firmwareUpdateInProgress": False,
        },
    ),
    (ACCESS_CONTROL, "Main Entrance", "", {}),
    (ACCESS_CONTROL, "Side Door", "", {"unlock_sec": 3}),
)


def build_demo_site(sim: RhombusSimulator) -> None:
    """Add one of every kind: three door sensors, E2, E50, M15, B10, A100, 2 doors."""
    build_site(sim, len(DEMO_SITE))


def build_site(sim: RhombusSimulator, devices: int) -> None:
    """Add ``devices`` pieces of hardware, the demo's mix over and over.

    The first round keeps the demo's names; later rounds number them
    ("Front Door 2"), so a large site (the benchmark's 500) has the demo's
    proportions: 30% door sensors, 20% climate, 20% access-controlled doors.
    """
    for index in range(devices):
        kind, name, hw, fields = DEMO_SITE[index % len(DEMO_SITE)]
        if (round_ := index // len(DEMO_SITE)) > 0:
            name = f"{name} {round_ + 1}"
        if kind == ACCESS_CONTROL:
            sim.add_access_door(name, **fields)
        else:
            sim.add_site_device(kind, name, hw, **fields)


class SiteDrift:
    """The background task that keeps the demo site alive."""

    def __init__(self, sim: RhombusSimulator, interval: float) -> None:
        """Bind to ``sim``; nothing runs until `start`."""
        self._sim = sim
        self._interval = interval
        self._rng = sim.names.rng
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start drifting."""
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop and wait for the task."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.step()
            except (KeyError, ValueError):
                # A test or user removed a device mid-step: carry on.
                _LOGGER.debug("Demo step skipped", exc_info=True)

    def _walk(self, value: object, step: float, low: float, high: float) -> float:
        number = float(value) if isinstance(value, int | float) else (low + high) / 2
        return round(min(max(number + self._rng.uniform(-step, step), low), high), 1)

    async def step(self) -> None:
        """One tick: drift the climate readings, maybe one event."""
        sim, site = self._sim, self._sim.site
        for device in site.of_kind(CLIMATE_SENSOR):
            state = device.state
            await sim.set_site_state(
                device.uuid,
                temperatureCelcius=self._walk(state["temperatureCelcius"], 0.3, 15, 35),
                humidity=self._walk(state["humidity"], 1.0, 20, 80),
                co2=self._walk(state["co2"], 20, 400, 2000),
            )
        for device in site.of_kind(ENVIRONMENTAL_GATEWAY):
            state = device.state
            await sim.set_site_state(
                device.uuid,
                tempC=self._walk(state["tempC"], 0.3, 15, 35),
                relHumid=self._walk(state["relHumid"], 1.0, 20, 80),
                co2Ppm=round(self._walk(state["co2Ppm"], 20, 400, 2000)),
                pm2p5=self._walk(state["pm2p5"], 0.5, 0, 50),
            )
        roll = self._rng.random()
        if roll < 0.25 and (doors := site.of_kind(DOOR_SENSOR)):
            door = self._rng.choice(doors)
            opened = door.state.get("status") == "CLOSED"
            await sim.set_door_sensor(door.uuid, "OPEN" if opened else "CLOSED")
        elif roll < 0.4 and (rooms := site.of_kind(OCCUPANCY_SENSOR)):
            status = self._rng.choice(("VACANT", "MOVEMENT", "OCCUPIED"))
            await sim.set_occupancy(rooms[0].uuid, status)
        elif roll < 0.5 and (buttons := site.of_kind(BUTTON)):
            press = self._rng.choice(("SINGLE", "DOUBLE", "LONG"))
            await sim.press_button(buttons[0].uuid, press)
        elif roll < 0.58 and (sensors := site.of_kind(CLIMATE_SENSOR)):
            await sim.set_site_state(sensors[0].uuid, vapePercent=83.0)
            await sim.emit_site_alert(sensors[0].uuid, ["CLIMATE_VAPE"])
            await sim.set_site_state(sensors[0].uuid, vapePercent=0.0)
        elif roll < 0.64 and (gateways := site.of_kind(AUDIO_GATEWAY)):
            await sim.emit_sound(gateways[0].uuid, "GLASS_BREAK")
        elif roll < 0.8 and site.doors:
            door_uuid = self._rng.choice(list(site.doors))
            await sim.badge(door_uuid, authorized=self._rng.random() < 0.8)
