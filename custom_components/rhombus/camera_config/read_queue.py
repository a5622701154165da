"""Background reads, one at a time, a few a second, quiet while rate limited.

A thousand cameras' config reads at setup must not spend the org's request
budget (shared by every key and by the camera and site lists): reads queue by
key (a key queued twice is read once) and go out `READ_INTERVAL` apart; while
the org's `RateLimitGate` is closed nothing goes out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from homeassistant.core import HomeAssistant

from ..aiorhombus import RhombusError, RhombusRateLimitError
from ..const import DOMAIN, LOGGER
from ..data import RhombusConfigEntry
from ..rate_limit import RateLimitGate

# Seconds between two background reads: at most four a second.
READ_INTERVAL = 0.25

type Read = Callable[[], Awaitable[None]]


class ReadQueue:
    """Ordered, de-duplicated reads run by one background task."""

    def __init__(
        self, hass: HomeAssistant, entry: RhombusConfigEntry, gate: RateLimitGate
    ) -> None:
        """Nothing runs until the first `request`."""
        self._hass = hass
        self._entry = entry
        self._gate = gate
        self._pending: dict[str, Read] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._busy = False
        self._last = 0.0

    def request(self, key: str, read: Read) -> None:
        """Read soon; a key already waiting keeps its place."""
        self._pending.setdefault(key, read)
        self._wake.set()
        if self._task is None:
            self._task = self._entry.async_create_background_task(
                self._hass, self._run(), f"{DOMAIN} config reads"
            )

    def cancel(self, prefix: str) -> None:
        """Drop waiting reads whose key starts with ``prefix``."""
        for key in [key for key in self._pending if key.startswith(prefix)]:
            del self._pending[key]

    @property
    def idle(self) -> bool:
        """Nothing waiting and nothing being read (tests wait for this)."""
        return not self._pending and not self._busy

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            while self._pending:
                since = asyncio.get_running_loop().time() - self._last
                wait = max(self._gate.remaining(), READ_INTERVAL - since)
                if wait > 0:
                    await asyncio.sleep(wait)
                    continue
                key = next(iter(self._pending))
                read = self._pending.pop(key)
                self._busy = True
                try:
                    await read()
                except RhombusRateLimitError as err:
                    self._pending.setdefault(key, read)  # again after the quiet
                    self._gate.close_for(err.retry_after)
                except RhombusError as err:
                    LOGGER.debug("Background read %s failed: %s", key, err)
                except Exception:  # noqa: BLE001 - one bad read must not end the queue
                    LOGGER.exception("Background read %s failed unexpectedly", key)
                finally:
                    self._busy = False
                    self._last = asyncio.get_running_loop().time()
            self._wake.clear()
