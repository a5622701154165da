"""The ``rhombus_event`` bus event's data (design §3.3), its payload capped.

The original message rides along as ``payload`` for automations that need a
field the event does not name. Rhombus may send up to a MiB, and the
recorder warns at every event over 32 KiB: above :data:`MAX_PAYLOAD_BYTES`
of JSON the copy is left out and ``payload_truncated`` says so. In a message
other than an alert (``all_events``), a field named like a secret (a
location's alarm ``pins``, a door's code, a token) is replaced wherever it is
in the copy: the bus goes to the recorder. An alert is the spec's alert
object, which names none, and is copied as it is: the walk would add to
every alert's CPU.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import orjson

from ..aiorhombus import ChangeEvent
from ..detections import DetectionKind
from ..secret_names import is_secret_name
from .identity import AlertIdentities
from .routing import AlertSource

MAX_PAYLOAD_BYTES: Final = 16 * 1024
# A message this short cannot serialise past the cap (a character is at most
# four UTF-8 bytes): most alerts are a kilobyte or two, and are not measured.
_SURELY_SMALL: Final = MAX_PAYLOAD_BYTES // 4


REDACTED: Final = "**REDACTED**"


def without_secrets(value: Any) -> Any:
    """A copy of ``value`` with every field named like a secret replaced."""
    if isinstance(value, Mapping):
        return {
            key: REDACTED
            if isinstance(key, str) and is_secret_name(key)
            else without_secrets(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value


def payload_fits(event: ChangeEvent) -> bool:
    """Whether the event's payload is small enough to copy onto the bus.

    A message's size is known unless it holds what orjson does not read
    (NaN, an integer beyond 64 bits): that one is measured, and refused if
    orjson, the recorder's encoder, cannot write it.
    """
    if event.size is not None and event.size <= _SURELY_SMALL:
        return True
    try:
        size = len(orjson.dumps(event.payload, option=orjson.OPT_NON_STR_KEYS))
    except TypeError:  # an integer beyond 64 bits: the recorder could not store it
        return False
    return size <= MAX_PAYLOAD_BYTES


def event_data(
    event: ChangeEvent,
    kinds: tuple[DetectionKind, ...],
    source: AlertSource | None,
    *,
    entry_id: str,
    org_uuid: str,
    device_id: str | None,
    media_content_id: str | None,
    replayed: bool,
    who: AlertIdentities,
) -> dict[str, Any]:
    """The bus event of one message; ``source`` names its device, if known."""
    name = source.name if source else None
    fits = payload_fits(event)
    data: dict[str, Any] = {
        "config_entry_id": entry_id,
        "org_uuid": org_uuid,
        "entity": event.entity_type,
        "entity_uuid": event.entity_uuid,
        "change_type": event.change_type,
        "device_uuid": source.uuid if source else event.device_uuid,
        "device_id": device_id,
        # camera_name is kept for automations written before the site.
        "camera_name": name,
        "device_name": name,
        "device_type": source.device_type if source else None,
        "timestamp": event.timestamp_iso,
        "timestamp_ms": event.timestamp_ms,
        "duration_sec": event.duration_sec,
        "triggers": list(event.triggers or ()),
        "detections": [str(kind) for kind in kinds],
        "description": event.description,
        "replayed": replayed,
        # The alert's footage in the media browser (None: no camera of ours).
        "media_content_id": media_content_id,
        # Who or which car; faces_unknown: an identity alert whose names
        # could not be read (its details call failed).
        "faces": who.faces(),
        "plates": who.plates(),
        "faces_unknown": who.unknown,
        "payload_truncated": not fits,
    }
    if fits:
        data["payload"] = (
            event.payload if event.is_alert else without_secrets(event.payload)
        )
    return data
