"""Recorded and live HLS served by Home Assistant; the token is added server side.

- ``/api/rhombus/vod/<entry>/<camera>/<start ms>/<seconds>/playlist.m3u8``: an
  alert's footage (what a resolved alert plays);
- ``/api/rhombus/clip/<entry>/<camera>/<region>/<clip>/playlist.m3u8``: a saved clip;
- ``/api/rhombus/live/<entry>/<camera>/playlist.m3u8``: the live stream (what
  the camera hands Home Assistant's stream worker, signed, on loopback);
- ``/api/rhombus/hls/<entry>/<key>/<name>``: whatever those playlists name.

Each needs Home Assistant auth (a user, or a path signed with
``async_sign_path``). Playlists are fetched with the federated token and
every URI in them becomes a signed path of the last view; segments are
streamed through with the token added here. No URL handed out holds the token.
"""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
import ipaddress
import re

from aiohttp import web
from homeassistant.components.http.auth import async_sign_path
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import HomeAssistantView

from ..aiorhombus import RhombusError, RhombusNoFootageError
from ..const import LOGGER
from ..data import RhombusConfigEntry
from .footage import HLS_URL, EntryFootage
from .views import ID, REGION, loaded_entry

HLS = "application/vnd.apple.mpegurl"
VOD_URL = "/api/rhombus/vod/{entry_id}/{camera_uuid}/{start_ms}/{seconds}/playlist.m3u8"
CLIP_URL = (
    "/api/rhombus/clip/{entry_id}/{camera_uuid}/{region}/{clip_uuid}/playlist.m3u8"
)
LIVE_URL = "/api/rhombus/live/{entry_id}/{camera_uuid}/playlist.m3u8"
# What a playlist's URIs stay valid for: a paused clip may resume later.
# Signing uses the identity of the request that fetched the playlist.
SEGMENT_LIFETIME = timedelta(hours=24)
_KEY = re.compile(r"[A-Za-z0-9_-]{20}")
_NAME = re.compile(r"[a-z0-9]{1,12}\.[a-z0-9]{1,6}")
_DIGITS = re.compile(r"\d{1,15}")
MAX_WINDOW_SECONDS = 1_000_000
MAX_MEDIA_BYTES = 256 * 1024 * 1024
CHUNK = 64 * 1024
_PASSED_ON = ("Content-Type", "Content-Length", "Content-Range", "Accept-Ranges")


def vod_path(entry_id: str, camera_uuid: str, start_ms: int, seconds: int) -> str:
    """Where an alert window plays (Home Assistant signs it for the player)."""
    return VOD_URL.format(
        entry_id=entry_id, camera_uuid=camera_uuid, start_ms=start_ms, seconds=seconds
    )


def clip_path(entry_id: str, camera_uuid: str, region: str, clip_uuid: str) -> str:
    """Where a saved clip plays."""
    return CLIP_URL.format(
        entry_id=entry_id, camera_uuid=camera_uuid, region=region, clip_uuid=clip_uuid
    )


def live_path(entry_id: str, camera_uuid: str) -> str:
    """Where a camera's live playlist is served."""
    return LIVE_URL.format(entry_id=entry_id, camera_uuid=camera_uuid)


def local_base_url(hass: HomeAssistant) -> str:
    """Home Assistant's own HTTP server as this host reaches it (loopback)."""
    server = hass.http
    # Read defensively: these are attributes of the http integration's server,
    # not a documented API (the same on 2025.4 and 2026.x).
    scheme = "https" if getattr(server, "ssl_certificate", None) else "http"
    port = getattr(server, "server_port", None) or 8123
    host = "127.0.0.1"
    bound = [h for h in (getattr(server, "server_host", None) or ()) if h]
    if bound and not any(_any_or_loopback(h) for h in bound):
        host = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
    return f"{scheme}://{host}:{port}"


