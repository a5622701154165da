"""The hub's routing table: who takes a stream message, and what they learn.

Each consumer (the cameras, the site; later locations and camera settings)
registers the entity types whose state messages it follows and the policy
alerts that are its own. The hub dispatches through this table and names
none of them: a new consumer is one more registration.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass

from homeassistant.core import CALLBACK_TYPE

from ..aiorhombus import ChangeEvent, ChangeType, Identities
from ..detections import DetectionKind
from .alert_log import AlertLog, Seen
from .device_index import NamedDevice

# Entity types seen in state messages, each with its handlers; an endless
# stream of made-up types must not grow it for ever.
_MAX_ROUTES = 256


# Not frozen: one is made per alert, and a frozen dataclass's __init__ costs
# several times a plain one's. Consumers only read it.
@dataclass(slots=True)
class RhombusAlert:
    """What a consumer learns about one alert (duplicates are already dropped)."""

    uuid: str | None
    change_type: ChangeType | str
    # The device it names; a DELETE's comes from its CREATE.
    device_uuid: str | None
    kinds: tuple[DetectionKind, ...]
    event: ChangeEvent
    replayed: bool = False
    # A new CREATE or a first DELETE: what turns detection sensors on or off.
    first: bool = True
    # False for a replayed alert older than the hold time: it reaches the bus
    # and the logbook only, no event entity and no sensor.
    live: bool = True
    # Who or which car (None: the alert names nobody, or they could not be read).
    identities: Identities | None = None


@dataclass(frozen=True, slots=True)
class AlertSource:
    """The device an alert came from, as the bus event names it."""

    uuid: str
    name: str | None
    device_type: str
    footage: bool = False  # a camera of ours: the bus event links its footage


type AlertCallback = Callable[[RhombusAlert], None]
type AlertFilter = Callable[[ChangeEvent], bool]
type AlertHandler = Callable[[RhombusAlert], AlertSource | None]
type ChangeHandler = Callable[[ChangeEvent], None]
type DeviceSource = Callable[[], Mapping[str, NamedDevice]]


@dataclass(frozen=True, slots=True, eq=False)
class Consumer:
    """One registration; see :meth:`RoutingTable.register`."""

    entity_types: Container[str] = frozenset()
    refresh: bool = False
    on_change: ChangeHandler | None = None
    alerts: AlertFilter | None = None
    on_alert: AlertHandler | None = None
    complete: bool = False
    devices: DeviceSource | None = None


class RoutingTable:
    """The consumers of one hub, and the routes worked out from them."""

    def __init__(self) -> None:
        """Empty: every message reaches the bus only."""
        self._consumers: list[Consumer] = []
        self._takers: tuple[Consumer, ...] = ()
        self._rest: Consumer | None = None
        self._changes: dict[str, tuple[ChangeHandler, ...]] = {}
        self._refreshes: dict[str, tuple[ChangeHandler, ...]] = {}

    def register(self, consumer: Consumer) -> CALLBACK_TYPE:
        """Add ``consumer``; return what removes it.

        - ``entity_types``: state messages (not alerts) of these types reach
          ``on_change``; ``refresh``: so does every ``REFRESH`` message.
        - ``alerts``: which policy alerts are its own (asked in registration
          order, first yes wins); ``None`` with an ``on_alert``: every alert
          no other consumer takes. ``on_alert`` names the alert's device for
          the bus event, or returns None.
        - ``complete``: its alerts need no details call, even when sparse.
        - ``devices``: its devices, whose renames reach their HA devices.
        """
        if consumer.alerts is None and consumer.on_alert is not None:
            assert self._rest is None, "one consumer takes the other alerts"  # noqa: S101
        self._consumers.append(consumer)
        self._rebuild()

        def unregister() -> None:
            self._consumers.remove(consumer)
            self._rebuild()

        return unregister

    def _rebuild(self) -> None:
        consumers = self._consumers
        self._takers = tuple(c for c in consumers if c.alerts is not None)
        self._rest = next(
            (c for c in consumers if c.alerts is None and c.on_alert is not None), None
        )
        self._changes.clear()
        self._refreshes.clear()

    def taker(self, event: ChangeEvent) -> Consumer | None:
        """The consumer whose alert this is, or None (the bus only)."""
        for consumer in self._takers:
            if consumer.alerts(event):  # type: ignore[misc]  # takers have one
                return consumer
        return self._rest

    def changed(self, event: ChangeEvent) -> None:
        """Hand a state message to the consumers that follow its entity type."""
        refresh = event.change_type == ChangeType.REFRESH
        routes = self._refreshes if refresh else self._changes
        handlers = routes.get(event.entity_type)
        if handlers is None:
            if len(routes) >= _MAX_ROUTES:
                routes.clear()
            handlers = routes[event.entity_type] = tuple(
                c.on_change
                for c in self._consumers
                if c.on_change is not None
                and ((refresh and c.refresh) or event.entity_type in c.entity_types)
            )
        for handler in handlers:
            handler(event)

    def devices(self) -> dict[str, NamedDevice]:
        """Every consumer's devices by uuid (the first registered wins)."""
        named: dict[str, NamedDevice] = {}
        for consumer in reversed(self._consumers):
            if consumer.devices is not None:
                named.update(consumer.devices())
        return named


def resolve(
    log: AlertLog,
    event: ChangeEvent,
    kinds: tuple[DetectionKind, ...],
    *,
    replayed: bool,
    live: bool,
    identities: Identities | None = None,
) -> RhombusAlert | None:
    """Record the alert in ``log``; None for a duplicate that must go no further."""
    uuid = event.entity_uuid
    device = event.device_uuid
    first = False  # UPDATE: the bus and the device's entities only
    if uuid is not None:
        if event.change_type == ChangeType.CREATE:
            seen = log.created(uuid, device, kinds)
            if seen is Seen.DUPLICATE:
                return None
            first = seen is Seen.NEW
        elif event.change_type == ChangeType.DELETE:
            new, record = log.deleted(uuid)
            if not new:
                return None
            first = True
            if record is not None:
                device, kinds = record.camera_uuid, record.kinds
    return RhombusAlert(
        uuid, event.change_type, device, kinds, event, replayed, first, live, identities
    )
