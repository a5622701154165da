"""A location's "Lockdown": a binary sensor, and a switch disabled by default.

The switch is a safety-critical control (it locks the building): a user
enables it on purpose, and every change is logged with who made it.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.switch import SwitchEntity
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..aiorhombus import Location
from ..data import RhombusConfigEntry
from .entity import LocationEntity, async_add_location_entities
from .lockdown import LocationLockdownInfo, LockdownCoordinator


class _LockdownEntity(LocationEntity[LocationLockdownInfo]):
    coordinator: LockdownCoordinator

    def __init__(self, coordinator: LockdownCoordinator, location: Location) -> None:
        super().__init__(coordinator, location, "lockdown")

    @property
    def is_on(self) -> bool | None:
        """On while the location is locked down."""
        info = self.state_data
        return info.locked_down if info is not None else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The location's plans, and which are active (names, for automations)."""
        info = self.state_data
        if info is None:
            return {}
        active = set(info.state.active_plan_uuids)
        return {
            "plans": [plan.name or plan.uuid for plan in info.plans],
            "active_plans": [
                plan.name or plan.uuid for plan in info.plans if plan.uuid in active
            ],
        }


class RhombusLockdownSensor(_LockdownEntity, BinarySensorEntity):
    """On while Rhombus says the location is locked down."""


class RhombusLockdownSwitch(_LockdownEntity, SwitchEntity):
    """Activates the location's own lockdown plans, or ends the lockdown."""

    _attr_entity_registry_enabled_default = False

    async def async_turn_on(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Lock the location down with all its plans."""
        await self.coordinator.async_set_locked_down(
            self.location.uuid, self.location.name, self._context, locked=True
        )

    async def async_turn_off(self, **kwargs: Any) -> None:  # noqa: ARG002
        """End the location's lockdown."""
        await self.coordinator.async_set_locked_down(
            self.location.uuid, self.location.name, self._context, locked=False
        )


@callback
def async_setup_lockdown_sensors(
    entry: RhombusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add a "Lockdown" binary sensor per location with lockdown plans."""
    lockdown = entry.runtime_data.lockdown
    async_add_location_entities(
        entry,
        lockdown,
        async_add_entities,
        lambda location: [RhombusLockdownSensor(lockdown, location)],
    )


@callback
def async_setup_lockdown_switches(
    entry: RhombusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add a "Lockdown" switch (disabled by default) per location with plans."""
    lockdown = entry.runtime_data.lockdown
    async_add_location_entities(
        entry,
        lockdown,
        async_add_entities,
        lambda location: [RhombusLockdownSwitch(lockdown, location)],
    )
