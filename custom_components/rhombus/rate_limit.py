"""One quiet period per organisation after Rhombus answers 429.

Rhombus's rate-limit budget is per organisation (every key shares it), and
requests made while limited are refused and do not reset the window: so a
429 on any list call (cameras or any site kind) silences them all.
"""

from __future__ import annotations

import time
from typing import Final

# Without a Retry-After, a 429 silences every kind this long.
DEFAULT_RATE_LIMIT_WAIT: Final = 60.0


class RateLimitGate:
    """One quiet period for the whole org: a 429 on any list call stops them all."""

    def __init__(self) -> None:
        """Open."""
        self._quiet_until = 0.0

    def remaining(self) -> float:
        """Seconds left of the quiet period (0 when calls may go out)."""
        return max(self._quiet_until - time.monotonic(), 0.0)

    def close_for(self, seconds: float | None) -> float:
        """Start (or extend) the quiet period; return its length."""
        wait = DEFAULT_RATE_LIMIT_WAIT if seconds is None else seconds
        self._quiet_until = max(self._quiet_until, time.monotonic() + wait)
        return wait
