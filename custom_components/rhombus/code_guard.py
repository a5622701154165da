"""Guessing a code (door code, alarm PIN): a few tries, then a wait that doubles.

The count is per account, whichever door or location is tried: after
``FREE_TRIES`` wrong codes in a row, every attempt is refused for
``FIRST_WAIT`` seconds, twice as long after each further wrong code, at most
``LONGEST_WAIT``; the right code starts the count again. Without it, a logged-
in user or a leaked token could try all 10,000 four-digit codes in seconds.
"""

from __future__ import annotations

import time
from typing import Final

FREE_TRIES: Final = 5
FIRST_WAIT: Final = 60.0
LONGEST_WAIT: Final = 3600.0


class CodeGuard:
    """Counts one account's wrong codes of one kind and says how long to refuse."""

    def __init__(self) -> None:
        """No wrong code yet."""
        self._wrong = 0
        self._until = 0.0

    def wait(self) -> float:
        """Seconds during which any code is refused (0: a code may be tried)."""
        return max(self._until - time.monotonic(), 0.0)

    def wrong(self) -> None:
        """A wrong or missing code: past the free tries, refuse for a while."""
        self._wrong += 1
        if self._wrong >= FREE_TRIES:
            doubled = FIRST_WAIT * 2 ** (self._wrong - FREE_TRIES)
            self._until = time.monotonic() + min(doubled, LONGEST_WAIT)

    def right(self) -> None:
        """The right code: the count starts again."""
        self._wrong = 0
        self._until = 0.0
