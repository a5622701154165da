"""A location's "Threat" event entity: alarm monitoring's threat cases."""

from __future__ import annotations

from homeassistant.components.event import EventEntity
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..aiorhombus import Location, MonitoringStatus
from ..data import RhombusConfigEntry
from .alarm import AlarmCoordinator
from .alerts import THREAT_EVENT_TYPES, LocationAlerts, ThreatAlert
from .entity import LocationEntity, async_add_location_entities


class RhombusThreatEvent(LocationEntity[MonitoringStatus], EventEntity):
    """Fires at each new threat-case alert of its location."""

    _attr_event_types = THREAT_EVENT_TYPES
    _unrecorded_attributes = frozenset({"alert_uuid", "timestamp"})

    def __init__(
        self, coordinator: AlarmCoordinator, alerts: LocationAlerts, location: Location
    ) -> None:
        """Bind the entity to its location."""
        super().__init__(coordinator, location, "threat")
        self._alerts = alerts

    async def async_added_to_hass(self) -> None:
        """Listen to the location's threat alerts."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._alerts.async_subscribe(self.location.uuid, self._on_threat)
        )

    @callback
    def _on_threat(self, threat: ThreatAlert) -> None:
        event = threat.alert.event
        self._trigger_event(
            threat.event_type,
            {
                "triggers": list(event.triggers or ()),
                "description": event.description,
                "alert_uuid": threat.alert.uuid,
                "timestamp": event.timestamp_iso,
                "replayed": threat.alert.replayed,
            },
        )
        self.async_write_ha_state()


@callback
def async_setup_threat_events(
    entry: RhombusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add a "Threat" event entity per location with alarm monitoring."""
    data = entry.runtime_data
    async_add_location_entities(
        entry,
        data.alarm,
        async_add_entities,
        lambda location: [
            RhombusThreatEvent(data.alarm, data.location_alerts, location)
        ],
    )
