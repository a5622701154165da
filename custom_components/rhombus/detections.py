"""The one table that maps raw Rhombus trigger names to detection kinds.

It covers both the names of the Event Monitoring guide (``PERSON_DETECTED``)
and the names the real API sends (``MOTION_HUMAN``, from ``ActivityEnum``).
A trigger not in the table maps to no kind; it still reaches the bus event.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Final


class DetectionKind(StrEnum):
    """What a detection binary sensor reports."""

    PERSON = "person"
    VEHICLE = "vehicle"
    MOTION = "motion"
    LOITERING = "loitering"
    LINE_CROSSING = "line_crossing"
    AREA_INTRUSION = "area_intrusion"
    ANIMAL = "animal"
    PACKAGE = "package"
    FACE = "face"
    LICENSE_PLATE = "license_plate"
    TAMPER = "tamper"
    SOUND = "sound"


_EXACT: Final[dict[str, DetectionKind]] = {
    # The guide's names
    "PERSON_DETECTED": DetectionKind.PERSON,
    "VEHICLE_DETECTED": DetectionKind.VEHICLE,
    "MOTION_DETECTED": DetectionKind.MOTION,
    "LOITERING": DetectionKind.LOITERING,
    "LINE_CROSSING": DetectionKind.LINE_CROSSING,
    "AREA_INTRUSION": DetectionKind.AREA_INTRUSION,
    # The real API's names (ActivityEnum)
    "MOTION_HUMAN": DetectionKind.PERSON,
    "MOTION_CAR": DetectionKind.VEHICLE,
    "MOTION": DetectionKind.MOTION,
    "LOITER_HUMAN": DetectionKind.LOITERING,
    "HUMAN_ENTER": DetectionKind.LINE_CROSSING,
    "HUMAN_EXIT": DetectionKind.LINE_CROSSING,
    "CAR_ENTER": DetectionKind.LINE_CROSSING,
    "CAR_EXIT": DetectionKind.LINE_CROSSING,
    "MOTION_ANIMAL": DetectionKind.ANIMAL,
    "MOTION_PACKAGE": DetectionKind.PACKAGE,
    "PACKAGE_ARRIVED": DetectionKind.PACKAGE,
    "PACKAGE_DEPARTED": DetectionKind.PACKAGE,
    "TAMPER": DetectionKind.TAMPER,
    "VISUAL_TAMPER": DetectionKind.TAMPER,
    "MOTION_TAMPER": DetectionKind.TAMPER,
}

# Families the API keeps growing (FACE_IDENTIFIED, LICENSEPLATE_ALERT, ...).
_PREFIXES: Final[tuple[tuple[str, DetectionKind], ...]] = (
    ("FACE", DetectionKind.FACE),
    ("LICENSEPLATE", DetectionKind.LICENSE_PLATE),
    ("SOUND_", DetectionKind.SOUND),
    ("AUDIO_SOUND_", DetectionKind.SOUND),
)

# Alerts repeat a handful of trigger names: remember each answer.
_cache: dict[str, DetectionKind | None] = {}
_CACHE_LIMIT: Final = 1024


def kind_of(trigger: str) -> DetectionKind | None:
    """The detection kind of one raw trigger name, or None."""
    try:
        return _cache[trigger]
    except KeyError:
        pass
    kind = _EXACT.get(trigger)
    if kind is None:
        kind = next((k for prefix, k in _PREFIXES if trigger.startswith(prefix)), None)
    if len(_cache) < _CACHE_LIMIT:  # unknown names must not grow it forever
        _cache[trigger] = kind
    return kind


# Trigger lists repeat too. Handing out one shared tuple per list also means
# an alert remembered by the hub adds no object of its own for its kinds,
# which keeps the garbage collector's young generation small.
_tuple_cache: dict[tuple[str, ...], tuple[DetectionKind, ...]] = {}


def kinds_of(triggers: Iterable[str]) -> tuple[DetectionKind, ...]:
    """The distinct kinds of an alert's triggers, in trigger order."""
    if type(triggers) is tuple:
        try:
            return _tuple_cache[triggers]
        except KeyError:
            pass
    kinds: list[DetectionKind] = []
    for trigger in triggers:
        kind = kind_of(trigger)
        if kind is not None and kind not in kinds:
            kinds.append(kind)
    found = tuple(kinds)
    if type(triggers) is tuple and len(_tuple_cache) < _CACHE_LIMIT:
        _tuple_cache[triggers] = found
    return found
