"""Site binary sensors: doors, problems, occupancy, vape, leaks, connectivity.

State comes from the kind's list call; an alert from the device (a door
opening, a forced-open door, vape detected) sets the matching sensors at
once, until the refresh it hints brings the list's word.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..aiorhombus import SiteDevice
from ..data import RhombusConfigEntry
from .binary_sensor_descriptions import (
    SITE_BINARY_SENSORS,
    RhombusSiteBinarySensorEntityDescription,
)
from .coordinator import SiteCoordinator
from .entity import RhombusSiteEntity, async_add_site_entities
from .hub import SiteAlert, SiteHub

# What an alert's trigger says at once, per binary-sensor key.
ALERT_STATES: Final[Mapping[str, Mapping[str, bool]]] = {
    "DOOR_OPENED": {"door": True, "ajar": False},
    "DOOR_CLOSED": {"door": False, "ajar": False},
    "DOOR_AJAR": {"door": True, "ajar": True},
    "AC_DPI_DOOR_OPEN": {"door": True, "forced_open": False},
    "AC_DPI_DOOR_AJAR": {"door": True, "forced_open": False},
    "AC_DPI_DOOR_CLOSED": {"door": False, "forced_open": False},
    "AC_DPI_DOOR_FORCED_OPEN": {"door": True, "forced_open": True},
    "PIR_OCCUPIED": {"occupancy": True},
    "PIR_MOVEMENT": {"occupancy": True, "motion": True},
    "PIR_VACANT": {"occupancy": False, "motion": False},
    "CLIMATE_VAPE": {"vape": True},
    "CLIMATE_LEAK": {"leak": True},
}


@callback
def async_setup_site_binary_sensors(
    entry: RhombusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add each device's binary sensors now and when a device appears."""
    site = entry.runtime_data.site

    def entities_for(
        coordinator: SiteCoordinator, device: SiteDevice
    ) -> Iterator[BinarySensorEntity]:
        for description in SITE_BINARY_SENSORS[coordinator.kind]:
            if description.exists_fn(device):
                yield RhombusSiteBinarySensor(coordinator, device, description, site)

    async_add_site_entities(entry, async_add_entities, entities_for)


class RhombusSiteBinarySensor(RhombusSiteEntity, BinarySensorEntity):
    """One on/off fact of one device; alerts set it before the next list."""

    entity_description: RhombusSiteBinarySensorEntityDescription

    def __init__(
        self,
        coordinator: SiteCoordinator,
        device: SiteDevice,
        description: RhombusSiteBinarySensorEntityDescription,
        site: SiteHub,
    ) -> None:
        """Bind to the device; alerts come through ``site``."""
        super().__init__(coordinator, device, description)
        self._site = site
        self._from_alert: bool | None = None

    async def async_added_to_hass(self) -> None:
        """Hear the device's alerts, if any trigger speaks for this sensor."""
        await super().async_added_to_hass()
        key = self.entity_description.key
        if any(key in states for states in ALERT_STATES.values()):
            self.async_on_remove(
                self._site.async_subscribe(self.device_uuid, self._on_alert)
            )

    @property
    def is_on(self) -> bool | None:
        """The alert's word until the next list, then the list's."""
        if self._from_alert is not None:
            return self._from_alert
        device = self.device
        return None if device is None else self.entity_description.value_fn(device)

    @callback
    def _handle_coordinator_update(self) -> None:
        self._from_alert = None
        super()._handle_coordinator_update()

    @callback
    def _on_alert(self, alert: SiteAlert) -> None:
        if alert.replayed:
            return  # an old alert says nothing about now
        key = self.entity_description.key
        for trigger in alert.triggers:
            if (state := ALERT_STATES.get(trigger, {}).get(key)) is not None:
                self._from_alert = state
        self.async_write_ha_state()
