"""Binary-sensor descriptions for the site hardware, per kind.

``value_fn`` returns None when the device does not say (the entity is then
unknown, not off). ``exists_fn`` decides at the first refresh whether a
device gets the entity at all (an E50 without a leak probe gets no leak
sensor).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory

from ..aiorhombus import (
    DeviceStatus,
    DoorPosition,
    DoorStatus,
    LockState,
    ReaderState,
    SensorHealth,
    SiteKind,
    Supervision,
)


@dataclass(frozen=True, kw_only=True)
class RhombusSiteBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A site binary sensor: its value, and which devices get it."""

    value_fn: Callable[[Any], bool | None]
    exists_fn: Callable[[Any], bool] = lambda _device: True


def _present(value_fn: Callable[[Any], bool | None]) -> Callable[[Any], bool]:
    return lambda device: value_fn(device) is not None


def _is(value: object, wanted: object) -> bool | None:
    return (
        None
        if value is None or getattr(value, "value", "") == "UNKNOWN"
        else (value is wanted)
    )


CONNECTIVITY: Final = RhombusSiteBinarySensorEntityDescription(
    key="connectivity",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
    value_fn=lambda d: d.online,
)
BLE_HEALTH: Final = RhombusSiteBinarySensorEntityDescription(
    key="health",
    translation_key="health",
    device_class=BinarySensorDeviceClass.PROBLEM,
    entity_category=EntityCategory.DIAGNOSTIC,
    value_fn=lambda d: _is(d.health, SensorHealth.RED),
)
BLE_BINARY_SENSORS: Final = (CONNECTIVITY, BLE_HEALTH)

DOOR_SENSOR_BINARY_SENSORS: Final = (
    *BLE_BINARY_SENSORS,
    RhombusSiteBinarySensorEntityDescription(
        key="door",
        device_class=BinarySensorDeviceClass.DOOR,
        value_fn=lambda d: d.is_open,
    ),
    RhombusSiteBinarySensorEntityDescription(
        key="ajar",
        translation_key="ajar",
        device_class=BinarySensorDeviceClass.PROBLEM,
        value_fn=lambda d: _is(d.status, DoorStatus.AJAR),
    ),
)

CLIMATE_BINARY_SENSORS: Final = (
    *BLE_BINARY_SENSORS,
    RhombusSiteBinarySensorEntityDescription(
        key="calibrating",
        translation_key="calibrating",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.calibrating,
        exists_fn=_present(lambda d: d.calibrating),
    ),
)

ENVIRONMENTAL_GATEWAY_BINARY_SENSORS: Final = (
    CONNECTIVITY,
    RhombusSiteBinarySensorEntityDescription(
        key="vape",
        translation_key="vape",
        value_fn=lambda d: d.vape_detected,
        exists_fn=_present(lambda d: d.vape_detected),
    ),
    RhombusSiteBinarySensorEntityDescription(
        key="leak",
        device_class=BinarySensorDeviceClass.MOISTURE,
        value_fn=lambda d: d.leak_detected,
        exists_fn=lambda d: d.leak_probe_present is True,
    ),
    RhombusSiteBinarySensorEntityDescription(
        key="health",
        translation_key="health",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: (
            None
            if d.health_status in (None, DeviceStatus.UNKNOWN)
            else d.health_status is not DeviceStatus.GREEN
        ),
        exists_fn=_present(lambda d: d.health_status),
    ),
)

OCCUPANCY_BINARY_SENSORS: Final = (
    *BLE_BINARY_SENSORS,
    RhombusSiteBinarySensorEntityDescription(
        key="occupancy",
        device_class=BinarySensorDeviceClass.OCCUPANCY,
        value_fn=lambda d: d.occupied,
    ),
    RhombusSiteBinarySensorEntityDescription(
        key="motion",
        device_class=BinarySensorDeviceClass.MOTION,
        value_fn=lambda d: d.motion,
    ),
)

AUDIO_GATEWAY_BINARY_SENSORS: Final = (CONNECTIVITY,)

ACCESS_CONTROL_BINARY_SENSORS: Final = (
    RhombusSiteBinarySensorEntityDescription(
        key="door",
        device_class=BinarySensorDeviceClass.DOOR,
        value_fn=lambda d: d.is_open,
        exists_fn=lambda d: bool(d.position_components),
    ),
    RhombusSiteBinarySensorEntityDescription(
        key="forced_open",
        translation_key="forced_open",
        device_class=BinarySensorDeviceClass.PROBLEM,
        value_fn=lambda d: _is(d.position, DoorPosition.FORCED_OPEN),
        exists_fn=lambda d: bool(d.position_components),
    ),
    RhombusSiteBinarySensorEntityDescription(
        # LOCK: on means unlocked. Replaced by the door's lock entity (which
        # shows the same state): new doors get it disabled.
        key="lock",
        device_class=BinarySensorDeviceClass.LOCK,
        entity_registry_enabled_default=False,
        value_fn=lambda d: _is(d.lock, LockState.UNLOCKED),
        exists_fn=lambda d: bool(d.relay_components),
    ),
    RhombusSiteBinarySensorEntityDescription(
        key="wiring",
        translation_key="wiring",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: (
            None
            if d.position_supervision in (None, Supervision.UNKNOWN)
            else d.position_supervision is not Supervision.NORMAL
        ),
        exists_fn=lambda d: bool(d.position_components),
    ),
    RhombusSiteBinarySensorEntityDescription(
        key="reader",
        translation_key="reader",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: _is(d.reader, ReaderState.CONNECTED),
        exists_fn=lambda d: bool(d.reader_components),
    ),
)

SITE_BINARY_SENSORS: Final[
    Mapping[SiteKind, tuple[RhombusSiteBinarySensorEntityDescription, ...]]
] = {
    SiteKind.DOOR_SENSOR: DOOR_SENSOR_BINARY_SENSORS,
    SiteKind.CLIMATE_SENSOR: CLIMATE_BINARY_SENSORS,
    SiteKind.ENVIRONMENTAL_GATEWAY: ENVIRONMENTAL_GATEWAY_BINARY_SENSORS,
    SiteKind.OCCUPANCY_SENSOR: OCCUPANCY_BINARY_SENSORS,
    SiteKind.BUTTON: BLE_BINARY_SENSORS,
    SiteKind.AUDIO_GATEWAY: AUDIO_GATEWAY_BINARY_SENSORS,
    SiteKind.ACCESS_CONTROL: ACCESS_CONTROL_BINARY_SENSORS,
}
