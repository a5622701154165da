"""Connectivity sensors: each camera's link to Rhombus, and the event stream."""

from __future__ import annotations

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import callback

from .aiorhombus import StreamState
from .data import RhombusConfigEntry
from .devices import org_device_info
from .entity import RhombusCameraEntity
from .hub import RhombusHub

CAMERA_CONNECTIVITY = BinarySensorEntityDescription(
    key="connectivity",
    translation_key="connectivity",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
)

EVENT_STREAM = BinarySensorEntityDescription(
    key="event_stream",
    translation_key="event_stream",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
)


class RhombusCameraConnectivity(RhombusCameraEntity, BinarySensorEntity):
    """On while Rhombus reports the camera connected (``connectionStatus`` GREEN).

    It comes from the camera list, so it changes at the next refresh and is
    unavailable while that list cannot be fetched (the base entity's rule).
    """

    @property
    def is_on(self) -> bool:
        """Whether the latest camera list shows the camera connected."""
        return self.coordinator.data[self.camera_uuid].online


class RhombusStreamConnectivity(BinarySensorEntity):
    """On while the account's event stream is connected, without the grace period.

    It is always available: "disconnected" is exactly what it reports.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False
    entity_description = EVENT_STREAM

    def __init__(self, entry: RhombusConfigEntry, hub: RhombusHub) -> None:
        """Attach the sensor to the organisation's service device."""
        self._hub = hub
        self._attr_unique_id = f"{entry.unique_id}_{EVENT_STREAM.key}"
        self._attr_device_info = org_device_info(entry)

    async def async_added_to_hass(self) -> None:
        """Write the state at every change of the stream's state."""
        self.async_on_remove(self._hub.async_subscribe_stream(self._on_stream))

    @property
    def is_on(self) -> bool:
        """Whether the stream is connected and subscribed right now."""
        return self._hub.stream.state is StreamState.CONNECTED

    @callback
    def _on_stream(self, _state: StreamState) -> None:
        self.async_write_ha_state()
