"""One coordinator per kind of site hardware, refreshed on a timer and on hints.

Each refresh is one list call for every device of its kind (two for access
control: the doors, then their component shadows). A stream message or a
policy alert about a kind asks for a refresh through a debouncer, so a burst
of hints (100 in a second) costs one call, at most ``HINT_COOLDOWN`` after
the first. A kind the key's role may not read is skipped: logged once, shown
in diagnostics, polled no more, and setup goes on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from ..aiorhombus import (
    RhombusKindRefusedError,
    RhombusSiteClient,
    SiteDevice,
    SiteKind,
    alert_target,
    kind_for_stream_entity,
)
from ..const import DOMAIN, LOGGER
from ..data import RhombusConfigEntry
from ..rate_limit import RateLimitGate, async_read_listed

# Climate readings drift slowly; doors, rooms and locks are what people watch.
# Buttons report only battery and health (presses arrive as alerts).
REFRESH_INTERVALS: Final[Mapping[SiteKind, timedelta]] = {
    SiteKind.DOOR_SENSOR: timedelta(seconds=30),
    SiteKind.CLIMATE_SENSOR: timedelta(seconds=60),
    SiteKind.ENVIRONMENTAL_GATEWAY: timedelta(seconds=60),
    SiteKind.OCCUPANCY_SENSOR: timedelta(seconds=30),
    SiteKind.BUTTON: timedelta(minutes=5),
    SiteKind.AUDIO_GATEWAY: timedelta(seconds=60),
    SiteKind.ACCESS_CONTROL: timedelta(seconds=30),
}
# A kind the org has none of (most cameras-only orgs have no site hardware):
# asked as seldom as the camera list, so it costs 12 calls an hour, not 120.
# Its first device shows up at its first stream message or at this poll.
EMPTY_KIND_INTERVAL: Final = timedelta(minutes=5)
# A hint is served within this (plus the call): under the 2 s a user notices,
# and at most one hinted call per second per kind whatever the stream sends.
HINT_COOLDOWN: Final = 1.0


# Stream entities that more than one kind's changes arrive as.
_SHARED_ENTITY_KINDS: Final[Mapping[SiteKind, tuple[SiteKind, ...]]] = {
    SiteKind.CLIMATE_SENSOR: (SiteKind.CLIMATE_SENSOR, SiteKind.ENVIRONMENTAL_GATEWAY),
}


class SiteCoordinator(DataUpdateCoordinator[dict[str, SiteDevice]]):
    """Every device of one kind, keyed by its id."""

    config_entry: RhombusConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        client: RhombusSiteClient,
        kind: SiteKind,
        gate: RateLimitGate,
    ) -> None:
        """Poll at the kind's interval; listeners hear only real changes."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {kind}",
            update_interval=REFRESH_INTERVALS[kind],
            always_update=False,
            request_refresh_debouncer=Debouncer(
                hass, LOGGER, cooldown=HINT_COOLDOWN, immediate=False
            ),
        )
        self.client = client
        self.kind = kind
        self._gate = gate
        # Set when the key's role may not read this kind (kept for diagnostics).
        self.refused: str | None = None

    async def _async_update_data(self) -> dict[str, SiteDevice]:
        if self.refused is not None:
            return {}
        try:
            devices = dict(
                await async_read_listed(
                    self._gate,
                    lambda: self.client.get_kind(self.kind),
                    "site_update_failed",
                    kind=self.kind,
                )
            )
        except RhombusKindRefusedError as err:
            if self.data:
                # Readable before: a passing error, not a role without rights.
                raise UpdateFailed(
                    translation_domain=DOMAIN,
                    translation_key="site_update_failed",
                    translation_placeholders={"kind": self.kind, "error": str(err)},
                ) from err
            self.refused = str(err)
            self.update_interval = None
            LOGGER.info(
                "Skipping %s: this API key's role may not read them (%s)",
                self.kind,
                err,
            )
            return {}
        self.update_interval = (
            REFRESH_INTERVALS[self.kind] if devices else EMPTY_KIND_INTERVAL
        )
        return devices


class SiteCoordinators:
    """The per-kind coordinators of one entry, and where hints go.

    `SiteHub` calls `hint_entity` for every change-stream message's entity
    type and `hint_alert` for every policy alert.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        client: RhombusSiteClient,
        gate: RateLimitGate | None = None,
    ) -> None:
        """One coordinator per kind, sharing one rate-limit gate."""
        shared = gate or RateLimitGate()
        self.by_kind: dict[SiteKind, SiteCoordinator] = {
            kind: SiteCoordinator(hass, entry, client, kind, shared)
            for kind in SiteKind
        }

    async def async_setup(self) -> None:
        """First refresh of every kind at once; no kind's failure fails setup.

        A kind that fails now has no data: its devices appear at the first
        refresh that succeeds (the cameras are what setup depends on).
        """
        await asyncio.gather(
            *(coordinator.async_refresh() for coordinator in self.by_kind.values())
        )

    @property
    def refused(self) -> dict[str, str]:
        """Skipped kinds and why (for diagnostics)."""
        return {
            str(kind): coordinator.refused
            for kind, coordinator in self.by_kind.items()
            if coordinator.refused is not None
        }

    def hint_entity(self, entity: str, uuid: str | None = None) -> SiteKind | None:
        """A stream message about ``entity`` (of device ``uuid``): refresh its kind.

        CLIMATE_STATE is the stream's only climate entity, and an E50's changes
        arrive as it too: the device's uuid says which list to ask; a device
        neither list knows yet asks both.
        """
        kind = kind_for_stream_entity(entity)
        if kind is None:
            return None
        kinds = _SHARED_ENTITY_KINDS.get(kind, (kind,))
        if len(kinds) > 1:
            known = [k for k in kinds if uuid and uuid in (self.by_kind[k].data or {})]
            kinds = tuple(known) or kinds
        for hinted in kinds:
            self._hint(hinted)
        return kinds[0]

    def hint_alert(self, alert: Mapping[str, object]) -> SiteDevice | None:
        """A policy alert: refresh its device's kind soon; return the device."""
        target = alert_target(alert)
        if target is None:
            return None
        self._hint(target.kind)
        data = self.by_kind[target.kind].data
        return data.get(target.device_uuid) if data else None

    def device(self, uuid: str) -> tuple[SiteKind, SiteDevice] | None:
        """Find a device (or door) of any kind by uuid."""
        for kind, coordinator in self.by_kind.items():
            if coordinator.data and (device := coordinator.data.get(uuid)):
                return kind, device
        return None

    def _hint(self, kind: SiteKind) -> None:
        coordinator = self.by_kind[kind]
        if coordinator.refused is None:
            coordinator.config_entry.async_create_background_task(
                coordinator.hass,
                coordinator.async_request_refresh(),
                f"{DOMAIN} {kind} hint",
                eager_start=True,
            )
