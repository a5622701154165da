"""Alarm monitoring panels: one per location where Rhombus monitors alarms."""

from __future__ import annotations

import asyncio

from homeassistant.components.alarm_control_panel import AlarmControlPanelEntity
from homeassistant.components.alarm_control_panel.const import (
    AlarmControlPanelEntityFeature,
    AlarmControlPanelState,
    CodeFormat,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiorhombus import Location, MonitoringStatus
from .data import RhombusConfigEntry
from .locations.alarm import AlarmCoordinator
from .locations.entity import LocationEntity, async_add_location_entities

# Coordinator-fed; each arm or disarm is one call of its own.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform's signature
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a panel for each location that has alarm monitoring."""
    alarm = entry.runtime_data.alarm
    async_add_location_entities(
        entry,
        alarm,
        async_add_entities,
        lambda location: [RhombusAlarmPanel(alarm, location)],
    )


class RhombusAlarmPanel(LocationEntity[MonitoringStatus], AlarmControlPanelEntity):
    """Armed away or disarmed; arming and disarming need the location's PIN."""

    _attr_supported_features = AlarmControlPanelEntityFeature.ARM_AWAY
    _attr_code_format = CodeFormat.NUMBER
    _attr_code_arm_required = True
    coordinator: AlarmCoordinator

    def __init__(self, coordinator: AlarmCoordinator, location: Location) -> None:
        """The panel of ``location``."""
        super().__init__(coordinator, location, "alarm_monitoring")
        # The state shown while a call is in flight (arming, disarming).
        self._pending: AlarmControlPanelState | None = None
        # One call at a time, in the order asked; the state shows pending
        # until the last call asked has ended.
        self._lock = asyncio.Lock()
        self._calls = 0

    @property
    def alarm_state(self) -> AlarmControlPanelState | None:
        """Armed away, disarmed, or arming/disarming during a call."""
        if self._pending is not None:
            return self._pending
        status = self.state_data
        if status is None or status.enabled is None:
            return None
        if status.enabled:
            return AlarmControlPanelState.ARMED_AWAY
        return AlarmControlPanelState.DISARMED

    async def async_alarm_arm_away(self, code: str | None = None) -> None:
        """Arm the location with the typed PIN."""
        await self._set(armed=True, code=code)

    async def async_alarm_disarm(self, code: str | None = None) -> None:
        """Disarm the location with the typed PIN."""
        await self._set(armed=False, code=code)

    async def _set(self, *, armed: bool, code: str | None) -> None:
        # Whose call this is: a later call sets the entity's context meanwhile.
        context = self._context
        self._calls += 1
        try:
            async with self._lock:
                self._pending = (
                    AlarmControlPanelState.ARMING
                    if armed
                    else AlarmControlPanelState.DISARMING
                )
                self.async_write_ha_state()
                await self.coordinator.async_set_armed(
                    self.location, armed, code, context
                )
        finally:
            self._calls -= 1
            if not self._calls:
                self._pending = None
            self.async_write_ha_state()
