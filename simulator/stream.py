"""The event stream at ``GET /websocket``: handshake auth, sessions, broadcast.

Auth happens at the HTTP upgrade (``x-auth-scheme=api-token`` as a query parameter or
header, key in the ``x-auth-apikey`` header); a failure is a plain HTTP error before the
upgrade. Message ids are one increasing counter across all sessions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib

from aiohttp import WSCloseCode, web

from .faults import FaultPlan, error_response
from .frames import ReceivedFrame, encode_frame
from .rest import is_authorised
from .session import StompSession
from .world import World

CLOSE_TIMEOUT = 1.0  # seconds to wait for the client's close reply


class StreamHub:
    """Every live session, the broadcast path and the stream counters."""

    def __init__(self, world: World, faults: FaultPlan, *, heartbeat_ms: int) -> None:
        """Bind to shared simulator state."""
        self.world = world
        self.faults = faults
        self.heartbeat_ms = heartbeat_ms
        self.sessions: set[StompSession] = set()
        self.received_frames: list[ReceivedFrame] = []
        self.client_heartbeats = 0
        self.connections_opened = 0
        self.subscriptions_total = 0
        self._changed = asyncio.Condition()  # sessions or subscriptions changed
        self._message_id = 0
        self._epoch = 1
        self._session_count = 0

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Authenticate the upgrade, then run one STOMP session."""
        if self.faults.handshake_status is not None:
            return error_response(self.faults.handshake_status)
        headers = request.headers
        scheme = request.query.get("x-auth-scheme") or headers.get("x-auth-scheme")
        if not is_authorised(headers, scheme, self.world.api_keys):
            return error_response(401)
        ws = web.WebSocketResponse(autoping=False, timeout=CLOSE_TIMEOUT)
        await ws.prepare(request)
        session = StompSession(self, ws, request, headers["x-auth-apikey"])
        self.connections_opened += 1
        await self._update(lambda: self.sessions.add(session))
        try:
            await session.run()
        finally:
            await self._update(lambda: self.sessions.discard(session))
        return ws

    @property
    def subscribed(self) -> list[StompSession]:
        """Sessions that should receive org events right now."""
        return [s for s in self.sessions if s.subscriptions and s.authorised]

    def new_session_id(self) -> str:
        """Return a fresh session id; the epoch changes on a simulated restart."""
        self._session_count += 1
        return f"sim-{self._epoch}-{self._session_count}"

    async def note_subscription(self) -> None:
        """Count an accepted SUBSCRIBE and wake waiters."""

        def count() -> None:
            self.subscriptions_total += 1

        await self._update(count)

    async def wait_for(self, predicate: Callable[[], bool], seconds: float) -> None:
        """Wait until ``predicate`` holds after a session or subscription change."""
        async with asyncio.timeout(seconds), self._changed:
            await self._changed.wait_for(predicate)

    async def _update(self, change: Callable[[], object]) -> None:
        async with self._changed:
            change()
            self._changed.notify_all()

    async def broadcast(self, body: str) -> int:
        """Send a MESSAGE per subscription; return how many were sent."""
        length = str(len(body.encode()))
        sent = 0
        for session in self.subscribed:
            for sub_id, destination in list(session.subscriptions.items()):
                self._message_id += 1
                headers = [
                    ("destination", destination),
                    ("subscription", sub_id),
                    ("message-id", str(self._message_id)),
                    ("content-type", "application/json"),
                    ("content-length", length),
                ]
                sent += await session.send(encode_frame("MESSAGE", headers, body))
        return sent

    async def send_raw(self, text: str) -> int:
        """Send a raw text message to every subscribed session."""
        return sum([await s.send(text) for s in self.subscribed])

    async def send_bytes(self, data: bytes) -> int:
        """Send a binary message to every subscribed session."""
        return sum([await s.send_bytes(data) for s in self.subscribed])

    async def fail_all(self, message: str) -> None:
        """Send ERROR to every session and close it."""
        await asyncio.gather(*(s.fail(message) for s in list(self.sessions)))
        await self._settle()

    async def close_all(self, code: int) -> None:
        """Close every socket cleanly with a WebSocket close ``code``."""
        await asyncio.gather(*(s.close(code) for s in list(self.sessions)))
        await self._settle()

    async def drop_all(self) -> None:
        """Abort every TCP connection and let the handlers finish."""
        for session in list(self.sessions):
            session.abort()
        await self._settle()

    async def restart(self) -> None:
        """Simulate a server restart: close all (1012), new session-id epoch."""
        self._epoch += 1
        await self.close_all(WSCloseCode.SERVICE_RESTART)

    async def _settle(self) -> None:
        # Let closed handlers notice and unregister, so counters are exact on return.
        with contextlib.suppress(TimeoutError):
            await self.wait_for(lambda: not self.sessions, 2 * CLOSE_TIMEOUT)
