"""People and Plates in the media browser: who and which car, each playing its footage.

- ``<entry>/people``: a folder per person the org has named;
- ``<entry>/person/<person>[/<key>]``: their recognitions, newest first, a page
  per ``findFaceEventsByOrg`` call (``key``: the next page's, base64url);
- ``<entry>/plates[/<ms>]``: plate reads of the day before ``ms`` (now), one
  ``getVehicleEvents`` call per day (the call has no paging).

Each sighting plays the camera's footage around it, as an alert does, and
shows the camera's frame of that moment through ``/api/rhombus/frame/…``
(signed, fetched with the account's key on the server). Pages are kept 30 s;
nothing is called until a folder is browsed.
"""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta
from http import HTTPStatus
import re

from aiohttp import web
from homeassistant.components.http.auth import async_sign_path
from homeassistant.components.media_player.const import MediaClass, MediaType
from homeassistant.components.media_source import BrowseMediaSource
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import HomeAssistantView

from ..aiorhombus import (
    RhombusError,
    RhombusIdentityClient,
    Sighting,
    SightingPage,
    timestamp_in_range,
)
from ..const import DOMAIN, LOGGER
from ..data import RhombusConfigEntry
from .access import KeyedCache
from .ids import BrowseCache
from .items import folder, local_time
from .links import alert_identifier
from .views import CACHE_CONTROL, ID, loaded_entry

FRAME_URL = "/api/rhombus/frame/{entry_id}/{camera_uuid}/{ms}"
_MS = re.compile(r"\d{1,15}")
THUMBNAIL_LIFETIME = timedelta(minutes=10)
# A sighting plays this long, from a few seconds before it.
SIGHTING_SECONDS = 10
PLATES_WINDOW_MS = 86_400_000
PAGE_SIZE = 50
# Frames are small and asked once per tile: a quarter of the picture.
FRAME_DOWNSCALE = 4
# A frame of the past never changes: kept as long as a browsed page's links.
FRAME_SECONDS = 600.0
FRAME_FAILURE_SECONDS = 10.0
FRAME_CACHE_SIZE = 256


