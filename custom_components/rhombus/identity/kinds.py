"""The event types of recognised faces and read plates, from the alert's triggers.

One event per face or plate of an alert. A blocklist trigger marks every face
(or plate) of the alert: Rhombus raises it for the listed one, and an alert
names few. ``LICENSEPLATE_TRUSTED`` marks the saved vehicles of the alert as
trusted; a plate nobody saved is still ``unidentified``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from ..aiorhombus import ReadPlate, RecognisedFace

FACE_BLOCKLIST_TRIGGERS = frozenset({"FACE_BLACKLISTED", "FACE_ALERT"})
PLATE_BLOCKLIST_TRIGGERS = frozenset({"LICENSEPLATE_BLACKLISTED", "LICENSEPLATE_ALERT"})
PLATE_TRUSTED_TRIGGER = "LICENSEPLATE_TRUSTED"


class IdentityEventType(StrEnum):
    """What a face or plate event says about who or which car it was."""

    IDENTIFIED = "identified"
    UNIDENTIFIED = "unidentified"
    TRUSTED = "trusted"
    BLOCKLISTED = "blocklisted"


FACE_EVENT_TYPES = [
    IdentityEventType.IDENTIFIED,
    IdentityEventType.UNIDENTIFIED,
    IdentityEventType.BLOCKLISTED,
]
PLATE_EVENT_TYPES = list(IdentityEventType)


def face_event_type(face: RecognisedFace, triggers: Iterable[str]) -> str:
    """``blocklisted``, ``identified`` or ``unidentified``."""
    if FACE_BLOCKLIST_TRIGGERS.intersection(triggers):
        return IdentityEventType.BLOCKLISTED
    if face.known:
        return IdentityEventType.IDENTIFIED
    return IdentityEventType.UNIDENTIFIED


def plate_event_type(plate: ReadPlate, triggers: Iterable[str]) -> str:
    """``blocklisted``, ``trusted``, ``identified`` or ``unidentified``."""
    triggers = frozenset(triggers)
    if PLATE_BLOCKLIST_TRIGGERS & triggers:
        return IdentityEventType.BLOCKLISTED
    if not plate.known:
        return IdentityEventType.UNIDENTIFIED
    if PLATE_TRUSTED_TRIGGER in triggers:
        return IdentityEventType.TRUSTED
    return IdentityEventType.IDENTIFIED
