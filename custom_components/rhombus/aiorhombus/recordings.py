"""Recorded footage: paging a camera's policy alerts, and VOD HLS playlists.

Alerts come from ``event/getPolicyAlertsV2`` (deprecated in the spec, but the
only list with a device filter and ``oldestPolicyAlert``), newest first, paged
with the spec's ``lastTimestampMs``/``lastUuid``. Footage for a window comes from
the ``wanVodM3u8UriTemplate`` of ``camera/getMediaUris``; `footage` fetches it
with the federated token.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
import logging
import math
from typing import Any

from .clips import clip_playlist_url
from .exceptions import RhombusProtocolError
from .media import RhombusMediaClient
from .models import location_region
from .rest import RhombusRestClient
from .values import OutOfRangeLog, device_uuid, timestamp_in_range

_LOGGER = logging.getLogger(__name__)

# One page of the media browser; small enough to open at once.
MAX_ALERTS_PER_PAGE = 50

# Inferred: the spec's example shows ``{timestamp}``; the Rhombus CLI fills
# ``{START_TIME}`` and ``{DURATION}``. All are epoch seconds / seconds.
_START_PLACEHOLDERS = ("{START_TIME}", "{timestamp}")
_DURATION_PLACEHOLDER = "{DURATION}"


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value):
        return None
    return int(value)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True, slots=True)
class PolicyAlert:
    """One listed alert (``PolicyAlertV2Type``), the fields the browser shows."""

    uuid: str
    device_uuid: str | None
    timestamp_ms: int
    duration_sec: int
    triggers: tuple[str, ...]
    text_description: str | None
    thumbnail_region: str | None
    clip_region: str | None

    @classmethod
    def from_api(cls, data: Any) -> PolicyAlert | None:
        """Parse tolerantly; None for an item without a uuid or timestamp."""
        if not isinstance(data, Mapping):
            return None
        uuid, timestamp_ms = _str(data.get("uuid")), _int(data.get("timestampMs"))
        if uuid is None or timestamp_ms is None:
            return None
        triggers = data.get("policyAlertTriggers")
        return cls(
            uuid=uuid,
            device_uuid=device_uuid(data.get("deviceUuid")),
            timestamp_ms=timestamp_ms,
            duration_sec=max(_int(data.get("durationSec")) or 0, 0),
            triggers=tuple(
                t for t in (triggers if isinstance(triggers, list) else []) if _str(t)
            ),
            text_description=_str(data.get("textDescription")),
            thumbnail_region=location_region(data.get("thumbnailLocation")),
            clip_region=location_region(data.get("clipLocation")),
        )


@dataclass(frozen=True, slots=True)
class AlertCursor:
    """Where the next (older) page starts: the last alert shown."""

    timestamp_ms: int
    uuid: str


@dataclass(frozen=True, slots=True)
class AlertPage:
    """Alerts newest first, and the cursor of the older page (None: no more)."""

    alerts: tuple[PolicyAlert, ...]
    older: AlertCursor | None


def alerts_request(
    device_uuids: Sequence[str] | None = None,
    *,
    max_results: int = MAX_ALERTS_PER_PAGE,
    before_ms: int | None = None,
    after_ms: int | None = None,
    older_than: AlertCursor | None = None,
) -> dict[str, Any]:
    """The ``Event_GetPolicyAlertsV2WSRequest`` body (only the fields it declares)."""
    if not 0 < max_results <= MAX_ALERTS_PER_PAGE:
        msg = f"max_results must be 1..{MAX_ALERTS_PER_PAGE}"
        raise ValueError(msg)
    body: dict[str, Any] = {"maxResults": max_results}
    if device_uuids:
        body["deviceFilter"] = list(device_uuids)
    if before_ms is not None:
        body["beforeTimestampMs"] = before_ms
    if after_ms is not None:
        body["afterTimestampMs"] = after_ms
    if older_than is not None:
        body["lastTimestampMs"] = older_than.timestamp_ms
        body["lastUuid"] = older_than.uuid
    return body


def fill_vod_template(template: str, start_ms: int, duration_sec: int) -> str:
    """The VOD URL of a window: the one place the template's placeholders live.

    Inferred: whichever of ``{START_TIME}``/``{timestamp}`` the template holds
    takes the start in epoch seconds, ``{DURATION}`` the length in seconds.
    """
    if duration_sec <= 0:
        msg = "duration_sec must be positive"
        raise ValueError(msg)
    start = next((p for p in _START_PLACEHOLDERS if p in template), None)
    if start is None:
        msg = "VOD template has no start placeholder"
        raise RhombusProtocolError(msg)
    url = template.replace(start, str(start_ms // 1000))
    return url.replace(_DURATION_PLACEHOLDER, str(duration_sec))


class RhombusRecordingsClient:
    """Alert history and the VOD playlists of one account."""

    def __init__(
        self,
        rest: RhombusRestClient,
        media: RhombusMediaClient,
    ) -> None:
        """Alerts and templates come over the account's REST client."""
        self._rest = rest
        self._media = media
        self._templates: dict[str, str] = {}
        self._out_of_range = OutOfRangeLog(_LOGGER, "alerts")

    @property
    def media_url(self) -> str:
        """The media host's base URL (saved clips live there)."""
        return self._media.media_url

    def __repr__(self) -> str:
        """Where media comes from, nothing secret."""
        return f"RhombusRecordingsClient({self._media.media_url!r})"

    async def get_alert_page(
        self,
        device_uuids: Sequence[str] | None = None,
        *,
        max_results: int = MAX_ALERTS_PER_PAGE,
        before_ms: int | None = None,
        after_ms: int | None = None,
        older_than: AlertCursor | None = None,
    ) -> AlertPage:
        """One page of alerts, newest first, in one REST call."""
        body = alerts_request(
            device_uuids,
            max_results=max_results,
            before_ms=before_ms,
            after_ms=after_ms,
            older_than=older_than,
        )
        data = await self._rest.request("event/getPolicyAlertsV2", body)
        items = data.get("policyAlerts")
        parsed = (
            PolicyAlert.from_api(i) for i in items or () if isinstance(items, list)
        )
        listed = [a for a in parsed if a is not None]
        alerts = [a for a in listed if timestamp_in_range(a.timestamp_ms)]
        self._out_of_range.skipped(len(listed) - len(alerts))
        # The spec does not say the order: sort, so paging never goes backwards.
        alerts.sort(key=lambda a: (a.timestamp_ms, a.uuid), reverse=True)
        full = isinstance(items, list) and len(items) >= max_results and alerts
        older = AlertCursor(alerts[-1].timestamp_ms, alerts[-1].uuid) if full else None
        return AlertPage(tuple(alerts), older)

    async def get_vod_template(self, camera_uuid: str) -> str:
        """The camera's ``wanVodM3u8UriTemplate`` (asked once per camera)."""
        if (template := self._templates.get(camera_uuid)) is not None:
            return template
        data = await self._rest.request(
            "camera/getMediaUris", {"cameraUuid": camera_uuid}
        )
        template = _str(data.get("wanVodM3u8UriTemplate"))
        if template is None:
            msg = "getMediaUris returned no wanVodM3u8UriTemplate"
            raise RhombusProtocolError(msg)
        self._templates[camera_uuid] = template
        return template

    async def vod_playlist_url(
        self, camera_uuid: str, start_ms: int, duration_sec: int
    ) -> str:
        """The VOD playlist of the camera's window, without any token."""
        template = await self.get_vod_template(camera_uuid)
        return fill_vod_template(template, start_ms, duration_sec)

    def clip_playlist_url(self, device_uuid: str, region: str, clip_uuid: str) -> str:
        """A saved clip's playlist, without any token."""
        return clip_playlist_url(self.media_url, device_uuid, region, clip_uuid)
