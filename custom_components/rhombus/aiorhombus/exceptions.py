"""Errors raised by the Rhombus client.

Messages never contain the API key: callers log them as they are.
"""

from __future__ import annotations


class RhombusError(Exception):
    """Base class for every error this client raises."""


class RhombusAuthError(RhombusError):
    """The API key was rejected (HTTP 401/403, or an auth message in the body)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        """Keep the HTTP status: 403 may mean a role without a permission."""
        super().__init__(message)
        self.status = status


class RhombusConnectionError(RhombusError):
    """The Rhombus cloud could not be reached, timed out or failed (5xx)."""


class RhombusRateLimitError(RhombusConnectionError):
    """HTTP 429: the organisation's request budget is spent."""

    def __init__(self, message: str, retry_after: float | None) -> None:
        """Keep the server's Retry-After (seconds) for the caller's backoff."""
        super().__init__(message)
        self.retry_after = retry_after


class RhombusApiError(RhombusError):
    """HTTP 200 with ``error: true`` that is not an authentication problem."""


class RhombusProtocolError(RhombusError):
    """A STOMP frame or message body that cannot be understood."""
