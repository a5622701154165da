"""One REST call per kind of site hardware, and the door unlock.

Each ``get_*`` returns every device of its kind keyed by its id. A kind the
key's role may not read (HTTP 403, or ``error: true`` on that call) raises
`RhombusKindRefusedError`, so a caller can skip that kind and keep the rest;
a 401 stays `RhombusAuthError` (the key itself is bad) and a 429 stays
`RhombusRateLimitError`. A response without its list is a
`RhombusProtocolError`, never "no devices" (that would delete them all).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from enum import StrEnum
from http import HTTPStatus
import logging
from typing import Any, Final

from .access_control import AccessControlledDoor, ComponentShadow, UnlockFailure
from .environmental_gateway import EnvironmentalGateway
from .exceptions import (
    RhombusApiError,
    RhombusAuthError,
    RhombusError,
    RhombusProtocolError,
)
from .rest import RhombusRestClient
from .site_models import (
    AudioGateway,
    Button,
    ClimateSensor,
    DoorSensor,
    OccupancySensor,
    SiteDevice,
)
from .site_parse import log_once, text

_LOGGER = logging.getLogger(__name__)


class SiteKind(StrEnum):
    """A kind of site hardware: one list call (and one refresh schedule) each."""

    DOOR_SENSOR = "door_sensor"
    CLIMATE_SENSOR = "climate_sensor"
    ENVIRONMENTAL_GATEWAY = "environmental_gateway"
    OCCUPANCY_SENSOR = "occupancy_sensor"
    BUTTON = "button"
    AUDIO_GATEWAY = "audio_gateway"
    ACCESS_CONTROL = "access_control"


# Change-stream entities that say a kind's state changed (payloads are not
# documented, so they are only hints to re-read that kind's list).
STREAM_ENTITY_KINDS: Final[Mapping[str, SiteKind]] = {
    "DOOR_STATE": SiteKind.DOOR_SENSOR,
    "DOOR_SENSOR": SiteKind.DOOR_SENSOR,
    "CLIMATE_STATE": SiteKind.CLIMATE_SENSOR,
    "CLIMATE_SENSOR": SiteKind.CLIMATE_SENSOR,
    "OCCUPANCY_STATE": SiteKind.OCCUPANCY_SENSOR,
    "AUDIO_STATE": SiteKind.AUDIO_GATEWAY,
    "ACCESS_CONTROLLED_DOOR": SiteKind.ACCESS_CONTROL,
    "ACCESS_CONTROLLED_DOOR_SHADOW": SiteKind.ACCESS_CONTROL,
}
_COMPONENT_SHADOW_PREFIX = "COMPONENT_"
_COMPONENT_SHADOW_SUFFIX = "_SHADOW"

# A policy alert's ``deviceType`` (``DeviceTypeEnum``) → the kind to re-read.
DEVICE_TYPE_KINDS: Final[Mapping[str, SiteKind]] = {
    "DOOR_SENSOR": SiteKind.DOOR_SENSOR,
    "ENVIRONMENTAL_SENSOR": SiteKind.CLIMATE_SENSOR,
    "ENVIRONMENTAL_GATEWAY": SiteKind.ENVIRONMENTAL_GATEWAY,
    "OCCUPANCY_SENSOR": SiteKind.OCCUPANCY_SENSOR,
    "BLE_BUTTON": SiteKind.BUTTON,
    "AUDIO_GATEWAY": SiteKind.AUDIO_GATEWAY,
}


def kind_for_stream_entity(entity: str) -> SiteKind | None:
    """The kind a change-stream entity hints at, or None (cameras, alerts ...)."""
    if (kind := STREAM_ENTITY_KINDS.get(entity)) is not None:
        return kind
    if entity.startswith(_COMPONENT_SHADOW_PREFIX) and entity.endswith(
        _COMPONENT_SHADOW_SUFFIX
    ):
        return SiteKind.ACCESS_CONTROL
    return None


class RhombusKindRefusedError(RhombusError):
    """The key's role may not read this kind (403 or ``error: true``)."""

    def __init__(self, kind: SiteKind, message: str) -> None:
        """Name the kind, so the caller can skip it and say which."""
        super().__init__(f"{kind}: {message}")
        self.kind = kind


