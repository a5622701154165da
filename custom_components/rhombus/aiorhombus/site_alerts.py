"""Which site device a policy alert is about, and what kind of event it is.

A sensor's alert is a ``POLICY_ALERT_V2`` whose ``deviceUuid`` is the sensor
(inferred) and ``deviceType`` its ``DeviceTypeEnum``; a door's is an
``ACCESS_CONTROLLED_DOOR_POLICY_ALERT`` naming ``accessControlledDoorUuid``
and no ``deviceUuid`` (confirmed by the spec). Event types are the trigger
names in snake case without their family prefix (``BUTTON_DOUBLE_PRESSED`` →
``double``, ``AUDIO_SOUND_GLASS_BREAK`` → ``glass_break``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from .site_client import DEVICE_TYPE_KINDS, SiteKind

DOOR_ALERT_TYPE: Final = "ACCESS_CONTROLLED_DOOR_POLICY_ALERT"

BUTTON_PRESSES: Final = ("single", "double", "long")
AUDIO_SOUNDS: Final = (
    "significant",
    "loud",
    "abusive",
    "greeting",
    "help",
    "gun",
    "glass_break",
    "alarm_smoke_fire",
    "alarm_carbon_monoxide",
    "siren",
)
# Access triggers (``AC_*`` and the older ``BADGE_*``) → the access event type.
ACCESS_EVENTS: Final[Mapping[str, str]] = {
    "AC_BADGE_AUTHORIZED": "badge_authorized",
    "AC_BADGE_UNAUTHORIZED": "badge_unauthorized",
    "AC_BADGE_FACE_MISMATCH": "face_mismatch",
    "BADGE_AUTHORIZED": "badge_authorized",
    "BADGE_UNAUTHORIZED": "badge_unauthorized",
    "BADGE_UNAUTHORIZED_V2": "badge_unauthorized",
    "AC_REMOTE_UNLOCK": "remote_unlock",
    "AC_DB_TRIGGERED": "doorbell",
    "AC_PANIC_BUTTON_TRIGGERED": "panic",
    "AC_DPI_DOOR_FORCED_OPEN": "forced_open",
    "AC_TAMPER_PROX": "tamper",
    "AC_TAMPER_ACCEL": "tamper",
    "AC_TAMPER_SWITCH": "tamper",
}
ACCESS_EVENT_TYPES: Final = tuple(dict.fromkeys(ACCESS_EVENTS.values()))
DOOR_SENSOR_EVENTS: Final[Mapping[str, str]] = {
    "DOOR_OPENED": "opened",
    "DOOR_CLOSED": "closed",
    "DOOR_AJAR": "ajar",
}
OCCUPANCY_EVENTS: Final[Mapping[str, str]] = {
    "PIR_OCCUPIED": "occupied",
    "PIR_MOVEMENT": "movement",
    "PIR_VACANT": "vacant",
}

# Climate and E50 triggers → event types (a fixed list: event entities need one).
_CLIMATE_TRIGGERS: Final = (
    "CLIMATE_VAPE",
    "CLIMATE_SMOKE",
    "CLIMATE_THC",
    "CLIMATE_VOC",
    "CLIMATE_CO2",
    "CLIMATE_ETOH",
    "CLIMATE_PM25",
    "CLIMATE_IAQ",
    "CLIMATE_LEAK",
    "TEMPERATURE_EXCEEDED_HIGH",
    "TEMPERATURE_EXCEEDED_LOW",
    "HUMIDITY_EXCEEDED_HIGH",
    "HUMIDITY_EXCEEDED_LOW",
    "PM25_EXCEEDED_HIGH",
    "TVOC_EXCEEDED_HIGH",
    "ETOH_EXCEEDED_HIGH",
    "IAQ_EXCEEDED_HIGH",
    "CO2_EXCEEDED_HIGH",
    "CO2_EXCEEDED_LOW",
    "PROBE_TEMPERATURE_EXCEEDED_HIGH",
    "PROBE_TEMPERATURE_EXCEEDED_LOW",
    "HEAT_INDEX_EXCEEDED_HIGH",
    "PRESSURE_EXCEEDED_HIGH",
    "PRESSURE_EXCEEDED_LOW",
    "PM10_EXCEEDED_HIGH",
    "PM40_EXCEEDED_HIGH",
    "PM100_EXCEEDED_HIGH",
    "VOC_IDX_EXCEEDED_HIGH",
    "NOX_IDX_EXCEEDED_HIGH",
    "FORMALDEHYDE_EXCEEDED_HIGH",
    "CARBON_MONOXIDE_EXCEEDED_HIGH",
    "AQI_EXCEEDED_HIGH",
    "PROBE_CONNECTED",
    "PROBE_DISCONNECTED",
    "TAMPER",
)
CLIMATE_EVENTS: Final[Mapping[str, str]] = {
    trigger: trigger.removeprefix("CLIMATE_").lower() for trigger in _CLIMATE_TRIGGERS
}


@dataclass(frozen=True, slots=True)
class SiteAlertTarget:
    """The device an alert is from and the kind to re-read."""

    device_uuid: str
    kind: SiteKind


def alert_target(alert: Mapping[str, Any]) -> SiteAlertTarget | None:
    """The site device behind an alert, or None (a camera's, or unknown)."""
    if alert.get("type") == DOOR_ALERT_TYPE:
        door = alert.get("accessControlledDoorUuid")
        if isinstance(door, str) and door:
            return SiteAlertTarget(door, SiteKind.ACCESS_CONTROL)
        return None
    device, device_type = alert.get("deviceUuid"), alert.get("deviceType")
    if not isinstance(device, str) or not device or not isinstance(device_type, str):
        return None
    kind = DEVICE_TYPE_KINDS.get(device_type)
    return None if kind is None else SiteAlertTarget(device, kind)


def event_type(kind: SiteKind, trigger: str) -> str | None:
    """The event entity's type for ``trigger`` on a device of ``kind``, or None."""
    if kind is SiteKind.BUTTON:
        press = trigger.removeprefix("BUTTON_").removesuffix("_PRESSED").lower()
        return press if press in BUTTON_PRESSES else None
    if kind is SiteKind.AUDIO_GATEWAY:
        sound = trigger.removeprefix("AUDIO_SOUND_").lower()
        return sound if sound in AUDIO_SOUNDS else None
    if kind is SiteKind.ACCESS_CONTROL:
        return ACCESS_EVENTS.get(trigger)
    if kind is SiteKind.DOOR_SENSOR:
        return DOOR_SENSOR_EVENTS.get(trigger)
    if kind is SiteKind.OCCUPANCY_SENSOR:
        return OCCUPANCY_EVENTS.get(trigger)
    return CLIMATE_EVENTS.get(trigger)


def event_types(kind: SiteKind, triggers: Iterable[str]) -> list[str]:
    """Every event type of an alert's triggers, in order, without repeats."""
    found = (event_type(kind, trigger) for trigger in triggers)
    return list(dict.fromkeys(kind_type for kind_type in found if kind_type))
