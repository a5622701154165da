"""Sirens: talk-down on audio gateways, the org's clips as tones."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiorhombus import SiteKind
from .audio.siren import async_setup_sirens
from .data import RhombusConfigEntry

# Each play is one REST call; two gateways need not wait for each other.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Read the clips once when there are gateways; add a siren to each."""
    data = entry.runtime_data
    if data.site.coordinators.by_kind[SiteKind.AUDIO_GATEWAY].data:
        # A role refused audio is known before any siren is added.
        await data.audio.async_refresh()
    async_setup_sirens(entry, async_add_entities)
