"""Site event entities: button presses, sounds, badges and air alerts."""

from __future__ import annotations

from collections.abc import Iterator

from homeassistant.components.event import EventEntity
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..aiorhombus import SiteDevice
from ..data import RhombusConfigEntry
from .coordinator import SiteCoordinator
from .entity import RhombusSiteEntity, async_add_site_entities
from .event_descriptions import SITE_EVENTS, RhombusSiteEventEntityDescription
from .hub import SiteAlert, SiteHub


@callback
def async_setup_site_events(
    entry: RhombusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add one event entity per device of a kind that has alerts of its own."""
    site = entry.runtime_data.site

    def entities_for(
        coordinator: SiteCoordinator, device: SiteDevice
    ) -> Iterator[EventEntity]:
        if (description := SITE_EVENTS.get(coordinator.kind)) is not None:
            yield RhombusSiteEvent(coordinator, device, description, site)

    async_add_site_entities(entry, async_add_entities, entities_for)


class RhombusSiteEvent(RhombusSiteEntity, EventEntity):
    """Fires once per new alert from its device whose trigger it knows."""

    entity_description: RhombusSiteEventEntityDescription

    def __init__(
        self,
        coordinator: SiteCoordinator,
        device: SiteDevice,
        description: RhombusSiteEventEntityDescription,
        site: SiteHub,
    ) -> None:
        """Bind to the device; its class may depend on it (a doorbell button)."""
        super().__init__(coordinator, device, description)
        self._site = site
        if description.device_class_fn is not None:
            self._attr_device_class = description.device_class_fn(device)

    async def async_added_to_hass(self) -> None:
        """Hear the device's alerts."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._site.async_subscribe(self.device_uuid, self._on_alert)
        )

    @callback
    def _on_alert(self, alert: SiteAlert) -> None:
        if not alert.event_types:
            return
        event = alert.event
        self._trigger_event(
            alert.event_types[0],
            {
                "triggers": list(alert.triggers),
                "description": event.description,
                "alert_uuid": alert.uuid,
                "timestamp": event.timestamp_iso,
                "replayed": alert.replayed,
            },
        )
        self.async_write_ha_state()
