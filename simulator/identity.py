"""Who and which car: the org's people and vehicles, face and plate sightings.

Serves ``findPeopleByOrg``, ``getVehicles``, ``findFaceEventsByOrg`` (newest
first, paged by ``lastEvaluatedKey``) and ``getVehicleEvents`` (a time window,
no paging, as the spec declares). `IdentityControls` (mixed into the
simulator) emits face and plate alerts: the alert carries
``alertingEventFaces``/``alertingEventVehicles`` (``PolicyAlertV2Type``) and,
in its details, the ``recognized…``/``unrecognized…`` lists. Whether the
stream's message carries the arrays is not documented, so
``identity_on_stream`` switches them on or off the message; a
``FACE_EVENT``/``VEHICLE_EVENT`` change follows each sighting (its shape is
inferred: the sighting under ``update``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .names import NameGenerator
from .rest import Endpoint, envelope
from .world import BadRequestError, now_ms

PEOPLE_PATH = "/api/faceRecognition/person/findPeopleByOrg"
VEHICLES_PATH = "/api/vehicle/getVehicles"
FACE_EVENTS_PATH = "/api/faceRecognition/faceEvent/findFaceEventsByOrg"
VEHICLE_EVENTS_PATH = "/api/vehicle/getVehicleEvents"
DEFAULT_PAGE_SIZE = 50


@dataclass(slots=True)
class IdentityWorld:
    """People, vehicles and sightings of one org."""

    names: NameGenerator
    org_uuid: str
    location_uuid: str
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    vehicles: dict[str, dict[str, Any]] = field(default_factory=dict)
    face_events: list[dict[str, Any]] = field(default_factory=list)
    vehicle_events: list[dict[str, Any]] = field(default_factory=list)
    _last_ms: int = 0

    def tick(self) -> int:
        """Now in epoch ms, after every earlier sighting (newest first is exact)."""
        self._last_ms = max(now_ms(), self._last_ms + 1)
        return self._last_ms

    def add_person(self, name: str) -> str:
        """Name a person; return their uuid."""
        uuid = self.names.ruuid()
        self.people[uuid] = {"uuid": uuid, "name": name, "orgUuid": self.org_uuid}
        return uuid

    def person_named(self, name: str) -> str | None:
        """The uuid of the person called ``name``, if the org has one."""
        for uuid, person in self.people.items():
            if person["name"] == name:
                return uuid
        return None

    def add_vehicle(self, plate: str, name: str, *, trusted: bool = False) -> None:
        """Save a vehicle by its plate."""
        self.vehicles[plate] = {
            "licensePlate": plate,
            "name": name,
            "trust": trusted,
            "alert": False,
            "orgUuid": self.org_uuid,
            "createdAtMillis": now_ms(),
        }

    def sighted_face(
        self, camera_uuid: str, location_uuid: str, name: str | None, ms: int
    ) -> dict[str, Any]:
        """Record a face sighting (``ExternalFaceEvent``); return it."""
        person = self.person_named(name) if name else None
        event = {
            "uuid": self.names.ruuid(),
            "eventTimestamp": ms,
            "deviceUuid": f"{camera_uuid}.v0",  # a DeviceFacetUuid, as the spec says
            "locationUuid": location_uuid,
            "orgUuid": self.org_uuid,
            "faceName": name if person else None,
            "personUuid": person,
            "hasEmbedding": True,
            "detectionConfidence": 0.97,
        }
        self.face_events.append(event)
        return event

    def sighted_plate(
        self, camera_uuid: str, location_uuid: str, plate: str, ms: int
    ) -> dict[str, Any]:
        """Record a plate read (``VehicleEventIndexType``); return it."""
        vehicle = self.vehicles.get(plate)
        event = {
            "uuid": self.names.ruuid(),
            "eventTimestamp": ms,
            "deviceUuid": f"{camera_uuid}.v0",
            "locationUuid": location_uuid,
            "orgUuid": self.org_uuid,
            "vehicleLicensePlate": plate,
            "name": vehicle["name"] if vehicle else None,
        }
        self.vehicle_events.append(event)
        return event

    def face_items(
        self, names: Iterable[str | None], labels: Iterable[str] = ()
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """``PolicyEventFaceType`` items: (recognised, unrecognised)."""
        known: list[dict[str, Any]] = []
        unknown: list[dict[str, Any]] = []
        for name in names:
            person = self.person_named(name) if name else None
            item = {
                "faceId": self.names.ruuid(),
                "faceName": name if person else None,
                "personUuid": person,
                "labels": list(labels),
            }
            (known if person else unknown).append(item)
        return known, unknown

    def plate_items(
        self, plates: Iterable[str], labels: Iterable[str] = ()
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """``PolicyEventVehicleType`` items: (saved vehicles, others)."""
        known: list[dict[str, Any]] = []
        unknown: list[dict[str, Any]] = []
        for plate in plates:
            vehicle = self.vehicles.get(plate)
            item = {
                "licensePlateNumber": plate,
                "vehicleName": vehicle["name"] if vehicle else None,
                "labels": list(labels),
            }
            (known if vehicle else unknown).append(item)
        return known, unknown


def _int(body: Mapping[str, Any], key: str) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequestError(f"{key} must be an integer")
    return value


class IdentityApi:
    """The REST handlers of people, vehicles and sightings."""

    def __init__(self, world: IdentityWorld) -> None:
        """Serve ``world``."""
        self.world = world

    def rest_endpoints(self) -> dict[str, Endpoint]:
        """Path → handler, for the simulator's REST table."""
        return {
            PEOPLE_PATH: self._people,
            VEHICLES_PATH: self._vehicles,
            FACE_EVENTS_PATH: self._face_events,
            VEHICLE_EVENTS_PATH: self._vehicle_events,
        }

    def _people(self, _body: Mapping[str, Any]) -> dict[str, Any]:
        # This response declares no error fields.
        return {"people": list(self.world.people.values())}

    def _vehicles(self, _body: Mapping[str, Any]) -> dict[str, Any]:
        return envelope(vehicles=list(self.world.vehicles.values()))

    def _face_events(self, body: Mapping[str, Any]) -> dict[str, Any]:
        page = body.get("pageRequest") or {}
        search = body.get("searchFilter") or {}
        if not isinstance(page, Mapping) or not isinstance(search, Mapping):
            raise BadRequestError("pageRequest and searchFilter must be objects")
        size = _int(page, "maxPageSize") or DEFAULT_PAGE_SIZE
        after = page.get("lastEvaluatedKey")
        people = set(search.get("personUuids") or ())
        events = sorted(
            self.world.face_events,
            key=lambda event: (event["eventTimestamp"], event["uuid"]),
            reverse=True,
        )
        if people:
            events = [event for event in events if event["personUuid"] in people]
        if isinstance(after, str) and after:
            uuids = [event["uuid"] for event in events]
            events = events[uuids.index(after) + 1 :] if after in uuids else []
        chunk = events[: max(size, 1)]
        more = len(events) > len(chunk)
        return {
            "faceEvents": chunk,
            "lastEvaluatedKey": chunk[-1]["uuid"] if more and chunk else None,
        }

    def _vehicle_events(self, body: Mapping[str, Any]) -> dict[str, Any]:
        start = _int(body, "startTimeMs") or 0
        end = _int(body, "endTimeMs") or now_ms()
        events = [
            event
            for event in self.world.vehicle_events
            if start <= event["eventTimestamp"] <= end
        ]
        return envelope(events=events)
