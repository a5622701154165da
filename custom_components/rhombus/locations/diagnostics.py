"""What diagnostics say about locations: names, monitoring, lockdown; no PIN.

No PIN is ever held here (the alarm client reads ``locationStatus``-shaped
answers, never the settings that carry PINs), so there is none to leave out.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..data import RhombusConfigEntry
from .polled import LocationServiceCoordinator


def _service(coordinator: LocationServiceCoordinator[Any]) -> dict[str, Any]:
    return {
        "last_update_success": coordinator.last_update_success,
        "update_interval": str(coordinator.update_interval),
        "refused": coordinator.refused,
        "locations": {
            uuid: asdict(state) for uuid, state in (coordinator.data or {}).items()
        },
    }


def location_diagnostics(entry: RhombusConfigEntry) -> dict[str, Any]:
    """The locations and, per service, each location's state as last read."""
    data = entry.runtime_data
    return {
        "refused": data.locations.refused,
        "last_update_success": data.locations.last_update_success,
        "locations": [asdict(loc) for loc in (data.locations.data or {}).values()],
        "alarm_monitoring": _service(data.alarm),
        "lockdown": _service(data.lockdown),
    }
