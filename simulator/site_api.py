"""REST endpoints of the site's non-camera hardware and the door unlock.

Bodies are read as the camera endpoints read theirs: a declared property of
the wrong type is a 400, an undeclared one is ignored (as the real cloud is
likely to; the spec checks in the tests catch a client that sends one). The
``Component_*`` responses declare no ``error`` fields, so none are sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from .rest import AsyncEndpoint, Endpoint, envelope
from .site_world import (
    AUDIO_GATEWAY,
    BUTTON,
    CLIMATE_SENSOR,
    DOOR_SENSOR,
    ENVIRONMENTAL_GATEWAY,
    OCCUPANCY_SENSOR,
    SimAccessDoor,
    SiteWorld,
)
from .world import BadRequestError

# kind → (path, response list key)
_LISTS = {
    DOOR_SENSOR: ("/api/door/getMinimalDoorStateList", "doorStates"),
    CLIMATE_SENSOR: ("/api/climate/getMinimalClimateStateList", "climateStates"),
    ENVIRONMENTAL_GATEWAY: (
        "/api/climate/getMinimalEnvironmentalGatewayStates",
        "minimalEnvironmentalGatewayStates",
    ),
    OCCUPANCY_SENSOR: (
        "/api/occupancy/getMinimalOccupancySensorStateList",
        "occupancySensorStates",
    ),
    BUTTON: ("/api/button/getMinimalButtonStateList", "states"),
    AUDIO_GATEWAY: (
        "/api/audiogateway/getMinimalAudioGatewayStateList",
        "audioGatewayStates",
    ),
}
DOORS_PATH = "/api/component/findMinimalStateAccessControlledDoors"
SHADOWS_PATH = "/api/component/findAllComponentShadows"
UNLOCK_PATH = "/api/accesscontrol/unlockAccessControlledDoor"
_DOOR_PAGE_DEFAULT = 100
_UNLOCK_FAILED = "FAILED_SENDING_ACU_UNLOCK_REQUEST"
_NO_LOCK = "DOOR_NOT_CONFIGURED_WITH_LOCK"


class SiteApi:
    """The site's handlers, bound to one `SiteWorld`."""

    def __init__(
        self, site: SiteWorld, on_unlock: Callable[[SimAccessDoor], Awaitable[None]]
    ) -> None:
        """``on_unlock`` runs the door's unlock cycle after a SUCCESS."""
        self.site = site
        self._on_unlock = on_unlock
        self.unlock_failures: list[str] = []
        self.unlocked: list[str] = []

    def rest_endpoints(self) -> dict[str, Endpoint]:
        """The synchronous handlers, by path."""
        endpoints: dict[str, Endpoint] = {
            path: self._lister(kind, key) for kind, (path, key) in _LISTS.items()
        }
        endpoints[DOORS_PATH] = self._find_doors
        endpoints[SHADOWS_PATH] = self._find_shadows
        return endpoints

    def async_endpoints(self) -> dict[str, AsyncEndpoint]:
        """The handlers that send stream messages before they answer."""
        return {UNLOCK_PATH: self._unlock}

    def _lister(self, kind: str, key: str) -> Endpoint:
        def answer(_body: Mapping[str, Any]) -> dict[str, Any]:
            fields: dict[str, Any] = {key: self.site.states(kind)}
            if kind == ENVIRONMENTAL_GATEWAY:
                fields["lastEvaluatedKey"] = None
            return envelope(**fields)

        return answer

    def _find_doors(self, body: Mapping[str, Any]) -> dict[str, Any]:
        size = body.get("maxPageSize")
        start = body.get("lastEvaluatedKey")
        if size is not None and (not isinstance(size, int) or isinstance(size, bool)):
            raise BadRequestError("maxPageSize must be an integer")
        if start is not None and not isinstance(start, str):
            raise BadRequestError("lastEvaluatedKey must be a string")
        # The spec bounds neither (inferred): no size or one below 1 is the
        # default page, a key this server never gave is past the end.
        size = size if size is not None and size >= 1 else _DOOR_PAGE_DEFAULT
        doors = list(self.site.doors.values())
        offset = int(start) if start and start.isdigit() else 0
        if start and not start.isdigit():
            offset = len(doors)
        page = doors[offset : offset + size]
        more = offset + size < len(doors)
        return {
            "accessControlledDoors": [
                {"door": dict(door.door), "shadow": door.shadow} for door in page
            ],
            "lastEvaluatedKey": str(offset + size) if more else None,
        }

    def _find_shadows(self, body: Mapping[str, Any]) -> dict[str, Any]:
        wanted = body.get("componentUuids") or []
        if not isinstance(wanted, list) or not all(isinstance(u, str) for u in wanted):
            raise BadRequestError("componentUuids must be a list of strings")
        found = {
            u: dict(self.site.shadows[u]) for u in wanted if u in self.site.shadows
        }
        return {"acuComponentShadowMap": found}

    async def _unlock(self, body: Mapping[str, Any]) -> dict[str, Any]:
        uuid = body.get("accessControlledDoorUuid")
        if uuid is not None and not isinstance(uuid, str):
            raise BadRequestError("accessControlledDoorUuid must be a string")
        # No door named: as for a door this org does not have (inferred).
        door = self.site.doors.get(uuid) if uuid else None
        if self.unlock_failures:
            return {"type": "ERROR", "errorType": self.unlock_failures.pop(0)}
        if door is None or not door.door.get("remoteUnlockEnabled"):
            return {"type": "ERROR", "errorType": _UNLOCK_FAILED}
        if door.relay is None:
            return {"type": "ERROR", "errorType": _NO_LOCK}
        self.unlocked.append(door.uuid)
        await self._on_unlock(door)
        return {"type": "SUCCESS"}