class RhombusUnlockError(RhombusError):
    """The unlock was not confirmed (``type`` is not ``SUCCESS``)."""

    def __init__(self, door_uuid: str, reason: UnlockFailure) -> None:
        """Keep the door and Rhombus's reason for the caller's message."""
        super().__init__(f"unlock of {door_uuid} failed: {reason}")
        self.door_uuid = door_uuid
        self.reason = reason


_PATHS: Final[Mapping[SiteKind, str]] = {
    SiteKind.DOOR_SENSOR: "door/getMinimalDoorStateList",
    SiteKind.CLIMATE_SENSOR: "climate/getMinimalClimateStateList",
    SiteKind.ENVIRONMENTAL_GATEWAY: "climate/getMinimalEnvironmentalGatewayStates",
    SiteKind.OCCUPANCY_SENSOR: "occupancy/getMinimalOccupancySensorStateList",
    SiteKind.BUTTON: "button/getMinimalButtonStateList",
    SiteKind.AUDIO_GATEWAY: "audiogateway/getMinimalAudioGatewayStateList",
    SiteKind.ACCESS_CONTROL: "component/findMinimalStateAccessControlledDoors",
}
SHADOWS_PATH: Final = "component/findAllComponentShadows"
UNLOCK_PATH: Final = "accesscontrol/unlockAccessControlledDoor"

# Doors per page (the spec gives no limit), pages per refresh, shadows per call.
DOOR_PAGE_SIZE: Final = 100
MAX_DOOR_PAGES: Final = 50
SHADOW_BATCH: Final = 200


def kind_path(kind: SiteKind) -> str:
    """The list call's path (without ``/api/``) for ``kind``."""
    return _PATHS[kind]


