"""One quiet period per organisation after Rhombus answers 429.

Rhombus's rate-limit budget is per organisation (every key shares it), and
requests made while limited are refused and do not reset the window: so a
429 on any list call (cameras or any site kind) silences them all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import time
from typing import Final

from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import UpdateFailed

from .aiorhombus import (
    RhombusAuthError,
    RhombusError,
    RhombusKindRefusedError,
    RhombusRateLimitError,
    RhombusRefusedError,
)
from .const import DOMAIN

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


async def async_read_listed[T](
    gate: RateLimitGate,
    read: Callable[[], Awaitable[T]],
    failed_key: str,
    **placeholders: str,
) -> T:
    """One coordinator's read, within the org's rate limit, errors translated.

    No call while the org is quiet; a 429 quiets every list; a refused key is
    a reauth; any other Rhombus error is ``failed_key`` with ``placeholders``
    and the error. A refusal of the key's role (``RhombusRefusedError``,
    ``RhombusKindRefusedError``) passes through: each caller decides what a
    kind it may not read means.
    """
    if (wait := gate.remaining()) > 0:
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            translation_placeholders={"seconds": str(round(wait))},
        )
    try:
        return await read()
    except (RhombusRefusedError, RhombusKindRefusedError):
        raise
    except RhombusAuthError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="auth_failed"
        ) from err
    except RhombusRateLimitError as err:
        wait = gate.close_for(err.retry_after)
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            translation_placeholders={"seconds": str(round(wait))},
        ) from err
    except RhombusError as err:
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=failed_key,
            translation_placeholders={**placeholders, "error": str(err)},
        ) from err
