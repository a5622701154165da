"""Rhombus locations: areas for every device, and a service device per location.

``coordinator`` reads the org's locations with the camera list's cadence;
``devices`` describes a location's service device ("<location> (Rhombus)",
under the org's device), which holds the location's entities: alarm
monitoring, lockdown and the alert pause.
"""

from .coordinator import LocationsCoordinator
from .devices import location_device_info, location_name

__all__ = ["LocationsCoordinator", "location_device_info", "location_name"]
