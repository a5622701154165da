"""One event entity per camera: every new alert, typed by its detection kind.

The binary sensors say *whether* a person is there; this entity says *that*
an alert happened, once per alert, which is what automations on pulses want
(``event.received`` or a state trigger). Users keep both (ha-anchors §3.7).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components.event import (
    EventDeviceClass,
    EventEntity,
    EventEntityDescription,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiorhombus.const import CHANGE_CREATE
from .const import CONF_DETECTIONS
from .coordinator import RhombusCoordinator
from .data import RhombusConfigEntry
from .detections import DEFAULT_KINDS, DetectionKind
from .entity import RhombusCameraEntity, async_add_camera_entities
from .hub import RhombusAlert, RhombusHub
from .settings import sensor_kinds

# Pushed alerts only; nothing for Home Assistant to serialise.
PARALLEL_UPDATES = 0

# The event type of an alert none of whose triggers is an enabled kind.
OTHER = "other"

DETECTION_EVENT = EventEntityDescription(
    key="detection",
    translation_key="detection",
    device_class=EventDeviceClass.MOTION,
)


def event_kinds(options: Mapping[str, Any]) -> tuple[DetectionKind, ...]:
    """The kinds that are event types: those chosen, else the six defaults.

    Without a choice the extra kinds' sensors exist only disabled, so they are
    not "enabled" here either; their alerts fire as ``other``.
    """
    if options.get(CONF_DETECTIONS) is None:
        return DEFAULT_KINDS
    return sensor_kinds(options)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an event entity for every camera now, and for cameras added later."""
    coordinator = entry.runtime_data.coordinator
    hub = entry.runtime_data.hub
    kinds = event_kinds(entry.options)
    async_add_camera_entities(
        entry,
        async_add_entities,
        lambda uuid: [RhombusDetectionEvent(coordinator, hub, uuid, kinds)],
    )


class RhombusDetectionEvent(RhombusCameraEntity, EventEntity):
    """Fires once per new alert at its camera, replayed ones included."""

    def __init__(
        self,
        coordinator: RhombusCoordinator,
        hub: RhombusHub,
        camera_uuid: str,
        kinds: tuple[DetectionKind, ...],
    ) -> None:
        """Bind the entity to its camera and the enabled kinds."""
        super().__init__(coordinator, camera_uuid, DETECTION_EVENT)
        self._hub = hub
        self._kinds = kinds
        self._attr_event_types = [kind.value for kind in kinds] + [OTHER]

    async def async_added_to_hass(self) -> None:
        """Listen to every alert of this camera, and to the stream."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._hub.async_subscribe_camera(self.camera_uuid, self._on_alert)
        )
        self.async_on_remove(self._hub.async_subscribe_state(self._on_stream_state))

    @property
    def available(self) -> bool:
        """Follow the event stream, which is what delivers alerts."""
        return self._hub.available and self.camera_uuid in self.coordinator.data

    @callback
    def _on_alert(self, alert: RhombusAlert) -> None:
        # UPDATE and DELETE concern an alert that already fired.
        if alert.change_type != CHANGE_CREATE:
            return
        event_type = next(
            (kind.value for kind in alert.kinds if kind in self._kinds), OTHER
        )
        event = alert.event
        timestamp = event.timestamp_iso
        self._trigger_event(
            event_type,
            {
                "triggers": list(event.triggers or ()),
                "detections": [kind.value for kind in alert.kinds],
                "description": event.description,
                "alert_uuid": alert.uuid,
                "timestamp": timestamp,
                "replayed": alert.replayed,
            },
        )
        self.async_write_ha_state()

    @callback
    def _on_stream_state(self, _reconnected: bool) -> None:  # noqa: FBT001
        self.async_write_ha_state()
