"""Whether the event stream counts as up, as the entities it feeds see it.

A short outage (a reconnect) does not make entities flap: they become
unavailable only after a grace period without a connection. A reconnect tells
listeners too, so detection sensors can drop an "on" whose end was missed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later

from ..aiorhombus import StreamState
from ..const import STREAM_GRACE_SECONDS


class StreamAvailability:
    """Tracks one stream's availability with a grace period."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start available: setup has just checked the account over REST."""
        self._hass = hass
        self.available = True
        self.state = StreamState.DISCONNECTED
        self._ever_connected = False
        self._grace: CALLBACK_TYPE | None = None
        self._listeners: list[Callable[[bool], None]] = []
        self._state_listeners: list[Callable[[StreamState], None]] = []

    @callback
    def async_subscribe_availability(self, cb: Callable[[bool], None]) -> CALLBACK_TYPE:
        """Call ``cb(reconnected)`` when availability changes or the stream returns."""
        self._listeners.append(cb)
        return lambda: self._listeners.remove(cb)

    @callback
    def async_subscribe_stream_state(
        self, cb: Callable[[StreamState], None]
    ) -> CALLBACK_TYPE:
        """Call ``cb(state)`` at every change of the stream's state, at once."""
        self._state_listeners.append(cb)
        return lambda: self._state_listeners.remove(cb)

    @callback
    def starting(self) -> None:
        """The stream starts: unavailable if it is not up within the grace."""
        self._arm_grace()

    @callback
    def follow(self, state: StreamState) -> bool:
        """Take the stream's new state; return whether it is a reconnect.

        The first connect is not a reconnect: nothing was missed before it.
        """
        self.state = state
        for listener in list(self._state_listeners):
            listener(state)
        if state is StreamState.CONNECTED:
            self.cancel()
            reconnected = self._ever_connected
            self._ever_connected = True
            self._set(available=True, reconnected=reconnected)
            return reconnected
        if state is StreamState.AUTH_FAILED:
            self.cancel()
            self._set(available=False)
        elif (
            state is StreamState.DISCONNECTED and self._grace is None and self.available
        ):
            self._arm_grace()
        return False

    @callback
    def cancel(self) -> None:
        """Drop the grace timer (on connect and at unload)."""
        if self._grace is not None:
            self._grace()
            self._grace = None

    def _arm_grace(self) -> None:
        self.cancel()
        self._grace = async_call_later(
            self._hass, STREAM_GRACE_SECONDS, self._grace_over
        )

    @callback
    def _grace_over(self, _now: datetime) -> None:
        self._grace = None
        if self.state is not StreamState.CONNECTED:
            self._set(available=False)

    def _set(self, *, available: bool, reconnected: bool = False) -> None:
        if available == self.available and not reconnected:
            return
        self.available = available
        for listener in list(self._listeners):
            listener(reconnected)
