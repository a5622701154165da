"""Detection binary sensors: one per camera and detection kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
import time

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later

from .aiorhombus.const import CHANGE_CREATE, CHANGE_DELETE
from .coordinator import RhombusCoordinator
from .data import RhombusConfigEntry
from .detections import DEFAULT_KINDS, DetectionKind
from .entity import RhombusCameraEntity
from .hub import RhombusAlert, RhombusHub
from .settings import camera_allowed, hold_seconds, sensor_kinds

# Entities only react to pushed alerts; Home Assistant need not serialise them.
PARALLEL_UPDATES = 0

_DEVICE_CLASSES = {
    DetectionKind.TAMPER: BinarySensorDeviceClass.TAMPER,
    DetectionKind.SOUND: BinarySensorDeviceClass.SOUND,
}


@dataclass(frozen=True, kw_only=True)
class RhombusDetectionDescription(BinarySensorEntityDescription):
    """A detection sensor's description."""

    kind: DetectionKind


DETECTION_DESCRIPTIONS: dict[DetectionKind, RhombusDetectionDescription] = {
    kind: RhombusDetectionDescription(
        key=kind.value,
        translation_key=kind.value,
        kind=kind,
        device_class=_DEVICE_CLASSES.get(kind, BinarySensorDeviceClass.MOTION),
        entity_registry_enabled_default=kind in DEFAULT_KINDS,
    )
    for kind in DetectionKind
}


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add sensors for every camera now, and for cameras that appear later."""
    coordinator = entry.runtime_data.coordinator
    hub = entry.runtime_data.hub
    kinds = sensor_kinds(entry.options)
    hold = hold_seconds(entry.options)
    known: set[str] = set()

    @callback
    def add_new_cameras() -> None:
        new = [
            uuid
            for uuid in coordinator.data
            if uuid not in known and camera_allowed(entry.options, uuid)
        ]
        known.update(new)
        async_add_entities(
            RhombusDetectionSensor(
                coordinator, hub, uuid, DETECTION_DESCRIPTIONS[kind], hold
            )
            for uuid in new
            for kind in kinds
        )

    add_new_cameras()
    entry.async_on_unload(coordinator.async_add_listener(add_new_cameras))


class RhombusDetectionSensor(RhombusCameraEntity, BinarySensorEntity):
    """On when an alert of its kind arrives, off ``hold`` seconds after the latest.

    It never restores ``on`` after a restart: a stale "person detected" is
    worse than a missed one, and the alert itself is on the bus anyway.
    """

    entity_description: RhombusDetectionDescription
    _attr_is_on = False

    def __init__(
        self,
        coordinator: RhombusCoordinator,
        hub: RhombusHub,
        camera_uuid: str,
        description: RhombusDetectionDescription,
        hold: int,
    ) -> None:
        """Bind the sensor to its camera, kind and hold time."""
        super().__init__(coordinator, camera_uuid, description)
        self._hub = hub
        self._hold = hold
        self._active: set[str | None] = set()
        self._off_timer: CALLBACK_TYPE | None = None

    async def async_added_to_hass(self) -> None:
        """Listen to this camera's alerts of this kind, and to the stream."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._hub.async_subscribe(
                self.camera_uuid, self.entity_description.kind, self._on_alert
            )
        )
        self.async_on_remove(self._hub.async_subscribe_state(self._on_stream_state))
        self.async_on_remove(self._cancel_timer)

    @property
    def available(self) -> bool:
        """Follow the event stream, which delivers this state, not REST.

        A failed camera-list refresh keeps the last list; only a camera gone
        from it, or a stream down past its grace, makes the sensor unavailable.
        """
        return self._hub.available and self.camera_uuid in self.coordinator.data

    @callback
    def _on_alert(self, alert: RhombusAlert) -> None:
        if alert.change_type == CHANGE_CREATE:
            remaining = float(self._hold)
            if alert.replayed and alert.event.timestamp_ms is not None:
                remaining -= time.time() - alert.event.timestamp_ms / 1000
                if remaining <= 0:
                    return  # an old alert from catch-up: it is over already
            self._active.add(alert.uuid)
            self._cancel_timer()
            self._off_timer = async_call_later(self.hass, remaining, self._hold_over)
            if not self._attr_is_on:
                self._attr_is_on = True
                self.async_write_ha_state()
        elif alert.change_type == CHANGE_DELETE:
            self._active.discard(alert.uuid)
            if not self._active:
                self._turn_off()

    @callback
    def _hold_over(self, _now: datetime) -> None:
        self._off_timer = None
        self._turn_off()

    @callback
    def _on_stream_state(self, reconnected: bool) -> None:  # noqa: FBT001
        if reconnected:
            # An alert's end may have been missed while down: start clean.
            self._turn_off(write=False)
        self.async_write_ha_state()

    def _turn_off(self, *, write: bool = True) -> None:
        self._cancel_timer()
        self._active.clear()
        if self._attr_is_on:
            self._attr_is_on = False
            if write:
                self.async_write_ha_state()

    @callback
    def _cancel_timer(self) -> None:
        if self._off_timer is not None:
            self._off_timer()
            self._off_timer = None
