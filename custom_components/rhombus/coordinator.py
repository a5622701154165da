"""The camera list, refreshed over REST: names, models, firmware, status."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .aiorhombus import Camera, RhombusAuthError, RhombusError, RhombusRestClient
from .const import CAMERA_REFRESH_INTERVAL, DOMAIN, LOGGER
from .data import RhombusConfigEntry


class RhombusCoordinator(DataUpdateCoordinator[dict[str, Camera]]):
    """One ``getMinimalCameraStateList`` call per refresh, for all cameras."""

    config_entry: RhombusConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: RhombusConfigEntry, rest: RhombusRestClient
    ) -> None:
        """Refresh every five minutes; listeners hear only real changes."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=CAMERA_REFRESH_INTERVAL,
            always_update=False,
        )
        self.rest = rest

    async def _async_update_data(self) -> dict[str, Camera]:
        try:
            return await self.rest.get_cameras()
        except RhombusAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except RhombusError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"error": str(err)},
            ) from err
