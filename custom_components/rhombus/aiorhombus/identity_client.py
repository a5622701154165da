"""The org's people and saved vehicles, and recent face and plate sightings.

- ``faceRecognition/person/findPeopleByOrg``: the people the org has named;
- ``vehicle/getVehicles``: the vehicles it has saved (name, plate, trusted);
- ``faceRecognition/faceEvent/findFaceEventsByOrg``: face sightings, newest
  first, paged by ``lastEvaluatedKey``;
- ``vehicle/getVehicleEvents``: plate reads in a time window (the spec gives
  it no paging, so callers keep the window short).

Face events name their camera as a ``DeviceFacetUuid`` (``<camera>.v0``):
the facet is stripped, so callers compare plain camera uuids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .exceptions import RhombusProtocolError
from .identity import MAX_NAME_CHARS, MAX_PLATE_CHARS
from .rest import RhombusRestClient
from .values import device_uuid

MAX_PAGE_SIZE = 200


def _text(value: Any, limit: int = MAX_NAME_CHARS) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text if 0 < len(text) <= limit else None


def _ms(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value


def _items(data: Mapping[str, Any], key: str, path: str) -> list[Mapping[str, Any]]:
    items = data.get(key)
    if items is None:
        return []  # every field is nullable: none is none
    if not isinstance(items, list):
        raise RhombusProtocolError(f"{path}: {key} is not a list")
    return [item for item in items if isinstance(item, Mapping)]


@dataclass(frozen=True, slots=True)
class Person:
    """A person the org has named for face recognition."""

    uuid: str
    name: str


@dataclass(frozen=True, slots=True)
class SavedVehicle:
    """A vehicle the org has saved: its plate, name and whether it is trusted."""

    plate: str
    name: str | None
    trusted: bool


@dataclass(frozen=True, slots=True)
class Sighting:
    """One face sighting or plate read at a camera."""

    uuid: str
    timestamp_ms: int
    camera_uuid: str
    # The person's name or the plate text; ``label`` the vehicle's name.
    subject: str | None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class SightingPage:
    """One page of sightings, and the key of the next (None: the last page)."""

    sightings: tuple[Sighting, ...]
    next_key: str | None


def _sighting(
    item: Mapping[str, Any], subject: str | None, label: str | None = None
) -> Sighting | None:
    uuid = _text(item.get("uuid"))
    timestamp = _ms(item.get("eventTimestamp"))
    camera = device_uuid(_text(item.get("deviceUuid")))
    if uuid is None or timestamp is None or camera is None:
        return None
    return Sighting(uuid, timestamp, camera, subject, label)


class RhombusIdentityClient:
    """People, vehicles and sightings, read through a `RhombusRestClient`."""

    def __init__(self, rest: RhombusRestClient) -> None:
        """Share the REST client's session, key and error mapping."""
        self._rest = rest

    async def get_people(self) -> tuple[Person, ...]:
        """Every named person of the org (unnamed ones are skipped)."""
        path = "faceRecognition/person/findPeopleByOrg"
        data = await self._rest.request(path, {})
        people = []
        for item in _items(data, "people", path):
            uuid, name = _text(item.get("uuid")), _text(item.get("name"))
            if uuid is not None and name is not None:
                people.append(Person(uuid, name))
        return tuple(people)

    async def get_vehicles(self) -> tuple[SavedVehicle, ...]:
        """Every saved vehicle of the org that has a plate."""
        path = "vehicle/getVehicles"
        data = await self._rest.request(path, {})
        vehicles = []
        for item in _items(data, "vehicles", path):
            if (plate := _text(item.get("licensePlate"), MAX_PLATE_CHARS)) is None:
                continue
            vehicles.append(
                SavedVehicle(plate, _text(item.get("name")), item.get("trust") is True)
            )
        return tuple(vehicles)

    async def find_face_events(
        self,
        *,
        person_uuids: Sequence[str] = (),
        page_size: int = 50,
        after_key: str | None = None,
    ) -> SightingPage:
        """One page of face sightings, newest first (of one person, if given)."""
        path = "faceRecognition/faceEvent/findFaceEventsByOrg"
        page: dict[str, Any] = {"maxPageSize": min(max(page_size, 1), MAX_PAGE_SIZE)}
        if after_key:
            page["lastEvaluatedKey"] = after_key
        # An empty filter list may match nothing: send only what narrows.
        search: dict[str, Any] = {}
        if person_uuids:
            search["personUuids"] = list(person_uuids)
        data = await self._rest.request(
            path, {"pageRequest": page, "searchFilter": search}
        )
        sightings = [
            sighting
            for item in _items(data, "faceEvents", path)
            if (sighting := _sighting(item, _text(item.get("faceName")))) is not None
        ]
        return SightingPage(tuple(sightings), _text(data.get("lastEvaluatedKey"), 4096))

    async def get_vehicle_events(
        self, start_ms: int, end_ms: int
    ) -> tuple[Sighting, ...]:
        """Plate reads between ``start_ms`` and ``end_ms``, newest first."""
        path = "vehicle/getVehicleEvents"
        data = await self._rest.request(
            path, {"startTimeMs": start_ms, "endTimeMs": end_ms}
        )
        reads = [
            sighting
            for item in _items(data, "events", path)
            if (
                sighting := _sighting(
                    item,
                    _text(item.get("vehicleLicensePlate"), MAX_PLATE_CHARS),
                    _text(item.get("name")),
                )
            )
            is not None
        ]
        reads.sort(key=lambda read: read.timestamp_ms, reverse=True)
        return tuple(reads)
