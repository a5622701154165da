"""Typed views of the site's non-camera devices (one list call per kind).

Units are the spec's: °C for temperatures except ``heat_index_f`` (°F),
% for humidity, battery and the vape/THC/smoke confidences, ppm for CO₂
(the E50's ``co2Ppm`` says so; the E-series ``co2`` is inferred to match),
ppb for formaldehyde, and ``last_seen`` is a datetime. Inferred, not stated:
µg/m³ for PM, hPa for pressure, ppm for CO, lx for ``raw_lux``; the unit of
``tvoc``, ``ethanol`` and ``signal_strength`` is unknown. ``normalized_lux``
is a 0-1 fraction (Home Assistant has no unit for it: scale to % there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from .site_parse import enum, epoch_seconds, flag, integer, number, text

# Plausible physical limits; a reading outside is a sensor or transport fault.
_TEMP_C = (-90.0, 150.0)
_TEMP_F = (-130.0, 300.0)
_PERCENT = (0.0, 100.0)
_PPM_CO2 = (0.0, 100_000.0)
_PM = (0.0, 10_000.0)
_INDEX = (0.0, 500.0)
_PRESSURE_HPA = (300.0, 1200.0)


class SensorHealth(StrEnum):
    """``health`` of a battery (BLE) sensor."""

    GREEN = "GREEN"
    RED = "RED"
    UNKNOWN = "UNKNOWN"


class SensorHealthDetails(StrEnum):
    """``healthDetails`` of a battery (BLE) sensor."""

    FIRMWARE_BEHIND = "FIRMWARE_BEHIND"
    NO_HEARTBEAT = "NO_HEARTBEAT"
    NONE = "NONE"
    UNKNOWN = "UNKNOWN"


class DeviceStatus(StrEnum):
    """``DeviceStatusEnum``: connection and health of networked devices."""

    GREEN = "GREEN"
    YELLOW = "YELLOW"
    ORANGE = "ORANGE"
    RED = "RED"
    UNKNOWN = "UNKNOWN"


class DoorStatus(StrEnum):
    """``DoorStatusEnum``; AJAR is open past the ajar timeout (inferred)."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"
    AJAR = "AJAR"
    UNKNOWN = "UNKNOWN"


class OccupancyStatus(StrEnum):
    """``OccupancyStatusEnum``; MOVEMENT is motion now (inferred)."""

    VACANT = "VACANT"
    MOVEMENT = "MOVEMENT"
    OCCUPIED = "OCCUPIED"
    UNKNOWN = "UNKNOWN"


class ButtonMode(StrEnum):
    """``ButtonModeEnum``."""

    PANIC = "PANIC"
    PROGRAMMABLE = "PROGRAMMABLE"
    DOORBELL = "DOORBELL"
    NONE = "NONE"
    UNKNOWN = "UNKNOWN"


