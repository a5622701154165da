"""Buttons: unlock an access-controlled door."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import RhombusConfigEntry
from .site.button import async_setup_site_buttons

# Each press is one REST call of its own; presses of two doors need not wait.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an Unlock button to each door that may be unlocked remotely."""
    async_setup_site_buttons(entry, async_add_entities)
