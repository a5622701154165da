"""The event hub: one Rhombus event stream per entry, routed to Home Assistant.

For every change on the org's topic it (a) hands it to the consumer that
takes it (:mod:`.routing`: the cameras' entities, the site's ...) and (b)
fires ``rhombus_event`` on the bus. Nothing on this path calls REST when the
payload is complete.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Container, Coroutine, Mapping
import time
from typing import Any

from homeassistant.const import CONF_API_KEY
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..aiorhombus import (
    Backoff,
    ChangeEvent,
    ChangeType,
    RhombusAuthError,
    RhombusError,
    RhombusEventStream,
    RhombusRestClient,
    StreamState,
    fetch_missed_alerts,
    names_identity,
)
from ..const import DOMAIN, EVENT_RHOMBUS, LOGGER
from ..coordinator import RhombusCoordinator
from ..data import RhombusConfigEntry
from ..detections import DetectionKind, kinds_of
from ..media.links import alert_media_id
from ..settings import all_events, endpoints_from, hold_seconds
from .alert_log import AlertLog
from .availability import StreamAvailability
from .bus_event import event_data
from .cameras import CameraAlerts
from .details import DetailsFetcher
from .device_index import CameraDeviceIndex
from .identity import NOBODY, AlertIdentities, IdentityReader, wants_details
from .routing import (
    AlertFilter,
    AlertHandler,
    AlertSource,
    ChangeHandler,
    Consumer,
    DeviceSource,
    RoutingTable,
    resolve,
)
from .stream_access import StreamAccess


class RhombusHub:
    """Owns the stream of one entry and fans its changes out."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        rest: RhombusRestClient,
        coordinator: RhombusCoordinator,
    ) -> None:
        """Wire the stream; it starts in :meth:`async_start`."""
        self.hass = hass
        self.entry = entry
        self.rest = rest
        self.coordinator = coordinator
        self.org_uuid: str = entry.unique_id or ""
        self.stream = RhombusEventStream(
            async_get_clientsession(hass),
            entry.data[CONF_API_KEY],
            endpoints_from(entry.data).websocket_url,
            self.org_uuid,
            on_event=self._on_event,
            on_state=self._on_state,
            backoff=Backoff(),
        )
        self.access = StreamAccess(hass, entry, rest, self.stream, self._start_stream)
        self.availability = StreamAvailability(hass)
        self._all_events = all_events(entry.options)
        self._hold_ms = hold_seconds(entry.options) * 1000
        self.devices = CameraDeviceIndex(hass, entry.entry_id)
        self.alerts = AlertLog()
        self._table = RoutingTable()
        # The cameras are the hub's own consumer: its coordinator is their list.
        self.cameras = CameraAlerts(hass, entry, coordinator)
        self._table.register(self.cameras.consumer())
        self.async_subscribe_kind = self.cameras.async_subscribe_kind
        self.async_subscribe_camera = self.cameras.async_subscribe_camera
        self.replayed = 0
        self._pending: set[asyncio.Task[None]] = set()
        self._details = DetailsFetcher(rest, coordinator.gate)
        self._who = IdentityReader()

    @callback
    def async_register_consumer(
        self,
        *,
        entity_types: Container[str] = frozenset(),
        refresh: bool = False,
        on_change: ChangeHandler | None = None,
        alerts: AlertFilter | None = None,
        on_alert: AlertHandler | None = None,
        complete: bool = False,
        devices: DeviceSource | None = None,
    ) -> CALLBACK_TYPE:
        """Route messages to one more consumer (see ``RoutingTable.register``)."""
        return self._table.register(
            Consumer(
                entity_types, refresh, on_change, alerts, on_alert, complete, devices
            )
        )

    @callback
    def async_start(self) -> None:
        """Start the stream in the background; setup never waits for it."""
        self.async_refresh_devices()
        self.availability.starting()
        self._start_stream()

    def _start_stream(self) -> None:
        self.stream.start(
            lambda coro: self.entry.async_create_background_task(
                self.hass, coro, f"{DOMAIN} event stream {self.org_uuid}"
            )
        )

    async def async_stop(self, *_: Any) -> None:
        """Close the socket and drop every timer and task; safe to call twice."""
        self.availability.cancel()
        for task in list(self._pending):
            task.cancel()
        await asyncio.gather(*self._pending, return_exceptions=True)
        await self.access.async_stop()
        await self.stream.stop()

    @callback
    def async_refresh_devices(self) -> None:
        """Apply renames to devices and relearn the device ids."""
        self.devices.refresh(self._table.devices())

    @property
    def available(self) -> bool:
        """Whether entities fed by the stream are available (grace included)."""
        return self.availability.available

    @callback
    def async_subscribe_availability(self, cb: Callable[[bool], None]) -> CALLBACK_TYPE:
        """Call ``cb(reconnected)`` when availability changes or the stream returns."""
        return self.availability.async_subscribe_availability(cb)

    @callback
    def async_subscribe_stream_state(
        self, cb: Callable[[StreamState], None]
    ) -> CALLBACK_TYPE:
        """Call ``cb(state)`` at every change of the stream's state, without grace."""
        return self.availability.async_subscribe_stream_state(cb)

    @callback
    def _on_state(self, state: StreamState) -> None:
        reconnected = self.availability.follow(state)
        if state is StreamState.CONNECTED:
            self.access.connected()
            began = self.stream.stats.outage_began_at
            if reconnected and began is not None:
                self._track(self._catch_up(int(began * 1000)), "catch-up")
        elif state is StreamState.AUTH_FAILED:
            self.access.refused()  # reauth, or a repair for a missing permission

    # Changes ---------------------------------------------------------------

    def _track(self, coro: Coroutine[Any, Any, None], what: str) -> None:
        task = self.entry.async_create_background_task(
            self.hass, coro, f"{DOMAIN} {what} {self.org_uuid}"
        )
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    @callback
    def _on_event(self, event: ChangeEvent) -> None:
        if not event.is_alert:
            self._table.changed(event)
            if self._all_events:
                self._fire(event, (), None, replayed=False)
            return
        creates_alert = event.change_type == ChangeType.CREATE
        if creates_alert and self.alerts.repeated(event.entity_uuid):
            return
        taker = self._table.taker(event)
        # A consumer may take its sparse alerts as they are (a door's names
        # its door, not a device); the others are completed first.
        named = names_identity(event.triggers)
        needs = event.needs_details or wants_details(event, named=named)
        if needs and not (taker is not None and taker.complete):
            assert event.entity_uuid is not None  # noqa: S101 - both check it
            if creates_alert:
                self.alerts.fetching.add(event.entity_uuid)
            self._track(self._complete(event, event.entity_uuid), "alert details")
            return
        who = self._who.read(event, named=named) if named else NOBODY
        self._deliver(event, taker, who, replayed=False)

    async def _catch_up(self, since_ms: int) -> None:
        """Replay the alerts the stream missed while it was down."""
        try:
            alerts = await fetch_missed_alerts(self.rest, since_ms)
        except RhombusAuthError:
            self.entry.async_start_reauth(self.hass)
            return
        except RhombusError as err:
            LOGGER.warning(
                "Could not fetch the alerts missed by the event stream: %s", err
            )
            return
        for alert in alerts:
            event = ChangeEvent.from_alert(alert)
            if self.alerts.repeated(event.entity_uuid):
                continue  # the overlap, delivered live already
            self.replayed += 1
            self._process(event, replayed=True)

    async def _complete(self, event: ChangeEvent, uuid: str) -> None:
        """Fetch an incomplete alert's details once; deliver it either way."""
        try:
            alert = await self._details.fetch(uuid)
        finally:
            self.alerts.fetching.discard(uuid)
        self._process(event.completed_by(alert) if alert else event, details=alert)

    @callback
    def _process(
        self,
        event: ChangeEvent,
        *,
        replayed: bool = False,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        who = self._who.read(event, details)
        self._deliver(event, self._table.taker(event), who, replayed=replayed)

    def _deliver(
        self,
        event: ChangeEvent,
        taker: Consumer | None,
        who: AlertIdentities,
        *,
        replayed: bool,
    ) -> None:
        kinds = kinds_of(event.triggers or ())
        # A replay within the hold may still turn a sensor on (for what is
        # left of it) and fire its event; an older one is history.
        live = not replayed or (
            event.timestamp_ms is not None
            and time.time() * 1000 - event.timestamp_ms <= self._hold_ms
        )
        alert = resolve(
            self.alerts,
            event,
            kinds,
            replayed=replayed,
            live=live,
            identities=who.identities,
        )
        if alert is None:
            return  # a duplicate
        source = None
        if taker is not None and taker.on_alert is not None:
            source = taker.on_alert(alert)
        self._fire(event, kinds, source, replayed=replayed, who=who)

    def _fire(
        self,
        event: ChangeEvent,
        kinds: tuple[DetectionKind, ...],
        source: AlertSource | None,
        *,
        replayed: bool,
        who: AlertIdentities = NOBODY,
    ) -> None:
        device_uuid = source.uuid if source else event.device_uuid
        entry_id, timestamp_ms = self.entry.entry_id, event.timestamp_ms
        media_content_id = (  # the alert's footage in the media browser
            alert_media_id(entry_id, source.uuid, timestamp_ms, event.duration_sec)
            if event.is_alert and source and source.footage and timestamp_ms
            else None
        )
        self.hass.bus.async_fire(
            EVENT_RHOMBUS,
            event_data(
                event,
                kinds,
                source,
                entry_id=entry_id,
                org_uuid=self.org_uuid,
                device_id=self.devices.device_id(device_uuid, listed=bool(source)),
                media_content_id=media_content_id,
                replayed=replayed,
                who=who,
            ),
        )