class AqiPollutant(StrEnum):
    """``AirQualityIndexPollutantEnum``: the pollutant that sets the AQI."""

    OZONE = "OZONE"
    PM2P5 = "PM2P5"
    PM10P0 = "PM10P0"
    CO = "CO"
    NO2 = "NO2"
    SO2 = "SO2"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteDevice:
    """What every site device has: identity and hardware."""

    uuid: str
    name: str
    hw_variation: str | None = None  # kept as text: new models appear
    firmware_version: str | None = None
    serial_number: str | None = None
    location_uuid: str | None = None

    @classmethod
    def _identity(cls, data: Mapping[str, Any], uuid: str) -> dict[str, Any]:
        return {
            "uuid": uuid,
            "name": text(data, "name") or uuid,
            "hw_variation": text(data, "hwVariation"),
            "firmware_version": text(data, "firmwareVersion"),
            "serial_number": text(data, "serialNumber"),
            "location_uuid": text(data, "locationUuid"),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class BleSensor(SiteDevice):
    """A battery sensor relayed over BLE (door, climate, occupancy, button)."""

    health: SensorHealth | None = None
    health_details: SensorHealthDetails | None = None
    battery_percent: int | None = None
    signal_strength: int | None = None  # unit unknown (0-100 or dBm)
    last_seen: datetime | None = None

    @property
    def online(self) -> bool | None:
        """False when Rhombus reports no heartbeat; None when it says nothing."""
        if self.health_details is SensorHealthDetails.NO_HEARTBEAT:
            return False
        if self.health is None and self.health_details is None:
            return None
        return True

    @classmethod
    def _ble(cls, data: Mapping[str, Any], uuid: str) -> dict[str, Any]:
        return {
            **cls._identity(data, uuid),
            "health": enum(data, "health", SensorHealth),
            "health_details": enum(data, "healthDetails", SensorHealthDetails),
            "battery_percent": integer(data, "batteryPercent", *_PERCENT),
            "signal_strength": integer(data, "signalStrength"),
            "last_seen": epoch_seconds(data, "lastSeenSec"),
        }

    @classmethod
    def from_api(cls, data: Any) -> Self | None:
        """Read one list item, or None when it has no ``sensorUuid``."""
        if not isinstance(data, Mapping) or not (uuid := text(data, "sensorUuid")):
            return None
        return cls(**cls._fields(data, uuid))

    @classmethod
    def _fields(cls, data: Mapping[str, Any], uuid: str) -> dict[str, Any]:
        return cls._ble(data, uuid)


@dataclass(frozen=True, slots=True, kw_only=True)
class DoorSensor(BleSensor):
    """A D1/D20 from ``getMinimalDoorStateList``."""

    status: DoorStatus | None = None

    @property
    def is_open(self) -> bool | None:
        """OPEN or AJAR is open; None when the status is missing or unknown."""
        if self.status in (None, DoorStatus.UNKNOWN):
            return None
        return self.status is not DoorStatus.CLOSED

    @classmethod
    def _fields(cls, data: Mapping[str, Any], uuid: str) -> dict[str, Any]:
        return {**cls._ble(data, uuid), "status": enum(data, "status", DoorStatus)}


@dataclass(frozen=True, slots=True, kw_only=True)
class ClimateSensor(BleSensor):
    """An E1/E2/E15 from ``getMinimalClimateStateList`` (see module units)."""

    temperature_c: float | None = None
    humidity: float | None = None
    co2: float | None = None
    tvoc: float | None = None
    pm25: float | None = None
    iaq: float | None = None
    ethanol: float | None = None
    vape_percent: float | None = None
    thc_percent: float | None = None
    heat_index_f: float | None = None
    probe_temperature_c: float | None = None
    probe_connected: bool | None = None
    calibrating: bool | None = None

    @classmethod
    def _fields(cls, data: Mapping[str, Any], uuid: str) -> dict[str, Any]:
        return {
            **cls._ble(data, uuid),
            "temperature_c": number(data, "temperatureCelcius", *_TEMP_C),
            "humidity": number(data, "humidity", *_PERCENT),
            "co2": number(data, "co2", *_PPM_CO2),
            "tvoc": number(data, "tvoc", 0),
            "pm25": number(data, "pm25", *_PM),
            "iaq": number(data, "iaq", *_INDEX),
            "ethanol": number(data, "ethanol", 0),
            "vape_percent": number(data, "vapePercent", *_PERCENT),
            "thc_percent": number(data, "thcPercent", *_PERCENT),
            "heat_index_f": number(data, "heatIndexDegF", *_TEMP_F),
            "probe_temperature_c": number(data, "probeTempC", *_TEMP_C),
            "probe_connected": flag(data, "probeConnected"),
            "calibrating": flag(data, "calibrating"),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class OccupancySensor(BleSensor):
    """An M1/M15 from ``getMinimalOccupancySensorStateList``."""

    status: OccupancyStatus | None = None
    raw_lux: int | None = None
    normalized_lux: float | None = None  # 0-1

    @property
    def occupied(self) -> bool | None:
        """MOVEMENT or OCCUPIED; None when missing or unknown."""
        if self.status in (None, OccupancyStatus.UNKNOWN):
            return None
        return self.status is not OccupancyStatus.VACANT

    @property
    def motion(self) -> bool | None:
        """MOVEMENT only."""
        if self.status in (None, OccupancyStatus.UNKNOWN):
            return None
        return self.status is OccupancyStatus.MOVEMENT

    @classmethod
    def _fields(cls, data: Mapping[str, Any], uuid: str) -> dict[str, Any]:
        return {
            **cls._ble(data, uuid),
            "status": enum(data, "status", OccupancyStatus),
            "raw_lux": integer(data, "rawLux", 0, 200_000),
            "normalized_lux": number(data, "normalizedLux", 0, 1),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Button(BleSensor):
    """A B10/B15 from ``getMinimalButtonStateList`` (presses come as alerts)."""

    mode: ButtonMode | None = None
    test_mode: bool | None = None

    @classmethod
    def _fields(cls, data: Mapping[str, Any], uuid: str) -> dict[str, Any]:
        return {
            **cls._ble(data, uuid),
            "mode": enum(data, "buttonMode", ButtonMode),
            "test_mode": flag(data, "testModeEnabled"),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioGateway(SiteDevice):
    """An A100/A1 from ``getMinimalAudioGatewayStateList`` (keyed by ``uuid``)."""

    connection_status: DeviceStatus | None = None
    health_status: DeviceStatus | None = None

    @property
    def online(self) -> bool | None:
        """GREEN is connected, as for cameras."""
        if self.connection_status is None:
            return None
        return self.connection_status is DeviceStatus.GREEN

    @classmethod
    def from_api(cls, data: Any) -> Self | None:
        """Read one item; ``uuid`` is the id, ``sensorUuid`` the fallback."""
        if not isinstance(data, Mapping):
            return None
        if not (uuid := text(data, "uuid") or text(data, "sensorUuid")):
            return None
        return cls(
            **cls._identity(data, uuid),
            connection_status=enum(data, "connectionStatus", DeviceStatus),
            health_status=enum(data, "healthStatus", DeviceStatus),
        )
