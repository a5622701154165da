"""The details call of an incomplete alert: a few at a time, within the org's budget.

A sparse alert (no triggers or device) and an identity alert whose message
lacks the names are completed with one ``getPolicyAlertDetails`` call each.
At most :data:`DETAILS_CONCURRENCY` run at once, none while the org is rate
limited (the camera list's gate: Rhombus limits the whole organisation), and
a 429 here quiets the lists too. Beyond :data:`DETAILS_WAITING` waiting, an
alert is delivered as it came: a flood must not queue for ever.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

from ..aiorhombus import RhombusError, RhombusRateLimitError, RhombusRestClient
from ..const import LOGGER
from ..rate_limit import RateLimitGate

DETAILS_CONCURRENCY: Final = 4
DETAILS_WAITING: Final = 64


class DetailsFetcher:
    """Fetches alert details for the hub; every failure is None, never raised."""

    def __init__(self, rest: RhombusRestClient, gate: RateLimitGate) -> None:
        """Share the org's rate-limit gate."""
        self._rest = rest
        self._gate = gate
        self._running = asyncio.Semaphore(DETAILS_CONCURRENCY)
        self._waiting = 0

    async def fetch(self, uuid: str) -> dict[str, Any] | None:
        """The alert's details, or None (refused, failed, rate limited, flooded)."""
        if self._waiting >= DETAILS_WAITING:
            return None
        self._waiting += 1
        try:
            async with self._running:
                if self._gate.remaining():
                    return None
                return await self._rest.get_policy_alert_details(uuid)
        except RhombusRateLimitError as err:
            self._gate.close_for(err.retry_after)
            LOGGER.debug("Alert details rate limited: %s", err)
        except RhombusError as err:
            LOGGER.debug("Alert details unavailable: %s", err)
        finally:
            self._waiting -= 1
        return None
