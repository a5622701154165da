"""The base of a location's entities, and adding them as locations appear."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from ..aiorhombus import Location
from ..data import RhombusConfigEntry
from .devices import location_device_info
from .polled import LocationServiceCoordinator


class LocationEntity[T](CoordinatorEntity[LocationServiceCoordinator[T]]):
    """Belongs to a location's service device; unique id ``<location uuid>_<key>``."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: LocationServiceCoordinator[T],
        location: Location,
        key: str,
    ) -> None:
        """Attach the entity to the location's device."""
        super().__init__(coordinator)
        self.location = location
        self._attr_unique_id = f"{location.uuid}_{key}"
        self._attr_translation_key = key
        self._attr_device_info = location_device_info(
            coordinator.config_entry, location
        )

    @property
    def state_data(self) -> T | None:
        """The location's state as last read, or None."""
        return (self.coordinator.data or {}).get(self.location.uuid)

    @property
    def available(self) -> bool:
        """Unavailable while the service cannot be read or the location left it."""
        return super().available and self.state_data is not None


@callback
def async_add_location_entities[T](
    entry: RhombusConfigEntry,
    coordinator: LocationServiceCoordinator[T],
    async_add_entities: AddConfigEntryEntitiesCallback,
    entities_for: Callable[[Location], Iterable[Entity]],
) -> None:
    """Add a location's entities when the service first lists a known location.

    A location must be named by ``getLocations`` (its device's name); one
    that the service lists only later gets its entities at that read. One
    the service stops listing keeps its entities, unavailable.
    """
    known: set[str] = set()
    locations = entry.runtime_data.locations

    @callback
    def add_new(*_: Any) -> None:
        named = locations.data or {}
        listed = [uuid for uuid in coordinator.data or {} if uuid in named]
        new = [named[uuid] for uuid in listed if uuid not in known]
        if not new:
            return
        known.update(location.uuid for location in new)
        async_add_entities(
            entity for location in new for entity in entities_for(location)
        )

    add_new()
    entry.async_on_unload(coordinator.async_add_listener(add_new))
    entry.async_on_unload(locations.async_add_listener(add_new))
