"""The org's locations, read every five minutes (one ``getLocations`` call).

A refused role is asked again every 15 minutes, when its rights may have
changed.

A key whose role may not read locations is not an error: it is said once,
and the integration goes on without location devices or areas; a refusal
after a good read keeps the location devices (see ``RoleScopedCoordinator``).
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from ..aiorhombus import Location, RhombusLocationsClient, RhombusRestClient
from ..const import CAMERA_REFRESH_INTERVAL
from ..data import RhombusConfigEntry
from ..rate_limit import RateLimitGate
from ..role_scoped import IDLE_INTERVAL, RoleScopedCoordinator


class LocationsCoordinator(RoleScopedCoordinator[dict[str, Location]]):
    """Locations by uuid; empty when the key's role may not read them."""

    failed_key = "location_service_update_failed"
    refusal = "read locations"
    without = "devices get no area and locations no device"

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        rest: RhombusRestClient,
        gate: RateLimitGate,
    ) -> None:
        """Share the org's rate-limit gate with the camera list."""
        super().__init__(
            hass, entry, gate, name="locations", interval=CAMERA_REFRESH_INTERVAL
        )
        self.client = RhombusLocationsClient(rest)

    async def _async_update_data(self) -> dict[str, Location]:
        found = await self._async_read_scoped(
            self.client.get_locations, {}, service="locations"
        )
        # Set before the next read is scheduled (after this returns).
        interval = IDLE_INTERVAL if self.refused else CAMERA_REFRESH_INTERVAL
        self.update_interval = interval
        return found
