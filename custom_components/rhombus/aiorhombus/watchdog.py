"""Detect a silent connection with one timer, not one timeout per message.

Entering a timeout around every WebSocket receive cost about as much as
parsing the message it returned. The guard instead keeps a single timer
armed at ``last + stall``: the reader only stamps ``last``, and when the
timer finds nothing newer it expires the scope, which cancels the reader.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self

import aiohttp

from .exceptions import RhombusConnectionError


async def send_every_while_open(
    ws: aiohttp.ClientWebSocketResponse, every: float, text: str | None = None
) -> None:
    """Keep the peer hearing from us: ``text`` (a heart-beat), else a ping."""
    while not ws.closed:
        await asyncio.sleep(every)
        if text is None:
            await ws.ping()
        else:
            await ws.send_str(text)


class StallGuard:
    """``async with`` scope that ends in RhombusConnectionError after silence."""

    _timer: asyncio.TimerHandle  # armed from __aenter__ on

    def __init__(self, stall: float) -> None:
        """Allow ``stall`` seconds between two stamps of :attr:`last`."""
        self.stall = stall
        self.last = 0.0
        self._scope = asyncio.timeout(None)

    async def __aenter__(self) -> Self:
        """Start the scope and arm the timer; stamp :attr:`last` on each frame."""
        loop = asyncio.get_running_loop()
        self.last = loop.time()
        await self._scope.__aenter__()
        self._timer = loop.call_at(self.last + self.stall, self._check)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Disarm; a silence that expired the scope becomes a connection error."""
        self._timer.cancel()
        try:
            await self._scope.__aexit__(exc_type, exc, tb)
        except TimeoutError as err:
            raise RhombusConnectionError(
                f"no data for {self.stall:.1f} s (stalled)"
            ) from err

    def _check(self) -> None:
        loop = asyncio.get_running_loop()
        due = self.last + self.stall
        if due <= loop.time():
            self._scope.reschedule(loop.time())  # expire now: cancels the reader
        else:
            self._timer = loop.call_at(due, self._check)
