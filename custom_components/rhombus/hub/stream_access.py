"""What to do when the event stream refuses the API key.

A 401 means the key is bad: reauthentication. A 403 (or a STOMP-level auth
error) while REST still accepts the key means the key's role lacks the
permission for the event stream: a new key would not help, so instead of
reauth the user gets a repair issue naming the permission, and the stream is
retried slowly until the role is fixed; the issue goes once it connects.

(Not named ``repairs.py``: Home Assistant loads that name as a repairs
platform, which must offer fix flows.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import datetime
from http import HTTPStatus
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later

from ..aiorhombus import (
    RhombusAuthError,
    RhombusError,
    RhombusEventStream,
    RhombusRestClient,
)
from ..const import DOMAIN, LOGGER
from ..data import RhombusConfigEntry

# Slow on purpose: nothing changes until someone edits the role in Rhombus.
FORBIDDEN_RETRY_SECONDS = 300
LEARN_MORE_URL = "https://github.com/rhombus-ha/rhombus#troubleshooting"


class StreamAccess:
    """Reauth for a bad key; a repair issue and slow retries for a missing right."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        rest: RhombusRestClient,
        stream: RhombusEventStream,
        start_stream: Callable[[], None],
    ) -> None:
        """``start_stream`` starts the (stopped) stream again."""
        self._hass = hass
        self._entry = entry
        self._rest = rest
        self._stream = stream
        self._start_stream = start_stream
        self.issue_id = f"stream_forbidden_{entry.entry_id}"
        self.forbidden = False
        self._retry: CALLBACK_TYPE | None = None
        self._task: asyncio.Task[None] | None = None

    @callback
    def refused(self) -> None:
        """The stream ended in AUTH_FAILED: find out whether the key or its role."""
        error = self._stream.auth_error
        if error is not None and error.status == HTTPStatus.UNAUTHORIZED:
            self._entry.async_start_reauth(self._hass)
            return
        self._run(self._check_rest(), "key check")

    @callback
    def connected(self) -> None:
        """The stream is up: whatever was wrong is fixed."""
        if self.forbidden:
            self.forbidden = False
            ir.async_delete_issue(self._hass, DOMAIN, self.issue_id)
            LOGGER.info("The Rhombus event stream accepts the API key again")

    async def async_stop(self) -> None:
        """Cancel the retry and the check; drop the issue with the entry."""
        if self._retry is not None:
            self._retry()
            self._retry = None
        if (task := self._task) is not None:
            self._task = None
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        ir.async_delete_issue(self._hass, DOMAIN, self.issue_id)

    async def _check_rest(self) -> None:
        try:
            await self._rest.get_org()
        except RhombusAuthError:
            self._entry.async_start_reauth(self._hass)  # the key itself is bad
            return
        except RhombusError as err:
            # REST is down too: nothing tells key from role; just try later.
            LOGGER.debug("Could not check the API key over REST: %s", err)
        else:
            self._report_forbidden()
        self._retry = async_call_later(
            self._hass, FORBIDDEN_RETRY_SECONDS, self._retry_stream
        )

    def _report_forbidden(self) -> None:
        if not self.forbidden:
            LOGGER.warning(
                "The Rhombus API key works, but its role may not use the event "
                "stream; retrying every %d minutes",
                FORBIDDEN_RETRY_SECONDS // 60,
            )
        self.forbidden = True
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            self.issue_id,
            translation_key="stream_forbidden",
            translation_placeholders={"name": self._entry.title},
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            learn_more_url=LEARN_MORE_URL,
        )

    @callback
    def _retry_stream(self, _now: datetime) -> None:
        self._retry = None
        self._run(self._restart(), "stream retry")

    def _run(self, coro: Coroutine[Any, Any, None], what: str) -> None:
        self._task = self._entry.async_create_background_task(
            self._hass, coro, f"{DOMAIN} {what} {self._entry.entry_id}"
        )

    async def _restart(self) -> None:
        # The loop ended in AUTH_FAILED; stop() resets it so start() runs anew.
        await self._stream.stop()
        self._start_stream()
