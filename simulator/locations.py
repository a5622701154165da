"""Locations and alarm monitoring per location, with PINs.

Serves ``location/getLocations`` (sub-locations nested under their parent
when ``subLocationsIncluded``), ``alertmonitoring/orgStatus`` (only the
locations where monitoring is set up), ``locationStatus`` and
``enableMonitoringForLocation``/``disableMonitoringForLocation``.

Inferred, not settled by the spec: a wrong or missing PIN is answered
``{"error": true, "errorMsg": "Invalid PIN"}`` (the answer declares nothing
else); a location without monitoring answers an in-band error too; arming an
armed location succeeds with a ``warningMsg``. Each arm/disarm sends an
``ALARM_MONITORING_LOCATION_SETTINGS`` UPDATE whose ``entityUuid`` is the
location and whose ``update`` is the location's ``MonitoringEnableStatus``
(never the settings object, which holds the PINs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .act_common import Emit, change, in_band_error, string
from .names import NameGenerator
from .rest import AsyncEndpoint, Endpoint, envelope
from .world import BadRequestError, now_ms

LOCATIONS_PATH = "/api/location/getLocations"
ORG_STATUS_PATH = "/api/alertmonitoring/orgStatus"
LOCATION_STATUS_PATH = "/api/alertmonitoring/locationStatus"
ENABLE_PATH = "/api/alertmonitoring/enableMonitoringForLocation"
DISABLE_PATH = "/api/alertmonitoring/disableMonitoringForLocation"
ALARM_PATHS = (ORG_STATUS_PATH, LOCATION_STATUS_PATH, ENABLE_PATH, DISABLE_PATH)
SETTINGS_ENTITY = "ALARM_MONITORING_LOCATION_SETTINGS"
INVALID_PIN = "Invalid PIN"
NOT_MONITORED = "Alarm monitoring is not set up for this location"


@dataclass(slots=True)
class SimLocation:
    """A location; ``pins`` set means alarm monitoring is set up there."""

    uuid: str
    name: str
    parent_uuid: str | None = None
    tz: str = "America/Los_Angeles"
    pins: set[str] = field(default_factory=set)
    enabled: bool = False
    enabled_on_ms: int | None = None
    disabled_on_ms: int | None = None

    @property
    def monitored(self) -> bool:
        """Whether the org has alarm monitoring at this location."""
        return bool(self.pins)

    def status(self) -> dict[str, Any]:
        """Its ``MonitoringEnableStatus``."""
        return {
            "enabled": self.enabled,
            "enabledOnMs": self.enabled_on_ms,
            "disabledOnMs": self.disabled_on_ms,
            "devicesWithActiveSirens": {},
            "recentlyActivatedSirensTimestampMs": {},
            "notEnabledReason": None if self.enabled else "DISABLED_BY_USER",
            "noNextTimestampReason": None,
        }


class LocationsWorld:
    """The org's locations, the first of them the one every device is at."""

    def __init__(
        self, names: NameGenerator, org_uuid: str, first_uuid: str, policy_uuid: str
    ) -> None:
        """Start with one location, ``first_uuid`` (the world's location)."""
        self.names = names
        self.org_uuid = org_uuid
        self.policy_uuid = policy_uuid
        self.locations: dict[str, SimLocation] = {}
        self.locations[first_uuid] = SimLocation(first_uuid, "Main Office")
        self.on_stream = True

    def add(self, name: str, *, parent_uuid: str | None = None) -> str:
        """Add a location (a sub-location of ``parent_uuid``); its uuid."""
        if parent_uuid is not None:
            self.location(parent_uuid)
        uuid = self.names.ruuid()
        self.locations[uuid] = SimLocation(uuid, name, parent_uuid)
        return uuid

    def location(self, uuid: str) -> SimLocation:
        """The location ``uuid`` (KeyError naming it if unknown)."""
        try:
            return self.locations[uuid]
        except KeyError:
            raise KeyError(f"unknown location {uuid!r}") from None

    def payload(self, location: SimLocation, *, nested: bool) -> dict[str, Any]:
        """Its ``LocationType``."""
        children = [
            self.payload(child, nested=True)
            for child in self.locations.values()
            if child.parent_uuid == location.uuid
        ]
        return {
            "uuid": location.uuid,
            "name": location.name,
            "tz": location.tz,
            "address1": None,
            "address2": None,
            "postalCode": None,
            "countryCode": "US",
            "latitude": None,
            "longitude": None,
            "labels": [],
            "policyUuid": self.policy_uuid,
            "floorPlans": [],
            "subLocations": children if nested else None,
        }

    def set_enabled(self, location: SimLocation, enabled: bool) -> None:  # noqa: FBT001
        """Arm or disarm, stamping the time."""
        location.enabled = enabled
        if enabled:
            location.enabled_on_ms = now_ms()
        else:
            location.disabled_on_ms = now_ms()

    def settings_change(self, location: SimLocation) -> dict[str, Any]:
        """The stream's message for a changed monitoring state (shape inferred)."""
        update = {"locationUuid": location.uuid, **location.status()}
        return change(SETTINGS_ENTITY, location.uuid, update=update)


