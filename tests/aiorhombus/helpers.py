"""Helpers of the protocol client's loopback tests: a scripted server, waiting."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
import contextlib
from dataclasses import dataclass, field
import socket
import time

from aiohttp import web
import pytest

# Recognisable, so a leak into a log line, message or repr is easy to spot.
KEY = "KEY-SECRET-123"


type RestScript = Callable[[web.Request], Awaitable[web.StreamResponse]]


type WsScript = Callable[[web.WebSocketResponse], Awaitable[None]]


async def wait_for(
    predicate: Callable[[], object],
    timeout: float = 5.0,  # noqa: ASYNC109 - a polling helper, not a wrapper
) -> None:
    """Poll ``predicate`` until it is truthy; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        await asyncio.sleep(0.005)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@dataclass
class ScriptedCloud:
    """A loopback server whose REST and WebSocket answers each test scripts.

    It stands in for a Rhombus cloud misbehaving in ways the simulator cannot:
    non-JSON REST bodies, odd headers, odd STOMP handshakes.
    """

    rest: RestScript | None = None
    ws: WsScript | None = None
    url: str = ""
    ws_requests: list[web.Request] = field(default_factory=list)

    @property
    def websocket_url(self) -> str:
        """The event stream URL, with the query the real cloud expects."""
        return f"ws{self.url[4:]}/websocket?x-auth-scheme=api-token"

    async def handle_rest(self, request: web.Request) -> web.StreamResponse:
        """Answer with the test's script."""
        assert self.rest is not None
        return await self.rest(request)

    async def handle_ws(self, request: web.Request) -> web.StreamResponse:
        """Upgrade, run the test's script, then close."""
        self.ws_requests.append(request)
        ws = web.WebSocketResponse(timeout=1.0)
        await ws.prepare(request)
        assert self.ws is not None
        await self.ws(ws)
        await ws.close()
        return ws


@contextlib.asynccontextmanager
async def serve(app: web.Application) -> AsyncGenerator[str]:
    """Run ``app`` on a free loopback port; yield its base URL."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()
