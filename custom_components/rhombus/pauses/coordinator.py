"""Every alert pause of the org, in one ``getPolicyPauseSettings`` call.

Read once a minute while a switch listens, at once after a pause or resume
of ours and after the stream's ``POLICY_PAUSE`` change, and at the moment a
pause ends or a planned one starts: Rhombus sends nothing then, and the
switch must turn back on by itself.

A key whose role may not read pauses is said once and gets no switches.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from datetime import datetime, timedelta
import time
from typing import Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from ..aiorhombus import (
    AlertPause,
    ChangeEvent,
    PauseSettings,
    RhombusAlertPauseClient,
    RhombusError,
    RhombusRestClient,
)
from ..const import DOMAIN, LOGGER
from ..data import RhombusConfigEntry
from ..rate_limit import RateLimitGate
from ..role_scoped import RoleScopedCoordinator

PAUSES_INTERVAL: Final = timedelta(seconds=60)
# The stream's entity for pause changes (shape inferred, see the simulator).
PAUSE_ENTITY: Final = "POLICY_PAUSE"
# A burst of stream changes costs one read, at most this long after the first.
_HINT_COOLDOWN: Final = 1.0


class AlertPauses(RoleScopedCoordinator[PauseSettings]):
    """The org's pauses; empty when the key's role may not read them."""

    failed_key = "pause_update_failed"
    refusal = "read paused alerts"
    without = "no Alerts switches"

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        rest: RhombusRestClient,
        gate: RateLimitGate,
    ) -> None:
        """Nothing is called until the first read."""
        super().__init__(
            hass,
            entry,
            gate,
            name="alert pauses",
            interval=PAUSES_INTERVAL,
            # A pause that ended reads the same, yet the switches must turn on.
            always_update=True,
            hint_cooldown=_HINT_COOLDOWN,
        )
        self.client = RhombusAlertPauseClient(rest)
        self._next_change: CALLBACK_TYPE | None = None
        entry.async_on_unload(self._cancel_next_change)

    async def _async_update_data(self) -> PauseSettings:
        settings = await self._async_read_scoped(
            self.client.get_pause_settings, PauseSettings()
        )
        self._schedule_next_change(settings)
        return settings

    def active(self, target_uuid: str) -> AlertPause | None:
        """The pause of a device or location now, if any."""
        if not self.read:
            return None
        return self.data.active(target_uuid, time.time())

    @callback
    def on_change(self, event: ChangeEvent) -> None:  # noqa: ARG002
        """A pause changed in Rhombus: read them all again, soon."""
        self.config_entry.async_create_background_task(
            self.hass, self.async_request_refresh(), f"{DOMAIN} pause hint"
        )

    def _schedule_next_change(self, settings: PauseSettings) -> None:
        """Read again when the next pause ends or starts (to the second)."""
        self._cancel_next_change()
        now = time.time()
        moments = [
            moment
            for table in (settings.devices, settings.locations)
            for pauses in table.values()
            for pause in pauses
            for moment in (pause.start_s, pause.end_s)
            if moment > now
        ]
        if moments:
            when = dt_util.utc_from_timestamp(min(moments) + 1)
            self._next_change = async_track_point_in_utc_time(
                self.hass, self._changed_by_itself, when
            )

    async def _changed_by_itself(self, _now: datetime) -> None:
        self._next_change = None
        await self.async_refresh()

    @callback
    def _cancel_next_change(self) -> None:
        if self._next_change is not None:
            self._next_change()
            self._next_change = None

    async def async_pause(
        self,
        targets: Sequence[str],
        seconds: int,
        *,
        location: bool,
        who: str,
        names: str,
    ) -> None:
        """Pause devices' (or locations') alerts for ``seconds``, logged with who."""
        LOGGER.info(
            "Pausing the alerts of %s for %s, asked by %s",
            names,
            timedelta(seconds=seconds),
            who,
        )
        pause = self.client.pause_locations if location else self.client.pause_devices
        await self._act(pause(list(targets), seconds))

    async def async_resume(
        self, target: str, *, location: bool, who: str, name: str
    ) -> None:
        """End the current pauses of a device or location, logged with who."""
        settings = self.data or PauseSettings()
        table = settings.locations if location else settings.devices
        now = time.time()
        pauses = [p for p in table.get(target, ()) if p.active_at(now)]
        LOGGER.info("Resuming the alerts of %s, asked by %s", name, who)
        resume = self.client.resume_location if location else self.client.resume_device
        for pause in pauses:
            if pause.uuid is None:
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="pause_failed",
                    translation_placeholders={"error": "the pause has no id"},
                )
            await self._act(resume(pause.uuid))

    async def _act(self, call: Awaitable[None]) -> None:
        try:
            await call
        except RhombusError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="pause_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        finally:
            await self.async_refresh()
