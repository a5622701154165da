"""One camera entity per Rhombus camera: still images and the live HLS stream.

Stills come from ``video/getExactFrameUri`` a few seconds back (the newest
frame that surely exists), kept ten seconds so a dashboard does not flood the
API. The stream is the camera's ``wanLiveM3u8Uri`` with the account's
federated token in its query; an open stream gets the renewed token before
the old one expires.
"""

from __future__ import annotations

import time

from homeassistant.components.camera import Camera, CameraEntityFeature
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiorhombus import (
    FederatedToken,
    RhombusError,
    RhombusMediaClient,
    authorise_url,
)
from .data import RhombusConfigEntry
from .devices import MANUFACTURER
from .entity import RhombusDeviceEntity, async_add_camera_entities
from .media.access import CachedMedia, FederatedTokens

# Each camera fetches on its own; there is nothing to serialise.
PARALLEL_UPDATES = 0

# A still is kept this long: cards refresh every ten seconds.
IMAGE_SECONDS = 10.0
# The live playlist URL is stable; ask again after this long anyway.
LIVE_URI_SECONDS = 3600.0

CAMERA = EntityDescription(key="camera", translation_key="camera")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a camera entity for every camera now, and for cameras added later."""
    media, tokens = entry.runtime_data.media, entry.runtime_data.tokens
    async_add_camera_entities(
        entry,
        async_add_entities,
        lambda uuid: [RhombusCamera(hass, entry, uuid, media, tokens)],
    )


class RhombusCamera(RhombusDeviceEntity, Camera):
    """A Rhombus camera: stills on demand, HLS when a stream is opened.

    A failing media request gives no image (Home Assistant shows its error
    picture) and is logged once; nothing else changes until media works again.
    """

    _attr_brand = MANUFACTURER
    _attr_supported_features = CameraEntityFeature.STREAM

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        camera_uuid: str,
        media: RhombusMediaClient,
        tokens: FederatedTokens,
    ) -> None:
        """Bind the entity to its camera and the account's media access."""
        coordinator = entry.runtime_data.coordinator
        RhombusDeviceEntity.__init__(self, coordinator, camera_uuid, CAMERA)
        Camera.__init__(self)
        camera = coordinator.data[camera_uuid]
        self._attr_model = camera.hw_variation
        self._media = media
        self._tokens = tokens
        self._still = CachedMedia(hass, entry, f"Camera {camera.name}", IMAGE_SECONDS)
        self._live_uri: str | None = None
        self._live_uri_at = 0.0

    async def async_added_to_hass(self) -> None:
        """Follow token renewals; stop a download when removed."""
        await super().async_added_to_hass()
        self.async_on_remove(self._tokens.async_add_user(self))
        self.async_on_remove(self._still.cancel)

    async def async_camera_image(
        self,
        width: int | None = None,  # noqa: ARG002 - Rhombus scales by a factor only
        height: int | None = None,  # noqa: ARG002
    ) -> bytes | None:
        """The latest still (at most ten seconds old), or None if it failed."""
        return await self._still.get(lambda: self._media.get_frame(self.camera_uuid))

    async def stream_source(self) -> str | None:
        """The live HLS playlist, authorised with the federated token."""
        try:
            uri = await self._live_hls_uri()
            if uri is None:
                return None
            token = await self._tokens.async_token()
        except RhombusError as err:
            self._still.failed(err)
            return None
        return authorise_url(uri, token)

    async def _live_hls_uri(self) -> str | None:
        if self._live_uri is None or (
            time.monotonic() - self._live_uri_at > LIVE_URI_SECONDS
        ):
            self._live_uri = await self._media.get_live_hls_uri(self.camera_uuid)
            self._live_uri_at = time.monotonic()
        return self._live_uri

    @property
    def streams_live(self) -> bool:
        """Whether Home Assistant keeps a stream open on this camera."""
        return self.stream is not None and self._live_uri is not None

    @callback
    def token_renewed(self, token: FederatedToken) -> None:
        """Point the open stream at the same playlist with the new token."""
        if self.stream is not None and self._live_uri is not None:
            self.stream.update_source(authorise_url(self._live_uri, token))
