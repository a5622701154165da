"""The E50 environmental gateway from ``getMinimalEnvironmentalGatewayStates``.

Stated by the spec: °C (``tempC``, ``probeTempC``), % (``relHumid`` and the
confidences), ppm (``co2Ppm``), ppb (``ch2oPpb``), °F (``heatIndexDegF``).
Inferred: µg/m³ for PM, hPa for ``pressure``, ppm for ``coConcentration``,
an EPA-style AQI, VOC/NOx indices on Sensirion's 1-500 scale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from .site_models import AqiPollutant, DeviceStatus, SiteDevice
from .site_parse import enum, epoch_ms, flag, integer, number, text

_TEMP_C = (-90.0, 150.0)
_PERCENT = (0.0, 100.0)
_PM = (0.0, 10_000.0)
_INDEX = (0.0, 500.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class EnvironmentalGateway(SiteDevice):
    """One E50 (keyed by ``deviceUuid``); it has no TVOC and no smoke flag."""

    connected: bool | None = None
    health_status: DeviceStatus | None = None
    calibrating: bool | None = None
    reading_time: datetime | None = None
    temperature_c: float | None = None
    humidity: float | None = None
    co2_ppm: int | None = None
    co_ppm: float | None = None
    formaldehyde_ppb: float | None = None
    pm1: float | None = None
    pm25: float | None = None
    pm4: float | None = None
    pm10: float | None = None
    pressure_hpa: float | None = None
    iaq: float | None = None
    voc_index: float | None = None
    nox_index: float | None = None
    aqi: int | None = None
    aqi_pollutant: AqiPollutant | None = None
    heat_index_f: float | None = None
    probe_temperature_c: float | None = None
    temperature_probe_present: bool | None = None
    vape_detected: bool | None = None
    vape_confidence: float | None = None
    thc_confidence: float | None = None
    smoke_confidence: float | None = None
    leak_probe_present: bool | None = None
    leak_detected: bool | None = None

    @property
    def online(self) -> bool | None:
        """The E50 reports ``connected`` itself."""
        return self.connected

    @classmethod
    def from_api(cls, data: Any) -> Self | None:
        """Read one item, or None when it has no ``deviceUuid``."""
        if not isinstance(data, Mapping) or not (uuid := text(data, "deviceUuid")):
            return None
        return cls(
            **cls._identity(data, uuid),
            connected=flag(data, "connected"),
            health_status=enum(data, "healthStatus", DeviceStatus),
            calibrating=flag(data, "calibrating"),
            reading_time=epoch_ms(data, "timestampMs"),
            temperature_c=number(data, "tempC", *_TEMP_C),
            humidity=number(data, "relHumid", *_PERCENT),
            co2_ppm=integer(data, "co2Ppm", 0, 100_000),
            co_ppm=number(data, "coConcentration", 0, 10_000),
            formaldehyde_ppb=number(data, "ch2oPpb", 0, 100_000),
            pm1=number(data, "pm1p0", *_PM),
            pm25=number(data, "pm2p5", *_PM),
            pm4=number(data, "pm4p0", *_PM),
            pm10=number(data, "pm10p0", *_PM),
            pressure_hpa=number(data, "pressure", 300, 1200),
            iaq=number(data, "iaq", *_INDEX),
            voc_index=number(data, "vocIdx", *_INDEX),
            nox_index=number(data, "noxIdx", *_INDEX),
            aqi=integer(data, "airQualityIndex", 0, 1000),
            aqi_pollutant=enum(data, "airQualityIndexPollutant", AqiPollutant),
            heat_index_f=number(data, "heatIndexDegF", -130, 300),
            probe_temperature_c=number(data, "probeTempC", *_TEMP_C),
            temperature_probe_present=flag(data, "tempProbePresent"),
            vape_detected=flag(data, "vapeDetected"),
            vape_confidence=number(data, "vapeConfidencePercent", *_PERCENT),
            thc_confidence=number(data, "vapeThcConfidencePercent", *_PERCENT),
            smoke_confidence=number(data, "smokeConfidencePercent", *_PERCENT),
            leak_probe_present=flag(data, "leakProbePresent"),
            leak_detected=flag(data, "leakDetected"),
        )
