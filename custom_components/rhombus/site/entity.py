"""The base of every site entity, its device, and adding devices as they appear."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from ..aiorhombus import SiteDevice, SiteKind
from ..const import DOMAIN
from ..data import RhombusConfigEntry
from ..devices import MANUFACTURER, via_org_device
from ..locations.devices import location_name
from .coordinator import SiteCoordinator


def site_device_info(entry: RhombusConfigEntry, device: SiteDevice) -> DeviceInfo:
    """One Home Assistant device per piece of hardware, under the org's device.

    Its area, when created, is its location's name (a user's own area wins).
    """
    info = DeviceInfo(
        identifiers={(DOMAIN, device.uuid)},
        manufacturer=MANUFACTURER,
        name=device.name,
        model=device.hw_variation,
        sw_version=device.firmware_version,
        serial_number=device.serial_number,
        **via_org_device(entry),
    )
    if (area := location_name(entry, device.location_uuid)) is not None:
        info["suggested_area"] = area
    return info


@callback
def async_add_site_entities(
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entities_for: Callable[[SiteCoordinator, SiteDevice], Iterable[Entity]],
) -> None:
    """Add each device's entities now and at the refresh that first lists it.

    A device gone from its list is forgotten, so one that returns (after its
    Home Assistant device was removed) gets its entities again.
    """
    for coordinator in entry.runtime_data.site.coordinators.by_kind.values():
        known: set[str] = set()

        @callback
        def add_new(
            coordinator: SiteCoordinator = coordinator, known: set[str] = known
        ) -> None:
            devices = coordinator.data or {}
            known.intersection_update(devices)
            new = [device for uuid, device in devices.items() if uuid not in known]
            if not new:
                return
            known.update(device.uuid for device in new)
            async_add_entities(
                entity for device in new for entity in entities_for(coordinator, device)
            )

        add_new()
        entry.async_on_unload(coordinator.async_add_listener(add_new))


class RhombusSiteEntity(CoordinatorEntity[SiteCoordinator]):
    """Belongs to one device of a kind; unique id ``<uuid>_<key>``."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: SiteCoordinator,
        device: SiteDevice,
        description: EntityDescription,
    ) -> None:
        """Attach the entity to its hardware's device."""
        super().__init__(coordinator)
        self.entity_description = description
        self.device_uuid = device.uuid
        self._attr_unique_id = f"{device.uuid}_{description.key}"
        self._attr_device_info = site_device_info(coordinator.config_entry, device)

    @property
    def kind(self) -> SiteKind:
        """The kind of hardware this entity belongs to."""
        return self.coordinator.kind

    @property
    def device(self) -> Any:
        """The device as the latest list shows it (typed by kind in descriptions)."""
        return (self.coordinator.data or {}).get(self.device_uuid)

    @property
    def available(self) -> bool:
        """Unavailable once the device is gone from its kind's list."""
        return super().available and self.device is not None
