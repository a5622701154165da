"""One image entity per camera: the thumbnail of the camera's latest alert.

Its picture (``/api/image_proxy/<entity id>``) is what a notification attaches;
it changes at each new alert and ``image_last_updated`` is the alert's time.
Unavailable until the camera's first alert since Home Assistant started.
"""

from __future__ import annotations

from datetime import UTC, datetime
import math
import time

from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiorhombus import (
    ChangeEvent,
    ChangeType,
    RhombusMediaClient,
    timestamp_in_range,
)
from .const import LOGGER
from .data import RhombusConfigEntry
from .entity import RhombusDeviceEntity, async_add_camera_entities
from .hub import RhombusAlert
from .media.access import CachedMedia
from .media.links import alert_media_id

# Pushed alerts only; each entity downloads on its own.
PARALLEL_UPDATES = 0

# A thumbnail never changes; a failed download is retried after this long
# (the real cloud may need a moment before an alert's thumbnail exists).
RETRY_SECONDS = 10.0

LAST_ALERT = ImageEntityDescription(key="last_alert", translation_key="last_alert")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an alert image for every camera now, and for cameras added later."""
    media = entry.runtime_data.media
    async_add_camera_entities(
        entry,
        async_add_entities,
        lambda uuid: [RhombusAlertImage(hass, entry, uuid, media)],
    )


class RhombusAlertImage(RhombusDeviceEntity, ImageEntity):
    """The latest alert's thumbnail, fetched with the account's key."""

    _attr_content_type = "image/jpeg"
    # New at every alert: nothing a history graph could use, and each would
    # cost the recorder a new attributes row per alert. The recorded
    # rhombus_event of each alert carries both.
    _unrecorded_attributes = frozenset({"alert_uuid", "media_content_id"})

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        camera_uuid: str,
        media: RhombusMediaClient,
    ) -> None:
        """Bind the entity to its camera; no alert is known yet."""
        coordinator = entry.runtime_data.coordinator
        RhombusDeviceEntity.__init__(self, coordinator, camera_uuid, LAST_ALERT)
        ImageEntity.__init__(self, hass)
        self._hub = entry.runtime_data.hub
        self._entry_id = entry.entry_id
        self._media = media
        name = coordinator.data[camera_uuid].name
        self._thumbnail = CachedMedia(
            hass, entry, f"Alert thumbnail of {name}", math.inf, RETRY_SECONDS
        )
        self._alert_uuid: str | None = None
        # Its thumbnail region is read when the picture is fetched, not per alert.
        self._event: ChangeEvent | None = None
        self._alert_ms = 0
        self._media_content_id: str | None = None
        self._out_of_range_said = False

    async def async_added_to_hass(self) -> None:
        """Listen to every alert of this camera."""
        await super().async_added_to_hass()
        self.async_on_remove(
            # The latest alert's picture is a state: a late replay may be it.
            self._hub.async_subscribe_camera(
                self.camera_uuid, self._on_alert, stale=True
            )
        )
        self.async_on_remove(self._thumbnail.cancel)

    @property
    def available(self) -> bool:
        """Available once an alert gave it a picture to show."""
        return super().available and self._alert_uuid is not None

    @property
    def extra_state_attributes(self) -> dict[str, str | None]:
        """The alert shown, so an automation can dismiss it or link its footage.

        Both change at every alert, so the recorder leaves them out (see above).
        """
        return {
            "alert_uuid": self._alert_uuid,
            "media_content_id": self._media_content_id,
        }

    @callback
    def _on_alert(self, alert: RhombusAlert) -> None:
        if alert.change_type not in (ChangeType.CREATE, ChangeType.UPDATE):
            return  # a dismissed alert keeps its picture
        timestamp_ms = alert.event.timestamp_ms or int(time.time() * 1000)
        if not timestamp_in_range(timestamp_ms):
            # One alert dated 2100 would hide every later one: not believed.
            log = LOGGER.debug if self._out_of_range_said else LOGGER.warning
            self._out_of_range_said = True
            log(
                "%s: skipped an alert dated %d ms (out of range)",
                self.entity_id,
                timestamp_ms,
            )
            return
        if alert.uuid != self._alert_uuid and timestamp_ms < self._alert_ms:
            return  # an older alert (catch-up, out of order) is not the latest
        # An UPDATE may come when the thumbnail is ready: fetch it afresh.
        self._thumbnail.clear()
        self._alert_uuid = alert.uuid
        self._event = alert.event
        self._alert_ms = max(timestamp_ms, self._alert_ms)
        self._media_content_id = alert_media_id(
            self._entry_id, self.camera_uuid, timestamp_ms, alert.event.duration_sec
        )
        self._attr_image_last_updated = datetime.fromtimestamp(
            self._alert_ms / 1000, UTC
        )
        self.async_write_ha_state()

    async def async_image(self) -> bytes | None:
        """The thumbnail's JPEG, or None before the first alert or on failure."""
        alert_uuid, event = self._alert_uuid, self._event
        if alert_uuid is None or event is None:
            return None
        region = event.thumbnail_region
        return await self._thumbnail.get(
            lambda: self._media.get_alert_thumbnail(alert_uuid, region)
        )
