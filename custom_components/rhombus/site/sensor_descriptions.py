"""Sensor descriptions for the site hardware, per kind.

A sensor is created only when its device reports a value at the first
refresh (`reported`): an E1 gets no CO₂ sensor. Units are the spec's where it
states them (°C, °F, %, ppm for the E50's CO₂, ppb) and inferred elsewhere
(µg/m³ for PM, hPa, lx, ppm for CO and E-series CO₂). TVOC and ethanol have
no stated unit, so no device class or unit. Enum states are the API's value
in lower case; an unknown value is no state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from homeassistant import const as ha_const
from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    LIGHT_LUX,
    PERCENTAGE,
    EntityCategory,
    UnitOfPressure,
    UnitOfTemperature,
)

from ..aiorhombus import AccessMode, AqiPollutant, ButtonMode, SiteKind

type SensorValue = float | int | str | datetime | None


@dataclass(frozen=True, kw_only=True)
class RhombusSiteSensorEntityDescription(SensorEntityDescription):
    """A site sensor: where its value comes from on the kind's model."""

    value_fn: Callable[[Any], SensorValue]


def reported(description: RhombusSiteSensorEntityDescription, device: Any) -> bool:
    """Whether ``device`` reports this reading (create the entity only then)."""
    return description.value_fn(device) is not None


def _enum_state(value: StrEnum | None) -> str | None:
    if value is None or value.value == "UNKNOWN":
        return None
    return value.value.lower()


def _options(kind: type[StrEnum]) -> list[str]:
    return [member.value.lower() for member in kind if member.value != "UNKNOWN"]


def _measure(
    key: str,
    value_fn: Callable[[Any], SensorValue],
    *,
    device_class: SensorDeviceClass | None = None,
    unit: str | None = None,
    enabled: bool = True,
    precision: int | None = None,
    named: bool = False,
) -> RhombusSiteSensorEntityDescription:
    # A device class names the entity unless two share one (heat index).
    return RhombusSiteSensorEntityDescription(
        key=key,
        translation_key=key if named or device_class is None else None,
        device_class=device_class,
        native_unit_of_measurement=unit,
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=enabled,
        suggested_display_precision=precision,
        value_fn=value_fn,
    )


# Every battery (BLE) sensor: door, climate, occupancy, button.
BLE_SENSORS: Final = (
    RhombusSiteSensorEntityDescription(
        key="battery",
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.battery_percent,
    ),
    RhombusSiteSensorEntityDescription(
        key="signal_strength",
        translation_key="signal_strength",
        # Unit unknown (0-100 or dBm): no device class until a live org says.
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.signal_strength,
    ),
    RhombusSiteSensorEntityDescription(
        key="last_seen",
        translation_key="last_seen",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.last_seen,
    ),
)
_T = SensorDeviceClass.TEMPERATURE
_C, _F = UnitOfTemperature.CELSIUS, UnitOfTemperature.FAHRENHEIT
# 2026.8 moves the concentration units to UnitOfDensity/UnitOfRatio (µg/m³
# spelt with the Greek mu) and deprecates the old constants; 2025.4 has only
# those. ppm and ppb read the same in both.
_DENSITY = getattr(ha_const, "UnitOfDensity", None)
_UG: str = (
    _DENSITY.MICROGRAMS_PER_CUBIC_METER
    if _DENSITY is not None
    else ha_const.CONCENTRATION_MICROGRAMS_PER_CUBIC_METER
)
_PPM = "ppm"
_PPB = "ppb"

CLIMATE_SENSORS: Final = (
    *BLE_SENSORS,
    _measure("temperature", lambda d: d.temperature_c, device_class=_T, unit=_C),
    _measure(
        "humidity",
        lambda d: d.humidity,
        device_class=SensorDeviceClass.HUMIDITY,
        unit=PERCENTAGE,
    ),
    _measure(
        "co2",
        lambda d: d.co2,
        device_class=SensorDeviceClass.CO2,
        unit=_PPM,
        precision=0,
    ),
    _measure("pm25", lambda d: d.pm25, device_class=SensorDeviceClass.PM25, unit=_UG),
    _measure("tvoc", lambda d: d.tvoc),
    _measure("iaq", lambda d: d.iaq),
    _measure("ethanol", lambda d: d.ethanol, enabled=False),
    _measure("vape", lambda d: d.vape_percent, unit=PERCENTAGE),
    _measure("thc", lambda d: d.thc_percent, unit=PERCENTAGE),
    _measure(
        "heat_index", lambda d: d.heat_index_f, device_class=_T, unit=_F, named=True
    ),
    _measure(
        "probe_temperature",
        lambda d: d.probe_temperature_c,
        device_class=_T,
        unit=_C,
        named=True,
    ),
)

