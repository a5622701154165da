"""Switches: a camera's controls; "Alerts" (paused or not) per device and location."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .camera_config import (
    ControlDescription,
    ControlSwitchDescription,
    RhombusControlEntity,
)
from .data import RhombusConfigEntry
from .locations.lockdown_entities import async_setup_lockdown_switches
from .pauses.switch import async_setup_alert_switches

# Writes to one camera are serialised by the controls themselves.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each camera's switches once Rhombus reported what it has."""
    data = entry.runtime_data
    controls = data.controls

    def build(uuid: str, description: ControlDescription) -> RhombusControlSwitch:
        return RhombusControlSwitch(controls, data.coordinator, uuid, description)

    controls.async_add_platform(Platform.SWITCH, async_add_entities, build)
    async_setup_lockdown_switches(entry, async_add_entities)
    await async_setup_alert_switches(entry, async_add_entities)


class RhombusControlSwitch(RhombusControlEntity, SwitchEntity):
    """On or off as Rhombus reports it (inverted for stealth and persistence)."""

    entity_description: ControlSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """The reported value, inverted where the field means "off"."""
        value = self.reported
        if not isinstance(value, bool):
            return None
        return value != self.entity_description.inverted

    async def async_turn_on(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Turn on (writes and verifies)."""
        await self._async_set(not self.entity_description.inverted, "on")

    async def async_turn_off(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Turn off (writes and verifies)."""
        await self._async_set(self.entity_description.inverted, "off")
