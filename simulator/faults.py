"""Injected REST faults and the handshake/stall switches.

A REST fault matches one path (or every path), fires ``times`` times (``times < 1``:
until `FaultPlan.clear`), and either answers with an HTTP error, an in-band
``{"error": true}`` body, or holds the request until the simulator stops or the faults
are cleared (a "timeout": longer than any sane client timeout).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from http import HTTPStatus
import math
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from .stream import StreamHub

RATE_LIMIT_BODY = "Too many api requests. Enhance your calm."
_STATUS_BODIES = {
    401: "Unauthenticated",
    403: "Invalid API Key",
    429: RATE_LIMIT_BODY,
}


@dataclass(slots=True)
class RestFault:
    """One armed REST fault (see the module docstring)."""

    path: str | None
    status: int | None
    times: int
    retry_after: float | None
    timeout: bool
    error_body: str | None
    prefix: bool = False  # media faults match every path under ``path``

    def matches(self, path: str) -> bool:
        """Whether this fault applies to a request for ``path``."""
        if self.path is None or self.path == path:
            return True
        return self.prefix and path.startswith(self.path)


def retry_after_value(seconds: float) -> str:
    """Format Retry-After: whole seconds as an int, else a decimal (fast tests)."""
    if seconds == math.floor(seconds):
        return str(int(seconds))
    return f"{seconds:g}"


def error_response(status: int, retry_after: float | None = None) -> web.Response:
    """Build the plain-text error response Rhombus sends for ``status``."""
    if status == 429 and retry_after is None:
        retry_after = 1
    headers = (
        {} if retry_after is None else {"Retry-After": retry_after_value(retry_after)}
    )
    try:
        default = HTTPStatus(status).phrase
    except ValueError:
        default = "Error"
    text = _STATUS_BODIES.get(status, default)
    return web.Response(status=status, text=text, headers=headers)


class FaultPlan:
    """Every fault switch of one simulator."""

    def __init__(self) -> None:
        """Start with no faults armed."""
        self.rest_faults: list[RestFault] = []
        self.media_faults: list[RestFault] = []
        self.handshake_status: int | None = None
        self.stalled = False  # silent: no frames, heart-beats or pongs
        self.stomp_stalled = False  # hung STOMP: pongs still answered
        # CONNECTED's heart-beat header, if set (beats keep the real rate).
        self.heartbeat_header: str | None = None
        self._release = asyncio.Event()

    def add_rest_fault(self, fault: RestFault) -> None:
        """Arm a REST fault; earlier faults fire first."""
        self.rest_faults.append(fault)

    def add_media_fault(
        self, prefix: str | None, status: int, times: int, *, timeout: bool
    ) -> None:
        """Arm a media fault for paths under ``prefix`` (None: every media path)."""
        fault = RestFault(prefix, status, times, None, timeout, None, prefix=True)
        self.media_faults.append(fault)

    def take_rest_fault(self, path: str) -> RestFault | None:
        """Return (and use up one shot of) the first fault matching ``path``."""
        return _take(self.rest_faults, path)

    def take_media_fault(self, path: str) -> RestFault | None:
        """The same for a media path."""
        return _take(self.media_faults, path)

    async def hold(self) -> web.Response:
        """Hold a request until `release_held` runs, then answer 503."""
        await self._release.wait()
        return error_response(503)

    def release_held(self) -> None:
        """End every held request now (and arm a fresh gate for later ones)."""
        self._release.set()
        self._release = asyncio.Event()

    def clear(self) -> None:
        """Disarm everything: REST/media faults, handshake rejection, stall, holds."""
        self.rest_faults.clear()
        self.media_faults.clear()
        self.handshake_status = None
        self.stalled = False
        self.stomp_stalled = False
        self.heartbeat_header = None
        self.release_held()


def _take(faults: list[RestFault], path: str) -> RestFault | None:
    for fault in faults:
        if fault.matches(path):
            if fault.times >= 1:
                fault.times -= 1
                if fault.times == 0:
                    faults.remove(fault)
            return fault
    return None


class FaultControls:
    """The fault half of `RhombusSimulator`'s API (every fault is one call)."""

    faults: FaultPlan
    _hub: StreamHub

    @property
    def handshake_status(self) -> int | None:
        """If set, every new WebSocket handshake is refused with this status."""
        return self.faults.handshake_status

    @handshake_status.setter
    def handshake_status(self, status: int | None) -> None:
        self.faults.handshake_status = status

    async def drop_connections(self) -> None:
        """Abort every socket's TCP connection: no DISCONNECT, ERROR or close."""
        await self._hub.drop_all()

    def set_stalled(self, stalled: bool) -> None:  # noqa: FBT001 - the agreed API
        """The silent fault: stop (or resume) sending anything at all.

        Sockets stay open; not even WebSocket pongs go out (a half-open TCP link).
        """
        self.faults.stalled = stalled

    def set_stomp_stalled(self, stalled: bool) -> None:  # noqa: FBT001 - as above
        """The pong-answering stall: STOMP goes silent, WebSocket pings get pongs.

        A broker whose STOMP session hung behind a proxy that still answers
        pings; only STOMP heart-beats can tell it from a quiet, healthy stream.
        """
        self.faults.stomp_stalled = stalled

    def set_heartbeat_header(self, value: str | None) -> None:
        """Advertise ``value`` as CONNECTED's heart-beat (None: the real one).

        Heart-beats still go out at the configured rate: a server that claims
        absurd timings (``"999999999999,999999999999"``) but works.
        """
        self.faults.heartbeat_header = value

    async def send_error_and_close(self, message: str = "Server error") -> None:
        """Send a STOMP ERROR to every socket, then close it."""
        await self._hub.fail_all(message)

    async def restart_session(self) -> None:
        """Close every socket (code 1012); reconnects get new session ids."""
        await self._hub.restart()

    def fail_rest(
        self,
        path: str | None,
        *,
        status: int | None = 500,
        times: int = 1,
        retry_after: float | None = None,
        timeout: bool = False,
        error_body: str | None = None,
    ) -> None:
        """Arm a REST fault for ``path`` (None: every path); see `faults`."""
        fault = RestFault(path, status, times, retry_after, timeout, error_body)
        self.faults.add_rest_fault(fault)

    def clear_faults(self) -> None:
        """Disarm every fault and release held requests."""
        self.faults.clear()
