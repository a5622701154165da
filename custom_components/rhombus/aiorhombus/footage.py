"""Footage fetched with the federated token, for a proxy that never hands it out.

Playlists and media (segments, keys, init maps) are asked of the media host
with the account's federated token in the query, added only where
`RhombusMediaClient.token_allowed` says so; a refused token is renewed once.
Nothing here returns a URL with the token: callers get text or a response.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from http import HTTPStatus
import time

import aiohttp

from .exceptions import (
    RhombusAuthError,
    RhombusConnectionError,
    RhombusError,
    RhombusProtocolError,
)
from .hls import has_footage, is_playlist, strip_auth
from .media import FederatedToken, RhombusMediaClient, authorise_url, redact_url

TOKEN_SECONDS = 3600
PLAYLIST_TIMEOUT = 15.0
# A playlist is a few kilobytes (an hour of 2 s segments: ~100 KB).
MAX_PLAYLIST_BYTES = 1024 * 1024
# Media is streamed: only connecting and each read are bounded in time.
MEDIA_TIMEOUT = aiohttp.ClientTimeout(total=None, sock_connect=15, sock_read=30)
_REFUSED = (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN)
_GONE = (HTTPStatus.NOT_FOUND, HTTPStatus.GONE)

# Hands out a live federated token; ``True`` asks for a fresh one (the host
# refused the last). An application shares its own between streams and footage.
type TokenSource = Callable[[bool], Awaitable[FederatedToken]]


class RhombusNoFootageError(RhombusError):
    """No recording exists for the camera and window (retention, offline)."""


class RhombusFootageClient:
    """Playlists and media of one account, fetched with its federated token."""

    def __init__(
        self,
        media: RhombusMediaClient,
        session: aiohttp.ClientSession,
        *,
        tokens: TokenSource | None = None,
        token_seconds: int = TOKEN_SECONDS,
        timeout: float = PLAYLIST_TIMEOUT,
    ) -> None:
        """Tokens come from ``tokens`` (or are kept here, made by ``media``)."""
        self._media = media
        self._session = session
        self._tokens = tokens or self._own_token
        self._token_seconds = token_seconds
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._token: FederatedToken | None = None
        self._last: FederatedToken | None = None

    def __repr__(self) -> str:
        """Where footage comes from; the token stays out."""
        return f"RhombusFootageClient({self._media.media_url!r})"

    async def _own_token(self, renew: bool) -> FederatedToken:  # noqa: FBT001
        token = self._token
        if renew or token is None or time.time() >= token.renew_at():
            token = await self._media.create_federated_token(self._token_seconds)
            self._token = token
        return token

    @property
    def last_token(self) -> str | None:
        """The token last sent (what a fetched playlist could echo), if any."""
        return self._last.token if self._last else None

    async def _authorised(self, url: str, *, renew: bool = False) -> str:
        url = strip_auth(url)
        if not self._media.token_allowed(url):
            return url  # another host never sees the token
        self._last = await self._tokens(renew)
        return authorise_url(url, self._last)

    async def get_playlist(self, url: str) -> str:
        """The playlist's text (a refused token is renewed once).

        404/410 raise `RhombusNoFootageError`, anything not a playlist
        `RhombusProtocolError`.
        """
        try:
            return await self._get_playlist(await self._authorised(url))
        except RhombusAuthError:
            return await self._get_playlist(await self._authorised(url, renew=True))

    async def get_footage(self, url: str) -> str:
        """Like `get_playlist`, and one without media is no footage either."""
        text = await self.get_playlist(url)
        if not has_footage(text):
            raise RhombusNoFootageError(f"{redact_url(url)}: no footage")
        return text

    async def _get_playlist(self, url: str) -> str:
        shown = redact_url(url)
        try:
            async with self._session.get(
                url, timeout=self._timeout, allow_redirects=False
            ) as resp:
                _check(shown, resp.status)
                raw = await resp.content.read(MAX_PLAYLIST_BYTES + 1)
        except TimeoutError as err:
            raise RhombusConnectionError(f"{shown}: timed out") from err
        except aiohttp.ClientError as err:
            # str(err) can hold the full URL with its token: name the type only.
            raise RhombusConnectionError(f"{shown}: {type(err).__name__}") from None
        if len(raw) > MAX_PLAYLIST_BYTES:
            raise RhombusProtocolError(f"{shown}: playlist too large")
        text = raw.decode("utf-8", "replace")
        if not is_playlist(text):
            raise RhombusProtocolError(f"{shown}: not an HLS playlist")
        return text

    @asynccontextmanager
    async def open_media(
        self, url: str, headers: Mapping[str, str] | None = None
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """GET a segment (or key, or map) to stream on; 200 or 206 only.

        ``headers`` are passed on (a ``Range``); a refused token is renewed once.
        """
        for renew in (False, True):
            signed = await self._authorised(url, renew=renew)
            shown = redact_url(signed)
            try:
                async with self._session.get(
                    signed,
                    headers=headers,
                    timeout=MEDIA_TIMEOUT,
                    allow_redirects=False,
                ) as resp:
                    if resp.status in _REFUSED and not renew:
                        continue
                    _check(shown, resp.status)
                    yield resp
                    return
            except TimeoutError as err:
                raise RhombusConnectionError(f"{shown}: timed out") from err
            except aiohttp.ClientError as err:
                raise RhombusConnectionError(f"{shown}: {type(err).__name__}") from None


def _check(shown: str, status: int) -> None:
    if status in _REFUSED:
        raise RhombusAuthError(f"{shown}: HTTP {status}", status)
    if status in _GONE:
        raise RhombusNoFootageError(f"{shown}: no footage")
    if status not in (HTTPStatus.OK, HTTPStatus.PARTIAL_CONTENT):
        raise RhombusConnectionError(f"{shown}: HTTP {status}")
