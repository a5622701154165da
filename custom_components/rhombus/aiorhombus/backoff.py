"""Capped exponential backoff with jitter for reconnects."""

from __future__ import annotations

from dataclasses import dataclass, field
import random


@dataclass(slots=True)
class Backoff:
    """Delays 1 s, 2 s, 4 s ... up to ``cap``, each jittered down by up to half.

    The jitter keeps many Home Assistant installs from reconnecting in step
    after a Rhombus outage; the cap keeps a long outage to one try a couple of
    minutes apart instead of a log-filling loop.
    """

    initial: float = 1.0
    cap: float = 120.0
    factor: float = 2.0
    attempts: int = field(default=0, init=False)

    def next_delay(self) -> float:
        """Return the next delay in seconds and count the attempt."""
        base = min(self.cap, self.initial * self.factor**self.attempts)
        self.attempts += 1
        return base / 2 + random.uniform(0, base / 2)  # noqa: S311

    def reset(self) -> None:
        """Start again from the shortest delay (after a healthy connection)."""
        self.attempts = 0
