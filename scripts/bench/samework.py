"""The same-work floor: what the integration shows a user, with no integration logic.

Per alert message, on the same WebSocket client as the raw floor: one bus event
with the fields ``rhombus_event`` has (design §3.3: the same keys and values,
the body as ``payload``), read straight from the body, and through minimal
``Entity`` subclasses and ``async_write_ha_state`` the same state changes the
integration makes, with the same attributes: a CREATE turns the camera's
detection binary sensor on, fires its event entity and moves its last-alert
image; a DELETE turns the sensor off. No validation, hold timer,
deduplication, catch-up or availability, and the entities record every
attribute (no ``_unrecorded_attributes``): the gap between this floor and the
integration is what the integration's own code costs or saves.
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

from custom_components.rhombus.event import EVENT_TYPES as INTEGRATION_EVENT_TYPES
from scripts.bench.hass import FLOOR_EVENT, StreamClient

# The integration's event types (every detection kind and "other"): the
# event entity's state attributes list them, so the floor's must too.
EVENT_TYPES = list(INTEGRATION_EVENT_TYPES)
# The one trigger the benchmark's alerts carry, as an event type.
TRIGGER_TYPES = {"MOTION_HUMAN": "person"}
ENTRY_ID = "01JBENCHSAMEWORKFLOOR00000"  # as long as a config entry's id


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
    def fire(self, event_type: str, data: Mapping[str, Any]) -> None:
        """Trigger with the integration's attributes, taken from the bus event."""
        self._trigger_event(
            event_type,
            {
                "triggers": data["triggers"],
                "detections": data["detections"],
                "description": data["description"],
                "alert_uuid": data["entity_uuid"],
                "timestamp": data["timestamp"],
                "replayed": False,
            },
        )
        self.async_write_ha_state()


class FloorImage(ImageEntity):
    """A camera's last-alert image: its state is the alert's time."""

    _attr_should_poll = False
    _attr_content_type = "image/jpeg"

    def __init__(self, hass: HomeAssistant, index: int) -> None:
        """Name it; no picture yet."""
        super().__init__(hass)
        self._attr_name = f"Floor camera {index} Last alert"
        self._attr_extra_state_attributes: dict[str, Any] = {}

    @callback
    def show(self, data: Mapping[str, Any]) -> None:
        """Point at the new alert, with the attributes the integration's has."""
        self._attr_image_last_updated = datetime.fromtimestamp(
            data["timestamp_ms"] / 1000, UTC
        )
        self._attr_extra_state_attributes = {
            "alert_uuid": data["entity_uuid"],
            "media_content_id": data["media_content_id"],
        }
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
        self.names = {uuid: f"Floor camera {i}" for i, uuid in enumerate(cameras)}
        # As long as a device registry id; the floor has no devices.
        self.device_ids = {uuid: f"{i:032x}" for i, uuid in enumerate(cameras)}
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

    def event_data(self, body: dict[str, Any]) -> dict[str, Any]:
        """The bus event's fields, read from the body as the benchmark sends it."""
        camera = cast("str", body["deviceUuid"])
        update = cast("dict[str, Any]", body.get("update") or {})
        triggers = cast("list[str]", update.get("policyAlertTriggers") or [])
        timestamp_ms = cast("int", body["timestampMs"])
        duration = update.get("durationSec")
        name = self.names[camera]
        return {
            "config_entry_id": ENTRY_ID,
            "org_uuid": self.sim["org_uuid"],
            "entity": body["entity"],
            "entity_uuid": body["entityUuid"],
            "change_type": body["type"],
            "device_uuid": camera,
            "device_id": self.device_ids[camera],
            "camera_name": name,
            "device_name": name,
            "device_type": "camera",
            "timestamp": datetime.fromtimestamp(timestamp_ms / 1000, UTC).isoformat(),
            "timestamp_ms": timestamp_ms,
            "duration_sec": duration,
            "triggers": triggers,
            "detections": [TRIGGER_TYPES.get(t, "other") for t in triggers],
            "description": update.get("textDescription"),
            "replayed": False,
            "media_content_id": (
                f"media-source://rhombus/{ENTRY_ID}/alert/{camera}/{timestamp_ms}/"
                f"{duration or 0}"
            ),
            "payload": body,
        }

    def handle(self, body: dict[str, Any]) -> None:
        """One bus event; sensor on, event and image on CREATE; sensor off on DELETE."""
        data = self.event_data(body)
        self.hass.bus.async_fire(FLOOR_EVENT, data)
        camera = data["device_uuid"]
        if body["type"] == "DELETE":
            self.sensors[camera].set_on(False)
            return
        self.sensors[camera].set_on(True)
        detections = data["detections"]
        self.events[camera].fire(detections[0] if detections else "other", data)
        self.images[camera].show(data)
