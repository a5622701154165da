"""Who and which car an alert saw: recognised faces and read licence plates.

A policy alert (``PolicyAlertV2Type``) lists them in ``alertingEventFaces`` and
``alertingEventVehicles``; ``getPolicyAlertDetails`` adds the details-only
``recognized…``/``unrecognized…`` lists. Whether a stream message carries the
arrays is not documented: :func:`identities_of` answers None when it carries
neither, which is what tells the caller to ask the details call once.

Bad input loses nothing else: a face or plate whose name or plate text is
present but not usable text (empty, not a string, absurdly long) is dropped
and counted, so the caller can log it once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Longer than any person's or vehicle's name: past this it is garbage.
MAX_NAME_CHARS = 128
# A plate is short everywhere; a long "plate" is not one.
MAX_PLATE_CHARS = 16
MAX_LABELS = 32

_FACE_LISTS = ("alertingEventFaces", "recognizedEventFaces", "unrecognizedEventFaces")
_PLATE_LISTS = (
    "alertingEventVehicles",
    "recognizedEventVehicles",
    "unrecognizedEventVehicles",
)

# Triggers that mean the alert names a person or a plate (ActivityEnum).
FACE_TRIGGER_PREFIX = "FACE"
PLATE_TRIGGER_PREFIX = "LICENSEPLATE"


class _UnusableError(Exception):
    """A present value that is not usable text."""


def _text(value: Any, limit: int) -> str | None:
    """None when absent, else the stripped text (``_UnusableError``: unusable)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _UnusableError
    text = value.strip()
    if not text or len(text) > limit:
        raise _UnusableError
    return text


def _labels(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    texts = (item.strip() for item in value[:MAX_LABELS] if isinstance(item, str))
    return tuple(text for text in texts if 0 < len(text) <= MAX_NAME_CHARS)


def _id(value: Any) -> str | None:
    return (
        value if isinstance(value, str) and 0 < len(value) <= MAX_NAME_CHARS else None
    )


@dataclass(frozen=True, slots=True)
class RecognisedFace:
    """One face an alert saw; ``name`` is None for a face nobody has named."""

    name: str | None
    person_uuid: str | None
    labels: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        """Whether the face matched a person the org has named."""
        return self.name is not None

    def as_event(self) -> dict[str, Any]:
        """The ``faces`` item of ``rhombus_event``."""
        return {
            "name": self.name,
            "person_uuid": self.person_uuid,
            "labels": list(self.labels),
            "known": self.known,
        }

    @classmethod
    def from_api(cls, item: Any) -> RecognisedFace:
        """Read a ``PolicyEventFaceType`` (``_UnusableError``: unusable name)."""
        if not isinstance(item, Mapping):
            raise _UnusableError
        return cls(
            _text(item.get("faceName"), MAX_NAME_CHARS),
            _id(item.get("personUuid")),
            _labels(item.get("labels")),
        )


@dataclass(frozen=True, slots=True)
class ReadPlate:
    """One licence plate an alert read; ``vehicle_name`` when the org saved it."""

    plate: str | None
    vehicle_name: str | None
    labels: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        """Whether the plate belongs to a vehicle the org has saved."""
        return self.vehicle_name is not None

    def as_event(self) -> dict[str, Any]:
        """The ``plates`` item of ``rhombus_event``."""
        return {
            "plate": self.plate,
            "vehicle_name": self.vehicle_name,
            "labels": list(self.labels),
            "known": self.known,
        }

    @classmethod
    def from_api(cls, item: Any) -> ReadPlate:
        """Read a ``PolicyEventVehicleType`` (``_UnusableError``: unusable text)."""
        if not isinstance(item, Mapping):
            raise _UnusableError
        return cls(
            _text(item.get("licensePlateNumber"), MAX_PLATE_CHARS),
            _text(item.get("vehicleName"), MAX_NAME_CHARS),
            _labels(item.get("labels")),
        )


@dataclass(frozen=True, slots=True)
class Identities:
    """The faces and plates of one alert, and how many items were unusable."""

    faces: tuple[RecognisedFace, ...] = ()
    plates: tuple[ReadPlate, ...] = ()
    dropped: int = 0


NO_IDENTITIES = Identities()


def _sources(alert: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    update = alert.get("update")
    if isinstance(update, Mapping):
        yield update
    yield alert


def identities_of(alert: Mapping[str, Any]) -> Identities | None:
    """The alert's faces and plates; None when it carries none of the lists.

    Reads a stream message (its ``update`` first, then its top level) or an
    alert of a list or details call. The same face or plate in two lists
    (``alertingEventFaces`` and ``recognizedEventFaces``) counts once.
    """
    found = False
    dropped = 0
    # Two unnamed faces differ by faceId; a named one is one person.
    faces: dict[tuple[str | None, str | None], RecognisedFace] = {}
    plates: dict[tuple[str | None, str | None], ReadPlate] = {}
    for source in _sources(alert):
        for key in _FACE_LISTS:
            items = source.get(key)
            if not isinstance(items, list):
                continue
            found = True
            for item in items:
                try:
                    face = RecognisedFace.from_api(item)
                except _UnusableError:
                    dropped += 1
                    continue
                key_id = face.person_uuid or _id(item.get("faceId"))
                faces.setdefault((key_id, face.name), face)
        for key in _PLATE_LISTS:
            items = source.get(key)
            if not isinstance(items, list):
                continue
            found = True
            for item in items:
                try:
                    plate = ReadPlate.from_api(item)
                except _UnusableError:
                    dropped += 1
                    continue
                plates.setdefault((plate.plate, plate.vehicle_name), plate)
        if found:
            break  # ``update`` carried them: the top level is the same alert
    if not found:
        return None
    return Identities(tuple(faces.values()), tuple(plates.values()), dropped)


_PREFIXES = (FACE_TRIGGER_PREFIX, PLATE_TRIGGER_PREFIX)


def names_identity(triggers: Iterable[str] | None) -> bool:
    """Whether an alert's triggers say it recognised a face or read a plate."""
    # Every alert asks this: a plain loop, no generator to build.
    for trigger in triggers or ():  # noqa: SIM110 - cheaper than any() here
        if trigger.startswith(_PREFIXES):
            return True
    return False
