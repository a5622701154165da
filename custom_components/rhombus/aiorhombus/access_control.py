"""Access-controlled doors: the door, its access mode and its component shadows.

A door is a component composite run by a door controller (DC20), not a
device. Its mode comes with it from ``findMinimalStateAccessControlledDoors``;
the live position, lock relay and reader link come from
``findAllComponentShadows`` for the components the door references.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from .site_models import SiteDevice
from .site_parse import enum, epoch_ms, flag, integer, text, uuids


class AccessMode(StrEnum):
    """``AccessControlledDoorStateEnumType``: held unlocked or badge required."""

    UNLOCKED = "UNLOCKED"
    ACCESS_CONTROLLED = "ACCESS_CONTROLLED"
    UNKNOWN = "UNKNOWN"


class AccessModeSource(StrEnum):
    """``AccessStateSourceEnum``: why the door is in its mode."""

    DEFAULT_STATE = "DEFAULT_STATE"
    SCHEDULE = "SCHEDULE"
    SCHEDULE_EXCEPTION = "SCHEDULE_EXCEPTION"
    FIRST_IN = "FIRST_IN"
    DOOR_STATE_OVERRIDE = "DOOR_STATE_OVERRIDE"
    LOCKDOWN = "LOCKDOWN"
    PRIVACY = "PRIVACY"
    UNKNOWN = "UNKNOWN"


class DoorPosition(StrEnum):
    """``DoorPositionIndicatorStateEnumType``."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"
    AJAR = "AJAR"
    FORCED_OPEN = "FORCED_OPEN"
    ERROR = "ERROR"
    UNKNOWN = "UNKNOWN"


class LockState(StrEnum):
    """``DoorRelayStateEnumType``: the lock relay right now."""

    LOCKED = "LOCKED"
    UNLOCKED = "UNLOCKED"
    UNKNOWN = "UNKNOWN"


class ReaderState(StrEnum):
    """``DoorReaderStateEnumType``."""

    CONNECTED = "CONNECTED"
    DISCONNECTED = "DISCONNECTED"
    UNKNOWN = "UNKNOWN"


class Supervision(StrEnum):
    """``SupervisionStateEnumType``: wiring of a supervised input."""

    NORMAL = "NORMAL"
    CUT_DETECTED = "CUT_DETECTED"
    SHORT_DETECTED = "SHORT_DETECTED"
    INVALID = "INVALID"
    UNKNOWN = "UNKNOWN"


class ShadowType(StrEnum):
    """``ComponentShadowEnumType`` (the shadow's discriminator)."""

    DOOR_READER = "DoorReaderShadow"
    DOOR_RELAY = "DoorRelayShadow"
    DOOR_POSITION = "DoorPositionIndicatorShadow"
    REQUEST_TO_EXIT = "RequestToExitShadow"
    GENERIC_RELAY = "GenericRelayShadow"
    GENERIC_INPUT = "GenericInputShadow"
    GENERIC_BUTTON = "GenericButtonShadow"
    APERIO_GATEWAY = "AperioGatewayShadow"
    APERIO_DOOR_EXTENSION = "AperioDoorExtensionShadow"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, slots=True, kw_only=True)
class ComponentShadow:
    """One component's live state; ``state`` is raw text (its enum depends on type)."""

    component_uuid: str
    type: ShadowType | None = None
    state: str | None = None
    supervision_state: Supervision | None = None
    updated: datetime | None = None

    @classmethod
    def from_api(cls, uuid: str, data: Any) -> Self | None:
        """Read one ``acuComponentShadowMap`` value (its key is the uuid)."""
        if not isinstance(data, Mapping):
            return None
        return cls(
            component_uuid=text(data, "componentUuid") or uuid,
            type=enum(data, "type", ShadowType),
            state=text(data, "state"),
            supervision_state=enum(data, "supervisionState", Supervision),
            updated=epoch_ms(data, "stateUpdateEventTimestampMs"),
        )


