"""A location's own alerts: alarm-monitoring threat cases and lockdown news.

Rhombus raises them for a location, not a device (``deviceUuid`` null,
``locationUuid`` set). They still reach ``rhombus_event`` (named after the
location); a threat case also fires the location's "Threat" event entity, and
news of monitoring or lockdown switched asks for a prompt read of that state.

Inferred, not settled by the spec: which alerts Rhombus sends for alarm
monitoring and lockdown, and that they carry ``locationUuid``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, callback

from ..aiorhombus import ChangeEvent, ChangeType
from ..data import RhombusConfigEntry
from ..hub import RhombusHub
from ..hub.routing import AlertSource, RhombusAlert
from .alarm import ALARM_SWITCH_TRIGGERS
from .lockdown import LOCKDOWN_TRIGGER_PREFIX

ALARM_TRIGGER_PREFIX: Final = "ALM_"
# The threat event entity's types; any other ALM_ trigger is "other".
THREAT_TYPES: Final = {
    "ALM_THREAT_DETECTED": "threat_detected",
    "ALM_AUTHORITIES_CONTACTED": "authorities_contacted",
    "ALM_THREAT_CASE_CLOSED": "threat_case_closed",
}
OTHER_THREAT: Final = "other"
THREAT_EVENT_TYPES: Final = [*THREAT_TYPES.values(), OTHER_THREAT]


@dataclass(frozen=True, slots=True)
class ThreatAlert:
    """What a location's threat entity learns about one new alert."""

    event_type: str
    alert: RhombusAlert


type ThreatCallback = Callable[[ThreatAlert], None]


def _body(event: ChangeEvent) -> Mapping[str, Any]:
    update = event.payload.get("update")
    return update if isinstance(update, Mapping) else event.payload


def location_of(event: ChangeEvent) -> str | None:
    """The location of a location's own alert (no device), or None."""
    body = _body(event)
    location = body.get("locationUuid")
    if event.device_uuid or body.get("deviceUuid") or not isinstance(location, str):
        return None
    if not any(
        t.startswith((ALARM_TRIGGER_PREFIX, LOCKDOWN_TRIGGER_PREFIX))
        for t in event.triggers or ()
    ):
        return None
    return location or None


def threat_type(triggers: tuple[str, ...]) -> str | None:
    """The threat event's type, or None when no trigger is a threat case's."""
    for trigger in triggers:
        if trigger in THREAT_TYPES:
            return THREAT_TYPES[trigger]
    if any(
        t.startswith(ALARM_TRIGGER_PREFIX) and t not in ALARM_SWITCH_TRIGGERS
        for t in triggers
    ):
        return OTHER_THREAT
    return None


class LocationAlerts:
    """Takes the locations' own alerts from the hub's stream."""

    def __init__(self, entry: RhombusConfigEntry) -> None:
        """Serve ``entry``'s locations."""
        self._entry = entry
        self._listeners: dict[str, list[ThreatCallback]] = {}

    @callback
    def async_subscribe(self, location_uuid: str, cb: ThreatCallback) -> CALLBACK_TYPE:
        """Call ``cb`` for each new threat alert at ``location_uuid``."""
        callbacks = self._listeners.setdefault(location_uuid, [])
        callbacks.append(cb)
        return lambda: callbacks.remove(cb)

    @callback
    def async_register(self, hub: RhombusHub) -> CALLBACK_TYPE:
        """Register with the hub; return the undo."""
        return hub.async_register_consumer(
            alerts=lambda event: location_of(event) is not None,
            on_alert=self._on_alert,
            complete=True,  # it names its location, and has no device to fetch
        )

    @callback
    def _on_alert(self, alert: RhombusAlert) -> AlertSource | None:
        event = alert.event
        location_uuid = location_of(event)
        if location_uuid is None:
            return None
        data = self._entry.runtime_data
        triggers = event.triggers or ()
        if any(t in ALARM_SWITCH_TRIGGERS for t in triggers):
            data.alarm.on_stream()
        if any(t.startswith(LOCKDOWN_TRIGGER_PREFIX) for t in triggers):
            data.lockdown.on_stream()
        kind = threat_type(triggers)
        if (
            kind is not None
            and alert.live
            and alert.first
            and event.change_type == ChangeType.CREATE
        ):
            for cb in list(self._listeners.get(location_uuid, ())):
                cb(ThreatAlert(kind, alert))
        location = (data.locations.data or {}).get(location_uuid)
        if location is None:
            return None
        return AlertSource(location_uuid, location.name, "location")
