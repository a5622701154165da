"""Typed views of what the Rhombus cloud sends.

Parsing is tolerant on purpose: the live payload shape is not fully documented
(alert fields sit at the top level or inside ``update``), so a missing or wrongly
typed field becomes ``None`` instead of an error, and unknown entities and
triggers pass through untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
import math
from typing import Any

from .const import (
    DEFAULT_THUMBNAIL_REGION,
    ENTITY_POLICY_ALERT,
    THUMBNAIL_REGION_PATTERN,
)
from .exceptions import RhombusProtocolError
from .values import device_uuid


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _float(value: Any) -> float | None:
    # bool is an int subclass: a boolean number is garbage, not 0/1. JSON may
    # also carry Infinity or 1e400, which no field can use.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# Epoch milliseconds up to the year 2109: anything outside is not a timestamp
# (microseconds sent as milliseconds would crash every datetime use).
_MAX_TIMESTAMP_MS = 2**42


def _timestamp(value: Any) -> int | None:
    number = _float(value)
    if number is None or not 0 <= number < _MAX_TIMESTAMP_MS:
        return None
    return int(number)


# The hub's bus event and the event entity both show an alert's time: the
# conversion is made once per alert (frozen slots dataclasses cannot cache it).
@lru_cache(maxsize=64)
def _iso(timestamp_ms: int) -> str:
    return datetime.fromtimestamp(timestamp_ms / 1000, UTC).isoformat()


# Text, ids and triggers reach the bus event and attributes: a megabyte of
# any would defeat the payload cap (real ones are a line). Longer ids: none.
_MAX_TEXT, _MAX_TRIGGERS, _MAX_TRIGGER = 1000, 32, 100


def _id(value: Any) -> str | None:
    return (
        value
        if isinstance(value, str) and value and len(value) <= _MAX_TRIGGER
        else None
    )


def _text(value: Any) -> str | None:
    text = _str(value)
    return text[:_MAX_TEXT] if text and len(text) > _MAX_TEXT else text


def _triggers(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        return None
    found = [
        item
        for item in value
        if isinstance(item, str) and item and len(item) <= _MAX_TRIGGER
    ]
    return tuple(found[:_MAX_TRIGGERS] if len(found) > _MAX_TRIGGERS else found)


class ChangeType(StrEnum):
    """What a change on the org's topic did to its entity."""

    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    REFRESH = "REFRESH"


# A type Rhombus adds later passes through as its plain text.
_CHANGE_TYPES: dict[str, ChangeType] = {change.value: change for change in ChangeType}


def location_region(location: Any) -> str | None:
    """The ``region`` of a ``thumbnailLocation``/``clipLocation``, if a plain name.

    The one parser of these locations: stream messages and listed alerts alike.
    """
    if not isinstance(location, Mapping):
        return None
    region = location.get("region")
    if isinstance(region, str) and THUMBNAIL_REGION_PATTERN.fullmatch(region):
        return region
    return None


def _thumbnail_region(payload: Mapping[str, Any]) -> str:
    update = payload.get("update")
    for source in (update if isinstance(update, Mapping) else {}, payload):
        if (region := location_region(source.get("thumbnailLocation"))) is not None:
            return region
    return DEFAULT_THUMBNAIL_REGION


class StreamState(StrEnum):
    """Where the event stream stands."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    AUTH_FAILED = "auth_failed"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class Org:
    """The organisation an API key belongs to."""

    uuid: str
    name: str

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Org:
        """Read ``getOrgV2``'s response; an org without a uuid is unusable."""
        org = data.get("org")
        if not isinstance(org, Mapping) or not (uuid := _str(org.get("uuid"))):
            raise RhombusProtocolError("getOrgV2 returned no org uuid")
        return cls(uuid=uuid, name=_str(org.get("name")) or uuid)


@dataclass(frozen=True, slots=True)
class Camera:
    """One camera from ``getMinimalCameraStateList``."""

    uuid: str
    name: str
    hw_variation: str | None = None
    firmware_version: str | None = None
    serial_number: str | None = None
    connection_status: str | None = None
    health_status: str | None = None
    location_uuid: str | None = None

    @property
    def online(self) -> bool:
        """Rhombus reports GREEN for a connected camera."""
        return self.connection_status == "GREEN"

    @classmethod
    def from_api(cls, data: Any) -> Camera | None:
        """Read one ``cameraStates`` item, or None when it has no uuid."""
        if not isinstance(data, Mapping) or not (uuid := _str(data.get("uuid"))):
            return None
        return cls(
            uuid=uuid,
            name=_str(data.get("name")) or uuid,
            hw_variation=_str(data.get("hwVariation")),
            firmware_version=_str(data.get("firmwareVersion")),
            serial_number=_str(data.get("serialNumber")),
            connection_status=_str(data.get("connectionStatus")),
            health_status=_str(data.get("healthStatus")),
            location_uuid=_str(data.get("locationUuid")),
        )


