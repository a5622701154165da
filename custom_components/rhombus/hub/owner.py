"""The event hub: one Rhombus event stream per entry, routed to Home Assistant.

For every change on the org's topic it (a) updates the subscribed detection
entities of the alert's camera and (b) fires ``rhombus_event`` on the bus.
Nothing on this path calls REST when the payload is complete.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

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
)
from ..const import DOMAIN, EVENT_RHOMBUS, LOGGER
from ..coordinator import RhombusCoordinator
from ..data import RhombusConfigEntry
from ..detections import DetectionKind, kinds_of
from ..media.links import alert_media_id
from ..settings import all_events, endpoints_from
from .alert_log import AlertLog
from .availability import StreamAvailability
from .device_index import CameraDeviceIndex
from .routing import AlertRouter
from .stream_access import StreamAccess

if TYPE_CHECKING:
    from ..site.hub import SiteHub, SiteSource

# Entities whose change means the camera list may have changed.
_DEVICE_ENTITIES = frozenset({"CAMERA", "DEVICE"})


class RhombusHub:
    """Owns the stream of one entry and fans its changes out."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        rest: RhombusRestClient,
        coordinator: RhombusCoordinator,
        site: SiteHub | None = None,
    ) -> None:
        """Wire the stream; it starts in :meth:`async_start`."""
        self.hass = hass
        self.entry = entry
        self.rest = rest
        self.coordinator = coordinator
        self.site = site
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
        self.devices = CameraDeviceIndex(hass, entry.entry_id)
        self.alerts = AlertLog()
        self._router = AlertRouter(self.alerts)
        self.async_subscribe_kind = self._router.async_subscribe_kind
        self.async_subscribe_camera = self._router.async_subscribe_camera
        self.replayed = 0
        self._pending: set[asyncio.Task[None]] = set()
        self._change_listeners: list[Callable[[ChangeEvent], None]] = []

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
        self.devices.refresh(self._named())

    def _named(self) -> dict[str, Any]:
        if self.site is None:
            return self.coordinator.data
        return {**self.site.devices, **self.coordinator.data}

    @callback
    def async_listen_changes(self, cb: Callable[[ChangeEvent], None]) -> CALLBACK_TYPE:
        """Call ``cb`` with every change that is not an alert (camera config…)."""
        self._change_listeners.append(cb)
        return lambda: self._change_listeners.remove(cb)

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
        """Call ``cb(state)`` at every change of the stream's state, without grace.

        The event-stream connectivity sensor shows the stream as it is.
        """
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
        creates_alert = event.is_alert and event.change_type == ChangeType.CREATE
        if creates_alert and self.alerts.repeated(event.entity_uuid):
            return
        # A door's alert names its door, not a device: it is complete as it is.
        if event.needs_details and not (self.site and self.site.is_site_alert(event)):
            assert event.entity_uuid is not None  # noqa: S101 - needs_details checks it
            if creates_alert:
                self.alerts.fetching.add(event.entity_uuid)
            self._track(self._complete(event, event.entity_uuid), "alert details")
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
            if self.alerts.repeated(event.entity_uuid):
                continue  # the overlap, delivered live already
            self.replayed += 1
            self._process(event, replayed=True)

    async def _complete(self, event: ChangeEvent, uuid: str) -> None:
        """Fetch a sparse alert's details once; deliver it either way."""
        try:
            alert = await self.rest.get_policy_alert_details(uuid)
        except RhombusError as err:
            LOGGER.debug("Alert details unavailable: %s", err)
            alert = None
        finally:
            self.alerts.fetching.discard(uuid)
        self._process(event.completed_by(alert) if alert else event)

    @callback
    def _process(self, event: ChangeEvent, *, replayed: bool = False) -> None:
        if not event.is_alert:  # camera config changes and the like
            for listener in self._change_listeners:
                listener(event)
        kinds: tuple[DetectionKind, ...] = ()
        source: SiteSource | None = None
        if event.is_alert:
            kinds = kinds_of(event.triggers or ())
            if not self._router.route(event, kinds, replayed=replayed):
                return
            if self.site is not None:
                source = self.site.on_alert(event, replayed=replayed)
        elif (
            event.change_type == ChangeType.REFRESH
            or event.entity_type in _DEVICE_ENTITIES
        ):
            self.hass.async_create_task(self.coordinator.async_request_refresh())
        elif self.site is not None:
            self.site.hint(event.entity_type, event.device_uuid or event.entity_uuid)
        if event.is_alert or self._all_events:
            self._fire(event, kinds, source, replayed=replayed)

    def _fire(
        self,
        event: ChangeEvent,
        kinds: tuple[DetectionKind, ...],
        source: SiteSource | None,
        *,
        replayed: bool,
    ) -> None:
        cameras = self.coordinator.data
        device_uuid: str | None
        name: str | None
        device_type: str | None
        camera = None  # a site device's alert has no footage
        if source is not None:
            device_uuid, name, device_type = source.uuid, source.name, str(source.kind)
            known: dict[str, Any] = self._named()
        else:
            device_uuid = event.device_uuid
            camera = cameras.get(device_uuid or "")
            name = camera.name if camera else None
            device_type = "camera" if camera else None
            known = cameras
        timestamp_ms = event.timestamp_ms
        self.hass.bus.async_fire(
            EVENT_RHOMBUS,
            {
                "config_entry_id": self.entry.entry_id,
                "org_uuid": self.org_uuid,
                "entity": event.entity_type,
                "entity_uuid": event.entity_uuid,
                "change_type": event.change_type,
                "device_uuid": device_uuid,
                "device_id": self.devices.device_id(device_uuid, known),
                # camera_name is kept for automations written before the site.
                "camera_name": name,
                "device_name": name,
                "device_type": device_type,
                "timestamp": event.timestamp_iso,
                "timestamp_ms": timestamp_ms,
                "duration_sec": event.duration_sec,
                "triggers": list(event.triggers or ()),
                "detections": [str(kind) for kind in kinds],
                "description": event.description,
                "replayed": replayed,
                # The alert's footage in the media browser (None: no camera of ours).
                "media_content_id": (
                    alert_media_id(
                        self.entry.entry_id,
                        camera.uuid,
                        timestamp_ms,
                        event.duration_sec,
                    )
                    if event.is_alert and camera is not None and timestamp_ms
                    else None
                ),
                "payload": event.payload,
            },
        )
