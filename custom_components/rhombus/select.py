"""Selects: a camera's night vision (its IR illuminator: auto, on, off)."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .camera_config import (
    ControlDescription,
    ControlSelectDescription,
    RhombusControlEntity,
)
from .data import RhombusConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each camera's selects once Rhombus reported what it has."""
    data = entry.runtime_data
    controls = data.controls

    def build(uuid: str, description: ControlDescription) -> RhombusControlSelect:
        return RhombusControlSelect(controls, data.coordinator, uuid, description)

    controls.async_add_platform(Platform.SELECT, async_add_entities, build)


class RhombusControlSelect(RhombusControlEntity, SelectEntity):
    """Rhombus's enum value, lower-cased (``AUTO`` → ``auto``)."""

    entity_description: ControlSelectDescription

    @property
    def current_option(self) -> str | None:
        """The reported mode."""
        value = self.reported
        return value.lower() if isinstance(value, str) else None

    async def async_select_option(self, option: str) -> None:
        """Set the mode (writes and verifies)."""
        await self._async_set(option.upper(), option)