class LocationsApi:
    """The handlers of locations and alarm monitoring."""

    def __init__(self, world: LocationsWorld, emit: Emit) -> None:
        """Serve ``world``; ``emit`` sends stream messages."""
        self.world = world
        self._emit = emit

    def rest_endpoints(self) -> dict[str, Endpoint]:
        """The reads, by path."""
        return {
            LOCATIONS_PATH: self._locations,
            ORG_STATUS_PATH: self._org_status,
            LOCATION_STATUS_PATH: self._location_status,
        }

    def async_endpoints(self) -> dict[str, AsyncEndpoint]:
        """Arm and disarm (they send a message before answering)."""
        return {ENABLE_PATH: self._enable, DISABLE_PATH: self._disable}

    def _locations(self, body: Mapping[str, Any]) -> dict[str, Any]:
        nested = body.get("subLocationsIncluded")
        if nested is not None and not isinstance(nested, bool):
            raise BadRequestError("subLocationsIncluded must be a boolean")
        locations: Iterable[SimLocation] = self.world.locations.values()
        if nested:
            locations = [loc for loc in locations if loc.parent_uuid is None]
        return envelope(
            locations=[
                self.world.payload(loc, nested=bool(nested)) for loc in locations
            ]
        )

    def _org_status(self, _body: Mapping[str, Any]) -> dict[str, Any]:
        return envelope(
            locationStatuses={
                loc.uuid: loc.status()
                for loc in self.world.locations.values()
                if loc.monitored
            }
        )

    def _monitored(self, body: Mapping[str, Any]) -> SimLocation | None:
        uuid = string(body, "locationUuid")
        location = self.world.locations.get(uuid) if uuid else None
        return location if location is not None and location.monitored else None

    def _location_status(self, body: Mapping[str, Any]) -> dict[str, Any]:
        location = self._monitored(body)
        if location is None:
            return in_band_error(NOT_MONITORED)
        return envelope(status=location.status())

    async def _enable(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return await self._set(body, enabled=True)

    async def _disable(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return await self._set(body, enabled=False)

    async def _set(self, body: Mapping[str, Any], *, enabled: bool) -> dict[str, Any]:
        location = self._monitored(body)
        pin = string(body, "pin")
        if location is None:
            return in_band_error(NOT_MONITORED)
        if pin is None or pin not in location.pins:
            return in_band_error(INVALID_PIN)
        if location.enabled == enabled:
            word = "enabled" if enabled else "disabled"
            return {**envelope(), "warningMsg": f"Monitoring is already {word}"}
        self.world.set_enabled(location, enabled)
        if self.world.on_stream:
            await self._emit(self.world.settings_change(location))
        return envelope()