# Not frozen: one is made per message, and a frozen dataclass's __init__
# (an object.__setattr__ per field) costs several times a plain one's.
# Nothing assigns to it once made.
@dataclass(slots=True)
class ChangeEvent:
    """One change on the org's topic, or one alert fetched over REST.

    ``triggers`` is None when the message carried no trigger list at all,
    which is what tells the caller to fetch the alert's details.
    """

    entity_type: str
    change_type: ChangeType | str
    entity_uuid: str | None = None
    device_uuid: str | None = None
    timestamp_ms: int | None = None
    duration_sec: float | None = None
    triggers: tuple[str, ...] | None = None
    description: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict, repr=False)
    # Characters of the JSON text it was read from (None: not from a message).
    size: int | None = None

    @property
    def timestamp_iso(self) -> str | None:
        """The timestamp as ISO 8601 in UTC, or None when unknown."""
        if self.timestamp_ms is None:
            return None
        return _iso(self.timestamp_ms)

    @property
    def is_alert(self) -> bool:
        """True for policy alerts, the stream's main content."""
        return self.entity_type == ENTITY_POLICY_ALERT

    @property
    def thumbnail_region(self) -> str:
        """The alert's ``thumbnailLocation.region`` (in ``update`` or at the top).

        The Rhombus CLI's default region when the payload names none (or a
        region that is not a plain name).
        """
        return _thumbnail_region(self.payload)

    @property
    def needs_details(self) -> bool:
        """A new or updated alert that lacks its triggers or its device."""
        return (
            self.is_alert
            and self.change_type in (ChangeType.CREATE, ChangeType.UPDATE)
            and self.entity_uuid is not None
            and (self.triggers is None or self.device_uuid is None)
        )

    @classmethod
    def from_message(cls, body: Any, size: int | None = None) -> ChangeEvent:
        """Read a MESSAGE body; fields come from ``update`` first, then the top."""
        # The stream's hot path: every message comes through here, so the
        # lookups are spelled out rather than wrapped in helper closures.
        # JSON gives a dict: the exact-type check spares the ABC's slower one.
        if type(body) is not dict and not isinstance(body, Mapping):
            raise RhombusProtocolError("message body is not a JSON object")
        top = body.get
        entity_type = _id(top("entity"))
        change_type = _id(top("type"))
        if entity_type is None or change_type is None:
            raise RhombusProtocolError("message has no entity or change type")
        update = top("update")
        if type(update) is dict or isinstance(update, Mapping):
            inner = update.get
            if (device := inner("deviceUuid")) is None:
                device = top("deviceUuid")
            if (timestamp := inner("timestampMs")) is None:
                timestamp = top("timestampMs")
            if (duration := inner("durationSec")) is None:
                duration = top("durationSec")
            if (triggers := inner("policyAlertTriggers")) is None:
                triggers = top("policyAlertTriggers")
            if (description := inner("textDescription")) is None:
                description = top("textDescription")
            uuid = _id(top("entityUuid")) or _id(inner("uuid"))
        else:
            device = top("deviceUuid")
            timestamp = top("timestampMs")
            duration = top("durationSec")
            triggers = top("policyAlertTriggers")
            description = top("textDescription")
            uuid = _id(top("entityUuid"))
        return cls(
            entity_type,
            _CHANGE_TYPES.get(change_type, change_type),
            uuid,
            device_uuid(_id(device)),
            _timestamp(timestamp),
            _float(duration),
            _triggers(triggers),
            _text(description),
            body,
            size,
        )

    @classmethod
    def from_alert(
        cls, alert: Mapping[str, Any], change_type: ChangeType | str = ChangeType.CREATE
    ) -> ChangeEvent:
        """Read a policy-alert object as returned by the REST API."""
        return cls(
            entity_type=ENTITY_POLICY_ALERT,
            change_type=change_type,
            entity_uuid=_id(alert.get("uuid")),
            device_uuid=device_uuid(_id(alert.get("deviceUuid"))),
            timestamp_ms=_timestamp(alert.get("timestampMs")),
            duration_sec=_float(alert.get("durationSec")),
            triggers=_triggers(alert.get("policyAlertTriggers")),
            description=_text(alert.get("textDescription")),
            payload=alert,
        )

    def completed_by(self, alert: Mapping[str, Any]) -> ChangeEvent:
        """Fill the fields this message lacks from the alert's details."""
        details = ChangeEvent.from_alert(alert, self.change_type)
        return ChangeEvent(
            entity_type=self.entity_type,
            change_type=self.change_type,
            entity_uuid=self.entity_uuid,
            device_uuid=self.device_uuid or details.device_uuid,
            timestamp_ms=self.timestamp_ms or details.timestamp_ms,
            duration_sec=(
                self.duration_sec
                if self.duration_sec is not None
                else details.duration_sec
            ),
            triggers=self.triggers if self.triggers is not None else details.triggers,
            description=self.description or details.description,
            payload=self.payload,
            size=self.size,
        )
