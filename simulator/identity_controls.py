"""Face and plate alerts for `RhombusSimulator` (see `simulator.identity`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .identity import IdentityWorld

# The alert's own lists (``PolicyAlertV2Type``), which the stream may omit.
ALERTING_LISTS = ("alertingEventFaces", "alertingEventVehicles")


def sighting_change(entity: str, event: Mapping[str, Any]) -> dict[str, Any]:
    """A ``FACE_EVENT``/``VEHICLE_EVENT`` change message (shape inferred)."""
    return {
        "entity": entity,
        "entityUuid": event["uuid"],
        "type": "CREATE",
        "deviceUuid": event["deviceUuid"],
        "timestampMs": event["eventTimestamp"],
        "update": dict(event),
    }


class IdentityControls:
    """Mixed into `RhombusSimulator`: face and plate alerts and their sightings."""

    identity: IdentityWorld
    # False: the stream's message leaves the arrays out (details call needed).
    identity_on_stream: bool

    async def emit_alert(  # pragma: no cover
        self,
        camera_uuid: str,
        triggers: Iterable[str],
        *,
        shape: str,
        identity: Mapping[str, Any],
    ) -> str:
        """Provided by `RhombusSimulator`."""
        raise NotImplementedError

    async def emit_change(self, body: Mapping[str, Any]) -> int:  # pragma: no cover
        """Provided by `RhombusSimulator`."""
        raise NotImplementedError

    def add_person(self, name: str) -> str:
        """Name a person for face recognition; return their uuid."""
        return self.identity.add_person(name)

    def add_vehicle(self, plate: str, name: str, *, trusted: bool = False) -> None:
        """Save a vehicle (``trusted``: the org trusts it)."""
        self.identity.add_vehicle(plate, name, trusted=trusted)

    async def emit_face_alert(
        self,
        camera_uuid: str,
        names: Iterable[str | None],
        *,
        trigger: str | None = None,
        labels: Iterable[str] = (),
        shape: str = "nested",
    ) -> str:
        """A face alert: named people are identified, the rest unidentified.

        Each face is a sighting too (``findFaceEventsByOrg``), announced by a
        ``FACE_EVENT`` change after the alert.
        """
        names = list(names)
        known, unknown = self.identity.face_items(names, labels)
        if trigger is None:
            trigger = "FACE_IDENTIFIED" if known else "FACE_UNIDENTIFIED"
        uuid = await self.emit_alert(
            camera_uuid,
            (trigger,),
            shape=shape,
            identity={
                "alertingEventFaces": [*known, *unknown],
                "recognizedEventFaces": known,
                "unrecognizedEventFaces": unknown,
            },
        )
        for name in names:
            event = self.identity.sighted_face(
                camera_uuid, self._location, name, self.identity.tick()
            )
            await self.emit_change(sighting_change("FACE_EVENT", event))
        return uuid

    async def emit_plate_alert(
        self,
        camera_uuid: str,
        plates: Iterable[str],
        *,
        trigger: str | None = None,
        labels: Iterable[str] = (),
        shape: str = "nested",
    ) -> str:
        """A plate alert: saved vehicles identified (or trusted), others not."""
        plates = list(plates)
        known, unknown = self.identity.plate_items(plates, labels)
        if trigger is None:
            trigger = _plate_trigger(self.identity, plates)
        uuid = await self.emit_alert(
            camera_uuid,
            (trigger,),
            shape=shape,
            identity={
                "alertingEventVehicles": [*known, *unknown],
                "recognizedEventVehicles": known,
                "unrecognizedEventVehicles": unknown,
            },
        )
        for plate in plates:
            event = self.identity.sighted_plate(
                camera_uuid, self._location, plate, self.identity.tick()
            )
            await self.emit_change(sighting_change("VEHICLE_EVENT", event))
        return uuid

    @property
    def _location(self) -> str:
        return self.identity.location_uuid


def _plate_trigger(world: IdentityWorld, plates: Iterable[str]) -> str:
    saved = [world.vehicles[plate] for plate in plates if plate in world.vehicles]
    if any(vehicle["trust"] for vehicle in saved):
        return "LICENSEPLATE_TRUSTED"
    return "LICENSEPLATE_IDENTIFIED" if saved else "LICENSEPLATE_UNIDENTIFIED"
