"""A service the key's role may be refused: one rule for every coordinator.

A role that may not read the service is not an error: it is said once, the
read is empty, and the entry loads without those entities. A refusal after a
good read is a failed read (entities unavailable, devices kept), not an empty
one: a passing 403 must not look like a service that went away, since stale
devices are removed by what the coordinators list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
import logging
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .aiorhombus import RhombusRefusedError
from .const import DOMAIN, LOGGER
from .data import RhombusConfigEntry
from .rate_limit import RateLimitGate, async_read_listed

# The cadence while there is nothing to show (a refused role, or no location
# with the service): 4 reads an hour.
IDLE_INTERVAL: Final = timedelta(minutes=15)


class RoleScopedCoordinator[T](DataUpdateCoordinator[T]):
    """Reads through the org's gate; a refused role reads empty, said once."""

    config_entry: RhombusConfigEntry
    # The failed read's translation key, and the refusal's one log line:
    # "This API key may not <refusal> (<error>): <without>".
    failed_key: str = ""
    refusal: str = ""
    without: str = ""
    refusal_level = logging.INFO
    refused = False
    read = False  # whether the service was read (or refused) once

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        gate: RateLimitGate,
        *,
        name: str,
        interval: timedelta,
        always_update: bool = False,
        hint_cooldown: float | None = None,
    ) -> None:
        """Read every ``interval`` through the org's ``gate``.

        ``hint_cooldown``: asks for a read (the stream's hints) within this many
        seconds of one another make one read.
        """
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {name}",
            update_interval=interval,
            always_update=always_update,
            request_refresh_debouncer=None
            if hint_cooldown is None
            else Debouncer(hass, LOGGER, cooldown=hint_cooldown, immediate=True),
        )
        self._gate = gate  # the org's: a 429 anywhere quiets this too

    async def _async_read_scoped(
        self, fetch: Callable[[], Awaitable[T]], empty: T, **placeholders: str
    ) -> T:
        try:
            found = await async_read_listed(
                self._gate, fetch, self.failed_key, **placeholders
            )
        except RhombusRefusedError as err:
            if self.read and not self.refused:
                raise UpdateFailed(
                    translation_domain=DOMAIN,
                    translation_key=self.failed_key,
                    translation_placeholders={**placeholders, "error": str(err)},
                ) from err
            if not self.refused:
                LOGGER.log(
                    self.refusal_level,
                    "This API key may not %s (%s): %s",
                    self.refusal,
                    err,
                    self.without,
                )
            self.refused = self.read = True
            return empty
        self.refused = False
        self.read = True
        return found
