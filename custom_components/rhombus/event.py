"""One event entity per camera: every new alert, typed by its detection kind.

The binary sensors say *whether* a person is there; this entity says *that*
an alert happened, once per alert, which is what automations on pulses want
(``event.received`` or a state trigger). Users keep both.
"""

from __future__ import annotations

from homeassistant.components.event import (
    EventDeviceClass,
    EventEntity,
    EventEntityDescription,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiorhombus import ChangeType
from .coordinator import RhombusCoordinator
from .data import RhombusConfigEntry
from .detections import DetectionKind
from .entity import RhombusDeviceEntity, async_add_camera_entities
from .hub import RhombusAlert, RhombusHub
from .identity.event import identity_events
from .locations.threat_event import async_setup_threat_events
from .site.event import async_setup_site_events

# Pushed alerts only; nothing for Home Assistant to serialise.
PARALLEL_UPDATES = 0

# The event type of an alert none of whose triggers maps to a kind.
OTHER = "other"
EVENT_TYPES = [*(kind.value for kind in DetectionKind), OTHER]
# Looked up per alert: the kind's text, made once.
_KIND_VALUES = {kind: kind.value for kind in DetectionKind}

DETECTION_EVENT = EventEntityDescription(
    key="detection",
    translation_key="detection",
    device_class=EventDeviceClass.MOTION,
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a camera's detection, face and plate events, and site devices' events."""
    coordinator = entry.runtime_data.coordinator
    hub = entry.runtime_data.hub
    async_add_camera_entities(
        entry,
        async_add_entities,
        lambda uuid: [
            RhombusDetectionEvent(coordinator, hub, uuid),
            *identity_events(coordinator, hub, uuid, coordinator.recognition(uuid)),
        ],
    )
    async_setup_site_events(entry, async_add_entities)
    async_setup_threat_events(entry, async_add_entities)


class RhombusDetectionEvent(RhombusDeviceEntity, EventEntity):
    """Fires once per new alert at its camera, replayed ones included."""

    _attr_event_types = EVENT_TYPES
    # Different at every alert and useless in history (the state is the time
    # already). The description, kinds and triggers say what happened, and
    # repeat from alert to alert, so the recorder shares their rows.
    _unrecorded_attributes = frozenset({"alert_uuid", "timestamp"})

    def __init__(
        self,
        coordinator: RhombusCoordinator,
        hub: RhombusHub,
        camera_uuid: str,
    ) -> None:
        """Bind the entity to its camera."""
        super().__init__(coordinator, camera_uuid, DETECTION_EVENT)
        self._hub = hub

    async def async_added_to_hass(self) -> None:
        """Listen to every alert of this camera, and to the stream."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._hub.async_subscribe_camera(self.camera_uuid, self._on_alert)
        )
        self.async_on_remove(
            self._hub.async_subscribe_availability(self._on_availability)
        )

    @property
    def available(self) -> bool:
        """Follow the event stream, which is what delivers alerts."""
        return self._hub.available and self.camera_uuid in self.coordinator.data

    @callback
    def _on_alert(self, alert: RhombusAlert) -> None:
        # UPDATE and DELETE concern an alert that already fired.
        if alert.change_type != ChangeType.CREATE:
            return
        kinds = alert.kinds
        event = alert.event
        detections = [_KIND_VALUES[kind] for kind in kinds]
        self._trigger_event(
            detections[0] if detections else OTHER,
            {
                "triggers": list(event.triggers or ()),
                "detections": detections,
                "description": event.description,
                "alert_uuid": alert.uuid,
                "timestamp": event.timestamp_iso,
                "replayed": alert.replayed,
            },
        )
        self.async_write_ha_state()

    @callback
    def _on_availability(self, _reconnected: bool) -> None:  # noqa: FBT001
        self.async_write_ha_state()
