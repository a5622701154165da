"""The site's non-camera hardware: state dicts in the spec's own field names.

Each device is kept as the JSON object its list call returns, so what REST
serves is what a test set, with nothing renamed. Only declared properties are
ever stored (`SimSiteDevice.update` refuses others).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from . import site_fields
from .names import NameGenerator
from .world import now_ms

DOOR_SENSOR: Final = "door_sensor"
CLIMATE_SENSOR: Final = "climate_sensor"
ENVIRONMENTAL_GATEWAY: Final = "environmental_gateway"
OCCUPANCY_SENSOR: Final = "occupancy_sensor"
BUTTON: Final = "button"
AUDIO_GATEWAY: Final = "audio_gateway"
ACCESS_CONTROL: Final = "access_control"

# kind → (declared fields, id field, DeviceTypeEnum for its alerts)
KINDS: Final[dict[str, tuple[tuple[str, ...], str, str]]] = {
    DOOR_SENSOR: (site_fields.DOOR_SENSOR, "sensorUuid", "DOOR_SENSOR"),
    CLIMATE_SENSOR: (site_fields.CLIMATE_SENSOR, "sensorUuid", "ENVIRONMENTAL_SENSOR"),
    ENVIRONMENTAL_GATEWAY: (
        site_fields.ENVIRONMENTAL_GATEWAY,
        "deviceUuid",
        "ENVIRONMENTAL_GATEWAY",
    ),
    OCCUPANCY_SENSOR: (site_fields.OCCUPANCY_SENSOR, "sensorUuid", "OCCUPANCY_SENSOR"),
    BUTTON: (site_fields.BUTTON, "sensorUuid", "BLE_BUTTON"),
    AUDIO_GATEWAY: (site_fields.AUDIO_GATEWAY, "uuid", "AUDIO_GATEWAY"),
}
# The list call of each kind (access control also needs the shadows call).
PATHS: Final[dict[str, tuple[str, ...]]] = {
    DOOR_SENSOR: ("/api/door/getMinimalDoorStateList",),
    CLIMATE_SENSOR: ("/api/climate/getMinimalClimateStateList",),
    ENVIRONMENTAL_GATEWAY: ("/api/climate/getMinimalEnvironmentalGatewayStates",),
    OCCUPANCY_SENSOR: ("/api/occupancy/getMinimalOccupancySensorStateList",),
    BUTTON: ("/api/button/getMinimalButtonStateList",),
    AUDIO_GATEWAY: ("/api/audiogateway/getMinimalAudioGatewayStateList",),
    ACCESS_CONTROL: (
        "/api/component/findMinimalStateAccessControlledDoors",
        "/api/component/findAllComponentShadows",
        "/api/accesscontrol/unlockAccessControlledDoor",
    ),
}


@dataclass(slots=True)
class SimSiteDevice:
    """One sensor or gateway: its kind and its list-call object."""

    kind: str
    state: dict[str, Any]

    @property
    def uuid(self) -> str:
        """The kind's id field."""
        return str(self.state[KINDS[self.kind][1]])

    @property
    def name(self) -> str:
        """Display name (the uuid for an all-null device)."""
        return str(self.state.get("name") or self.uuid)

    def update(self, fields: dict[str, Any]) -> None:
        """Set declared fields (any value: tests send garbage on purpose)."""
        declared = KINDS[self.kind][0]
        if unknown := set(fields) - set(declared):
            raise ValueError(f"not declared on {self.kind}: {sorted(unknown)}")
        self.state.update(fields)


@dataclass(slots=True)
class SimAccessDoor:
    """A door (``AccessControlledDoorType``), its shadow and its components."""

    door: dict[str, Any]
    shadow: dict[str, Any] | None
    dpi: str | None = None
    relay: str | None = None
    reader: str | None = None

    @property
    def uuid(self) -> str:
        """The door's uuid."""
        return str(self.door["uuid"])

    @property
    def name(self) -> str:
        """Display name."""
        return str(self.door.get("name") or self.uuid)


