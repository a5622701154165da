"""The Rhombus event stream: STOMP 1.2 over a WebSocket, kept alive.

One stream per organisation. It connects, subscribes to the org's change topic,
hands every MESSAGE to ``on_event`` as a :class:`ChangeEvent`, and reconnects
with backoff when the socket drops or goes silent. An authentication rejection
ends the loop in ``AUTH_FAILED``: retrying a revoked key only fills logs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
import logging
import time
from typing import Any

import aiohttp

from . import stomp
from .backoff import Backoff
from .const import (
    AUTH_SCHEME,
    HANDSHAKE_TIMEOUT,
    HEADER_API_KEY,
    HEADER_AUTH_SCHEME,
    HEARTBEAT_MS,
    MAX_FRAME_BYTES,
    SUBSCRIPTION_ID,
    TOPIC_PREFIX,
)
from .decoder import MessageDecoder, StreamStats
from .exceptions import RhombusAuthError, RhombusConnectionError, RhombusProtocolError
from .models import ChangeEvent, StreamState
from .watchdog import StallGuard, send_every_while_open

_LOGGER = logging.getLogger(__name__)

# A connection that stayed up this long was healthy: the next drop retries fast
# (as after one that subscribed and delivered a message, whatever its age).
STABLE_AFTER = 60.0
# Our WebSocket ping: a second guard, and the only one when the server grants
# no STOMP heart-beats. (aiohttp's own heartbeat= is not used: aiohttp 3.14
# can leave its timer armed after the socket closed.)
WS_PING_INTERVAL = 30.0
# Closing politely must not hold up Home Assistant's shutdown.
WS_CLOSE_TIMEOUT = 2.0

type TaskFactory = Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]]


class RhombusEventStream:
    """Owns one supervised WebSocket connection and its reconnect loop."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_key: str,
        websocket_url: str,
        org_uuid: str,
        *,
        on_event: Callable[[ChangeEvent], None],
        on_state: Callable[[StreamState], None] | None = None,
        heartbeat_ms: int = HEARTBEAT_MS,
        backoff: Backoff | None = None,
        stall_factor: float = 2.0,
    ) -> None:
        """Prepare the stream; nothing connects before :meth:`start`."""
        self._session = session
        self._headers = {HEADER_API_KEY: api_key, HEADER_AUTH_SCHEME: AUTH_SCHEME}
        self._url = websocket_url
        self._topic = TOPIC_PREFIX + org_uuid
        self._on_event = on_event
        self._on_state = on_state
        self._heartbeat_ms = heartbeat_ms
        self._backoff = backoff or Backoff()
        self._stall_factor = stall_factor
        self._state = StreamState.DISCONNECTED
        self._task: asyncio.Task[None] | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._stopping = asyncio.Event()
        self._was_lost = False
        self._said_capped = False
        self.stats = StreamStats()
        # Why the stream ended in AUTH_FAILED (its status tells 401 from 403).
        self.auth_error: RhombusAuthError | None = None
        self._decoder = MessageDecoder(self.stats, on_event, _LOGGER)

    def __repr__(self) -> str:
        """Never show the key."""
        return f"RhombusEventStream({self._topic!r}, {self._state})"

    @property
    def state(self) -> StreamState:
        """The current state."""
        return self._state

    def start(self, create_task: TaskFactory | None = None) -> None:
        """Run the connection loop as a task (Home Assistant passes its own factory)."""
        if self._task is not None:
            return
        self._stopping.clear()
        factory = create_task or asyncio.get_running_loop().create_task
        self._task = factory(self._run())

    async def stop(self) -> None:
        """Say DISCONNECT, close the socket, end the loop; safe to call twice."""
        self._stopping.set()
        ws = self._ws
        if ws is not None and not ws.closed:
            if self._state is StreamState.CONNECTED:
                try:
                    await ws.send_str(stomp.encode(stomp.disconnect_frame()))
                except (aiohttp.ClientError, ConnectionError, RuntimeError):
                    _LOGGER.debug("DISCONNECT not sent: socket already closing")
            await ws.close()
        if (task := self._task) is not None:
            self._task = None
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                # Only swallow the cancel we asked for, not our caller's.
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise
        self._set_state(StreamState.STOPPED)

    def _set_state(self, state: StreamState) -> None:
        if state is self._state:
            return
        self._state = state
        if self._on_state is not None:
            self._on_state(state)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            self._set_state(StreamState.CONNECTING)
            try:
                await self._connect_and_listen()
            except RhombusAuthError as err:
                # Warn once; a caller retrying slowly (a missing permission)
                # must not repeat it every few minutes.
                level = logging.DEBUG if self.auth_error else logging.WARNING
                self.auth_error = err
                _LOGGER.log(level, "Rhombus event stream refused the API key: %s", err)
                self._set_state(StreamState.AUTH_FAILED)
                return
            except (
                RhombusConnectionError,
                RhombusProtocolError,
                aiohttp.ClientError,
                TimeoutError,
                ConnectionError,
            ) as err:
                self._note_loss(f"{type(err).__name__}: {err}")
            except Exception as err:
                # A bug here must not end the loop while the state says
                # CONNECTED: log it, then reconnect like any other loss.
                _LOGGER.exception("Unexpected error in the Rhombus event stream")
                self._note_loss(f"{type(err).__name__}: {err}")
            else:
                self._note_loss("closed by the server")
            finally:
                self._ws = None
            if self._stopping.is_set():
                return
            self._set_state(StreamState.DISCONNECTED)
            delay = self._backoff.next_delay()
            _LOGGER.debug("Reconnecting to the Rhombus event stream in %.1f s", delay)
            await asyncio.sleep(delay)

    def _note_loss(self, reason: str) -> None:
        """Warn once when a working stream is lost; retries stay at debug."""
        if self._stopping.is_set():
            return
        if self.stats.connected_since is not None:
            if time.time() - self.stats.connected_since >= STABLE_AFTER:
                self._backoff.reset()
            self.stats.connected_since = None
            self.stats.drops += 1
            if not self._was_lost:
                _LOGGER.warning("Rhombus event stream lost (%s); reconnecting", reason)
            self._was_lost = True
        elif not self._was_lost:
            # Never connected yet: say so once, then retry quietly.
            _LOGGER.warning(
                "Cannot connect to the Rhombus event stream (%s); retrying", reason
            )
            self._was_lost = True
        else:
            _LOGGER.debug("Rhombus event stream connect failed: %s", reason)

    async def _connect_and_listen(self) -> None:
        try:
            async with asyncio.timeout(HANDSHAKE_TIMEOUT):
                ws = await self._session.ws_connect(
                    self._url,
                    headers=self._headers,
                    autoping=False,
                    max_msg_size=MAX_FRAME_BYTES,
                    timeout=aiohttp.ClientWSTimeout(ws_close=WS_CLOSE_TIMEOUT),
                )
        except aiohttp.WSServerHandshakeError as err:
            if err.status in (401, 403):
                raise RhombusAuthError(
                    f"handshake rejected: HTTP {err.status}", err.status
                ) from err
            raise RhombusConnectionError(
                f"handshake failed: HTTP {err.status}"
            ) from err
        self._ws = ws
        async with ws:
            send_every, expect_within = await self._handshake(ws)
            loop = asyncio.get_running_loop()
            keepers = [loop.create_task(send_every_while_open(ws, WS_PING_INTERVAL))]
            if send_every:
                beats = send_every_while_open(ws, send_every, stomp.HEARTBEAT)
                keepers.append(loop.create_task(beats))
            # Silence longer than this is a dead connection: twice the server's
            # heart-beat, or two unanswered pings when it sends none.
            stall = (expect_within or WS_PING_INTERVAL) * self._stall_factor
            try:
                await self._listen(ws, stall, stomp_beats=bool(expect_within))
            finally:
                for keeper in keepers:
                    keeper.cancel()
                await asyncio.gather(*keepers, return_exceptions=True)

    async def _handshake(
        self, ws: aiohttp.ClientWebSocketResponse
    ) -> tuple[float, float]:
        await ws.send_str(stomp.encode(stomp.connect_frame(self._heartbeat_ms)))
        async with asyncio.timeout(HANDSHAKE_TIMEOUT):
            while True:
                msg = await ws.receive()
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    raise RhombusConnectionError(
                        f"closed before CONNECTED ({msg.type.name})"
                    )
                if not stomp.is_heartbeat(msg.data):
                    break
        frame = stomp.parse(msg.data)[0]
        if frame.command == "ERROR":
            message = frame.headers.get("message", "")
            text = (message + " " + frame.body).lower()
            auth = any(word in text for word in ("auth", "api key", "permission"))
            error = RhombusAuthError if auth else RhombusConnectionError
            raise error(f"STOMP ERROR: {message}")
        if frame.command != "CONNECTED":
            raise RhombusProtocolError(f"expected CONNECTED, got {frame.command}")
        beats = frame.headers.get("heart-beat")
        timing = stomp.negotiate_heartbeat(self._heartbeat_ms, beats)
        if not self._said_capped and stomp.heartbeat_capped(beats):
            self._said_capped = True
            _LOGGER.debug(
                "Rhombus asked for heart-beats of %s ms; using at most %d ms",
                beats,
                stomp.MAX_HEARTBEAT_MS,
            )
        await ws.send_str(
            stomp.encode(stomp.subscribe_frame(SUBSCRIPTION_ID, self._topic))
        )
        now = time.time()
        self.stats.connects += 1
        self.stats.connected_since = now
        self.stats.outage_began_at = self.stats.last_healthy_at
        self.stats.last_healthy_at = now
        if self._was_lost or self.auth_error:
            _LOGGER.info("Rhombus event stream reconnected")
            self._was_lost = False
        self.auth_error = None
        self._set_state(StreamState.CONNECTED)
        return timing

    async def _listen(
        self, ws: aiohttp.ClientWebSocketResponse, stall: float, *, stomp_beats: bool
    ) -> None:
        """Read until the socket ends; silence longer than ``stall`` is a stall.

        With STOMP heart-beats negotiated only STOMP data (frames, heart-beat
        EOLs) proves the session alive, as STOMP 1.2 defines it: a broker whose
        session hung behind a proxy that still answers WebSocket pings must be
        caught. Without them, pings and pongs are all there is.
        """
        clock = asyncio.get_running_loop().time
        stats = self.stats
        delivered = stats.messages  # until one more: not proven yet
        async with StallGuard(stall) as guard:
            while True:
                msg = await ws.receive()
                if msg.type is aiohttp.WSMsgType.TEXT:
                    guard.last = clock()
                    self._decoder.feed(msg.data)
                    if delivered >= 0 and stats.messages > delivered:
                        # Subscribed and delivering: a drop after this is
                        # not the outage going on, so retry from the start.
                        delivered = -1
                        self._backoff.reset()
                elif msg.type is aiohttp.WSMsgType.PING:
                    self._note_ws_alive(guard, clock(), stomp_beats=stomp_beats)
                    await ws.pong(msg.data)
                elif msg.type is aiohttp.WSMsgType.PONG:
                    self._note_ws_alive(guard, clock(), stomp_beats=stomp_beats)
                elif msg.type is aiohttp.WSMsgType.BINARY:
                    guard.last = clock()  # the STOMP peer talks, if oddly
                    self._decoder.skip("binary", "binary WebSocket message")
                elif msg.type is aiohttp.WSMsgType.ERROR:
                    raise RhombusConnectionError(f"socket error: {ws.exception()}")
                else:  # CLOSE, CLOSING, CLOSED
                    return

    def _note_ws_alive(
        self, guard: StallGuard, now: float, *, stomp_beats: bool
    ) -> None:
        """A WebSocket ping or pong: liveness only when STOMP has no heart-beats."""
        if not stomp_beats:
            guard.last = now
            self.stats.last_healthy_at = time.time()
