"""One camera entity per Rhombus camera: still images and the live HLS stream.

Stills come from ``video/getExactFrameUri`` a few seconds back (the newest
frame that surely exists), kept ten seconds so a dashboard does not flood the
API. The stream source is the integration's own live playlist on loopback
(``media.proxy``), signed for Home Assistant's content user: the stream worker
or go2rtc may log it, and it holds no Rhombus token. An open stream gets a
freshly signed URL before the signature runs out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import time

from homeassistant.components.camera import Camera, CameraEntityFeature
from homeassistant.components.http.auth import async_sign_path
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_time_interval

from .aiorhombus import RhombusError, RhombusMediaClient
from .data import RhombusConfigEntry
from .devices import MANUFACTURER
from .entity import RhombusDeviceEntity, async_add_camera_entities
from .media.access import CachedMedia
from .media.footage import EntryFootage
from .media.proxy import live_path, local_base_url

# Each camera fetches on its own; there is nothing to serialise.
PARALLEL_UPDATES = 0

# A still is kept this long: cards refresh every ten seconds.
IMAGE_SECONDS = 10.0
# How long the stream worker's signed URL lasts, and when an open stream gets
# a new one (a source change restarts the worker: rarely, then).
SOURCE_LIFETIME = timedelta(hours=24)
SOURCE_RENEW_FRACTION = 0.8
SOURCE_CHECK_INTERVAL = timedelta(minutes=10)

CAMERA = EntityDescription(key="camera", translation_key="camera")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a camera entity for every camera now, and for cameras added later."""
    media, footage = entry.runtime_data.media, entry.runtime_data.footage
    async_add_camera_entities(
        entry,
        async_add_entities,
        lambda uuid: [RhombusCamera(hass, entry, uuid, media, footage)],
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
        footage: EntryFootage,
    ) -> None:
        """Bind the entity to its camera and the account's media access."""
        coordinator = entry.runtime_data.coordinator
        RhombusDeviceEntity.__init__(self, coordinator, camera_uuid, CAMERA)
        Camera.__init__(self)
        camera = coordinator.data[camera_uuid]
        self._attr_model = camera.hw_variation
        self._entry_id = entry.entry_id
        self._media = media
        self._footage = footage
        self._still = CachedMedia(hass, entry, f"Camera {camera.name}", IMAGE_SECONDS)
        self._signed_at = 0.0

    async def async_added_to_hass(self) -> None:
        """Keep an open stream's URL signed; stop a download when removed."""
        await super().async_added_to_hass()
        self.async_on_remove(self._still.cancel)
        self.async_on_remove(
            async_track_time_interval(
                self.hass, self._renew_source, SOURCE_CHECK_INTERVAL
            )
        )

    async def async_camera_image(
        self,
        width: int | None = None,  # noqa: ARG002 - Rhombus scales by a factor only
        height: int | None = None,  # noqa: ARG002
    ) -> bytes | None:
        """The latest still (at most ten seconds old), or None if it failed."""
        return await self._still.get(lambda: self._media.get_frame(self.camera_uuid))

    async def stream_source(self) -> str | None:
        """The live playlist as the integration serves it, on loopback."""
        try:
            if await self._footage.live_url(self.camera_uuid) is None:
                return None
        except RhombusError as err:
            self._still.failed(err)
            return None
        return self._signed_source()

    def _signed_source(self) -> str:
        self._signed_at = time.monotonic()
        path = async_sign_path(
            self.hass,
            live_path(self._entry_id, self.camera_uuid),
            SOURCE_LIFETIME,
            # Not whoever opened the stream first: the worker outlives a login.
            use_content_user=True,
        )
        return local_base_url(self.hass) + path

    @callback
    def _renew_source(self, _now: datetime) -> None:
        age = time.monotonic() - self._signed_at
        due = SOURCE_LIFETIME.total_seconds() * SOURCE_RENEW_FRACTION
        if self.stream is not None and age >= due:
            self.stream.update_source(self._signed_source())