@dataclass(slots=True)
class SiteWorld:
    """Every non-camera device of the org."""

    names: NameGenerator
    org_uuid: str
    location_uuid: str
    policy_uuid: str
    devices: dict[str, SimSiteDevice] = field(default_factory=dict)
    doors: dict[str, SimAccessDoor] = field(default_factory=dict)
    shadows: dict[str, dict[str, Any]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[SimSiteDevice]:
        """The devices of ``kind`` in creation order."""
        return [device for device in self.devices.values() if device.kind == kind]

    def device(self, uuid: str) -> SimSiteDevice:
        """A sensor or gateway by uuid (KeyError names it)."""
        try:
            return self.devices[uuid]
        except KeyError:
            raise KeyError(f"no site device {uuid}") from None

    def door(self, uuid: str) -> SimAccessDoor:
        """An access-controlled door by uuid."""
        try:
            return self.doors[uuid]
        except KeyError:
            raise KeyError(f"no access-controlled door {uuid}") from None

    def add(self, kind: str, name: str, hw: str, **fields: Any) -> SimSiteDevice:
        """Add a device of ``kind`` with the common fields plus ``fields``."""
        id_field = KINDS[kind][1]
        uuid = self.names.ruuid()
        state: dict[str, Any] = {
            id_field: uuid,
            "name": name,
            "hwVariation": hw,
            "firmwareVersion": "1.4.2",
            "serialNumber": f"{hw.rsplit('_', 1)[-1]}-{uuid[:6].upper()}",
            "locationUuid": self.location_uuid,
            "associatedCameras": [],
            "createdAtMillis": 1_704_067_200_000,
        }
        if kind in (DOOR_SENSOR, CLIMATE_SENSOR, OCCUPANCY_SENSOR, BUTTON):
            state |= {
                "health": "GREEN",
                "healthDetails": "NONE",
                "batteryPercent": 90,
                "signalStrength": -60,
                "lastSeenSec": now_ms() // 1000,
                "policyUuid": self.policy_uuid,
            }
        if kind == ENVIRONMENTAL_GATEWAY:
            state |= {"timestampMs": now_ms(), "orgUuid": self.org_uuid}
        if kind == AUDIO_GATEWAY:
            state["sensorUuid"] = uuid
        # The common fields are not all declared on every kind.
        declared = set(KINDS[kind][0])
        device = SimSiteDevice(kind, {k: v for k, v in state.items() if k in declared})
        device.update(fields)
        self.devices[uuid] = device
        return device

    def add_null(self, kind: str) -> str:
        """Add a device (or door) whose every property but its id is null."""
        uuid = self.names.ruuid()
        if kind == ACCESS_CONTROL:
            door = dict.fromkeys(site_fields.ACCESS_CONTROLLED_DOOR)
            door["uuid"] = uuid
            self.doors[uuid] = SimAccessDoor(door, None)
            return uuid
        declared, id_field, _type = KINDS[kind]
        state = dict.fromkeys(declared)
        state[id_field] = uuid
        self.devices[uuid] = SimSiteDevice(kind, state)
        return uuid

    def add_door(
        self, name: str, *, remote_unlock: bool | None = True, unlock_sec: int = 5
    ) -> SimAccessDoor:
        """Add an access-controlled door on its own DC20 with DPI, relay, reader."""
        uuid, controller = self.names.ruuid(), self.names.ruuid()
        parts = {
            "dpi": ("DoorPositionIndicatorShadow", "CLOSED"),
            "relay": ("DoorRelayShadow", "LOCKED"),
            "reader": ("DoorReaderShadow", "CONNECTED"),
        }
        refs: dict[str, str] = {}
        for part, (shadow_type, state) in parts.items():
            refs[part] = component = self.names.ruuid()
            shadow = {
                "type": shadow_type,
                "componentUuid": component,
                "ownerDeviceUuid": controller,
                "orgUuid": self.org_uuid,
                "state": state,
                "stateUpdateEventTimestampMs": now_ms(),
            }
            if part == "dpi":
                shadow["supervisionState"] = "NORMAL"
            self.shadows[component] = shadow

        def ref(part: str) -> list[dict[str, str]]:
            return [{"componentUuid": refs[part], "deviceUuid": controller}]

        door = {
            "uuid": uuid,
            "name": name,
            "type": "AccessControlledDoor",
            "subType": "RHOMBUS",
            "orgUuid": self.org_uuid,
            "locationUuid": self.location_uuid,
            "ownerDeviceUuid": controller,
            "policyUuid": self.policy_uuid,
            "remoteUnlockEnabled": remote_unlock,
            "defaultState": "ACCESS_CONTROLLED",
            "unlockTimeSec": unlock_sec,
            "ajarTimeSec": 30,
            "forcedOpenEnabled": True,
            "dpiComponents": ref("dpi"),
            "relayComponents": ref("relay"),
            "readerComponents": ref("reader"),
            "rexComponents": [],
            "associatedCameras": [],
        }
        shadow = {
            "type": "AccessControlledDoorShadow",
            "componentCompositeUuid": uuid,
            "ownerDeviceUuid": controller,
            "orgUuid": self.org_uuid,
            "state": {
                "state": "ACCESS_CONTROLLED",
                "source": "DEFAULT_STATE",
                "stateUpdateEventTimestampMs": now_ms(),
            },
        }
        sim_door = SimAccessDoor(
            door, shadow, refs["dpi"], refs["relay"], refs["reader"]
        )
        self.doors[uuid] = sim_door
        return sim_door

    def remove(self, uuid: str) -> None:
        """Remove a device or a door (and its components' shadows)."""
        if uuid in self.devices:
            del self.devices[uuid]
            return
        door = self.door(uuid)
        for component in (door.dpi, door.relay, door.reader):
            self.shadows.pop(component or "", None)
        del self.doors[uuid]

    def states(self, kind: str) -> list[dict[str, Any]]:
        """What the kind's list call returns, in creation order."""
        return [dict(device.state) for device in self.of_kind(kind)]
