"""The same-work floor: what the integration shows a user, with no integration logic.

Per alert message, on the same WebSocket client as the raw floor: one bus event
(the parsed body, as the raw floor fires it), and through minimal ``Entity``
subclasses and ``async_write_ha_state`` the same state changes the integration
makes: a CREATE turns the camera's detection binary sensor on, fires its event
entity and moves its last-alert image; a DELETE turns the sensor off. No hold
timer, no deduplication, no catch-up, no availability: the gap between this
floor and the integration is what the integration's own code costs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
import logging
from typing import Any, cast

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
)
from homeassistant.components.event import EventEntity
from homeassistant.components.image import ImageEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import EntityPlatform

from scripts.bench.hass import FLOOR_EVENT, StreamClient

# The integration's default event types: the guide's six kinds and "other".
EVENT_TYPES = ["person", "vehicle", "face", "license_plate", "motion", "sound", "other"]
# The one trigger the benchmark's alerts carry, as an event type.
TRIGGER_TYPES = {"MOTION_HUMAN": "person"}


class FloorSensor(BinarySensorEntity):
    """A camera's person sensor."""

    _attr_should_poll = False
    _attr_device_class = BinarySensorDeviceClass.MOTION
    _attr_is_on = False

    def __init__(self, index: int) -> None:
        """Name it as the integration names its own."""
        self._attr_name = f"Floor camera {index} Person"

    @callback
    def set_on(self, on: bool) -> None:  # noqa: FBT001
        """Write the new state."""
        self._attr_is_on = on
        self.async_write_ha_state()


class FloorEvent(EventEntity):
    """A camera's detection event entity."""

    _attr_should_poll = False
    _attr_event_types = EVENT_TYPES

    def __init__(self, index: int) -> None:
        """Name it."""
        self._attr_name = f"Floor camera {index} Detection"

    @callback
    def fire(self, event_type: str, alert_uuid: str) -> None:
        """Trigger with the alert's uuid, the one attribute a dismiss needs."""
        self._trigger_event(event_type, {"alert_uuid": alert_uuid})
        self.async_write_ha_state()


class FloorImage(ImageEntity):
    """A camera's last-alert image: its state is the alert's time."""

    _attr_should_poll = False
    _attr_content_type = "image/jpeg"

    def __init__(self, hass: HomeAssistant, index: int) -> None:
        """Name it; no picture yet."""
        super().__init__(hass)
        self._attr_name = f"Floor camera {index} Last alert"

    @callback
    def show(self, timestamp_ms: int) -> None:
        """Point at the new alert."""
        self._attr_image_last_updated = datetime.fromtimestamp(timestamp_ms / 1000, UTC)
        self.async_write_ha_state()

    async def async_image(self) -> bytes | None:
        """No picture is fetched: the benchmark measures the alert path."""
        return None


class SameWorkFloor(StreamClient):
    """The alert path of the integration's features, nothing else."""

    def __init__(self, hass: HomeAssistant, sim: Mapping[str, Any]) -> None:
        """One sensor, event entity and image per camera; nothing added yet."""
        super().__init__(hass, sim)
        cameras = sim["cameras"]
        self.sensors = {uuid: FloorSensor(i) for i, uuid in enumerate(cameras)}
        self.events = {uuid: FloorEvent(i) for i, uuid in enumerate(cameras)}
        self.images = {uuid: FloorImage(hass, i) for i, uuid in enumerate(cameras)}

    async def add_entities(self) -> None:
        """Add the entities through real entity platforms (registry, naming)."""
        kinds: list[tuple[str, Mapping[str, Entity]]] = [
            ("binary_sensor", self.sensors),
            ("event", self.events),
            ("image", self.images),
        ]
        for domain, entities in kinds:
            platform = EntityPlatform(
                hass=self.hass,
                logger=logging.getLogger(__name__),
                domain=domain,
                platform_name="rhombus_floor",
                platform=None,
                scan_interval=timedelta(seconds=30),
                entity_namespace=None,
            )
            await platform.async_add_entities(list(entities.values()))
        self.sensor_ids = {
            sensor.entity_id for sensor in self.sensors.values() if sensor.entity_id
        }

    def handle(self, body: dict[str, Any]) -> None:
        """One bus event; sensor on, event and image on CREATE; sensor off on DELETE."""
        self.hass.bus.async_fire(FLOOR_EVENT, body)
        camera = cast("str", body["deviceUuid"])
        if body["type"] == "DELETE":
            self.sensors[camera].set_on(False)
            return
        update = cast("dict[str, Any]", body["update"])
        triggers = cast("list[str]", update.get("policyAlertTriggers") or [""])
        self.sensors[camera].set_on(True)
        self.events[camera].fire(
            TRIGGER_TYPES.get(triggers[0], "other"), cast("str", body["entityUuid"])
        )
        self.images[camera].show(cast("int", body["timestampMs"]))
