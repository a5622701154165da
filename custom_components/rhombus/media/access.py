"""Shared media plumbing for the camera and image entities.

- ``CachedMedia``: one download at a time per entity, shared by every caller
  that asks meanwhile, and its result (or its failure) kept for a while, so a
  dashboard of many cameras does not flood the Rhombus API. Failures are
  logged once, and once more when media is back.
- ``FederatedTokens``: the account's federated session token for stream and
  recorded-footage URLs, fetched once for all cameras and renewed before it
  expires (or at once, when the media host refused it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
import time
from typing import Protocol

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later

from ..aiorhombus import FederatedToken, RhombusError, RhombusMediaClient
from ..const import DOMAIN, LOGGER
from ..data import RhombusConfigEntry

# Rhombus lets a token live up to this long; streams renew it at 80 %.
TOKEN_SECONDS = 3600
TOKEN_RENEW_FRACTION = 0.8
# After a failed renewal, try again this much later (the old token may still work).
TOKEN_RETRY_SECONDS = 60
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


class TokenUser(Protocol):
    """A camera whose open stream needs the renewed token."""

    @property
    def streams_live(self) -> bool:
        """Whether a stream uses the token right now."""

    def token_renewed(self, token: FederatedToken) -> None:
        """Hand the new token to the open stream."""


class FederatedTokens:
    """One federated token per account, renewed while any stream is open.

    With no stream open, an aged token is simply replaced at the next request
    instead of being renewed on a timer.
    """

    def __init__(
        self, hass: HomeAssistant, entry: RhombusConfigEntry, media: RhombusMediaClient
    ) -> None:
        """Nothing is fetched until a stream asks for a token."""
        self._hass = hass
        self._entry = entry
        self._media = media
        self._token: FederatedToken | None = None
        self._lock = asyncio.Lock()
        self._users: list[TokenUser] = []
        self._timer: CALLBACK_TYPE | None = None
        self._renewal_failing = False

    async def async_token(self, *, renew: bool = False) -> FederatedToken:
        """A token with life left in it; concurrent callers share one request.

        ``renew``: the media host refused the current token (it expired early),
        so it is replaced whatever its age, and open streams get the new one.
        A token issued moments ago is kept: callers refused together renew once.
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
                renewed = await self._renew()
            except RhombusError:
                if token is not None and now < token.expires_at:
                    return token  # aged but still valid: better than nothing
                raise
        if renew:
            self._hand_to_streams(renewed)
        return renewed

    async def _renew(self) -> FederatedToken:
        token = await self._media.create_federated_token(TOKEN_SECONDS)
        self._token = token
        self._schedule(token.renew_at(TOKEN_RENEW_FRACTION) - time.time())
        return token

    @callback
    def async_add_user(self, user: TokenUser) -> CALLBACK_TYPE:
        """Tell ``user`` about every renewed token until the returned call."""
        self._users.append(user)
        return lambda: self._users.remove(user)

    def _schedule(self, delay: float) -> None:
        self.async_stop()
        self._timer = async_call_later(self._hass, max(delay, 0.0), self._due)

    @callback
    def _due(self, _now: datetime) -> None:
        self._timer = None
        if any(user.streams_live for user in self._users):
            self._entry.async_create_background_task(
                self._hass, self._renew_for_streams(), f"{DOMAIN} token renewal"
            )

    async def _renew_for_streams(self) -> None:
        try:
            async with self._lock:
                token = await self._renew()
        except RhombusError as err:
            # Warn once per outage; the retries every minute only at debug.
            log = LOGGER.debug if self._renewal_failing else LOGGER.warning
            log("Could not renew the stream token: %s", err)
            self._renewal_failing = True
            self._schedule(TOKEN_RETRY_SECONDS)
            return
        if self._renewal_failing:
            self._renewal_failing = False
            LOGGER.info("Stream token renewed again")
        self._hand_to_streams(token)

    def _hand_to_streams(self, token: FederatedToken) -> None:
        for user in list(self._users):
            if user.streams_live:
                user.token_renewed(token)

    @callback
    def async_stop(self) -> None:
        """Cancel the renewal timer."""
        if self._timer is not None:
            self._timer()
            self._timer = None
