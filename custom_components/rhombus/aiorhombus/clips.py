"""Saved clips: the org's list (``event/getSavedClipsV2``) and ``video/spliceV3``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import logging
from typing import Any
from urllib.parse import quote

from .exceptions import RhombusProtocolError
from .models import location_region
from .rest import RhombusRestClient
from .values import OutOfRangeLog, device_uuid, timestamp_in_range

_LOGGER = logging.getLogger(__name__)

# The spec states no fixed limit: each org has one (``video/getMaxSpliceDuration``).
# This ceiling is used when the org does not say (inferred, not from the spec).
MAX_SPLICE_SECONDS = 3600
MAX_CLIPS_PER_PAGE = 100
# A saved clip that can be played; the others are still being made or failed.
PLAYABLE_STATUS = "COMPLETE"


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


@dataclass(frozen=True, slots=True)
class SavedClip:
    """One saved clip (``SavedClipV2Type``), the fields the browser shows."""

    uuid: str
    title: str | None
    description: str | None
    device_uuid: str | None
    timestamp_ms: int | None
    duration_sec: int | None
    created_at_ms: int | None
    status: str | None
    clip_region: str | None
    thumbnail_region: str | None

    @property
    def playable(self) -> bool:
        """Whether its footage exists yet (status COMPLETE, or not stated)."""
        return self.status in (None, PLAYABLE_STATUS)

    @property
    def dated_sanely(self) -> bool:
        """Whether its times (those it states) lie in the believable window."""
        return all(
            timestamp_in_range(ms)
            for ms in (self.timestamp_ms, self.created_at_ms)
            if ms is not None
        )

    @classmethod
    def from_api(cls, data: Any) -> SavedClip | None:
        """Parse tolerantly; None for an item without a uuid."""
        if not isinstance(data, Mapping) or (uuid := _str(data.get("uuid"))) is None:
            return None
        # A DeviceFacetUuid (``<camera>.v0``): the camera is the part before the dot.
        device = device_uuid(data.get("deviceUuid"))
        if device is None and isinstance(devices := data.get("deviceUuids"), list):
            device = next((u for d in devices if (u := device_uuid(d))), None)
        return cls(
            uuid=uuid,
            title=_str(data.get("title")),
            description=_str(data.get("description")),
            device_uuid=device,
            timestamp_ms=_int(data.get("timestampMs")),
            duration_sec=_int(data.get("durationSec")),
            created_at_ms=_int(data.get("createdAtMs")),
            status=_str(data.get("status")),
            clip_region=location_region(data.get("clipLocation")),
            thumbnail_region=location_region(data.get("thumbnailLocation")),
        )


@dataclass(frozen=True, slots=True)
class SavedClipPage:
    """Clips as listed, and the ``pageTimestampMs`` of the next page (None: no more)."""

    clips: tuple[SavedClip, ...]
    next_page_ms: int | None


def saved_clip_playlist_url(media_url: str, clip: SavedClip) -> str:
    """Where a saved clip plays as HLS (see `clip_playlist_url`)."""
    if clip.device_uuid is None or clip.clip_region is None:
        msg = "saved clip has no device or clip location"
        raise RhombusProtocolError(msg)
    return clip_playlist_url(media_url, clip.device_uuid, clip.clip_region, clip.uuid)


def clip_playlist_url(
    media_url: str, device_uuid: str, region: str, clip_uuid: str
) -> str:
    """Where a clip plays as HLS: the one place its path is built.

    Inferred: alert clips live under ``/media/metadata/{device}/{region}/{uuid}``
    (the CLI downloads their segments there); the ``clip.m3u8`` name beside them
    is not documented.
    """
    parts = (device_uuid, region, clip_uuid)
    path = "/".join(quote(part, safe="") for part in parts)
    return f"{media_url.rstrip('/')}/media/metadata/{path}/clip.m3u8"


def splice_request(
    camera_uuid: str,
    start_ms: int,
    duration_sec: int,
    *,
    title: str | None = None,
    max_duration: int = MAX_SPLICE_SECONDS,
) -> dict[str, Any]:
    """The ``Video_SpliceV3WSRequest`` body; ``ValueError`` for a bad window."""
    if not 0 < duration_sec <= max_duration:
        msg = f"duration must be 1..{max_duration} seconds"
        raise ValueError(msg)
    if start_ms <= 0:
        msg = "start must be a positive epoch time"
        raise ValueError(msg)
    body: dict[str, Any] = {
        "deviceUuids": [camera_uuid],
        "startTimeMillis": start_ms,
        "durationSec": duration_sec,
        "saveToConsole": True,
    }
    if title:
        body["title"] = title
    return body


class RhombusClipsClient:
    """Saved clips of one account."""

    def __init__(self, rest: RhombusRestClient) -> None:
        """REST goes through the account's client."""
        self._rest = rest
        self._out_of_range = OutOfRangeLog(_LOGGER, "saved clips")

    def __repr__(self) -> str:
        """Nothing secret to show."""
        return "RhombusClipsClient()"

    async def get_saved_clips(
        self, *, max_page_size: int = MAX_CLIPS_PER_PAGE, page_ms: int | None = None
    ) -> SavedClipPage:
        """One page of the org's saved clips, newest first, in one call."""
        body: dict[str, Any] = {"maxPageSize": max_page_size}
        if page_ms is not None:
            body["pageTimestampMs"] = page_ms
        data = await self._rest.request("event/getSavedClipsV2", body)
        items = data.get("savedClips")
        parsed = (SavedClip.from_api(i) for i in items or () if isinstance(items, list))
        listed = [c for c in parsed if c is not None]
        sane = [c for c in listed if c.dated_sanely]
        self._out_of_range.skipped(len(listed) - len(sane))
        clips = sorted(
            sane,
            key=lambda c: c.created_at_ms or c.timestamp_ms or 0,
            reverse=True,
        )
        full = isinstance(items, list) and len(items) >= max_page_size
        return SavedClipPage(
            tuple(clips), _int(data.get("lastEvaluatedTimestampMs")) if full else None
        )

    async def get_max_splice_duration(self) -> int:
        """The org's longest clip in seconds (``MAX_SPLICE_SECONDS`` if unstated)."""
        data = await self._rest.request("video/getMaxSpliceDuration", {})
        value = _int(data.get("maxDuration"))
        return value if value is not None and value > 0 else MAX_SPLICE_SECONDS

    async def splice(
        self,
        camera_uuid: str,
        start_ms: int,
        duration_sec: int,
        *,
        title: str | None = None,
        max_duration: int = MAX_SPLICE_SECONDS,
    ) -> str:
        """Save a clip of the camera's window to the console; return its uuid."""
        body = splice_request(
            camera_uuid,
            start_ms,
            duration_sec,
            title=title,
            max_duration=max_duration,
        )
        data = await self._rest.request("video/spliceV3", body)
        uuid = _str(data.get("clipUuid"))
        if uuid is None and isinstance(many := data.get("clipUuidList"), list):
            uuid = next((u for u in many if _str(u)), None)
        if uuid is None:
            msg = "spliceV3 returned no clipUuid"
            raise RhombusProtocolError(msg)
        return uuid