def _shadow_enum[E: StrEnum](
    shadows: Mapping[str, ComponentShadow], wanted: tuple[str, ...], kind: type[E]
) -> tuple[E | None, ComponentShadow | None]:
    for uuid in wanted:
        if (shadow := shadows.get(uuid)) is not None:
            return enum({"state": shadow.state}, "state", kind), shadow
    return None, None


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessControlledDoor(SiteDevice):
    """One door with its mode and, after `with_shadows`, its live hardware state."""

    controller_uuid: str | None = None
    remote_unlock_enabled: bool | None = None
    unlock_time_sec: int | None = None
    access_mode: AccessMode | None = None
    access_mode_source: AccessModeSource | None = None
    position_components: tuple[str, ...] = ()
    relay_components: tuple[str, ...] = ()
    reader_components: tuple[str, ...] = ()
    rex_components: tuple[str, ...] = ()
    position: DoorPosition | None = None
    position_supervision: Supervision | None = None
    lock: LockState | None = None
    reader: ReaderState | None = None

    @property
    def components(self) -> tuple[str, ...]:
        """Every component uuid whose shadow describes this door."""
        return (
            *self.position_components,
            *self.relay_components,
            *self.reader_components,
            *self.rex_components,
        )

    @property
    def is_open(self) -> bool | None:
        """OPEN, AJAR and FORCED_OPEN are open; None when not known."""
        if self.position in (None, DoorPosition.UNKNOWN, DoorPosition.ERROR):
            return None
        return self.position is not DoorPosition.CLOSED

    @classmethod
    def from_api(cls, data: Any) -> Self | None:
        """Read one ``accessControlledDoors`` item ``{door, shadow}``."""
        if not isinstance(data, Mapping):
            return None
        door = data.get("door")
        if not isinstance(door, Mapping) or not (uuid := text(door, "uuid")):
            return None
        shadow = data.get("shadow")
        state = shadow.get("state") if isinstance(shadow, Mapping) else None
        state = state if isinstance(state, Mapping) else {}
        return cls(
            # The door type declares no model, firmware or serial (its DC20
            # controller has them): only its own identity is read.
            uuid=uuid,
            name=text(door, "name") or uuid,
            location_uuid=text(door, "locationUuid"),
            controller_uuid=text(door, "ownerDeviceUuid"),
            remote_unlock_enabled=flag(door, "remoteUnlockEnabled"),
            unlock_time_sec=integer(door, "unlockTimeSec", 0, 86_400),
            access_mode=enum(state, "state", AccessMode),
            access_mode_source=enum(state, "source", AccessModeSource),
            position_components=uuids(door.get("dpiComponents")),
            relay_components=uuids(door.get("relayComponents")),
            reader_components=uuids(door.get("readerComponents")),
            rex_components=uuids(door.get("rexComponents")),
        )

    def with_shadows(self, shadows: Mapping[str, ComponentShadow]) -> Self:
        """A copy with position, lock and reader read from ``shadows``."""
        position, dpi = _shadow_enum(shadows, self.position_components, DoorPosition)
        lock, _ = _shadow_enum(shadows, self.relay_components, LockState)
        reader, _ = _shadow_enum(shadows, self.reader_components, ReaderState)
        return replace(
            self,
            position=position,
            position_supervision=dpi.supervision_state if dpi else None,
            lock=lock,
            reader=reader,
        )


class UnlockFailure(StrEnum):
    """``Accesscontrol_UnlockAccessControlledDoorEnumType``, plus our own cases."""

    FAILED_SENDING_ACU_UNLOCK_REQUEST = "FAILED_SENDING_ACU_UNLOCK_REQUEST"
    DOOR_NOT_CONFIGURED_WITH_LOCK = "DOOR_NOT_CONFIGURED_WITH_LOCK"
    # No ``type: SUCCESS`` and no error type: not confirmed, so not unlocked.
    UNKNOWN = "UNKNOWN"