def _any_or_loopback(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost"
    return address.is_unspecified or address.is_loopback


@callback
def async_register_proxy_views(hass: HomeAssistant) -> None:
    """Register the HLS views once (they serve every account)."""
    for view in (RecordedView, ClipView, LiveView, HlsView):
        hass.http.register_view(view(hass))


def _footage(
    hass: HomeAssistant, entry_id: str, camera_uuid: str | None = None
) -> EntryFootage | None:
    """The account's footage; None for what it does not have."""
    if not ID.fullmatch(entry_id) or (entry := loaded_entry(hass, entry_id)) is None:
        return None
    if camera_uuid is not None and (
        not ID.fullmatch(camera_uuid)
        or camera_uuid not in (entry.runtime_data.coordinator.data or {})
    ):
        return None
    return _of(entry)


def _of(entry: RhombusConfigEntry) -> EntryFootage:
    return entry.runtime_data.footage


def _status(status: HTTPStatus) -> web.Response:
    return web.Response(status=status)


class _ProxyView(HomeAssistantView):
    requires_auth = True

    def __init__(self, hass: HomeAssistant) -> None:
        """Entries are looked up on each request."""
        self.hass = hass

    async def _playlist(
        self, footage: EntryFootage, url: str, *, recorded: bool
    ) -> web.Response:
        """The playlist at ``url``, rewritten; 404 without footage, 502 on failure."""
        try:
            text = await (
                footage.footage(url) if recorded else footage.client.get_playlist(url)
            )
            body = footage.rewritten(url, text, self._sign)
        except RhombusNoFootageError:
            return _status(HTTPStatus.NOT_FOUND)
        except RhombusError as err:
            LOGGER.debug("Playlist unavailable: %s", err)
            return _status(HTTPStatus.BAD_GATEWAY)
        return web.Response(
            text=body, content_type=HLS, headers={"Cache-Control": "no-store"}
        )

    def _sign(self, path: str) -> str:
        # The identity of the request being served (a user, or the stream worker's).
        return async_sign_path(self.hass, path, SEGMENT_LIFETIME)


class RecordedView(_ProxyView):
    """An alert's window of footage."""

    url = VOD_URL
    name = "api:rhombus:vod"

    async def get(
        self,
        request: web.Request,
        entry_id: str,
        camera_uuid: str,
        start_ms: str,
        seconds: str,
    ) -> web.Response:
        """The playlist, its URIs signed paths of this integration."""
        del request
        footage = _footage(self.hass, entry_id, camera_uuid)
        if not (_DIGITS.fullmatch(start_ms) and _DIGITS.fullmatch(seconds)):
            footage = None
        if footage is None or not 0 < int(seconds) <= MAX_WINDOW_SECONDS:
            return _status(HTTPStatus.NOT_FOUND)
        try:
            url = await footage.vod_url(camera_uuid, int(start_ms), int(seconds))
        except RhombusError as err:
            LOGGER.debug("Footage of %s unavailable: %s", camera_uuid, err)
            return _status(HTTPStatus.BAD_GATEWAY)
        return await self._playlist(footage, url, recorded=True)


class ClipView(_ProxyView):
    """A saved clip."""

    url = CLIP_URL
    name = "api:rhombus:clip"

    async def get(
        self,
        request: web.Request,
        entry_id: str,
        camera_uuid: str,
        region: str,
        clip_uuid: str,
    ) -> web.Response:
        """The clip's playlist, its URIs signed paths of this integration."""
        del request
        footage = _footage(self.hass, entry_id, camera_uuid)
        if footage is None or not (
            REGION.fullmatch(region) and ID.fullmatch(clip_uuid)
        ):
            return _status(HTTPStatus.NOT_FOUND)
        url = footage.clip_url(camera_uuid, region, clip_uuid)
        return await self._playlist(footage, url, recorded=True)


class LiveView(_ProxyView):
    """A camera's live playlist (for Home Assistant's stream worker or go2rtc)."""

    url = LIVE_URL
    name = "api:rhombus:live"

    async def get(
        self, request: web.Request, entry_id: str, camera_uuid: str
    ) -> web.Response:
        """The live playlist, fetched afresh each time (it moves on)."""
        del request
        if (footage := _footage(self.hass, entry_id, camera_uuid)) is None:
            return _status(HTTPStatus.NOT_FOUND)
        try:
            url = await footage.live_url(camera_uuid)
        except RhombusError as err:
            LOGGER.debug("Live playlist of %s unavailable: %s", camera_uuid, err)
            return _status(HTTPStatus.BAD_GATEWAY)
        if url is None:
            return _status(HTTPStatus.NOT_FOUND)
        return await self._playlist(footage, url, recorded=False)


class HlsView(_ProxyView):
    """What a served playlist names: nested playlists, segments, keys, maps."""

    url = HLS_URL
    name = "api:rhombus:hls"

    async def get(
        self, request: web.Request, entry_id: str, key: str, name: str
    ) -> web.StreamResponse:
        """A nested playlist (rewritten) or the media, streamed through."""
        footage = _footage(self.hass, entry_id)
        link = footage.link(key) if footage and _KEY.fullmatch(key) else None
        if footage is None or link is None or not _NAME.fullmatch(name):
            return _status(HTTPStatus.NOT_FOUND)
        if link.playlist:
            return await self._playlist(footage, link.url, recorded=False)
        return await _stream(request, footage, link.url)


async def _stream(
    request: web.Request, footage: EntryFootage, url: str
) -> web.StreamResponse:
    """Pass the media on chunk by chunk (a Range asked for is passed upstream)."""
    headers = {"Range": asked} if (asked := request.headers.get("Range")) else None
    response: web.StreamResponse | None = None
    try:
        async with footage.client.open_media(url, headers) as upstream:
            response = web.StreamResponse(status=upstream.status)
            for name in _PASSED_ON:
                if (value := upstream.headers.get(name)) is not None:
                    response.headers[name] = value
            response.headers["Cache-Control"] = "private, max-age=3600"
            await response.prepare(request)
            size = 0
            async for chunk in upstream.content.iter_chunked(CHUNK):
                size += len(chunk)
                if size > MAX_MEDIA_BYTES:
                    break
                await response.write(chunk)
    except RhombusNoFootageError:
        if response is None:
            return _status(HTTPStatus.NOT_FOUND)
    except RhombusError as err:
        LOGGER.debug("Media unavailable: %s", err)
        if response is None:
            return _status(HTTPStatus.BAD_GATEWAY)
    # Cut short once started: the player sees a short segment, nothing more.
    return response or _status(HTTPStatus.BAD_GATEWAY)