def encode_key(key: str) -> str:
    """A page key as an id segment (Rhombus's keys may hold any character)."""
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def decode_key(segment: str) -> str | None:
    """The page key of an id segment; None if it is not one."""
    try:
        padded = segment + "=" * (-len(segment) % 4)
        return base64.urlsafe_b64decode(padded.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


@callback
def async_register_frame_view(hass: HomeAssistant) -> None:
    """Register the frame view once (it serves every account)."""
    cache = KeyedCache(FRAME_SECONDS, FRAME_FAILURE_SECONDS, FRAME_CACHE_SIZE)
    hass.http.register_view(FrameView(hass, cache))


def frame_path(entry_id: str, camera_uuid: str, ms: int) -> str:
    """The path of a camera's frame at ``ms`` (sign it before handing it out)."""
    return FRAME_URL.format(entry_id=entry_id, camera_uuid=camera_uuid, ms=ms)


class Sightings:
    """Browses people, their recognitions and plate reads for the media source."""

    def __init__(self, hass: HomeAssistant, cache: BrowseCache) -> None:
        """Share the media source's 30-second browse cache."""
        self.hass = hass
        self._cache = cache

    async def people(self, entry: RhombusConfigEntry) -> BrowseMediaSource:
        """A folder per named person, by name."""
        key = (entry.entry_id, "people")
        people = self._cache.get(key)
        if people is None:
            people = await RhombusIdentityClient(entry.runtime_data.rest).get_people()
            self._cache.put(key, people)
        children = [
            folder(f"{entry.entry_id}/person/{person.uuid}", person.name)
            for person in sorted(people, key=lambda p: p.name.casefold())
            if ID.fullmatch(person.uuid)
        ]
        return folder(f"{entry.entry_id}/people", "People", children)

    async def person(
        self, entry: RhombusConfigEntry, person_uuid: str, page_key: str | None
    ) -> BrowseMediaSource:
        """One person's recognitions, newest first, with an "Older" page."""
        key = (entry.entry_id, f"person/{person_uuid}/{page_key}")
        page: SightingPage | None = self._cache.get(key)
        if page is None:
            page = await RhombusIdentityClient(
                entry.runtime_data.rest
            ).find_face_events(
                person_uuids=[person_uuid], page_size=PAGE_SIZE, after_key=page_key
            )
            self._cache.put(key, page)
        base = f"{entry.entry_id}/person/{person_uuid}"
        name = next((s.subject for s in page.sightings if s.subject), None)
        children = self._items(entry, page.sightings, with_subject=False)
        if page.next_key is not None:
            children.append(folder(f"{base}/{encode_key(page.next_key)}", "Older"))
        ident = base + (f"/{encode_key(page_key)}" if page_key else "")
        return folder(ident, name or "Person", children, MediaClass.VIDEO)

    async def plates(
        self, entry: RhombusConfigEntry, before_ms: int | None, now_ms: int
    ) -> BrowseMediaSource:
        """Plate reads of one day, newest first, with the day before as "Older"."""
        end = before_ms if before_ms is not None else now_ms
        start = end - PLATES_WINDOW_MS
        key = (entry.entry_id, f"plates/{before_ms}")
        reads: tuple[Sighting, ...] | None = self._cache.get(key)
        if reads is None:
            reads = await RhombusIdentityClient(
                entry.runtime_data.rest
            ).get_vehicle_events(start, end)
            self._cache.put(key, reads)
        children = self._items(entry, reads, with_subject=True)
        children.append(folder(f"{entry.entry_id}/plates/{start}", "Older"))
        ident = f"{entry.entry_id}/plates" + (f"/{before_ms}" if before_ms else "")
        return folder(ident, "Plates", children, MediaClass.VIDEO)

    def _items(
        self,
        entry: RhombusConfigEntry,
        sightings: tuple[Sighting, ...],
        *,
        with_subject: bool,
    ) -> list[BrowseMediaSource]:
        cameras = entry.runtime_data.coordinator.data or {}
        items = []
        for sighting in sightings:
            camera = cameras.get(sighting.camera_uuid)
            if camera is None or not timestamp_in_range(sighting.timestamp_ms):
                continue  # not a camera of ours, or not a believable time
            title = f"{local_time(sighting.timestamp_ms)} · {camera.name}"
            if with_subject:
                label = f" ({sighting.label})" if sighting.label else ""
                title = f"{local_time(sighting.timestamp_ms)} · "
                title += f"{sighting.subject or 'Unread plate'}{label} · {camera.name}"
            path = frame_path(entry.entry_id, camera.uuid, sighting.timestamp_ms)
            items.append(
                BrowseMediaSource(
                    domain=DOMAIN,
                    identifier=alert_identifier(
                        entry.entry_id,
                        camera.uuid,
                        sighting.timestamp_ms,
                        SIGHTING_SECONDS,
                    ),
                    media_class=MediaClass.VIDEO,
                    media_content_type=MediaType.VIDEO,
                    title=title,
                    can_play=True,
                    can_expand=False,
                    thumbnail=async_sign_path(self.hass, path, THUMBNAIL_LIFETIME),
                )
            )
        return items


class FrameView(HomeAssistantView):
    """Serve a camera's frame at a moment (a sighting's picture)."""

    url = FRAME_URL
    name = "api:rhombus:frame"
    requires_auth = True

    def __init__(self, hass: HomeAssistant, cache: KeyedCache) -> None:
        """Frames are kept in ``cache`` with the thumbnails."""
        self.hass = hass
        self._cache = cache

    async def get(
        self, request: web.Request, entry_id: str, camera_uuid: str, ms: str
    ) -> web.Response:
        """The JPEG; 404 for a camera, time or account this does not have."""
        del request  # auth is checked by Home Assistant before this runs
        moment = int(ms) if _MS.fullmatch(ms) else None
        entry = loaded_entry(self.hass, entry_id) if ID.fullmatch(entry_id) else None
        if (
            entry is None
            or moment is None
            or not timestamp_in_range(moment)
            or camera_uuid not in (entry.runtime_data.coordinator.data or {})
        ):
            return web.Response(status=HTTPStatus.NOT_FOUND)
        media = entry.runtime_data.media

        async def fetch() -> bytes:
            try:
                uri = await media.get_frame_uri(
                    camera_uuid, moment, downscale_factor=FRAME_DOWNSCALE
                )
                return await media.download(uri)
            except RhombusError as err:
                LOGGER.debug("Frame of %s unavailable: %s", camera_uuid, err)
                raise

        image = await self._cache.get(("frame", entry_id, camera_uuid, moment), fetch)
        if image is None:
            return web.Response(status=HTTPStatus.NOT_FOUND)
        return web.Response(
            body=image,
            content_type="image/jpeg",
            headers={"Cache-Control": CACHE_CONTROL},
        )
