"""The site beside the cameras: its coordinators, and where its alerts go.

The event hub hands this every stream message: a state message hints its
kind's coordinator; a policy alert from a site device hints that kind too,
and reaches the device's event entities and problem sensors at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from ..aiorhombus import (
    ChangeEvent,
    ChangeType,
    RhombusRestClient,
    RhombusSiteClient,
    SiteDevice,
    SiteKind,
    alert_target,
    event_types,
)
from ..data import RhombusConfigEntry
from ..rate_limit import RateLimitGate
from .coordinator import SiteCoordinators


@dataclass(frozen=True, slots=True)
class SiteAlert:
    """What a site device's entities learn about one new alert."""

    uuid: str | None
    kind: SiteKind
    device_uuid: str
    triggers: tuple[str, ...]
    event_types: tuple[str, ...]
    event: ChangeEvent
    replayed: bool


@dataclass(frozen=True, slots=True)
class SiteSource:
    """The site device an alert came from, for the bus event."""

    uuid: str
    kind: SiteKind
    name: str | None


type SiteAlertCallback = Callable[[SiteAlert], None]


def alert_body(event: ChangeEvent) -> Mapping[str, Any]:
    """The alert object: a message's ``update``, or the REST alert itself."""
    update = event.payload.get("update")
    return update if isinstance(update, Mapping) else event.payload


class SiteHub:
    """The per-kind coordinators of one entry and its site devices' alerts."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        rest: RhombusRestClient,
        gate: RateLimitGate,
    ) -> None:
        """One client and one coordinator per kind; nothing is called yet.

        ``gate`` is the camera list's: Rhombus limits the whole organisation.
        """
        self.client = RhombusSiteClient(rest)
        self.coordinators = SiteCoordinators(hass, entry, self.client, gate)
        self._listeners: dict[str, list[SiteAlertCallback]] = {}

    async def async_setup(self) -> None:
        """Read every kind once; a refused or failing kind does not fail setup."""
        await self.coordinators.async_setup()

    @property
    def devices(self) -> dict[str, SiteDevice]:
        """Every site device of every kind, by uuid."""
        return {
            uuid: device
            for coordinator in self.coordinators.by_kind.values()
            for uuid, device in (coordinator.data or {}).items()
        }

    @property
    def complete(self) -> bool:
        """Whether every kind has been read (or refused) at least once."""
        return all(
            coordinator.data is not None
            for coordinator in self.coordinators.by_kind.values()
        )

    @callback
    def async_subscribe(self, device_uuid: str, cb: SiteAlertCallback) -> CALLBACK_TYPE:
        """Call ``cb`` for each new alert from ``device_uuid``."""
        callbacks = self._listeners.setdefault(device_uuid, [])
        callbacks.append(cb)
        return lambda: callbacks.remove(cb)

    def is_site_alert(self, event: ChangeEvent) -> bool:
        """Whether a policy alert names a site device (then it needs no details)."""
        return alert_target(alert_body(event)) is not None

    @callback
    def hint(self, entity_type: str, uuid: str | None) -> None:
        """A stream message about ``entity_type`` (device ``uuid``): refresh soon."""
        self.coordinators.hint_entity(entity_type, uuid)

    @callback
    def on_alert(self, event: ChangeEvent, *, replayed: bool) -> SiteSource | None:
        """Hint the alert's kind, tell its device's entities; None if not ours."""
        body = alert_body(event)
        target = alert_target(body)
        if target is None:
            return None
        device = self.coordinators.hint_alert(body)
        if event.change_type == ChangeType.CREATE:
            triggers = event.triggers or ()
            alert = SiteAlert(
                event.entity_uuid,
                target.kind,
                target.device_uuid,
                triggers,
                tuple(event_types(target.kind, triggers)),
                event,
                replayed,
            )
            for cb in list(self._listeners.get(target.device_uuid, ())):
                cb(alert)
        return SiteSource(
            target.device_uuid, target.kind, device.name if device else None
        )

    @property
    def refused(self) -> dict[str, str]:
        """Skipped kinds and why (for diagnostics)."""
        return self.coordinators.refused
