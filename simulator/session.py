"""One STOMP 1.2 session on one WebSocket: handshake, subscriptions, heart-beats.

Client frames are handled in order; a protocol violation gets an ``ERROR`` frame (header
``message``) and the socket is closed, as STOMP 1.2 requires. While the fault plan says
"stalled", nothing goes out: no frames, no heart-beats, no WebSocket pongs (autoping is
off for exactly this), so the socket looks like a half-open TCP connection. While it
says "STOMP stalled", frames and heart-beats stop but pings still get their pongs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
import logging
from typing import TYPE_CHECKING

from aiohttp import WSCloseCode, WSMsgType, web

from .frames import FrameError, ReceivedFrame, encode_frame, parse_frames

if TYPE_CHECKING:
    from .stream import StreamHub

_LOGGER = logging.getLogger(__name__)

SERVER_NAME = "rhombus-simulator/1.0"
_IGNORED_COMMANDS = frozenset({"ACK", "NACK"})


class StompSession:
    """One WebSocket connection and its STOMP state."""

    def __init__(
        self, hub: StreamHub, ws: web.WebSocketResponse, request: web.Request, key: str
    ) -> None:
        """Wrap a prepared WebSocket; the API key is kept only for re-checks."""
        self.hub = hub
        self.ws = ws
        self._request = request
        self._api_key = key
        self.session_id = ""
        self.connected = False
        self.subscriptions: dict[str, str] = {}  # subscription id -> destination
        self._heartbeat: asyncio.Task[None] | None = None
        self._handlers: dict[str, Callable[[ReceivedFrame], Awaitable[bool]]] = {
            "SUBSCRIBE": self._subscribe,
            "UNSUBSCRIBE": self._unsubscribe,
            "DISCONNECT": self._disconnect,
        }

    @property
    def authorised(self) -> bool:
        """Whether the key this socket opened with is still valid."""
        return self._api_key in self.hub.world.api_keys

    async def run(self) -> None:
        """Read client messages until the socket closes or a frame ends it."""
        try:
            async for msg in self.ws:
                if msg.type is WSMsgType.TEXT:
                    keep_going = await self._on_text(msg.data)
                elif msg.type is WSMsgType.PING:
                    if not self.hub.faults.stalled:
                        await self.ws.pong(msg.data)
                    keep_going = True
                elif msg.type is WSMsgType.BINARY:
                    await self.fail("Binary frames are not supported")
                    keep_going = False
                else:  # PONG is harmless; ERROR ends the loop anyway
                    keep_going = msg.type is WSMsgType.PONG
                if not keep_going:
                    break
        finally:
            await self.stop_heartbeat()

    async def send(self, text: str) -> bool:
        """Send one text message unless stalled or closed; report success."""
        faults = self.hub.faults
        if faults.stalled or faults.stomp_stalled or self.ws.closed:
            return False
        try:
            await self.ws.send_str(text)
        except (ConnectionError, RuntimeError):
            return False
        return True

    async def send_bytes(self, data: bytes) -> bool:
        """Send one binary message unless stalled or closed."""
        faults = self.hub.faults
        if faults.stalled or faults.stomp_stalled or self.ws.closed:
            return False
        try:
            await self.ws.send_bytes(data)
        except (ConnectionError, RuntimeError):
            return False
        return True

    async def fail(self, message: str) -> None:
        """Send a STOMP ERROR frame and close the socket."""
        _LOGGER.debug("Session %s error: %s", self.session_id or "-", message)
        body = f"{message}\n"
        headers = [
            ("message", message),
            ("content-type", "text/plain"),
            ("content-length", str(len(body.encode()))),
        ]
        await self.send(encode_frame("ERROR", headers, body))
        await self.close()

    async def close(self, code: int = WSCloseCode.OK) -> None:
        """Close the WebSocket cleanly (bounded by the response's close timeout)."""
        await self.stop_heartbeat()
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.ws.close(code=code)

    def abort(self) -> None:
        """Drop the TCP connection: no STOMP frame, no WebSocket close."""
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        if self._request.transport is not None:
            self._request.transport.abort()

    async def stop_heartbeat(self) -> None:
        """Cancel the heart-beat task and wait until it is gone."""
        task, self._heartbeat = self._heartbeat, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            await asyncio.wait([task])

    async def _on_text(self, text: str) -> bool:
        try:
            frames, heartbeats = parse_frames(text)
        except FrameError as err:
            await self.fail(f"Malformed frame: {err}")
            return False
        self.hub.client_heartbeats += heartbeats
        for frame in frames:
            self.hub.received_frames.append(frame)
            if not await self._dispatch(frame):
                return False
        return True

    async def _dispatch(self, frame: ReceivedFrame) -> bool:
        command = frame.command
        if command in ("CONNECT", "STOMP"):
            if not self.connected:
                return await self._connect(frame)
            error = "Already connected"
        elif not self.connected:
            error = f"Expected CONNECT, got {command}"
        elif command in self._handlers:
            return await self._handlers[command](frame)
        elif command in _IGNORED_COMMANDS:
            return True
        else:
            error = f"{command} is not supported"
        await self.fail(error)
        return False

    async def _connect(self, frame: ReceivedFrame) -> bool:
        versions = frame.headers.get("accept-version", "1.0").split(",")
        if "1.2" not in (version.strip() for version in versions):
            await self.fail("Supported protocol versions are 1.2")
            return False
        try:
            _client_tx, client_rx = _heart_beat(frame.headers.get("heart-beat", "0,0"))
        except ValueError:
            await self.fail("Invalid heart-beat header")
            return False
        hub = self.hub
        self.connected = True
        self.session_id = hub.new_session_id()
        server_ms = hub.heartbeat_ms
        headers = [
            ("version", "1.2"),
            ("heart-beat", hub.faults.heartbeat_header or f"{server_ms},{server_ms}"),
            ("server", SERVER_NAME),
            ("session", self.session_id),
        ]
        await self.send(encode_frame("CONNECTED", headers))
        # Client-to-server beats are only counted, never enforced.
        if server_ms and client_rx:
            interval = max(server_ms, client_rx) / 1000
            self._heartbeat = asyncio.create_task(self._beat(interval))
        return True

    async def _subscribe(self, frame: ReceivedFrame) -> bool:
        sub_id = frame.headers.get("id")
        destination = frame.headers.get("destination")
        if not sub_id or not destination:
            await self.fail("SUBSCRIBE needs id and destination headers")
            return False
        if destination != self.hub.world.topic:
            await self.fail(f"Access denied to destination {destination}")
            return False
        self.subscriptions[sub_id] = destination
        await self.hub.note_subscription()
        return True

    async def _unsubscribe(self, frame: ReceivedFrame) -> bool:
        if "id" not in frame.headers:
            await self.fail("UNSUBSCRIBE needs an id header")
            return False
        self.subscriptions.pop(frame.headers["id"], None)
        return True

    async def _disconnect(self, frame: ReceivedFrame) -> bool:
        receipt = frame.headers.get("receipt")
        if receipt is not None:
            await self.send(encode_frame("RECEIPT", [("receipt-id", receipt)]))
        await self.close()
        return False

    async def _beat(self, interval: float) -> None:
        while not self.ws.closed:
            await asyncio.sleep(interval)
            await self.send("\n")


def _heart_beat(value: str) -> tuple[int, int]:
    tx_text, sep, rx_text = value.partition(",")
    if not sep or not tx_text.strip().isdigit() or not rx_text.strip().isdigit():
        raise ValueError(value)
    return int(tx_text), int(rx_text)
