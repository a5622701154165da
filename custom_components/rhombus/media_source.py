"""Media browser: every camera's alerts as recorded footage, and saved clips.

Identifiers and their checks live in ``media_ids``. Browsing a bad id raises
``BrowseError``, resolving one ``Unresolvable``; neither makes a REST call.
A window without footage is refused with a translated ``Unresolvable``, which
the frontend shows instead of opening a player that cannot play.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from homeassistant.components.http.auth import async_sign_path
from homeassistant.components.media_player.const import MediaClass, MediaType
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
from homeassistant.util import dt as dt_util

from .aiorhombus import (
    AlertCursor,
    AlertPage,
    PolicyAlert,
    RhombusClipsClient,
    RhombusError,
    RhombusNoFootageError,
    RhombusRecordingsClient,
    SavedClipPage,
)
from .const import DOMAIN
from .data import RhombusConfigEntry
from .detections import DetectionKind, kinds_of
from .media_ids import BrowseCache, MediaId, parse_media_id
from .media_links import alert_identifier
from .views import PLACEHOLDER_URL, latest_path, thumbnail_path

HLS = "application/vnd.apple.mpegurl"
# Footage shown around an alert: a little before it starts, a little after it ends.
BEFORE_SECONDS = 5
AFTER_SECONDS = 5
MIN_WINDOW_SECONDS = 10
THUMBNAIL_LIFETIME = timedelta(minutes=10)


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

    @staticmethod
    def _client(entry: RhombusConfigEntry) -> RhombusRecordingsClient:
        # The entry's own: a reloaded entry brings a fresh one.
        return entry.runtime_data.recordings

    # --- resolving ----------------------------------------------------------------

    async def async_resolve_media(self, item: MediaSourceItem) -> PlayMedia:
        """An alert's footage or a saved clip, as an HLS URL with a federated token."""
        media = parse_media_id(self.hass, item.identifier or "")
        client = self._client(media.entry)
        try:
            if media.route == "alert":
                duration = media.duration or 0
                start = (media.ms or 0) - BEFORE_SECONDS * 1000
                window = max(
                    duration + BEFORE_SECONDS + AFTER_SECONDS, MIN_WINDOW_SECONDS
                )
                url = await client.vod_url(str(media.key), start, window)
            elif media.route == "clip":
                url = await client.clip_url(
                    str(media.key), str(media.region), str(media.uuid)
                )
            else:
                raise Unresolvable(
                    translation_domain=DOMAIN, translation_key="media_not_playable"
                )
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
        return PlayMedia(url, HLS)

    # --- browsing -------------------------------------------------------------------

    async def async_browse_media(self, item: MediaSourceItem) -> BrowseMediaSource:
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
        return _folder(
            None,
            "Rhombus",
            [_folder(e.entry_id, e.title) for e in entries],
            MediaClass.DIRECTORY,
        )

    def _account(self, entry: RhombusConfigEntry) -> BrowseMediaSource:
        cameras = sorted(
            (entry.runtime_data.coordinator.data or {}).values(),
            key=lambda c: c.name.casefold(),
        )
        children = [
            _folder(
                f"{entry.entry_id}/camera/{c.uuid}",
                c.name,
                media_class=MediaClass.VIDEO,
                thumbnail=self._camera_thumbnail(entry.entry_id, c.uuid),
            )
            for c in cameras
        ]
        children += [
            _folder(
                f"{entry.entry_id}/kind/{k.value}",
                k.value.replace("_", " ").capitalize(),
            )
            for k in DetectionKind
        ]
        children.append(_folder(f"{entry.entry_id}/clips", "Saved clips"))
        return _folder(entry.entry_id, entry.title, children)

    def _camera_thumbnail(self, entry_id: str, camera_uuid: str) -> str:
        """The camera's latest alert thumbnail, looked up when the browser shows it."""
        path = latest_path(entry_id, camera_uuid)
        return async_sign_path(self.hass, path, THUMBNAIL_LIFETIME)

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
            self._alert_item(
                entry,
                a,
                a.device_uuid,
                "" if media.route == "camera" else cameras[a.device_uuid].name,
            )
            for a in alerts
            if a.device_uuid is not None and a.device_uuid in cameras
        ]
        if page.older is not None:
            cursor = f"{page.older.timestamp_ms}/{page.older.uuid}"
            older = f"{entry.entry_id}/{media.route}/{media.key}/{cursor}"
            children.append(_folder(older, "Older"))
        title = (
            cameras[media.key].name
            if media.route == "camera" and media.key in cameras
            else str(media.key)
        )
        base = f"{entry.entry_id}/{media.route}/{media.key}"
        if media.ms is not None:
            base += f"/{media.ms}/{media.uuid}"
        return _folder(base, title, children, MediaClass.VIDEO)

    def _alert_item(
        self,
        entry: RhombusConfigEntry,
        alert: PolicyAlert,
        camera_uuid: str,
        camera_name: str,
    ) -> BrowseMediaSource:
        when = dt_util.as_local(datetime.fromtimestamp(alert.timestamp_ms / 1000, UTC))
        kinds = ", ".join(
            k.value.replace("_", " ").capitalize() for k in kinds_of(alert.triggers)
        )
        title = f"{when:%H:%M} · {kinds or 'Alert'}"
        if camera_name:
            title += f" ({camera_name})"
        thumb = PLACEHOLDER_URL
        if alert.thumbnail_region:
            thumb = async_sign_path(
                self.hass,
                thumbnail_path(entry.entry_id, alert.thumbnail_region, alert.uuid),
                THUMBNAIL_LIFETIME,
            )
        return BrowseMediaSource(
            domain=DOMAIN,
            identifier=alert_identifier(
                entry.entry_id, camera_uuid, alert.timestamp_ms, alert.duration_sec
            ),
            media_class=MediaClass.VIDEO,
            media_content_type=MediaType.VIDEO,
            title=title,
            can_play=True,
            can_expand=False,
            thumbnail=thumb,
        )

    async def _clips(self, media: MediaId) -> BrowseMediaSource:
        entry = media.entry
        cache_key = (entry.entry_id, f"clips/{media.ms}")
        page: SavedClipPage | None = self._cache.get(cache_key)
        if page is None:
            page = await RhombusClipsClient(entry.runtime_data.rest).get_saved_clips(
                page_ms=media.ms
            )
            self._cache.put(cache_key, page)
        children = [
            BrowseMediaSource(
                domain=DOMAIN,
                identifier=f"{entry.entry_id}/clip/{c.device_uuid}/{c.clip_region}/{c.uuid}",
                media_class=MediaClass.VIDEO,
                media_content_type=MediaType.VIDEO,
                title=c.title or _local(c.timestamp_ms or c.created_at_ms or 0),
                can_play=True,
                can_expand=False,
                thumbnail=None,
            )
            for c in page.clips
            if c.playable and c.device_uuid and c.clip_region
        ]
        if page.next_page_ms is not None:
            children.append(
                _folder(f"{entry.entry_id}/clips/{page.next_page_ms}", "Older")
            )
        ident = f"{entry.entry_id}/clips" + (f"/{media.ms}" if media.ms else "")
        return _folder(ident, "Saved clips", children, MediaClass.VIDEO)


def _local(ms: int) -> str:
    return f"{dt_util.as_local(datetime.fromtimestamp(ms / 1000, UTC)):%Y-%m-%d %H:%M}"


def _folder(
    identifier: str | None,
    title: str,
    children: list[BrowseMediaSource] | None = None,
    children_class: MediaClass = MediaClass.DIRECTORY,
    *,
    media_class: MediaClass = MediaClass.DIRECTORY,
    thumbnail: str | None = None,
) -> BrowseMediaSource:
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
