"""Fetch the alerts a dropped stream missed, with bounded retries."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from .backoff import Backoff
from .exceptions import RhombusConnectionError, RhombusRateLimitError
from .rest import RhombusRestClient

_LOGGER = logging.getLogger(__name__)

# Rhombus timestamps come from its clock, the outage start from ours.
CATCHUP_OVERLAP_MS = 120_000
ATTEMPTS = 4


async def fetch_missed_alerts(
    rest: RhombusRestClient, since_ms: int, *, backoff: Backoff | None = None
) -> list[dict[str, Any]]:
    """Alerts since ``since_ms`` less an overlap, oldest first.

    A rate limit waits for Retry-After, a 5xx or timeout backs off, both at
    most ``ATTEMPTS`` times; an auth error is raised at once (retrying a
    revoked key helps nobody). The overlap makes duplicates, which the
    caller drops by alert uuid.
    """
    backoff = backoff or Backoff()
    attempt = 0
    while True:
        attempt += 1
        try:
            return await rest.get_policy_alerts_since(since_ms - CATCHUP_OVERLAP_MS)
        except RhombusRateLimitError as err:
            if attempt >= ATTEMPTS:
                raise
            error: RhombusConnectionError = err
            delay = err.retry_after
            if delay is None:
                delay = backoff.next_delay()
        except RhombusConnectionError as err:
            if attempt >= ATTEMPTS:
                raise
            error, delay = err, backoff.next_delay()
        _LOGGER.debug("Catch-up failed (%s); retrying in %.1f s", error, delay)
        await asyncio.sleep(delay)
