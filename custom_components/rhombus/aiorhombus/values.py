"""Cloud values believed only within bounds: device uuids and timestamps.

- `device_uuid`: the spec's ``DeviceFacetUuid`` is ``<device>.<facet>`` (e.g.
  ``<camera>.v0`` on saved clips); comparisons use the device part only.
- `timestamp_in_range`: list calls' times outside 2000-01-01 .. now + 1 day
  are not believed (one absurd value must not break a folder or freeze an image).
"""

from __future__ import annotations

import logging
import time
from typing import Any

EARLIEST_MS = 946_684_800_000  # 2000-01-01T00:00:00Z
FUTURE_SLACK_MS = 86_400_000


def device_uuid(value: Any) -> str | None:
    """A device uuid without its facet (``<camera>.v0`` → ``<camera>``)."""
    if not isinstance(value, str):
        return None
    return value.partition(".")[0] or None


def timestamp_in_range(ms: int | None, now_ms: int | None = None) -> bool:
    """Whether ``ms`` lies between 2000-01-01 and a day from now."""
    if ms is None:
        return False
    if now_ms is None:
        now_ms = int(time.time() * 1000)
    return EARLIEST_MS <= ms <= now_ms + FUTURE_SLACK_MS


class OutOfRangeLog:
    """Says once (at warning) that items were skipped for their time; then debug."""

    def __init__(self, logger: logging.Logger, what: str) -> None:
        """``what`` names the items, e.g. "alerts"."""
        self._logger = logger
        self._what = what
        self._said = False

    def skipped(self, count: int) -> None:
        """Report ``count`` items left out of one list."""
        if count <= 0:
            return
        level = logging.DEBUG if self._said else logging.WARNING
        self._said = True
        self._logger.log(
            level,
            "Skipped %d %s dated before 2000 or more than a day ahead",
            count,
            self._what,
        )
