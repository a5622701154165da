"""The org's locations, read every five minutes (one ``getLocations`` call).

A key whose role may not read locations is not an error: it is said once,
and the integration goes on without location devices or areas.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from ..aiorhombus import (
    Location,
    RhombusLocationsClient,
    RhombusRefusedError,
    RhombusRestClient,
)
from ..const import CAMERA_REFRESH_INTERVAL, DOMAIN, LOGGER
from ..data import RhombusConfigEntry
from ..rate_limit import RateLimitGate, async_read_listed


class LocationsCoordinator(DataUpdateCoordinator[dict[str, Location]]):
    """Locations by uuid; empty when the key's role may not read them."""

    config_entry: RhombusConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        rest: RhombusRestClient,
        gate: RateLimitGate,
    ) -> None:
        """Share the org's rate-limit gate with the camera list."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} locations",
            update_interval=CAMERA_REFRESH_INTERVAL,
            always_update=False,
        )
        self.client = RhombusLocationsClient(rest)
        self._gate = gate
        self.refused = False

    async def _async_update_data(self) -> dict[str, Location]:
        try:
            locations = await async_read_listed(
                self._gate, self.client.get_locations, "update_failed"
            )
        except RhombusRefusedError as err:
            if not self.refused:
                LOGGER.info(
                    "This API key may not read locations (%s): devices get no "
                    "area and locations no device",
                    err,
                )
            self.refused = True
            return {}
        self.refused = False
        return locations
