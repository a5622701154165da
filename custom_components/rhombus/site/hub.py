"""The site beside the cameras: its coordinators, and where its alerts go.

It registers with the event hub as a consumer: a state message of a site
entity type hints its kind's coordinator; a policy alert from a site device
hints that kind too, and reaches the device's event entities and problem
sensors at once (a replay older than the hold time reaches neither).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    kind_for_stream_entity,
)
from ..data import RhombusConfigEntry
from ..hub.routing import AlertSource, RhombusAlert
from ..rate_limit import RateLimitGate
from .coordinator import SiteCoordinators

if TYPE_CHECKING:
    from ..hub import RhombusHub


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


class _SiteEntityTypes:
    """The stream entity types whose state messages concern the site."""

    def __contains__(self, entity: object) -> bool:
        return isinstance(entity, str) and kind_for_stream_entity(entity) is not None


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

    @callback
    def async_register(self, hub: RhombusHub) -> CALLBACK_TYPE:
        """Take the site's messages from the hub's stream; return the undo."""
        return hub.async_register_consumer(
            entity_types=_SiteEntityTypes(),
            on_change=self._on_change,
            alerts=self.is_site_alert,
            on_alert=self.on_alert,
            complete=True,  # a door's alert names its door, not a device
            devices=lambda: self.devices,
        )

    def is_site_alert(self, event: ChangeEvent) -> bool:
        """Whether a policy alert names a site device (then it needs no details)."""
        return alert_target(alert_body(event)) is not None

    @callback
    def _on_change(self, event: ChangeEvent) -> None:
        """A state message about a site entity: refresh its kind soon."""
        self.coordinators.hint_entity(
            event.entity_type, event.device_uuid or event.entity_uuid
        )

    @callback
    def on_alert(self, alert: RhombusAlert) -> AlertSource | None:
        """Hint the alert's kind, tell its device's entities; None if not ours."""
        event = alert.event
        body = alert_body(event)
        target = alert_target(body)
        if target is None:
            return None
        device = self.coordinators.hint_alert(body)
        if alert.live and event.change_type == ChangeType.CREATE:
            triggers = event.triggers or ()
            site_alert = SiteAlert(
                event.entity_uuid,
                target.kind,
                target.device_uuid,
                triggers,
                tuple(event_types(target.kind, triggers)),
                event,
                alert.replayed,
            )
            for cb in list(self._listeners.get(target.device_uuid, ())):
                cb(site_alert)
        return AlertSource(
            target.device_uuid, device.name if device else None, str(target.kind)
        )

    @property
    def refused(self) -> dict[str, str]:
        """Skipped kinds and why (for diagnostics)."""
        return self.coordinators.refused
