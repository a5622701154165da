"""HLS playlists as a proxy needs them: every URI replaced, no credential left.

`rewrite_playlist` hands each URI a playlist names (segments, nested
playlists, keys, init maps, parts), made absolute and stripped of the
federated-token query, to a callback that returns what to write instead.
A proxy thereby serves footage without the token ever leaving it.
"""

from __future__ import annotations

from collections.abc import Callable
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that carry media authorisation (names compared lowercased).
AUTH_PARAMS = frozenset({"x-auth-scheme", "x-auth-ft", "x-auth-apikey"})
_URI_ATTRIBUTE = re.compile(r'URI="([^"]*)"')
# Tags whose URI attribute names another playlist (the rest: keys, maps, parts).
_PLAYLIST_TAGS = (
    "#EXT-X-MEDIA:",
    "#EXT-X-I-FRAME-STREAM-INF:",
    "#EXT-X-RENDITION-REPORT:",
)
_PLAYLIST_SUFFIXES = (".m3u8", ".m3u")

# (absolute upstream URL without auth, whether it is a playlist) -> the URI to
# write instead, or None to drop the line.
type Link = Callable[[str, bool], str | None]


def strip_auth(url: str) -> str:
    """``url`` without the query parameters that authorise media."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in AUTH_PARAMS
    ]
    return urlunsplit((*parts[:3], urlencode(kept), parts.fragment))


def is_playlist_url(url: str) -> bool:
    """Whether the URL's path names a playlist."""
    return urlsplit(url).path.lower().endswith(_PLAYLIST_SUFFIXES)


def is_playlist(text: str) -> bool:
    """Whether ``text`` is an HLS playlist at all."""
    return text.lstrip("\ufeff").startswith("#EXTM3U")


def has_footage(text: str) -> bool:
    """Whether the playlist lists media: segments, or variants that do."""
    return any(
        line.startswith(("#EXTINF", "#EXT-X-STREAM-INF")) for line in text.splitlines()
    )


def _absolute(base_url: str, uri: str) -> str | None:
    url = urljoin(base_url, uri.strip())
    if urlsplit(url).scheme not in ("http", "https"):
        return None  # data:, skd: and the like cannot be proxied
    return strip_auth(url)


def rewrite_playlist(
    text: str, base_url: str, link: Link, *, secret: str | None = None
) -> str:
    """The playlist with every URI replaced by ``link``'s answer.

    A URI that ``link`` refuses (None) drops its line; so does any line that
    still holds ``secret`` afterwards, whatever tag carried it.
    """
    out: list[str] = []
    next_is_playlist = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#EXT-X-STREAM-INF"):
                next_is_playlist = True
            elif 'URI="' in line:
                line = _rewrite_attributes(line, base_url, link)
        else:
            url = _absolute(base_url, line)
            playlist = next_is_playlist or (url is not None and is_playlist_url(url))
            next_is_playlist = False
            line = (link(url, playlist) if url is not None else None) or ""
        if line and (secret is None or secret not in line):
            out.append(line)
    return "\n".join(out) + "\n"


def _rewrite_attributes(line: str, base_url: str, link: Link) -> str:
    playlist = line.startswith(_PLAYLIST_TAGS)
    dropped = False

    def replace(match: re.Match[str]) -> str:
        nonlocal dropped
        url = _absolute(base_url, match[1])
        new = link(url, playlist) if url is not None else None
        if new is None:
            dropped = True
            return match[0]
        return f'URI="{new}"'

    rewritten = _URI_ATTRIBUTE.sub(replace, line)
    return "" if dropped else rewritten
