"""Locks: the access-controlled doors that may be unlocked remotely."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import RhombusConfigEntry
from .site.lock import async_setup_site_locks

# Each open is one REST call of its own; two doors need not wait for each other.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a lock to each door that may be unlocked remotely."""
    async_setup_site_locks(entry, async_add_entities)
