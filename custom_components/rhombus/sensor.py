"""Sensors: the site hardware's readings (cameras have none)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import RhombusConfigEntry
from .site.sensor import async_setup_site_sensors

# Every reading comes from its kind's coordinator; nothing to serialise.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each site device's readings now and when a device appears."""
    async_setup_site_sensors(entry, async_add_entities)
