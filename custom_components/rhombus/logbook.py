"""Logbook lines for ``rhombus_event``: "Person detected at Lobby".

The logbook shows ``name`` then ``message``, so the name carries the
subject ("Person", "Alert") and the message the rest of the sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.core import Event, HomeAssistant, callback

from .aiorhombus import ENTITY_POLICY_ALERT, ChangeType
from .const import DOMAIN, EVENT_RHOMBUS
from .detections import DetectionKind

# As the binary sensors are named in translations/en.json.
_KIND_NAMES = {
    kind: kind.value.replace("_", " ").capitalize() for kind in DetectionKind
}
_KIND_NAMES[DetectionKind.TAMPER] = "Tampering"

_ALERT_VERBS: dict[str, str] = {
    ChangeType.DELETE: "cleared",
    ChangeType.UPDATE: "updated",
}
_PAST: dict[str, str] = {
    ChangeType.CREATE: "created",
    ChangeType.UPDATE: "updated",
    ChangeType.DELETE: "deleted",
}


def _humanize(raw: str) -> str:
    """``CROWD_FORMATION`` → ``Crowd formation``."""
    return raw.replace("_", " ").strip().capitalize() or raw


def _subject(data: Mapping[str, Any]) -> str:
    """What was detected: the first kind, else the first raw trigger."""
    for detection in data.get("detections") or ():
        try:
            return _KIND_NAMES[DetectionKind(detection)]
        except ValueError:
            continue
    triggers = data.get("triggers") or ()
    return _humanize(str(triggers[0])) if triggers else "Alert"


def _plate(plate: Mapping[str, Any]) -> str:
    name = plate.get("vehicle_name")
    return f"{plate.get('plate')} ({name})" if name else str(plate.get("plate"))


def _who(data: Mapping[str, Any]) -> tuple[str, str] | None:
    """Who or which car an alert saw, as the logbook's name and verb.

    "Alice, Bob" / "recognised"; "Plate ABC123 (Family car)" and "Unknown
    face" with no verb ("… at Gate"); None when the alert names nobody.
    """
    faces = [face for face in data.get("faces") or () if isinstance(face, Mapping)]
    plates = [plate for plate in data.get("plates") or () if isinstance(plate, Mapping)]
    names = [str(face["name"]) for face in faces if face.get("name")]
    if names:
        return ", ".join(names), "recognised"
    if plates:
        noun = "Plate" if len(plates) == 1 else "Plates"
        return f"{noun} {', '.join(_plate(plate) for plate in plates)}", ""
    if faces:
        return ("Unknown face" if len(faces) == 1 else "Unknown faces"), ""
    return None


def describe(data: Mapping[str, Any]) -> dict[str, str]:
    """The logbook name and message of one ``rhombus_event``."""
    where = data.get("camera_name") or data.get("device_uuid")
    at = f" at {where}" if where else ""
    change = str(data.get("change_type") or "")
    if data.get("entity") == ENTITY_POLICY_ALERT:
        if change == ChangeType.CREATE:
            replayed = " (while the stream was down)" if data.get("replayed") else ""
            subject, verb = _who(data) or (_subject(data), "detected")
            return {
                LOGBOOK_ENTRY_NAME: subject,
                LOGBOOK_ENTRY_MESSAGE: f"{verb}{at}{replayed}".strip(),
            }
        verb = _ALERT_VERBS.get(change, _PAST.get(change, change.lower() or "changed"))
        return {LOGBOOK_ENTRY_NAME: "Alert", LOGBOOK_ENTRY_MESSAGE: f"{verb}{at}"}
    # Other entities reach the bus only with the all_events option.
    entity = _humanize(str(data.get("entity") or "Rhombus"))
    verb = _PAST.get(change, change.lower() or "changed")
    uuid = data.get("entity_uuid")
    target = at or (f" ({uuid})" if uuid else "")
    return {LOGBOOK_ENTRY_NAME: entity, LOGBOOK_ENTRY_MESSAGE: f"{verb}{target}"}


@callback
def async_describe_events(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Teach the logbook to read ``rhombus_event``."""

    @callback
    def describe_event(event: Event) -> dict[str, str]:
        return describe(event.data)

    async_describe_event(DOMAIN, EVENT_RHOMBUS, describe_event)
