"""Rhombus media: camera frames, alert thumbnails, live HLS and federated tokens.

Signed media URLs and federated tokens are secrets like the API key: they never
reach a log line, an exception or a repr (URLs are shown without their query).
The API key is sent only to the configured endpoints and to Rhombus hosts over
HTTPS; any other URL a response names is fetched without it. The federated
token goes only to the media endpoint's host over HTTPS (see `token_allowed`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
import ipaddress
import time
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import aiohttp

from .const import DEFAULT_THUMBNAIL_REGION, THUMBNAIL_REGION_PATTERN, Endpoints
from .exceptions import (
    RhombusAuthError,
    RhombusConnectionError,
    RhombusProtocolError,
    RhombusRateLimitError,
)
from .rest import RhombusRestClient

# A camera frame or thumbnail is tens of kilobytes; refuse anything absurd.
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MEDIA_TIMEOUT = 15.0
# The latest instant may not be recorded yet; ask for a frame this far back.
FRAME_AGE_MS = 3_000
FEDERATED_SCHEME = "federated-token"
RHOMBUS_DOMAIN = "rhombussystems.com"

_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG")


@dataclass(frozen=True, slots=True)
class FederatedToken:
    """A federated session token and its lifetime (epoch seconds)."""

    token: str = field(repr=False)
    issued_at: float
    expires_at: float

    def renew_at(self, fraction: float = 0.8) -> float:
        """When to replace it: ``fraction`` of the way through its life."""
        return self.issued_at + (self.expires_at - self.issued_at) * fraction


def redact_url(url: str) -> str:
    """The URL without its query and fragment, where signatures and tokens live."""
    parts = urlsplit(url)
    marker = "?…" if parts.query else ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")) + marker


def authorise_url(url: str, token: FederatedToken) -> str:
    """Append the federated-token query that media servers accept."""
    parts = urlsplit(url)
    auth = urlencode({"x-auth-scheme": FEDERATED_SCHEME, "x-auth-ft": token.token})
    query = f"{parts.query}&{auth}" if parts.query else auth
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def alert_thumbnail_url(media_url: str, region: str, alert_uuid: str) -> str:
    """``<media>/media/metadata/<region>/<alert uuid>.jpeg``, as the CLI builds it."""
    if not THUMBNAIL_REGION_PATTERN.fullmatch(region):
        region = DEFAULT_THUMBNAIL_REGION
    base = media_url.rstrip("/")
    return f"{base}/media/metadata/{region}/{quote(alert_uuid, safe='')}.jpeg"


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1  # matches nothing configured
    return parts.scheme, (parts.hostname or "").lower(), port


def _is_rhombus(host: str) -> bool:
    return host == RHOMBUS_DOMAIN or host.endswith(f".{RHOMBUS_DOMAIN}")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class RhombusMediaClient:
    """Media calls of one account; REST goes through its ``RhombusRestClient``."""

    def __init__(
        self,
        rest: RhombusRestClient,
        session: aiohttp.ClientSession,
        endpoints: Endpoints,
        *,
        timeout: float = MEDIA_TIMEOUT,
        max_bytes: int = MAX_IMAGE_BYTES,
    ) -> None:
        """Bind to an account's REST client and its endpoints."""
        self._rest = rest
        self._session = session
        self.media_url = endpoints.media_url.rstrip("/")
        self._trusted = {_origin(endpoints.rest_url), _origin(endpoints.media_url)}
        self._media_origin = _origin(endpoints.media_url)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._max_bytes = max_bytes

    def __repr__(self) -> str:
        """Show where media comes from, nothing secret."""
        return f"RhombusMediaClient({self.media_url!r})"

    async def get_frame_uri(
        self,
        camera_uuid: str,
        timestamp_ms: int,
        *,
        downscale_factor: int | None = None,
        jpg_quality: int | None = None,
    ) -> str:
        """Ask where the camera's frame at ``timestamp_ms`` can be downloaded."""
        body: dict[str, Any] = {"cameraUuid": camera_uuid, "timestampMs": timestamp_ms}
        if downscale_factor is not None:
            body["downscaleFactor"] = downscale_factor
        if jpg_quality is not None:
            body["jpgQuality"] = jpg_quality
        data = await self._rest.request("video/getExactFrameUri", body)
        uri = data.get("frameUri")
        if not isinstance(uri, str) or not uri:
            raise RhombusProtocolError("getExactFrameUri returned no frameUri")
        return uri

    async def get_frame(
        self, camera_uuid: str, *, now_ms: int | None = None, **options: int
    ) -> bytes:
        """A JPEG of the camera a few seconds ago (the newest frame that exists)."""
        if now_ms is None:
            now_ms = int(time.time() * 1000)
        uri = await self.get_frame_uri(camera_uuid, now_ms - FRAME_AGE_MS, **options)
        return await self.download(uri)

    async def get_alert_thumbnail(self, alert_uuid: str, region: str) -> bytes:
        """The JPEG Rhombus stored for an alert."""
        return await self.download(
            alert_thumbnail_url(self.media_url, region, alert_uuid)
        )

    async def get_live_hls_uri(self, camera_uuid: str) -> str | None:
        """The camera's live HLS playlist over the internet (``wanLiveM3u8Uri``)."""
        data = await self._rest.request(
            "camera/getMediaUris", {"cameraUuid": camera_uuid}
        )
        uri = data.get("wanLiveM3u8Uri")
        return uri if isinstance(uri, str) and uri else None

    async def create_federated_token(self, duration_sec: int) -> FederatedToken:
        """A token for media URLs, valid ``duration_sec`` from now."""
        issued_at = time.time()
        data = await self._rest.request(
            "org/generateFederatedSessionToken", {"durationSec": duration_sec}
        )
        token = data.get("federatedSessionToken")
        if not isinstance(token, str) or not token:
            raise RhombusProtocolError("no federatedSessionToken in the response")
        return FederatedToken(token, issued_at, issued_at + duration_sec)

    def token_allowed(self, url: str) -> bool:
        """Whether the federated token may be added to ``url``.

        Over HTTPS to the media endpoint's host (and, when that is a Rhombus
        host, to other Rhombus hosts: inferred, media URIs may name them);
        over plain HTTP only to the endpoint itself when it is on loopback
        (the simulator). Any other host a playlist names gets no token.
        """
        scheme, host, port = _origin(url)
        own_scheme, own_host, own_port = self._media_origin
        if scheme == "https":
            return host == own_host or (_is_rhombus(own_host) and _is_rhombus(host))
        return (
            scheme == "http"
            and own_scheme == "http"
            and _is_loopback(own_host)
            and (host, port) == (own_host, own_port)
        )

    def _headers_for(self, url: str) -> Mapping[str, str]:
        origin = _origin(url)
        rhombus = origin[0] == "https" and _is_rhombus(origin[1])
        return self._rest.auth_headers if rhombus or origin in self._trusted else {}

    async def download(self, url: str) -> bytes:
        """GET an image with the key (where it is safe to send), size-capped."""
        shown = redact_url(url)
        try:
            async with self._session.get(
                url,
                headers=self._headers_for(url),
                timeout=self._timeout,
                # A redirect would carry the key to wherever it points.
                allow_redirects=False,
            ) as resp:
                self._check_status(shown, resp)
                if (resp.content_length or 0) > self._max_bytes:
                    raise RhombusProtocolError(f"{shown}: image too large")
                body = await self._read_capped(shown, resp)
                content_type = resp.content_type
        except TimeoutError as err:
            raise RhombusConnectionError(f"{shown}: timed out") from err
        except aiohttp.ClientError as err:
            # str(err) can hold the full URL with its token: name the type only.
            raise RhombusConnectionError(f"{shown}: {type(err).__name__}") from None
        if not content_type.startswith("image/") and not body.startswith(_IMAGE_MAGIC):
            raise RhombusProtocolError(f"{shown}: not an image ({content_type})")
        return body

    @staticmethod
    def _check_status(shown: str, resp: aiohttp.ClientResponse) -> None:
        status = resp.status
        if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
            raise RhombusAuthError(f"{shown}: HTTP {status}", status)
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            raise RhombusRateLimitError(f"{shown}: rate limited", None)
        if status != HTTPStatus.OK:
            raise RhombusConnectionError(f"{shown}: HTTP {status}")

    async def _read_capped(self, shown: str, resp: aiohttp.ClientResponse) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_chunked(64 * 1024):
            size += len(chunk)
            if size > self._max_bytes:
                raise RhombusProtocolError(f"{shown}: image too large")
            chunks.append(chunk)
        return b"".join(chunks)
