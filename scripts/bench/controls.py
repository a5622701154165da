"""Camera controls in the benchmark: disabled, they must cost no call at all.

The benchmark's cameras have every control (switches, select) and the
Firmware entity disabled in the registry before setup, as a user who wants
none would have them: the integration must then make no config or firmware
call during the whole run, and one features call only: the camera list's, for
all cameras at setup (it decides which face and plate entities are enabled,
and the controls would start from it). The cost with everything enabled is
printed from the integration's own intervals, as calls per hour.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from custom_components.rhombus.camera_config.descriptions import CONTROL_KEYS
from custom_components.rhombus.camera_config.firmware import FIRMWARE_INTERVAL
from custom_components.rhombus.camera_config.manager import REFRESH_INTERVAL
from custom_components.rhombus.camera_config.read_queue import READ_INTERVAL
from custom_components.rhombus.const import DOMAIN

CONTROL_PATHS = frozenset(
    {"/api/deviceconfig/getFacetedConfig", "/api/camera/getFullCameraState"}
)
FEATURES_PATH = "/api/feature/getDeviceFeaturesList"
_HOUR = timedelta(hours=1)


def disable_controls(
    hass: HomeAssistant, entry: ConfigEntry, cameras: Iterable[str]
) -> None:
    """Every camera's controls and Firmware entity, disabled by the user."""
    registry = er.async_get(hass)
    keys = [(str(domain), d.key) for domain, d in CONTROL_KEYS]
    keys.append(("update", "firmware"))
    for uuid in cameras:
        for domain, key in keys:
            registry.async_get_or_create(
                domain,
                DOMAIN,
                f"{uuid}_{key}",
                config_entry=entry,
                disabled_by=er.RegistryEntryDisabler.USER,
            )


def control_calls(calls: Sequence[tuple[float, str]], cameras: int) -> dict[str, Any]:
    """Config/features/firmware calls over the whole run, and the enabled cost."""
    return {
        "cameras": cameras,
        "calls": sum(1 for _, path in calls if path in CONTROL_PATHS),
        "features_calls": sum(1 for _, path in calls if path == FEATURES_PATH),
        "config_per_hour": cameras * (_HOUR / REFRESH_INTERVAL),
        "features_per_hour": _HOUR / REFRESH_INTERVAL,
        "firmware_per_hour": cameras * (_HOUR / FIRMWARE_INTERVAL),
        "setup_seconds": (cameras * 2 + 1) * READ_INTERVAL,
    }


def control_rows(figures: dict[str, Any], row: Any) -> list[str]:
    """Rows of the REST table (``row`` is the report's row formatter)."""
    cameras = figures["cameras"]
    enabled = (
        figures["config_per_hour"]
        + figures["features_per_hour"]
        + figures["firmware_per_hour"]
    )
    return [
        row(
            f"Config/firmware calls, {cameras:,} cameras, controls disabled",
            f"{figures['calls']}",
            target="0",
            ok=figures["calls"] == 0,
        ),
        row(
            "  features calls (one for all cameras at setup, shared)",
            f"{figures['features_calls']}",
            target="<= 1",
            ok=figures["features_calls"] <= 1,
        ),
        row(
            "  with every control enabled, calls per hour (from the intervals)",
            f"{enabled:,.0f}",
        ),
        row(
            "  with every control enabled, setup reads spread over (s)",
            f"{figures['setup_seconds']:.0f}",
        ),
    ]
