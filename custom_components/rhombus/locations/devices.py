"""The service device of a location, and a location's name for areas."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo

from ..aiorhombus import Location
from ..const import DOMAIN
from ..data import RhombusConfigEntry
from ..devices import MANUFACTURER, via_org_device


def location_device_info(entry: RhombusConfigEntry, location: Location) -> DeviceInfo:
    """The "<location> (Rhombus)" device, under the org's; its area: the location."""
    return DeviceInfo(
        identifiers={(DOMAIN, location.uuid)},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer=MANUFACTURER,
        name=f"{location.name} (Rhombus)",
        # 2026.8 deprecates the identifier form of the link: the shim picks.
        **via_org_device(entry),
        suggested_area=location.name,
    )


def location_name(entry: RhombusConfigEntry, location_uuid: str | None) -> str | None:
    """The name of a device's location, for ``suggested_area`` (None: unknown)."""
    if location_uuid is None:
        return None
    location = (entry.runtime_data.locations.data or {}).get(location_uuid)
    return location.name if location is not None else None
