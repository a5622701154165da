"""The event hub: one Rhombus event stream per entry, routed to Home Assistant.

For every change on the org's topic it (a) updates the subscribed detection
entities of the alert's camera and (b) fires ``rhombus_event`` on the bus.
Nothing on this path calls REST when the payload is complete.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from homeassistant.const import CONF_API_KEY
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .aiorhombus import (
    Backoff,
    ChangeEvent,
    RhombusAuthError,
    RhombusError,
    RhombusEventStream,
    RhombusRestClient,
    StreamState,
)
from .aiorhombus.catchup import fetch_missed_alerts
from .aiorhombus.const import (
    CHANGE_CREATE,
    CHANGE_DELETE,
    CHANGE_REFRESH,
    HEARTBEAT_MS,
)
from .alert_log import AlertLog, Seen
from .availability import StreamAvailability
from .const import DOMAIN, EVENT_RHOMBUS, LOGGER
from .coordinator import RhombusCoordinator
from .data import RhombusConfigEntry
from .detections import DetectionKind, kinds_of
from .devices import CameraDeviceIndex
from .settings import all_events, endpoints_from
from .stream_access import StreamAccess

# What the Rhombus CLI asks for; the server's CONNECTED answer decides.
STREAM_HEARTBEAT_MS = HEARTBEAT_MS
# Entities whose change means the camera list may have changed.
_DEVICE_ENTITIES = frozenset({"CAMERA", "DEVICE"})


@dataclass(frozen=True, slots=True)
class RhombusAlert:
    """What a camera's entities learn about one alert."""

    uuid: str
    change_type: str
    camera_uuid: str
    kinds: tuple[DetectionKind, ...]
    event: ChangeEvent
    replayed: bool = False


