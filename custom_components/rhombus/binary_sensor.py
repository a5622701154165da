"""Binary sensors: camera detections and connectivity, the stream, the site."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
import time

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later

from .aiorhombus import ChangeType, StreamState
from .coordinator import RhombusCoordinator
from .data import RhombusConfigEntry
from .detections import DetectionKind
from .devices import org_device_info
from .entity import RhombusDeviceEntity, async_add_camera_entities
from .hub import RhombusAlert, RhombusHub
from .locations.lockdown_entities import async_setup_lockdown_sensors
from .settings import hold_seconds
from .site.binary_sensor import async_setup_site_binary_sensors

# Entities only react to pushed alerts; Home Assistant need not serialise them.
PARALLEL_UPDATES = 0
# Alerts a sensor remembers for their DELETE: a sensor that never goes quiet
# forgets the oldest (its hold, long over, keeps it on no longer anyway).
MAX_ACTIVE_ALERTS = 64


@dataclass(frozen=True, kw_only=True)
class RhombusDetectionDescription(BinarySensorEntityDescription):
    """A detection sensor's description."""

    kind: DetectionKind


# The guide's six kinds are enabled by default; the rest exist, disabled.
DETECTION_DESCRIPTIONS: tuple[RhombusDetectionDescription, ...] = (
    RhombusDetectionDescription(
        key=DetectionKind.PERSON.value,
        translation_key=DetectionKind.PERSON.value,
        kind=DetectionKind.PERSON,
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    RhombusDetectionDescription(
        key=DetectionKind.VEHICLE.value,
        translation_key=DetectionKind.VEHICLE.value,
        kind=DetectionKind.VEHICLE,
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    RhombusDetectionDescription(
        key=DetectionKind.MOTION.value,
        translation_key=DetectionKind.MOTION.value,
        kind=DetectionKind.MOTION,
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    RhombusDetectionDescription(
        key=DetectionKind.LOITERING.value,
        translation_key=DetectionKind.LOITERING.value,
        kind=DetectionKind.LOITERING,
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    RhombusDetectionDescription(
        key=DetectionKind.LINE_CROSSING.value,
        translation_key=DetectionKind.LINE_CROSSING.value,
        kind=DetectionKind.LINE_CROSSING,
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    RhombusDetectionDescription(
        key=DetectionKind.AREA_INTRUSION.value,
        translation_key=DetectionKind.AREA_INTRUSION.value,
        kind=DetectionKind.AREA_INTRUSION,
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    RhombusDetectionDescription(
        key=DetectionKind.ANIMAL.value,
        translation_key=DetectionKind.ANIMAL.value,
        kind=DetectionKind.ANIMAL,
        device_class=BinarySensorDeviceClass.MOTION,
        entity_registry_enabled_default=False,
    ),
    RhombusDetectionDescription(
        key=DetectionKind.PACKAGE.value,
        translation_key=DetectionKind.PACKAGE.value,
        kind=DetectionKind.PACKAGE,
        device_class=BinarySensorDeviceClass.MOTION,
        entity_registry_enabled_default=False,
    ),
    RhombusDetectionDescription(
        key=DetectionKind.FACE.value,
        translation_key=DetectionKind.FACE.value,
        kind=DetectionKind.FACE,
        device_class=BinarySensorDeviceClass.MOTION,
        entity_registry_enabled_default=False,
    ),
    RhombusDetectionDescription(
        key=DetectionKind.LICENSE_PLATE.value,
        translation_key=DetectionKind.LICENSE_PLATE.value,
        kind=DetectionKind.LICENSE_PLATE,
        device_class=BinarySensorDeviceClass.MOTION,
        entity_registry_enabled_default=False,
    ),
    RhombusDetectionDescription(
        key=DetectionKind.TAMPER.value,
        translation_key=DetectionKind.TAMPER.value,
        kind=DetectionKind.TAMPER,
        device_class=BinarySensorDeviceClass.TAMPER,
        entity_registry_enabled_default=False,
    ),
    RhombusDetectionDescription(
        key=DetectionKind.SOUND.value,
        translation_key=DetectionKind.SOUND.value,
        kind=DetectionKind.SOUND,
        device_class=BinarySensorDeviceClass.SOUND,
        entity_registry_enabled_default=False,
    ),
)

CAMERA_CONNECTIVITY = BinarySensorEntityDescription(
    key="connectivity",
    translation_key="connectivity",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
)

EVENT_STREAM = BinarySensorEntityDescription(
    key="event_stream",
    translation_key="event_stream",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the stream sensor, and each camera's sensors now and when it appears."""
    coordinator = entry.runtime_data.coordinator
    hub = entry.runtime_data.hub
    hold = hold_seconds(entry.options)

    def entities_for(uuid: str) -> Iterator[BinarySensorEntity]:
        yield RhombusCameraConnectivity(coordinator, uuid, CAMERA_CONNECTIVITY)
        for description in DETECTION_DESCRIPTIONS:
            yield RhombusDetectionSensor(coordinator, hub, uuid, description, hold)

    async_add_entities([RhombusStreamConnectivity(entry, hub)])
    async_add_camera_entities(entry, async_add_entities, entities_for)
    async_setup_site_binary_sensors(entry, async_add_entities)
    async_setup_lockdown_sensors(entry, async_add_entities)


class RhombusCameraConnectivity(RhombusDeviceEntity, BinarySensorEntity):
    """On while Rhombus reports the camera connected (``connectionStatus`` GREEN).

    It comes from the camera list, so it changes at the next refresh and is
    unavailable while that list cannot be fetched (the base entity's rule).
    """

    @property
    def is_on(self) -> bool:
        """Whether the latest camera list shows the camera connected."""
        return self.coordinator.data[self.camera_uuid].online


class RhombusStreamConnectivity(BinarySensorEntity):
    """On while the account's event stream is connected, without the grace period.

    It is always available: "disconnected" is exactly what it reports.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False
    entity_description = EVENT_STREAM

    def __init__(self, entry: RhombusConfigEntry, hub: RhombusHub) -> None:
        """Attach the sensor to the organisation's service device."""
        self._hub = hub
        self._attr_unique_id = f"{entry.unique_id}_{EVENT_STREAM.key}"
        self._attr_device_info = org_device_info(entry)

    async def async_added_to_hass(self) -> None:
        """Write the state at every change of the stream's state."""
        self.async_on_remove(self._hub.async_subscribe_stream_state(self._on_stream))

    @property
    def is_on(self) -> bool:
        """Whether the stream is connected and subscribed right now."""
        return self._hub.stream.state is StreamState.CONNECTED

    @callback
    def _on_stream(self, _state: StreamState) -> None:
        self.async_write_ha_state()


class RhombusDetectionSensor(RhombusDeviceEntity, BinarySensorEntity):
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
        # Insertion-ordered, so the oldest is forgotten first.
        self._active: dict[str | None, None] = {}
        self._off_timer: CALLBACK_TYPE | None = None
        self._off_at = 0.0  # epoch time at which the hold ends
        # Made once: each alert re-arms the timer, and a new job per alert
        # would cost more than the timer itself.
        self._hold_job = HassJob(self._hold_over, "rhombus detection hold")

    async def async_added_to_hass(self) -> None:
        """Listen to this camera's alerts of this kind, and to the stream."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._hub.async_subscribe_kind(
                self.camera_uuid, self.entity_description.kind, self._on_alert
            )
        )
        self.async_on_remove(
            self._hub.async_subscribe_availability(self._on_availability)
        )
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
        if alert.change_type == ChangeType.CREATE:
            remaining = float(self._hold)
            if alert.replayed and alert.event.timestamp_ms is not None:
                # What is left of its hold; never more (a clock ahead of ours).
                age = time.time() - alert.event.timestamp_ms / 1000
                remaining = min(remaining, remaining - age)
                if remaining <= 0:
                    return  # an old alert from catch-up: it is over already
            active = self._active
            active[alert.uuid] = None
            if len(active) > MAX_ACTIVE_ALERTS:
                del active[next(iter(active))]
            off_at = time.time() + remaining
            if self._off_timer is None:
                self._off_at = off_at
                self._off_timer = async_call_later(self.hass, remaining, self._hold_job)
            elif off_at > self._off_at:
                # Only ever push the end later: a replayed alert older than a
                # live one must not cut its hold short. The running timer is
                # kept (one per alert would cost more than the state write);
                # it re-arms for the rest when it fires.
                self._off_at = off_at
            if not self._attr_is_on:
                self._attr_is_on = True
                self.async_write_ha_state()
        elif alert.change_type == ChangeType.DELETE:
            self._active.pop(alert.uuid, None)
            if not self._active:
                self._turn_off()

    @callback
    def _hold_over(self, now: datetime) -> None:
        # A later alert moved the end: wait for the rest (never more than a
        # hold, whatever the wall clock did meanwhile).
        rest = min(self._off_at - now.timestamp(), float(self._hold))
        if rest > 0:
            self._off_timer = async_call_later(self.hass, rest, self._hold_job)
            return
        self._off_timer = None
        self._turn_off()

    @callback
    def _on_availability(self, reconnected: bool) -> None:  # noqa: FBT001
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
