"""One account's footage as Home Assistant serves it: upstream URLs never leave.

The proxy views (``proxy``) ask this for a playlist; its URIs come back as
``/api/rhombus/hls/<entry>/<key>/<name>`` paths, ``key`` standing for an
upstream URL kept here. Only URLs a Rhombus playlist named can be fetched
through a key, so a signed path cannot be made to reach anything else.
"""

from __future__ import annotations

from base64 import urlsafe_b64encode
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
import hashlib
import time
from urllib.parse import urlsplit

from ..aiorhombus import (
    RhombusFootageClient,
    RhombusMediaClient,
    RhombusRecordingsClient,
    rewrite_playlist,
)

# Upstream URLs kept per account; the oldest goes first (a live stream adds
# one every segment, an hour-long clip ~1,800).
MAX_LINKS = 8192
# A key outlives the signed paths that name it (see ``proxy``).
LINK_SECONDS = 26 * 3600
# A finished (VOD) playlist is kept briefly: resolving checks it, then the
# player asks for it at once.
PLAYLIST_SECONDS = 30.0
PLAYLIST_CACHE_SIZE = 32
# The live playlist URL is stable; ask again after this long anyway.
LIVE_URI_SECONDS = 3600.0
HLS_URL = "/api/rhombus/hls/{entry_id}/{key}/{name}"
_EXTENSIONS = frozenset(
    {"ts", "m4s", "mp4", "m4v", "m4a", "aac", "mp3", "vtt", "webvtt", "key", "cmfv"}
)


@dataclass(frozen=True, slots=True)
class Link:
    """An upstream URL a playlist named, and whether it is a playlist itself."""

    url: str
    playlist: bool
    expires: float


def link_name(url: str, playlist: bool) -> str:  # noqa: FBT001
    """The last path part of a proxied URI: players and ffmpeg look at it."""
    if playlist:
        return "playlist.m3u8"
    suffix = urlsplit(url).path.rpartition(".")[2].lower()
    return f"media.{suffix if suffix in _EXTENSIONS else 'ts'}"


class EntryFootage:
    """Playlists of one account, rewritten so every URI is a signed HA path."""

    def __init__(
        self,
        entry_id: str,
        client: RhombusFootageClient,
        recordings: RhombusRecordingsClient,
        media: RhombusMediaClient,
    ) -> None:
        """Nothing is fetched until a player asks."""
        self._entry_id = entry_id
        self.client = client
        self._recordings = recordings
        self._media = media
        self._links: OrderedDict[str, Link] = OrderedDict()
        self._finished: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._live: dict[str, tuple[float, str | None]] = {}

    def __repr__(self) -> str:
        """No URL, no token."""
        return f"EntryFootage({len(self._links)} links)"

    # --- upstream URLs ------------------------------------------------------------

    async def vod_url(self, camera_uuid: str, start_ms: int, duration: int) -> str:
        """The camera's VOD playlist of the window (no token in it)."""
        return await self._recordings.vod_playlist_url(camera_uuid, start_ms, duration)

    def clip_url(self, camera_uuid: str, region: str, clip_uuid: str) -> str:
        """A saved clip's playlist (no token in it)."""
        return self._recordings.clip_playlist_url(camera_uuid, region, clip_uuid)

    async def live_url(self, camera_uuid: str) -> str | None:
        """The camera's live playlist (kept an hour), None if it has none."""
        kept = self._live.get(camera_uuid)
        if kept is not None and time.monotonic() < kept[0]:
            return kept[1]
        uri = await self._media.get_live_hls_uri(camera_uuid)
        self._live[camera_uuid] = (time.monotonic() + LIVE_URI_SECONDS, uri)
        return uri

    # --- playlists ----------------------------------------------------------------

    async def footage(self, url: str) -> str:
        """A recorded playlist that holds footage (else `RhombusNoFootageError`)."""
        kept = self._finished.get(url)
        if kept is not None and time.monotonic() < kept[0]:
            return kept[1]
        text = await self.client.get_footage(url)
        if "#EXT-X-ENDLIST" in text:  # finished: it will not change
            self._finished[url] = (time.monotonic() + PLAYLIST_SECONDS, text)
            while len(self._finished) > PLAYLIST_CACHE_SIZE:
                self._finished.popitem(last=False)
        return text

    def rewritten(self, url: str, text: str, sign: Callable[[str], str]) -> str:
        """``text`` (the playlist at ``url``) with every URI a signed HA path."""
        secret = self.client.last_token

        def link(upstream: str, playlist: bool) -> str:  # noqa: FBT001
            key = self._keep(upstream, playlist)
            name = link_name(upstream, playlist)
            return sign(HLS_URL.format(entry_id=self._entry_id, key=key, name=name))

        return rewrite_playlist(text, url, link, secret=secret)

    # --- keys -----------------------------------------------------------------------

    def _keep(self, url: str, playlist: bool) -> str:  # noqa: FBT001
        digest = hashlib.blake2b(url.encode(), digest_size=15).digest()
        key = urlsafe_b64encode(digest).decode()
        self._links[key] = Link(url, playlist, time.monotonic() + LINK_SECONDS)
        self._links.move_to_end(key)
        while len(self._links) > MAX_LINKS:
            self._links.popitem(last=False)
        return key

    def link(self, key: str) -> Link | None:
        """The upstream URL behind ``key``, if this account's playlists named it."""
        found = self._links.get(key)
        if found is None or time.monotonic() > found.expires:
            return None
        self._links.move_to_end(key)
        return found
