"""The alert-thumbnail proxy: the browser asks Home Assistant, never Rhombus.

``/api/rhombus/thumbnail/<entry>/<region>/<alert>`` needs Home Assistant auth (a
logged-in user, or a short-lived signed path from ``async_sign_path``); the view
downloads the JPEG with the account's API key, which stays on the server.
"""

from __future__ import annotations

from http import HTTPStatus
import re

from aiohttp import web
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import HomeAssistantView

from .aiorhombus import RhombusError
from .const import DOMAIN, LOGGER
from .data import RhombusConfigEntry
from .media_access import media_client

URL = "/api/rhombus/thumbnail/{entry_id}/{region}/{alert_uuid}"
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_REGION = re.compile(r"^[a-z0-9-]{1,40}$")
CACHE_CONTROL = "private, max-age=3600"


def thumbnail_path(entry_id: str, region: str, alert_uuid: str) -> str:
    """The proxy path of one alert's thumbnail (sign it before handing it out)."""
    return URL.format(entry_id=entry_id, region=region, alert_uuid=alert_uuid)


@callback
def async_register_views(hass: HomeAssistant) -> None:
    """Register the proxy once (it serves every account)."""
    hass.http.register_view(ThumbnailView(hass))


class ThumbnailView(HomeAssistantView):
    """Serve an alert's thumbnail, fetched with the account's key."""

    url = URL
    name = "api:rhombus:thumbnail"
    requires_auth = True

    def __init__(self, hass: HomeAssistant) -> None:
        """Entries are looked up on each request."""
        self.hass = hass

    async def get(
        self, request: web.Request, entry_id: str, region: str, alert_uuid: str
    ) -> web.Response:
        """The JPEG, 404 for anything this account does not have."""
        del request  # auth is checked by Home Assistant before this runs
        if not (
            _ID.match(entry_id) and _ID.match(alert_uuid) and _REGION.match(region)
        ):
            return web.Response(status=HTTPStatus.NOT_FOUND)
        entry: RhombusConfigEntry | None = self.hass.config_entries.async_get_entry(
            entry_id
        )
        if (
            entry is None
            or entry.domain != DOMAIN
            or entry.state is not ConfigEntryState.LOADED
        ):
            return web.Response(status=HTTPStatus.NOT_FOUND)
        try:
            image = await media_client(self.hass, entry).get_alert_thumbnail(
                alert_uuid, region
            )
        except RhombusError as err:
            LOGGER.debug("Thumbnail of alert %s unavailable: %s", alert_uuid, err)
            return web.Response(status=HTTPStatus.NOT_FOUND)
        return web.Response(
            body=image,
            content_type="image/jpeg",
            headers={"Cache-Control": CACHE_CONTROL},
        )
