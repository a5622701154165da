"""The camera list, refreshed over REST: names, models, firmware, status."""

from __future__ import annotations

from collections.abc import Mapping

from homeassistant.core import HomeAssistant
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .aiorhombus import (
    FACE_RECOGNITION,
    LICENSE_PLATE_RECOGNITION,
    Camera,
    RhombusError,
    RhombusFeaturesClient,
    RhombusRateLimitError,
    RhombusRestClient,
)
from .const import CAMERA_REFRESH_INTERVAL, DOMAIN, LOGGER
from .data import RhombusConfigEntry
from .rate_limit import RateLimitGate, async_read_listed

# The stream hints at camera changes (CAMERA/DEVICE changes, REFRESH) in
# bursts: every request within this window becomes one call at its end.
REFRESH_REQUEST_COOLDOWN = 10.0
RECOGNITION_FEATURES = (FACE_RECOGNITION, LICENSE_PLATE_RECOGNITION)


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
            request_refresh_debouncer=Debouncer(
                hass, LOGGER, cooldown=REFRESH_REQUEST_COOLDOWN, immediate=False
            ),
        )
        self.rest = rest
        # After a 429 on this or any site list, no call until the quiet period
        # ends, however the refresh was asked for (interval, hint or a user).
        self.gate = RateLimitGate()
        # Each camera's features, read once when it is first listed (one call
        # for all at setup): its face and plate event entities are enabled by
        # default only where recognition is on, and the camera controls start
        # from them instead of asking again.
        self.features: dict[str, Mapping[str, bool]] = {}
        self._features = RhombusFeaturesClient(rest)

    async def _async_update_data(self) -> dict[str, Camera]:
        cameras = await async_read_listed(
            self.gate, self.rest.get_cameras, "update_failed"
        )
        await self._read_features([u for u in cameras if u not in self.features])
        return cameras

    def recognition(self, uuid: str) -> frozenset[str]:
        """The recognition features (face, plates) that are on at the camera."""
        features = self.features.get(uuid, {})
        return frozenset(name for name in RECOGNITION_FEATURES if features.get(name))

    async def _read_features(self, new: list[str]) -> None:
        """One features call for the cameras not seen before (all, at setup).

        A failure (a role that may not read features, an outage) leaves their
        recognition entities disabled by default; it is not asked again.
        """
        if not new:
            return
        try:
            found = await self._features.get_features(new)
        except RhombusRateLimitError as err:
            self.gate.close_for(err.retry_after)
            return  # asked again at the next refresh
        except RhombusError as err:
            LOGGER.debug("Camera features unavailable: %s", err)
            found = {}
        for uuid in new:
            self.features[uuid] = found.get(uuid, {})
