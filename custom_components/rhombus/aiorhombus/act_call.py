"""What the site-action clients share: their services, refusals and one call.

Locations, alarm monitoring, lockdown, audio playback and alert pauses each
get their own client module; a key's role may lack any of them. A refusal
(HTTP 403, or an in-band error whose text is about permission) is a
`RhombusRefusedError` naming the service, so a caller can skip that service
with one log line and keep the rest; a 401 stays `RhombusAuthError` (the key
itself is bad) and a 429 stays `RhombusRateLimitError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from http import HTTPStatus
from typing import Any

from .exceptions import RhombusApiError, RhombusAuthError, RhombusError
from .rest import RhombusRestClient


class SiteService(StrEnum):
    """A service a key's role may or may not be allowed to use."""

    LOCATIONS = "locations"
    ALARM_MONITORING = "alarm_monitoring"
    LOCKDOWN = "lockdown"
    AUDIO = "audio"
    ALERT_PAUSE = "alert_pause"


class RhombusRefusedError(RhombusError):
    """The key's role may not use this service (403 or an in-band refusal)."""

    def __init__(
        self, service: SiteService, message: str, status: int | None = None
    ) -> None:
        """Name the service, so the caller can skip it and say which."""
        super().__init__(f"{service}: {message}")
        self.service = service
        self.status = status


async def act_call(
    rest: RhombusRestClient,
    service: SiteService,
    path: str,
    body: Mapping[str, Any],
    *,
    read: bool,
) -> dict[str, Any]:
    """POST ``path``; map a refusal to `RhombusRefusedError`.

    ``read``: any in-band error of a read is a refusal (as for the site's
    lists); a write's in-band error stays `RhombusApiError` unless its text
    is about permission (the caller may know better, e.g. a refused PIN).
    """
    try:
        return await rest.request(path, body)
    except RhombusAuthError as err:
        if err.status == HTTPStatus.UNAUTHORIZED:
            raise
        raise RhombusRefusedError(service, str(err), err.status) from err
    except RhombusApiError as err:
        if read:
            raise RhombusRefusedError(service, str(err)) from err
        raise
