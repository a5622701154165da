"""Recorded footage: paging a camera's policy alerts, and VOD HLS playlists.

Alerts come from ``event/getPolicyAlertsV2`` (deprecated in the spec, but the
only list with a device filter and ``oldestPolicyAlert``), newest first, paged
with the spec's ``lastTimestampMs``/``lastUuid``. Footage for a window comes from
the ``wanVodM3u8UriTemplate`` of ``camera/getMediaUris``, authorised with a
federated token (one token for every playlist, renewed before it expires and
whenever the VOD host refuses it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
import math
import time
from typing import Any

import aiohttp

from .clips import clip_playlist_url
from .exceptions import (
    RhombusAuthError,
    RhombusConnectionError,
    RhombusError,
    RhombusProtocolError,
)
from .media import FederatedToken, RhombusMediaClient, authorise_url, redact_url
from .models import location_region
from .rest import RhombusRestClient

# One page of the media browser; small enough to open at once.
MAX_ALERTS_PER_PAGE = 50
TOKEN_SECONDS = 3600
PLAYLIST_TIMEOUT = 15.0
# A playlist is a few kilobytes; anything this large is not one.
MAX_PLAYLIST_BYTES = 1024 * 1024

# Inferred: the spec's example shows ``{timestamp}``; the Rhombus CLI fills
# ``{START_TIME}`` and ``{DURATION}``. All are epoch seconds / seconds.
_START_PLACEHOLDERS = ("{START_TIME}", "{timestamp}")
_DURATION_PLACEHOLDER = "{DURATION}"


# Hands out a live federated token; ``True`` asks for a fresh one (the host
# refused the last). An application shares its own between streams and footage.
type TokenSource = Callable[[bool], Awaitable[FederatedToken]]


class RhombusNoFootageError(RhombusError):
    """No recording exists for the camera and window (retention, offline)."""


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
            device_uuid=_str(data.get("deviceUuid")),
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


def _has_segments(playlist: str) -> bool:
    return any(line.startswith("#EXTINF") for line in playlist.splitlines())


class RhombusRecordingsClient:
    """Alert history and recorded footage of one account."""

    def __init__(
        self,
        rest: RhombusRestClient,
        media: RhombusMediaClient,
        session: aiohttp.ClientSession,
        *,
        tokens: TokenSource | None = None,
        token_seconds: int = TOKEN_SECONDS,
        timeout: float = PLAYLIST_TIMEOUT,
    ) -> None:
        """Tokens come from ``tokens`` (or are kept here, made by ``media``).

        Playlists are checked over ``session``.
        """
        self._rest = rest
        self._media = media
        self._session = session
        self._tokens = tokens or self._own_token
        self._token_seconds = token_seconds
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._token: FederatedToken | None = None
        self._templates: dict[str, str] = {}

    @property
    def media_url(self) -> str:
        """The media host's base URL (saved clips live there)."""
        return self._media.media_url

    def __repr__(self) -> str:
        """Nothing secret: the token stays out."""
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
        # The spec does not say the order: sort, so paging never goes backwards.
        alerts = sorted(
            (a for a in parsed if a is not None),
            key=lambda a: (a.timestamp_ms, a.uuid),
            reverse=True,
        )
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

    async def _own_token(self, renew: bool) -> FederatedToken:  # noqa: FBT001
        token = self._token
        if renew or token is None or time.time() >= token.renew_at():
            token = await self._media.create_federated_token(self._token_seconds)
            self._token = token
        return token

    async def authorised(self, url: str, *, renew: bool = False) -> str:
        """``url`` with the federated token (inferred: the VOD host takes the query)."""
        return authorise_url(url, await self._tokens(renew))

    async def vod_url(self, camera_uuid: str, start_ms: int, duration_sec: int) -> str:
        """A playable HLS URL of the window, checked to hold footage.

        A refused token is renewed once; a window without recordings raises
        ``RhombusNoFootageError``.
        """
        template = await self.get_vod_template(camera_uuid)
        return await self.playable(fill_vod_template(template, start_ms, duration_sec))

    async def clip_url(self, device_uuid: str, region: str, clip_uuid: str) -> str:
        """A playable HLS URL of a saved clip, checked like `vod_url`."""
        return await self.playable(
            clip_playlist_url(self.media_url, device_uuid, region, clip_uuid)
        )

    async def playable(self, url: str) -> str:
        """``url`` authorised and checked (renewing a refused token once)."""
        signed = await self.authorised(url)
        try:
            await self.check_playlist(signed)
        except RhombusAuthError:
            signed = await self.authorised(url, renew=True)
            await self.check_playlist(signed)
        return signed

    async def check_playlist(self, url: str) -> None:
        """GET the playlist: 404 or one without segments means no footage."""
        shown = redact_url(url)
        try:
            async with self._session.get(
                url, timeout=self._timeout, allow_redirects=False
            ) as resp:
                status = resp.status
                text = ""
                if status == HTTPStatus.OK:
                    raw = await resp.content.read(MAX_PLAYLIST_BYTES + 1)
                    text = raw.decode("utf-8", "replace")
        except TimeoutError as err:
            raise RhombusConnectionError(f"{shown}: timed out") from err
        except aiohttp.ClientError as err:
            raise RhombusConnectionError(f"{shown}: {type(err).__name__}") from None
        if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
            raise RhombusAuthError(f"{shown}: HTTP {status}", status)
        if status in (HTTPStatus.NOT_FOUND, HTTPStatus.GONE):
            raise RhombusNoFootageError(f"{shown}: no footage")
        if status != HTTPStatus.OK:
            raise RhombusConnectionError(f"{shown}: HTTP {status}")
        if not text.startswith("#EXTM3U"):
            raise RhombusProtocolError(f"{shown}: not an HLS playlist")
        if not _has_segments(text):
            raise RhombusNoFootageError(f"{shown}: no footage")
