"""Thumbnails for the media browser: the browser asks Home Assistant, never Rhombus.

- ``/api/rhombus/thumbnail/<entry>/<region>/<alert>``: one alert's thumbnail;
- ``/api/rhombus/latest/<entry>/<camera>``: the thumbnail of the camera's latest
  alert (a camera folder's picture), looked up with one REST call kept 30 s;
- ``/api/rhombus/placeholder.svg``: what an alert without a thumbnail shows.

Thumbnails are kept ``THUMBNAIL_SECONDS`` per alert, and concurrent requests
for one alert share its download. The first two need Home Assistant auth (a
logged-in user, or a short-lived signed path from ``async_sign_path``); they
download the JPEG with the account's API key, which stays on the server. The
placeholder holds nothing of the account and is public.
"""

from __future__ import annotations

from http import HTTPStatus
import re
import time

from aiohttp import web
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import HomeAssistantView

from ..aiorhombus import PolicyAlert, RhombusError
from ..const import DOMAIN, LOGGER
from ..data import RhombusConfigEntry
from .access import KeyedCache

URL = "/api/rhombus/thumbnail/{entry_id}/{region}/{alert_uuid}"
LATEST_URL = "/api/rhombus/latest/{entry_id}/{camera_uuid}"
PLACEHOLDER_URL = "/api/rhombus/placeholder.svg"
ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
REGION = re.compile(r"[a-z0-9-]{1,40}")
CACHE_CONTROL = "private, max-age=3600"
# A thumbnail is kept a little while (a browser folder asks for 50 at once,
# two tabs for the same); a failure briefly too, so it is not asked again at once.
THUMBNAIL_SECONDS = 120.0
THUMBNAIL_FAILURE_SECONDS = 10.0
THUMBNAIL_CACHE_SIZE = 256
LATEST_SECONDS = 30.0
LATEST_CACHE_SIZE = 512

# A grey frame with a camera outline: "this alert has no picture".
PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 90">'
    '<rect width="160" height="90" fill="#9e9e9e"/>'
    '<g fill="none" stroke="#fafafa" stroke-width="4" stroke-linejoin="round">'
    '<rect x="50" y="30" width="44" height="30" rx="4"/>'
    '<path d="M94 40l16-9v28l-16-9z"/></g></svg>'
)


def thumbnail_path(entry_id: str, region: str, alert_uuid: str) -> str:
    """The proxy path of one alert's thumbnail (sign it before handing it out)."""
    return URL.format(entry_id=entry_id, region=region, alert_uuid=alert_uuid)


def latest_path(entry_id: str, camera_uuid: str) -> str:
    """The proxy path of a camera's latest alert thumbnail (sign it too)."""
    return LATEST_URL.format(entry_id=entry_id, camera_uuid=camera_uuid)


@callback
def async_register_views(hass: HomeAssistant) -> None:
    """Register the views once (they serve every account)."""
    thumbnails = KeyedCache(
        THUMBNAIL_SECONDS, THUMBNAIL_FAILURE_SECONDS, THUMBNAIL_CACHE_SIZE
    )
    hass.http.register_view(ThumbnailView(hass, thumbnails))
    hass.http.register_view(LatestThumbnailView(hass, thumbnails))
    hass.http.register_view(PlaceholderView())


def loaded_entry(hass: HomeAssistant, entry_id: str) -> RhombusConfigEntry | None:
    """The loaded Rhombus entry of that id, or None."""
    entry: RhombusConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if (
        entry is None
        or entry.domain != DOMAIN
        or entry.state is not ConfigEntryState.LOADED
    ):
        return None
    return entry


def _not_found() -> web.Response:
    return web.Response(status=HTTPStatus.NOT_FOUND)


def _placeholder() -> web.Response:
    return web.Response(
        text=PLACEHOLDER_SVG,
        content_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


async def _thumbnail(
    cache: KeyedCache, entry: RhombusConfigEntry, region: str, alert_uuid: str
) -> web.Response:
    async def fetch() -> bytes:
        try:
            return await entry.runtime_data.media.get_alert_thumbnail(
                alert_uuid, region
            )
        except RhombusError as err:
            LOGGER.debug("Thumbnail of alert %s unavailable: %s", alert_uuid, err)
            raise

    image = await cache.get((entry.entry_id, region, alert_uuid), fetch)
    if image is None:
        return _not_found()
    return web.Response(
        body=image, content_type="image/jpeg", headers={"Cache-Control": CACHE_CONTROL}
    )


class ThumbnailView(HomeAssistantView):
    """Serve an alert's thumbnail, fetched with the account's key."""

    url = URL
    name = "api:rhombus:thumbnail"
    requires_auth = True

    def __init__(self, hass: HomeAssistant, cache: KeyedCache) -> None:
        """Entries are looked up on each request; thumbnails kept in ``cache``."""
        self.hass = hass
        self._cache = cache

    async def get(
        self, request: web.Request, entry_id: str, region: str, alert_uuid: str
    ) -> web.Response:
        """The JPEG, 404 for anything this account does not have."""
        del request  # auth is checked by Home Assistant before this runs
        if not (
            ID.fullmatch(entry_id)
            and ID.fullmatch(alert_uuid)
            and REGION.fullmatch(region)
        ):
            return _not_found()
        if (entry := loaded_entry(self.hass, entry_id)) is None:
            return _not_found()
        return await _thumbnail(self._cache, entry, region, alert_uuid)


class LatestThumbnailView(HomeAssistantView):
    """Serve the thumbnail of a camera's latest alert (the placeholder if none)."""

    url = LATEST_URL
    name = "api:rhombus:latest"
    requires_auth = True

    def __init__(self, hass: HomeAssistant, cache: KeyedCache) -> None:
        """Latest alerts are looked up on demand and kept ``LATEST_SECONDS``."""
        self.hass = hass
        self._cache = cache
        self._latest: dict[tuple[str, str], tuple[float, PolicyAlert | None]] = {}

    async def get(
        self, request: web.Request, entry_id: str, camera_uuid: str
    ) -> web.Response:
        """The JPEG; 404 for a camera this account does not have."""
        del request  # auth is checked by Home Assistant before this runs
        if not (ID.fullmatch(entry_id) and ID.fullmatch(camera_uuid)):
            return _not_found()
        entry = loaded_entry(self.hass, entry_id)
        if entry is None or camera_uuid not in (entry.runtime_data.coordinator.data):
            return _not_found()
        key = (entry_id, camera_uuid)
        kept = self._latest.get(key)
        if kept is not None and time.monotonic() < kept[0]:
            alert = kept[1]
        else:
            try:
                page = await entry.runtime_data.recordings.get_alert_page(
                    [camera_uuid], max_results=1
                )
            except RhombusError as err:
                LOGGER.debug("Latest alert of %s unavailable: %s", camera_uuid, err)
                return _not_found()
            alert = page.alerts[0] if page.alerts else None
            if len(self._latest) >= LATEST_CACHE_SIZE:
                self._latest.clear()
            self._latest[key] = (time.monotonic() + LATEST_SECONDS, alert)
        if alert is None or alert.thumbnail_region is None:
            return _placeholder()
        return await _thumbnail(self._cache, entry, alert.thumbnail_region, alert.uuid)


class PlaceholderView(HomeAssistantView):
    """The picture of an alert without a thumbnail."""

    url = PLACEHOLDER_URL
    name = "api:rhombus:placeholder"
    requires_auth = False

    async def get(self, request: web.Request) -> web.Response:
        """The SVG."""
        del request
        return _placeholder()
