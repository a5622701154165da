"""A location service read on a timer and at the stream's word: one base.

Alarm monitoring and lockdown are read the same way: through the org's
rate-limit gate, a role that may not read the service said once (the entry
loads without its entities), and a stream message asks for a prompt read.
While there is nothing to show (the role is refused, or no location has the
service) the read waits ``IDLE_INTERVAL``: a location that gets the service
shows within that. A refusal after a good read is a failed read (entities
unavailable), not an empty one.
"""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any

from homeassistant.core import HomeAssistant, callback

from ..data import RhombusConfigEntry
from ..rate_limit import RateLimitGate
from ..role_scoped import IDLE_INTERVAL, RoleScopedCoordinator

# Stream messages come in bursts (a change, then its alert): one read.
_STREAM_COOLDOWN = 2.0


class LocationServiceCoordinator[T](RoleScopedCoordinator[dict[str, T]]):
    """A location service's state by location uuid; empty when refused."""

    failed_key = "location_service_update_failed"
    # A panel or switch the user looks for and does not get: said where seen.
    refusal_level = logging.WARNING
    # What the service is called in its refusal's log line and failed reads.
    service_label: str = ""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        gate: RateLimitGate,
        interval: timedelta,
    ) -> None:
        """Share the org's rate-limit gate with the camera list."""
        super().__init__(
            hass,
            entry,
            gate,
            name=self.service_label,
            interval=interval,
            hint_cooldown=_STREAM_COOLDOWN,
        )
        self._interval = interval
        self.refusal = f"read {self.service_label}"
        self.without = f"no {self.service_label} entities"

    async def _fetch(self) -> dict[str, T]:
        raise NotImplementedError

    @callback
    def on_stream(self, *_: Any) -> None:
        """A stream message says the state changed: read it now."""
        if not self.refused:
            self.config_entry.async_create_background_task(
                self.hass, self.async_request_refresh(), f"{self.name} refresh"
            )

    async def _async_update_data(self) -> dict[str, T]:
        found = await self._async_read_scoped(
            self._fetch, {}, service=self.service_label
        )
        # Set before the next read is scheduled (after this returns).
        self.update_interval = self._interval if found else IDLE_INTERVAL
        return found
