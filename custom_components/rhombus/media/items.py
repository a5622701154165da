"""The tiles of the Rhombus media browser: folders, alerts and saved clips.

Thumbnails are Home Assistant paths (signed for a while), never Rhombus URLs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from homeassistant.components.http.auth import async_sign_path
from homeassistant.components.media_player.const import MediaClass, MediaType
from homeassistant.components.media_source import BrowseMediaSource
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from ..aiorhombus import PolicyAlert, SavedClip
from ..const import DOMAIN
from ..detections import DetectionKind, kinds_of
from .links import alert_identifier
from .views import PLACEHOLDER_URL, latest_path, thumbnail_path

THUMBNAIL_LIFETIME = timedelta(minutes=10)


def kind_title(kind: DetectionKind) -> str:
    """The folder title of a kind: line_crossing → "Line crossing"."""
    return kind.value.replace("_", " ").capitalize()


def local_time(ms: int) -> str:
    """The local time of day, with the date unless it is today."""
    when = dt_util.as_local(datetime.fromtimestamp(ms / 1000, UTC))
    if when.date() == dt_util.now().date():
        return f"{when:%H:%M}"
    return f"{when:%Y-%m-%d %H:%M}"


def folder(
    identifier: str | None,
    title: str,
    children: list[BrowseMediaSource] | None = None,
    children_class: MediaClass = MediaClass.DIRECTORY,
    *,
    media_class: MediaClass = MediaClass.DIRECTORY,
    thumbnail: str | None = None,
) -> BrowseMediaSource:
    """A folder tile (its children only when it is the one browsed)."""
    return BrowseMediaSource(
        domain=DOMAIN,
        identifier=identifier,
        media_class=media_class,
        media_content_type=MediaType.VIDEO if media_class is MediaClass.VIDEO else "",
        title=title,
        can_play=False,
        can_expand=True,
        children=children,
        children_media_class=children_class,
        thumbnail=thumbnail,
    )


def camera_folder(
    hass: HomeAssistant, entry_id: str, camera_uuid: str, name: str
) -> BrowseMediaSource:
    """A camera's folder, showing its latest alert's thumbnail when displayed."""
    thumbnail = async_sign_path(
        hass, latest_path(entry_id, camera_uuid), THUMBNAIL_LIFETIME
    )
    return folder(
        f"{entry_id}/camera/{camera_uuid}",
        name,
        media_class=MediaClass.VIDEO,
        thumbnail=thumbnail,
    )


def alert_item(
    hass: HomeAssistant, entry_id: str, alert: PolicyAlert, camera_name: str | None
) -> BrowseMediaSource:
    """An alert that plays: "14:05 · Person, Vehicle" (plus its camera, elsewhere)."""
    kinds = ", ".join(kind_title(kind) for kind in kinds_of(alert.triggers))
    title = f"{local_time(alert.timestamp_ms)} · {kinds or 'Alert'}"
    if camera_name:
        title += f" ({camera_name})"
    thumbnail = PLACEHOLDER_URL
    if alert.thumbnail_region:
        path = thumbnail_path(entry_id, alert.thumbnail_region, alert.uuid)
        thumbnail = async_sign_path(hass, path, THUMBNAIL_LIFETIME)
    return BrowseMediaSource(
        domain=DOMAIN,
        identifier=alert_identifier(
            entry_id, str(alert.device_uuid), alert.timestamp_ms, alert.duration_sec
        ),
        media_class=MediaClass.VIDEO,
        media_content_type=MediaType.VIDEO,
        title=title,
        can_play=True,
        can_expand=False,
        thumbnail=thumbnail,
    )


def clip_item(entry_id: str, clip: SavedClip) -> BrowseMediaSource:
    """A saved clip, titled as in the console (else by its time): plays."""
    return BrowseMediaSource(
        domain=DOMAIN,
        identifier=f"{entry_id}/clip/{clip.device_uuid}/{clip.clip_region}/{clip.uuid}",
        media_class=MediaClass.VIDEO,
        media_content_type=MediaType.VIDEO,
        title=clip.title or local_time(clip.timestamp_ms or clip.created_at_ms or 0),
        can_play=True,
        can_expand=False,
        thumbnail=None,
    )