ENVIRONMENTAL_GATEWAY_SENSORS: Final = (
    _measure("temperature", lambda d: d.temperature_c, device_class=_T, unit=_C),
    _measure(
        "humidity",
        lambda d: d.humidity,
        device_class=SensorDeviceClass.HUMIDITY,
        unit=PERCENTAGE,
    ),
    _measure(
        "co2",
        lambda d: d.co2_ppm,
        device_class=SensorDeviceClass.CO2,
        unit=_PPM,
    ),
    _measure(
        "co",
        lambda d: d.co_ppm,
        device_class=SensorDeviceClass.CO,
        unit=_PPM,
    ),
    # No formaldehyde device class in Home Assistant: a named ppb sensor.
    _measure(
        "formaldehyde",
        lambda d: d.formaldehyde_ppb,
        unit=_PPB,
    ),
    _measure("pm1", lambda d: d.pm1, device_class=SensorDeviceClass.PM1, unit=_UG),
    _measure("pm25", lambda d: d.pm25, device_class=SensorDeviceClass.PM25, unit=_UG),
    # PM4 has no device class in 2025.4: named, same unit.
    _measure("pm4", lambda d: d.pm4, unit=_UG),
    _measure("pm10", lambda d: d.pm10, device_class=SensorDeviceClass.PM10, unit=_UG),
    _measure(
        "pressure",
        lambda d: d.pressure_hpa,
        device_class=SensorDeviceClass.ATMOSPHERIC_PRESSURE,
        unit=UnitOfPressure.HPA,
    ),
    _measure("aqi", lambda d: d.aqi, device_class=SensorDeviceClass.AQI),
    RhombusSiteSensorEntityDescription(
        key="aqi_pollutant",
        translation_key="aqi_pollutant",
        device_class=SensorDeviceClass.ENUM,
        options=_options(AqiPollutant),
        value_fn=lambda d: _enum_state(d.aqi_pollutant),
    ),
    _measure("voc_index", lambda d: d.voc_index),
    _measure("nox_index", lambda d: d.nox_index),
    _measure("iaq", lambda d: d.iaq),
    _measure("vape_confidence", lambda d: d.vape_confidence, unit=PERCENTAGE),
    _measure(
        "thc_confidence", lambda d: d.thc_confidence, unit=PERCENTAGE, enabled=False
    ),
    _measure(
        "smoke_confidence", lambda d: d.smoke_confidence, unit=PERCENTAGE, enabled=False
    ),
    _measure(
        "heat_index", lambda d: d.heat_index_f, device_class=_T, unit=_F, named=True
    ),
    _measure(
        "probe_temperature",
        lambda d: d.probe_temperature_c,
        device_class=_T,
        unit=_C,
        named=True,
    ),
)

OCCUPANCY_SENSORS: Final = (
    *BLE_SENSORS,
    _measure(
        "illuminance",
        lambda d: d.raw_lux,
        device_class=SensorDeviceClass.ILLUMINANCE,
        unit=LIGHT_LUX,
    ),
)

BUTTON_SENSORS: Final = (
    *BLE_SENSORS,
    RhombusSiteSensorEntityDescription(
        key="button_mode",
        translation_key="button_mode",
        device_class=SensorDeviceClass.ENUM,
        options=_options(ButtonMode),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: _enum_state(d.mode),
    ),
)

ACCESS_CONTROL_SENSORS: Final = (
    RhombusSiteSensorEntityDescription(
        key="access_mode",
        translation_key="access_mode",
        device_class=SensorDeviceClass.ENUM,
        options=_options(AccessMode),
        value_fn=lambda d: _enum_state(d.access_mode),
    ),
)

SITE_SENSORS: Final[
    Mapping[SiteKind, tuple[RhombusSiteSensorEntityDescription, ...]]
] = {
    SiteKind.DOOR_SENSOR: BLE_SENSORS,
    SiteKind.CLIMATE_SENSOR: CLIMATE_SENSORS,
    SiteKind.ENVIRONMENTAL_GATEWAY: ENVIRONMENTAL_GATEWAY_SENSORS,
    SiteKind.OCCUPANCY_SENSOR: OCCUPANCY_SENSORS,
    SiteKind.BUTTON: BUTTON_SENSORS,
    SiteKind.AUDIO_GATEWAY: (),
    SiteKind.ACCESS_CONTROL: ACCESS_CONTROL_SENSORS,
}