type AlertCallback = Callable[[RhombusAlert], None]


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
            heartbeat_ms=STREAM_HEARTBEAT_MS,
            backoff=Backoff(),
        )
        self.access = StreamAccess(hass, entry, rest, self.stream, self._start_stream)
        self.availability = StreamAvailability(hass)
        self._all_events = all_events(entry.options)
        self._subscribers: dict[tuple[str, DetectionKind], list[AlertCallback]] = {}
        self._camera_subscribers: dict[str, list[AlertCallback]] = {}
        self.devices = CameraDeviceIndex(hass, entry.entry_id)
        self.alerts = AlertLog()
        self.replayed = 0
        self._pending: set[asyncio.Task[None]] = set()
        # Sparse CREATEs whose details are being fetched: a repeat costs no call.
        self._fetching: set[str] = set()

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
        """Apply camera renames to devices and relearn the device ids."""
        self.devices.refresh(self.coordinator.data or {})

    @callback
    def async_subscribe(
        self, camera_uuid: str, kind: DetectionKind, cb: AlertCallback
    ) -> CALLBACK_TYPE:
        """Call ``cb`` for each alert of ``kind`` at ``camera_uuid``."""
        callbacks = self._subscribers.setdefault((camera_uuid, kind), [])
        callbacks.append(cb)
        return lambda: callbacks.remove(cb)

    @callback
    def async_subscribe_camera(
        self, camera_uuid: str, cb: AlertCallback
    ) -> CALLBACK_TYPE:
        """Call ``cb`` for every alert at ``camera_uuid``, whatever its triggers.

        ``cb`` sees each CREATE, UPDATE and DELETE once (duplicates are
        already dropped); event and image entities use this.
        """
        callbacks = self._camera_subscribers.setdefault(camera_uuid, [])
        callbacks.append(cb)
        return lambda: callbacks.remove(cb)

    @property
    def available(self) -> bool:
        """Whether entities fed by the stream are available (see availability.py)."""
        return self.availability.available

    @callback
    def async_subscribe_state(self, cb: Callable[[bool], None]) -> CALLBACK_TYPE:
        """Call ``cb(reconnected)`` when availability changes or the stream returns."""
        return self.availability.async_subscribe(cb)

    @callback
    def async_subscribe_stream(
        self, cb: Callable[[StreamState], None]
    ) -> CALLBACK_TYPE:
        """Call ``cb(state)`` at every change of the stream's state, without grace.

        The event-stream connectivity sensor shows the stream as it is.
        """
        return self.availability.async_subscribe_state(cb)

    @callback
    def _on_state(self, state: StreamState) -> None:
        reconnected = self.availability.changed(state)
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
        uuid = event.entity_uuid
        if (
            event.change_type == CHANGE_CREATE
            and event.is_alert
            and (uuid in self.alerts or uuid in self._fetching)
        ):
            self.alerts.duplicates += 1  # before any REST call it would cost
            return
        if event.needs_details:
            if event.change_type == CHANGE_CREATE:
                self._fetching.add(event.entity_uuid or "")
            self._track(self._complete(event), "alert details")
            return
        self._process(event)

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
            if event.entity_uuid in self.alerts:
                self.alerts.duplicates += 1  # the overlap, delivered live already
                continue
            self.replayed += 1
            self._process(event, replayed=True)

    async def _complete(self, event: ChangeEvent) -> None:
        """Fetch a sparse alert's details once; deliver it either way."""
        assert event.entity_uuid is not None  # noqa: S101 - needs_details checked it
        try:
            alert = await self.rest.get_policy_alert_details(event.entity_uuid)
        except RhombusError as err:
            LOGGER.debug("Alert details unavailable: %s", err)
            alert = None
        finally:
            self._fetching.discard(event.entity_uuid)
        self._process(event.completed_by(alert) if alert else event)

    @callback
    def _process(self, event: ChangeEvent, *, replayed: bool = False) -> None:
        kinds: tuple[DetectionKind, ...] = ()
        if event.is_alert:
            kinds = kinds_of(event.triggers or ())
            if not self._route_alert(event, kinds, replayed=replayed):
                return
        elif event.change_type == CHANGE_REFRESH or event.entity in _DEVICE_ENTITIES:
            self.hass.async_create_task(self.coordinator.async_request_refresh())
        if event.is_alert or self._all_events:
            self._fire(event, kinds, replayed=replayed)

    def _route_alert(
        self, event: ChangeEvent, kinds: tuple[DetectionKind, ...], *, replayed: bool
    ) -> bool:
        """Tell the camera's entities; False for a duplicate that must go no further."""
        uuid = event.entity_uuid
        camera = event.device_uuid
        if uuid is None:
            return True
        sensors = False  # UPDATE: the bus and the camera's entities only
        if event.change_type == CHANGE_CREATE:
            seen = self.alerts.created(uuid, camera, kinds)
            if seen is Seen.DUPLICATE:
                return False
            sensors = seen is Seen.NEW
        elif event.change_type == CHANGE_DELETE:
            first, record = self.alerts.deleted(uuid)
            if not first:
                return False
            sensors = True
            if record is not None:
                camera, kinds = record.camera_uuid, record.kinds
        if camera is None:
            return True
        alert = RhombusAlert(uuid, event.change_type, camera, kinds, event, replayed)
        for cb in self._camera_subscribers.get(camera, ()):
            cb(alert)
        if sensors:
            for kind in kinds:
                for cb in self._subscribers.get((camera, kind), ()):
                    cb(alert)
        return True

    def _fire(
        self, event: ChangeEvent, kinds: tuple[DetectionKind, ...], *, replayed: bool
    ) -> None:
        camera_uuid = event.device_uuid
        camera = (self.coordinator.data or {}).get(camera_uuid or "")
        timestamp_ms = event.timestamp_ms
        self.hass.bus.async_fire(
            EVENT_RHOMBUS,
            {
                "config_entry_id": self.entry.entry_id,
                "org_uuid": self.org_uuid,
                "entity": event.entity,
                "entity_uuid": event.entity_uuid,
                "change_type": event.change_type,
                "device_uuid": camera_uuid,
                "device_id": self.devices.device_id(
                    camera_uuid, self.coordinator.data or {}
                ),
                "camera_name": camera.name if camera else None,
                "timestamp": event.timestamp_iso,
                "timestamp_ms": timestamp_ms,
                "duration_sec": event.duration_sec,
                "triggers": list(event.triggers or ()),
                "detections": [str(kind) for kind in kinds],
                "description": event.description,
                "replayed": replayed,
                "payload": event.payload,
            },
        )
