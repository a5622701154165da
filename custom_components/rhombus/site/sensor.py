"""Site sensors: readings, battery, signal, modes; only what a device reports."""

from __future__ import annotations

from collections.abc import Iterator

from homeassistant.components.sensor import SensorEntity
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..aiorhombus import SiteDevice
from ..data import RhombusConfigEntry
from .coordinator import SiteCoordinator
from .entity import RhombusSiteEntity, async_add_site_entities
from .sensor_descriptions import (
    SITE_SENSORS,
    RhombusSiteSensorEntityDescription,
    SensorValue,
    reported,
)


@callback
def async_setup_site_sensors(
    entry: RhombusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add each device's reported readings now and when a device appears."""

    def entities_for(
        coordinator: SiteCoordinator, device: SiteDevice
    ) -> Iterator[SensorEntity]:
        for description in SITE_SENSORS[coordinator.kind]:
            if reported(description, device):
                yield RhombusSiteSensor(coordinator, device, description)

    async_add_site_entities(entry, async_add_entities, entities_for)


class RhombusSiteSensor(RhombusSiteEntity, SensorEntity):
    """One reading of one device, from its kind's list call."""

    entity_description: RhombusSiteSensorEntityDescription

    @property
    def native_value(self) -> SensorValue:
        """The reading as the latest list shows it (None: not reported now)."""
        device = self.device
        return None if device is None else self.entity_description.value_fn(device)