class RhombusSiteClient:
    """The site's non-camera hardware, read through a `RhombusRestClient`."""

    def __init__(self, rest: RhombusRestClient) -> None:
        """Share the REST client's session, key and error mapping."""
        self._rest = rest

    async def _call(
        self, kind: SiteKind, path: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        try:
            return await self._rest.request(path, body)
        except RhombusAuthError as err:
            # In-band (no status) or 403: this role; 401: the key itself.
            if err.status == HTTPStatus.UNAUTHORIZED:
                raise
            raise RhombusKindRefusedError(kind, str(err)) from err
        except RhombusApiError as err:
            raise RhombusKindRefusedError(kind, str(err)) from err

    async def _list[D: SiteDevice](
        self,
        kind: SiteKind,
        key: str,
        parse: Callable[[Any], D | None],
        *,
        paged: bool = False,
    ) -> dict[str, D]:
        data = await self._call(kind, _PATHS[kind], {})
        items = data.get(key)
        if not isinstance(items, list):
            raise RhombusProtocolError(f"{_PATHS[kind]}: response has no {key}")
        devices: dict[str, D] = {}
        for item in items:
            if (device := parse(item)) is not None:
                devices[device.uuid] = device
            else:
                log_once("no-id", kind, "Skipping a %s without an id", kind)
        # Only a response that declares ``lastEvaluatedKey`` is read for it.
        if paged and text(data, "lastEvaluatedKey"):
            # The E50 request has no field to ask for the next page.
            log_once("page", kind, "%s has more pages; only the first is read", kind)
        return devices

    async def get_door_sensors(self) -> dict[str, DoorSensor]:
        """Every door sensor (D1/D20), by ``sensorUuid``."""
        return await self._list(SiteKind.DOOR_SENSOR, "doorStates", DoorSensor.from_api)

    async def get_climate_sensors(self) -> dict[str, ClimateSensor]:
        """Every environmental sensor (E1/E2/E15), by ``sensorUuid``."""
        return await self._list(
            SiteKind.CLIMATE_SENSOR, "climateStates", ClimateSensor.from_api
        )

    async def get_environmental_gateways(self) -> dict[str, EnvironmentalGateway]:
        """Every E50, by ``deviceUuid``."""
        return await self._list(
            SiteKind.ENVIRONMENTAL_GATEWAY,
            "minimalEnvironmentalGatewayStates",
            EnvironmentalGateway.from_api,
            paged=True,
        )

    async def get_occupancy_sensors(self) -> dict[str, OccupancySensor]:
        """Every occupancy sensor (M1/M15), by ``sensorUuid``."""
        return await self._list(
            SiteKind.OCCUPANCY_SENSOR, "occupancySensorStates", OccupancySensor.from_api
        )

    async def get_buttons(self) -> dict[str, Button]:
        """Every BLE button (B10/B15), by ``sensorUuid`` (list key ``states``)."""
        return await self._list(SiteKind.BUTTON, "states", Button.from_api)

    async def get_audio_gateways(self) -> dict[str, AudioGateway]:
        """Every audio gateway (A100/A1), by ``uuid``."""
        return await self._list(
            SiteKind.AUDIO_GATEWAY, "audioGatewayStates", AudioGateway.from_api
        )

    async def get_access_controlled_doors(self) -> dict[str, AccessControlledDoor]:
        """Every door with its mode and live component states (two or more calls)."""
        kind = SiteKind.ACCESS_CONTROL
        doors: dict[str, AccessControlledDoor] = {}
        page_key: str | None = None
        for _ in range(MAX_DOOR_PAGES):
            body: dict[str, Any] = {"maxPageSize": DOOR_PAGE_SIZE}
            if page_key is not None:
                body["lastEvaluatedKey"] = page_key
            data = await self._call(kind, _PATHS[kind], body)
            items = data.get("accessControlledDoors")
            if not isinstance(items, list):
                raise RhombusProtocolError(
                    f"{_PATHS[kind]}: response has no accessControlledDoors"
                )
            for item in items:
                if (door := AccessControlledDoor.from_api(item)) is not None:
                    doors[door.uuid] = door
            if (page_key := text(data, "lastEvaluatedKey")) is None:
                break
        wanted = [uuid for door in doors.values() for uuid in door.components]
        shadows = await self.get_component_shadows(wanted) if wanted else {}
        return {uuid: door.with_shadows(shadows) for uuid, door in doors.items()}

    async def get_component_shadows(
        self, component_uuids: list[str]
    ) -> dict[str, ComponentShadow]:
        """The live state of each component, by uuid (missing ones are left out)."""
        shadows: dict[str, ComponentShadow] = {}
        unique = list(dict.fromkeys(component_uuids))
        for start in range(0, len(unique), SHADOW_BATCH):
            batch = unique[start : start + SHADOW_BATCH]
            data = await self._call(
                SiteKind.ACCESS_CONTROL, SHADOWS_PATH, {"componentUuids": batch}
            )
            found = data.get("acuComponentShadowMap")
            if not isinstance(found, Mapping):
                raise RhombusProtocolError(f"{SHADOWS_PATH}: no acuComponentShadowMap")
            for uuid, item in found.items():
                if isinstance(uuid, str) and (
                    shadow := ComponentShadow.from_api(uuid, item)
                ):
                    shadows[uuid] = shadow
        return shadows

    async def get_kind(self, kind: SiteKind) -> Mapping[str, SiteDevice]:
        """Every device of ``kind`` (one entry point for a per-kind refresher)."""
        readers: dict[SiteKind, Callable[[], Awaitable[Mapping[str, SiteDevice]]]]
        readers = {
            SiteKind.DOOR_SENSOR: self.get_door_sensors,
            SiteKind.CLIMATE_SENSOR: self.get_climate_sensors,
            SiteKind.ENVIRONMENTAL_GATEWAY: self.get_environmental_gateways,
            SiteKind.OCCUPANCY_SENSOR: self.get_occupancy_sensors,
            SiteKind.BUTTON: self.get_buttons,
            SiteKind.AUDIO_GATEWAY: self.get_audio_gateways,
            SiteKind.ACCESS_CONTROL: self.get_access_controlled_doors,
        }
        return await readers[kind]()

    async def unlock_door(self, door_uuid: str) -> None:
        """Momentarily unlock a door; raise `RhombusUnlockError` unless SUCCESS."""
        data = await self._call(
            SiteKind.ACCESS_CONTROL,
            UNLOCK_PATH,
            {"accessControlledDoorUuid": door_uuid},
        )
        if data.get("type") == "SUCCESS":
            _LOGGER.debug("Unlock of %s confirmed", door_uuid)
            return
        reason = data.get("errorType")
        try:
            failure = UnlockFailure(reason) if isinstance(reason, str) else None
        except ValueError:
            failure = None
        raise RhombusUnlockError(door_uuid, failure or UnlockFailure.UNKNOWN)
