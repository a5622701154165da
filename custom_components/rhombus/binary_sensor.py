"""Binary sensors: per camera its detections and connectivity; the account's stream.

The connectivity sensors live in connectivity.py; this platform adds them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
import time

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import Platform
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later

from .aiorhombus.const import CHANGE_CREATE, CHANGE_DELETE
from .connectivity import (
    CAMERA_CONNECTIVITY,
    RhombusCameraConnectivity,
    RhombusStreamConnectivity,
)
from .const import CONF_DETECTIONS
from .coordinator import RhombusCoordinator
from .data import RhombusConfigEntry
from .detections import DEFAULT_KINDS, DetectionKind
from .entity import RhombusCameraEntity, async_add_camera_entities
from .hub import RhombusAlert, RhombusHub
from .settings import hold_seconds, sensor_kinds

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
    hass: HomeAssistant,
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the stream sensor, and each camera's sensors now and when it appears."""
    coordinator = entry.runtime_data.coordinator
    hub = entry.runtime_data.hub
    kinds = sensor_kinds(entry.options)
    chosen = entry.options.get(CONF_DETECTIONS) is not None
    descriptions = [
        # Once the user has chosen, every chosen kind is wanted: enabled.
        replace(DETECTION_DESCRIPTIONS[kind], entity_registry_enabled_default=True)
        if chosen
        else DETECTION_DESCRIPTIONS[kind]
        for kind in kinds
    ]
    _async_sync_detection_registry(hass, entry, kinds, enable_chosen=chosen)
    hold = hold_seconds(entry.options)

    def entities_for(uuid: str) -> Iterator[BinarySensorEntity]:
        yield RhombusCameraConnectivity(coordinator, uuid, CAMERA_CONNECTIVITY)
        for description in descriptions:
            yield RhombusDetectionSensor(coordinator, hub, uuid, description, hold)

    async_add_entities([RhombusStreamConnectivity(entry, hub)])
    async_add_camera_entities(entry, async_add_entities, entities_for)


@callback
def _async_sync_detection_registry(
    hass: HomeAssistant,
    entry: RhombusConfigEntry,
    kinds: tuple[DetectionKind, ...],
    *,
    enable_chosen: bool,
) -> None:
    """Drop registry entries of kinds the options leave out.

    With ``enable_chosen``, entries of chosen kinds that the integration had
    created disabled are enabled: recreating them would not do, as newer
    releases restore a removed entry's ``disabled_by``. Home Assistant reloads
    the entry 30 s after such a change, as whenever an entity is enabled.
    """
    registry = er.async_get(hass)
    wanted = {kind.value for kind in kinds}
    by_unique_id = {
        f"{uuid}_{kind}": kind
        for uuid in entry.runtime_data.coordinator.data
        for kind in DetectionKind
    }
    for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
        kind = by_unique_id.get(entity.unique_id)
        if entity.domain != Platform.BINARY_SENSOR or kind is None:
            continue
        if kind not in wanted:
            registry.async_remove(entity.entity_id)
        elif (
            enable_chosen and entity.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        ):
            registry.async_update_entity(entity.entity_id, disabled_by=None)


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
        self._off_at = 0.0  # loop time at which the hold ends
        # Made once: each alert re-arms the timer, and a new job per alert
        # would cost more than the timer itself.
        self._hold_job = HassJob(self._hold_over, "rhombus detection hold")

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
            off_at = self.hass.loop.time() + remaining
            # Only ever push the end later: a replayed alert that is older
            # than a live one must not cut the live one's hold short.
            if self._off_timer is None or off_at > self._off_at:
                self._cancel_timer()
                self._off_at = off_at
                self._off_timer = async_call_later(self.hass, remaining, self._hold_job)
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
