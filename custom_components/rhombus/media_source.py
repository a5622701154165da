"""Media browser: every camera's alerts as recorded footage, and saved clips.

Identifiers and their checks live in ``media.ids``. Browsing a bad id raises
``BrowseError``, resolving one ``Unresolvable``; neither makes a REST call.
A window without footage is refused with a translated ``Unresolvable``, which
the frontend shows instead of opening a player that cannot play.
"""

from __future__ import annotations

import time

from homeassistant.components.media_player.const import MediaClass
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.components.media_source import (
    BrowseMediaSource,
    MediaSource,
    MediaSourceItem,
    PlayMedia,
    Unresolvable,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant

from .aiorhombus import (
    AlertCursor,
    AlertPage,
    RhombusError,
    RhombusNoFootageError,
    RhombusRecordingsClient,
    SavedClipPage,
)
from .const import DOMAIN
from .data import RhombusConfigEntry
from .detections import DetectionKind, kinds_of
from .media.ids import BrowseCache, MediaId, parse_media_id
from .media.items import alert_item, camera_folder, clip_item, folder, kind_title
from .media.proxy import HLS, clip_path, vod_path
from .media.sightings import Sightings, decode_key

# Footage shown around an alert: a little before it starts, a little after it ends.
BEFORE_SECONDS = 5
AFTER_SECONDS = 5
MIN_WINDOW_SECONDS = 10


async def async_get_media_source(hass: HomeAssistant) -> MediaSource:
    """The integration's media source (one for every account)."""
    return RhombusMediaSource(hass)


class RhombusMediaSource(MediaSource):
    """Rhombus alerts and clips in the media browser."""

    name = "Rhombus"

    def __init__(self, hass: HomeAssistant) -> None:
        """Clients are made per entry on first use."""
        super().__init__(DOMAIN)
        self.hass = hass
        self._cache = BrowseCache()
        self._sightings = Sightings(hass, self._cache)

    @staticmethod
    def _client(entry: RhombusConfigEntry) -> RhombusRecordingsClient:
        # The entry's own: a reloaded entry brings a fresh one.
        return entry.runtime_data.recordings

    # --- resolving ----------------------------------------------------------------

    async def async_resolve_media(self, item: MediaSourceItem) -> PlayMedia:
        """An alert's footage or a saved clip, as a path of the integration's proxy.

        The footage is checked first (no player opens on nothing); the path
        holds no token: the proxy adds it server side.
        """
        media = parse_media_id(self.hass, item.identifier or "")
        entry_id, footage = media.entry.entry_id, media.entry.runtime_data.footage
        try:
            if media.route == "alert":
                duration = media.duration or 0
                start = max((media.ms or 0) - BEFORE_SECONDS * 1000, 0)
                window = max(
                    duration + BEFORE_SECONDS + AFTER_SECONDS, MIN_WINDOW_SECONDS
                )
                url = await footage.vod_url(str(media.key), start, window)
                path = vod_path(entry_id, str(media.key), start, window)
            elif media.route == "clip":
                key, region, uuid = str(media.key), str(media.region), str(media.uuid)
                url = footage.clip_url(key, region, uuid)
                path = clip_path(entry_id, key, region, uuid)
            else:
                raise Unresolvable(
                    translation_domain=DOMAIN, translation_key="media_not_playable"
                )
            await footage.footage(url)
        except RhombusNoFootageError as err:
            raise Unresolvable(
                translation_domain=DOMAIN, translation_key="media_no_footage"
            ) from err
        except RhombusError as err:
            raise Unresolvable(
                translation_domain=DOMAIN,
                translation_key="media_unavailable",
                translation_placeholders={"error": str(err)},
            ) from err
        # A path without a query: Home Assistant signs it for whoever plays it.
        return PlayMedia(path, HLS)

    # --- browsing -------------------------------------------------------------------

    async def async_browse_media(  # noqa: PLR0911 - one return per route
        self, item: MediaSourceItem
    ) -> BrowseMediaSource:
        """The folder the identifier names (the accounts when it is empty)."""
        if not item.identifier:
            return self._accounts()
        try:
            media = parse_media_id(self.hass, item.identifier)
        except Unresolvable as err:
            raise BrowseError(
                translation_domain=DOMAIN, translation_key="media_unknown"
            ) from err
        try:
            match media.route:
                case "account":
                    return self._account(media.entry)
                case "camera" | "kind":
                    return await self._alerts(media)
                case "clips":
                    return await self._clips(media)
                case "people":
                    return await self._sightings.people(media.entry)
                case "person":
                    return await self._person(media)
                case "plates":
                    now_ms = int(time.time() * 1000)
                    return await self._sightings.plates(media.entry, media.ms, now_ms)
        except RhombusError as err:
            raise BrowseError(
                translation_domain=DOMAIN,
                translation_key="media_unavailable",
                translation_placeholders={"error": str(err)},
            ) from err
        raise BrowseError(
            translation_domain=DOMAIN, translation_key="media_not_browsable"
        )

    def _accounts(self) -> BrowseMediaSource:
        entries = [
            e
            for e in self.hass.config_entries.async_entries(DOMAIN)
            if e.state is ConfigEntryState.LOADED
        ]
        return folder(None, "Rhombus", [folder(e.entry_id, e.title) for e in entries])

    def _account(self, entry: RhombusConfigEntry) -> BrowseMediaSource:
        cameras = sorted(
            (entry.runtime_data.coordinator.data or {}).values(),
            key=lambda c: c.name.casefold(),
        )
        children = [
            camera_folder(self.hass, entry.entry_id, c.uuid, c.name) for c in cameras
        ]
        children += [
            folder(f"{entry.entry_id}/kind/{k.value}", kind_title(k))
            for k in DetectionKind
        ]
        children.append(folder(f"{entry.entry_id}/clips", "Saved clips"))
        children.append(folder(f"{entry.entry_id}/people", "People"))
        children.append(folder(f"{entry.entry_id}/plates", "Plates"))
        return folder(entry.entry_id, entry.title, children)

    async def _alert_page(self, media: MediaId) -> AlertPage:
        cache_key = (
            media.entry.entry_id,
            f"{media.route}/{media.key}/{media.ms}/{media.uuid}",
        )
        if (page := self._cache.get(cache_key)) is not None:
            return page  # type: ignore[no-any-return]
        cursor = AlertCursor(media.ms, media.uuid) if media.ms and media.uuid else None
        devices = [media.key] if media.route == "camera" and media.key else None
        page = await self._client(media.entry).get_alert_page(
            devices, older_than=cursor
        )
        self._cache.put(cache_key, page)
        return page

    async def _alerts(self, media: MediaId) -> BrowseMediaSource:
        entry = media.entry
        page = await self._alert_page(media)
        alerts = [
            a
            for a in page.alerts
            if media.route == "camera" or media.key in kinds_of(a.triggers)
        ]
        cameras = entry.runtime_data.coordinator.data or {}
        children = [
            alert_item(
                self.hass,
                entry.entry_id,
                a,
                None if media.route == "camera" else cameras[a.device_uuid].name,
            )
            for a in alerts
            if a.device_uuid is not None and a.device_uuid in cameras
        ]
        if page.older is not None:
            cursor = f"{page.older.timestamp_ms}/{page.older.uuid}"
            older = f"{entry.entry_id}/{media.route}/{media.key}/{cursor}"
            children.append(folder(older, "Older"))
        key = str(media.key)
        if media.route == "kind":
            title = kind_title(DetectionKind(key))
        else:  # the camera may have gone while the page was fetched
            title = camera.name if (camera := cameras.get(key)) else key
        base = f"{entry.entry_id}/{media.route}/{key}"
        if media.ms is not None:
            base += f"/{media.ms}/{media.uuid}"
        return folder(base, title, children, MediaClass.VIDEO)

    async def _person(self, media: MediaId) -> BrowseMediaSource:
        page_key = decode_key(media.uuid) if media.uuid else None
        if media.uuid and page_key is None:
            raise BrowseError(
                translation_domain=DOMAIN, translation_key="media_unknown"
            )
        return await self._sightings.person(media.entry, str(media.key), page_key)

    async def _clips(self, media: MediaId) -> BrowseMediaSource:
        entry = media.entry
        cache_key = (entry.entry_id, f"clips/{media.ms}")
        page: SavedClipPage | None = self._cache.get(cache_key)
        if page is None:
            page = await entry.runtime_data.clips.get_saved_clips(page_ms=media.ms)
            self._cache.put(cache_key, page)
        cameras = entry.runtime_data.coordinator.data or {}
        children = [
            clip_item(entry.entry_id, c)
            for c in page.clips
            if c.playable and c.device_uuid in cameras and c.clip_region
        ]
        if page.next_page_ms is not None:
            children.append(
                folder(f"{entry.entry_id}/clips/{page.next_page_ms}", "Older")
            )
        ident = f"{entry.entry_id}/clips" + (f"/{media.ms}" if media.ms else "")
        return folder(ident, "Saved clips", children, MediaClass.VIDEO)
