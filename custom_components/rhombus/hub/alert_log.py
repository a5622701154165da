"""A bounded record of recent alerts: dedupe, and where a DELETE must go.

Rhombus may send the same alert twice, and catch-up after a reconnect
overlaps the live stream on purpose. Remembering recent alert uuids makes
each alert reach automations once. This is the one place that counts the
duplicates it drops.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from enum import Enum, auto

from ..detections import DetectionKind

# Enough for hours of a busy org, a few MB at most.
CAPACITY = 10_000


@dataclass(slots=True)
class AlertRecord:
    """What the hub remembers of one alert."""

    camera_uuid: str | None
    kinds: tuple[DetectionKind, ...]
    deleted: bool = False
    created: bool = True


class Seen(Enum):
    """What a CREATE turned out to be."""

    NEW = auto()
    DUPLICATE = auto()
    # Its DELETE overtook it: the automation still hears of the alert, but no
    # sensor turns on for something already dismissed.
    CLEARED = auto()


@dataclass(slots=True)
class AlertLog:
    """Recently seen alerts, oldest forgotten first."""

    capacity: int = CAPACITY
    duplicates: int = 0
    # Sparse CREATEs whose details are being fetched: a repeat costs no call.
    fetching: set[str] = field(default_factory=set)
    _records: OrderedDict[str, AlertRecord] = field(default_factory=OrderedDict)

    def __len__(self) -> int:
        """How many alerts are remembered."""
        return len(self._records)

    def __contains__(self, uuid: object) -> bool:
        """Whether the alert's CREATE was already delivered."""
        record = self._records.get(uuid) if isinstance(uuid, str) else None
        return record is not None and record.created

    def repeated(self, uuid: str | None) -> bool:
        """Whether a CREATE repeats one delivered or being completed; counted.

        Checked before any REST call the repeat would cost.
        """
        if uuid is not None and (uuid in self or uuid in self.fetching):
            self.duplicates += 1
            return True
        return False

    def created(
        self, uuid: str, camera_uuid: str | None, kinds: tuple[DetectionKind, ...]
    ) -> Seen:
        """Record an alert's CREATE; a repeat is counted as a duplicate."""
        record = self._records.get(uuid)
        if record is None:
            self._records[uuid] = AlertRecord(camera_uuid, kinds)
            if len(self._records) > self.capacity:
                self._records.popitem(last=False)
            return Seen.NEW
        if record.created:
            self.duplicates += 1
            return Seen.DUPLICATE
        record.created = True
        record.camera_uuid, record.kinds = camera_uuid, kinds
        return Seen.CLEARED

    def deleted(self, uuid: str) -> tuple[bool, AlertRecord | None]:
        """Mark the alert cleared: (first time, its record if it was known).

        An unknown uuid is remembered as cleared too, so a repeated DELETE is
        recognised as a duplicate.
        """
        record = self._records.get(uuid)
        if record is None:
            self._records[uuid] = AlertRecord(None, (), deleted=True, created=False)
            if len(self._records) > self.capacity:
                self._records.popitem(last=False)
            return True, None
        if record.deleted:
            self.duplicates += 1
            return False, None
        record.deleted = True
        return True, record
