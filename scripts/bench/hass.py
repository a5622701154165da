"""Home Assistant for the benchmark: a real core, the integration, and the floor.

The core is made by Home Assistant's own test harness
(``async_test_home_assistant``): a real ``HomeAssistant`` with its state
machine, bus and registries, nothing mocked on the alert path. The floor is a
bare handler in such a core that does only the work no integration can avoid:
receive the message on the same kind of loopback WebSocket, parse the STOMP
frame and its JSON (with Home Assistant's own parser, orjson), fire one bus
event, and make one state-changing ``hass.states.async_set``. The same-work
floor (``samework.py``) shares its WebSocket client.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast
from unittest.mock import patch

import aiohttp
from aiohttp.resolver import AsyncResolver
from homeassistant import loader
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.json import json_loads_object
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

# Import the integration before the loader looks, so the repository's copy wins.
import custom_components.rhombus  # noqa: F401

DOMAIN = "rhombus"
FLOOR_EVENT = "rhombus_floor_event"
# What a detection sensor's state carries besides on/off.
FLOOR_ATTRIBUTES = {"device_class": "motion"}


@asynccontextmanager
async def running_hass(config_dir: Path) -> AsyncIterator[HomeAssistant]:
    """A started Home Assistant core that loads custom integrations."""
    # As in Home Assistant's tests: no zeroconf for name resolution (the
    # simulator's URLs hold an IP address, so nothing is resolved anyway).
    with patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver",
        return_value=AsyncResolver(),
    ):
        async with async_test_home_assistant(config_dir=str(config_dir)) as hass:
            # The harness hides custom integrations unless a test asks for them.
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
            try:
                yield hass
            finally:
                await hass.async_stop(force=True)


def integration_entry(sim: Mapping[str, Any], **options: Any) -> MockConfigEntry:
    """A config entry for the simulator, as the config flow would store it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=sim["org_name"],
        unique_id=sim["org_uuid"],
        data={
            "api_key": sim["api_key"],
            "region": "us",
            "rest_url": sim["rest_url"],
            "websocket_url": sim["websocket_url"],
            "media_url": sim["media_url"],
        },
        options=options,
    )


def person_sensors(hass: HomeAssistant, cameras: list[str]) -> dict[str, str]:
    """Camera uuid -> entity id of its person sensor."""
    registry = er.async_get(hass)
    found: dict[str, str] = {}
    for camera in cameras:
        entity_id = registry.async_get_entity_id(
            "binary_sensor", DOMAIN, f"{camera}_person"
        )
        if entity_id is not None:
            found[camera] = entity_id
    return found


def entity_count(hass: HomeAssistant, entry_id: str) -> tuple[int, int]:
    """(entities in the registry, of which enabled) for one config entry."""
    entries = er.async_entries_for_config_entry(er.async_get(hass), entry_id)
    return len(entries), sum(1 for entry in entries if not entry.disabled)


class StreamClient:
    """One WebSocket subscribed the way the integration subscribes; a handler per body.

    Shared by both floors: the STOMP frame and its JSON are parsed with Home
    Assistant's own parser (orjson), then :meth:`handle` does the floor's work.
    """

    def __init__(self, hass: HomeAssistant, sim: Mapping[str, Any]) -> None:
        """Nothing connects yet."""
        self.hass = hass
        self.sim = sim
        self.processed = 0
        self.sensor_ids: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None

    async def start(self) -> None:
        """Connect and subscribe the way the integration does, then listen."""
        session = async_get_clientsession(self.hass)
        ws = await session.ws_connect(
            self.sim["websocket_url"],
            headers={"x-auth-apikey": self.sim["api_key"]},
            autoping=False,
            max_msg_size=1024 * 1024,
        )
        self._ws = ws
        await ws.send_str("CONNECT\naccept-version:1.2\nheart-beat:0,0\n\n\x00")
        await ws.receive()  # CONNECTED
        topic = f"/topic/change/{self.sim['org_uuid']}"
        await ws.send_str(f"SUBSCRIBE\nid:sub-0\ndestination:{topic}\n\n\x00")
        self._task = self.hass.async_create_background_task(
            self._listen(ws), "floor listener"
        )

    async def stop(self) -> None:
        """Close the socket and end the listener."""
        if self._ws is not None:
            await self._ws.close()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _listen(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        while True:
            msg = await ws.receive()
            if msg.type is not aiohttp.WSMsgType.TEXT:
                return
            data: str = msg.data
            head_end = data.find("\n\n")
            if head_end < 0 or not data.startswith("MESSAGE\n"):
                continue  # a heart-beat or another frame
            self.handle(json_loads_object(data[head_end + 2 : data.rindex("\x00")]))
            self.processed += 1

    def handle(self, body: dict[str, Any]) -> None:
        """The floor's work for one alert message."""
        raise NotImplementedError


class FloorClient(StreamClient):
    """The raw floor: one bus event and one raw state write per message."""

    def __init__(self, hass: HomeAssistant, sim: Mapping[str, Any]) -> None:
        """Name one sensor-like entity per camera."""
        super().__init__(hass, sim)
        self.entity_ids = {
            camera: f"binary_sensor.floor_camera_{index}_person"
            for index, camera in enumerate(sim["cameras"])
        }
        self.sensor_ids = set(self.entity_ids.values())
        self.attributes = {
            camera: {**FLOOR_ATTRIBUTES, "friendly_name": f"Camera {index} Person"}
            for index, camera in enumerate(sim["cameras"])
        }

    def handle(self, body: dict[str, Any]) -> None:
        """Fire the body as it came; set the camera's sensor on or off."""
        self.hass.bus.async_fire(FLOOR_EVENT, body)
        camera = cast("str", body["deviceUuid"])
        self.hass.states.async_set(
            self.entity_ids[camera],
            "off" if body["type"] == "DELETE" else "on",
            self.attributes[camera],
        )
