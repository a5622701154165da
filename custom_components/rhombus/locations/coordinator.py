"""The org's locations, read every five minutes (one ``getLocations`` call).

A key whose role may not read locations is not an error: it is said once,
and the integration goes on without location devices or areas.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from ..aiorhombus import (
    Location,
    RhombusAuthError,
    RhombusError,
    RhombusLocationsClient,
    RhombusRateLimitError,
    RhombusRefusedError,
    RhombusRestClient,
)
from ..const import CAMERA_REFRESH_INTERVAL, DOMAIN, LOGGER
from ..data import RhombusConfigEntry
from ..rate_limit import RateLimitGate


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
        if (wait := self._gate.remaining()) > 0:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                translation_placeholders={"seconds": str(round(wait))},
            )
        try:
            locations = await self.client.get_locations()
        except RhombusRefusedError as err:
            if not self.refused:
                LOGGER.info(
                    "This API key may not read locations (%s): devices get no "
                    "area and locations no device",
                    err,
                )
            self.refused = True
            return {}
        except RhombusAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except RhombusRateLimitError as err:
            retry_after = self._gate.close_for(err.retry_after)
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                translation_placeholders={"seconds": str(round(retry_after))},
            ) from err
        except RhombusError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        self.refused = False
        return locations
