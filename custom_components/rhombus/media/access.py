"""Shared media plumbing for the camera and image entities.

- ``CachedMedia``: one download at a time per entity, shared by every caller
  that asks meanwhile, and its result (or its failure) kept for a while, so a
  dashboard of many cameras does not flood the Rhombus API. Failures are
  logged once, and once more when media is back.
- ``KeyedCache``: the same for downloads by key (alert thumbnails).
- ``FederatedTokens``: the account's federated session token, which the proxy
  views add to their requests to Rhombus; fetched once for all cameras and
  replaced once aged (or at once, when the media host refused it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
import time

from homeassistant.core import HomeAssistant

from ..aiorhombus import FederatedToken, RhombusError, RhombusMediaClient
from ..const import DOMAIN, LOGGER
from ..data import RhombusConfigEntry

# Rhombus lets a token live up to this long; it is replaced at 80 %.
TOKEN_SECONDS = 3600
TOKEN_RENEW_FRACTION = 0.8
# A token this young is not replaced again when a media host refuses it.
TOKEN_FRESH_SECONDS = 10


class CachedMedia:
    """A download shared by concurrent callers, kept ``ttl`` seconds.

    A failure is kept ``failure_ttl`` seconds (default: ``ttl``), so a broken
    camera is not asked again by every card refresh either.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        label: str,
        ttl: float,
        failure_ttl: float | None = None,
    ) -> None:
        """``label`` names the media in log lines, e.g. "Camera Lobby"."""
        self._hass = hass
        self._entry = entry
        self.label = label
        self._ttl = ttl
        self._failure_ttl = ttl if failure_ttl is None else failure_ttl
        self._value: bytes | None = None
        self._expires = 0.0
        self._generation = 0
        self._task: asyncio.Task[bytes | None] | None = None
        self.failing = False

    async def get(self, fetch: Callable[[], Awaitable[bytes]]) -> bytes | None:
        """The kept bytes, or the result of one ``fetch`` (None if it failed)."""
        if time.monotonic() < self._expires:
            return self._value
        if self._task is None:
            self._task = self._entry.async_create_background_task(
                self._hass,
                self._fetch(fetch, self._generation),
                f"{DOMAIN} {self.label}",
            )
        # A caller that gives up (a timeout) must not cancel the others' fetch.
        return await asyncio.shield(self._task)

    async def _fetch(
        self, fetch: Callable[[], Awaitable[bytes]], generation: int
    ) -> bytes | None:
        try:
            value: bytes | None = await fetch()
        except RhombusError as err:
            self.failed(err)
            value = None
        else:
            self.succeeded()
        if generation == self._generation:  # not cleared meanwhile
            ttl = self._ttl if value is not None else self._failure_ttl
            self._value, self._expires = value, time.monotonic() + ttl
            self._task = None
        return value

    def failed(self, err: RhombusError) -> None:
        """Log the first failure in a row as a warning, the rest at debug."""
        if self.failing:
            LOGGER.debug("%s still unavailable: %s", self.label, err)
            return
        self.failing = True
        LOGGER.warning("%s unavailable: %s", self.label, err)

    def succeeded(self) -> None:
        """Log once that media works again."""
        if self.failing:
            self.failing = False
            LOGGER.info("%s available again", self.label)

    def clear(self) -> None:
        """Forget the kept result: the next ``get`` downloads again.

        A download in progress finishes for its callers but is not kept.
        """
        self._generation += 1
        self._value, self._expires, self._task = None, 0.0, None

    def cancel(self) -> None:
        """Stop a download in progress (the entity is going away)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None


class KeyedCache:
    """Downloads by key, kept ``ttl`` seconds; concurrent asks share one download.

    A failure (`RhombusError`) is kept ``failure_ttl`` seconds as None. At most
    ``size`` results are kept; the oldest go first.
    """

    def __init__(self, ttl: float, failure_ttl: float, size: int) -> None:
        """Empty."""
        self._ttl = ttl
        self._failure_ttl = failure_ttl
        self._size = size
        self._values: dict[Hashable, tuple[float, bytes | None]] = {}
        self._tasks: dict[Hashable, asyncio.Task[bytes | None]] = {}

    async def get(
        self, key: Hashable, fetch: Callable[[], Awaitable[bytes]]
    ) -> bytes | None:
        """The kept bytes, or those of one ``fetch`` (None if it failed)."""
        kept = self._values.get(key)
        if kept is not None and time.monotonic() < kept[0]:
            return kept[1]
        if (task := self._tasks.get(key)) is None:
            task = self._tasks[key] = asyncio.create_task(self._fetch(key, fetch))
        # A caller that goes away must not cancel the others' download.
        return await asyncio.shield(task)

    async def _fetch(
        self, key: Hashable, fetch: Callable[[], Awaitable[bytes]]
    ) -> bytes | None:
        try:
            value: bytes | None = await fetch()
        except RhombusError:
            value = None
        finally:
            self._tasks.pop(key, None)
        ttl = self._ttl if value is not None else self._failure_ttl
        self._values.pop(key, None)
        self._values[key] = (time.monotonic() + ttl, value)
        while len(self._values) > self._size:
            del self._values[next(iter(self._values))]
        return value


class FederatedTokens:
    """One federated token per account, fetched when footage is asked for.

    Only the proxy views add it to a request (server side); an aged token is
    replaced at the next request, a refused one at once.
    """

    def __init__(self, media: RhombusMediaClient) -> None:
        """Nothing is fetched until footage is asked for."""
        self._media = media
        self._token: FederatedToken | None = None
        self._lock = asyncio.Lock()

    async def async_token(self, *, renew: bool = False) -> FederatedToken:
        """A token with life left in it; concurrent callers share one request.

        ``renew``: the media host refused the current token (it expired early),
        so it is replaced whatever its age. A token issued moments ago is kept:
        callers refused together renew once.
        """
        async with self._lock:
            token = self._token
            now = time.time()
            if token is not None and (
                now - token.issued_at < TOKEN_FRESH_SECONDS
                or (not renew and now < token.renew_at(TOKEN_RENEW_FRACTION))
            ):
                return token
            try:
                self._token = await self._media.create_federated_token(TOKEN_SECONDS)
            except RhombusError:
                if token is not None and now < token.expires_at:
                    return token  # aged but still valid: better than nothing
                raise
            return self._token
