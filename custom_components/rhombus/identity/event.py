"""The ``face`` and ``license_plate`` event entities of a camera.

Each fires once per face or plate an alert names, with who or which car it
was as attributes, so an automation triggers on the entity and conditions on
``name`` or ``plate``. An alert whose identities could not be read fires
nothing here (its bus event says ``faces_unknown``); its detection sensor and
detection event still fire.

An event entity's state is the time it fired, to the millisecond, and a
state trigger with ``not_from`` ignores a write that keeps the state: two
faces fired in one millisecond would hide the second from the README's own
automation. So a firing waits for the next millisecond when it must.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Final

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import CALLBACK_TYPE, HassJob, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from ..aiorhombus import ChangeType, Identities
from ..coordinator import RhombusCoordinator
from ..entity import RhombusDeviceEntity
from ..hub import RhombusAlert, RhombusHub
from .kinds import (
    FACE_EVENT_TYPES,
    PLATE_EVENT_TYPES,
    face_event_type,
    plate_event_type,
)

FACE_EVENT = EventEntityDescription(key="face", translation_key="face")
PLATE_EVENT = EventEntityDescription(
    key="license_plate", translation_key="license_plate"
)

type Firing = tuple[str, dict[str, Any]]

# How long a firing waits for the clock to reach a new millisecond.
_NEXT_MILLISECOND: Final = 0.001


def _faces(identities: Identities, triggers: Iterable[str]) -> list[Firing]:
    return [
        (
            face_event_type(face, triggers),
            {
                "name": face.name,
                "person_uuid": face.person_uuid,
                "labels": list(face.labels),
            },
        )
        for face in identities.faces
    ]


def _plates(identities: Identities, triggers: Iterable[str]) -> list[Firing]:
    return [
        (
            plate_event_type(plate, triggers),
            {
                "plate": plate.plate,
                "vehicle_name": plate.vehicle_name,
                "labels": list(plate.labels),
            },
        )
        for plate in identities.plates
    ]


class RhombusIdentityEvent(RhombusDeviceEntity, EventEntity):
    """Fires once per face (or plate) of each new alert at its camera."""

    # Which alert and which person record differ at every event and mean
    # nothing in history; the name or plate is what history is for.
    _unrecorded_attributes = frozenset({"alert_uuid", "person_uuid", "labels"})

    def __init__(
        self,
        coordinator: RhombusCoordinator,
        hub: RhombusHub,
        camera_uuid: str,
        description: EventEntityDescription,
        firings: Callable[[Identities, Iterable[str]], list[Firing]],
        *,
        enabled: bool,
    ) -> None:
        """Bind to the camera; ``enabled``: its recognition feature is on."""
        super().__init__(coordinator, camera_uuid, description)
        self._hub = hub
        self._firings = firings
        self._queued: deque[Firing] = deque()
        self._wait: CALLBACK_TYPE | None = None
        self._fire_job = HassJob(self._fire_queued, "rhombus identity firing")
        self._attr_entity_registry_enabled_default = enabled
        self._attr_event_types = [
            str(kind)
            for kind in (
                FACE_EVENT_TYPES if description is FACE_EVENT else PLATE_EVENT_TYPES
            )
        ]

    async def async_added_to_hass(self) -> None:
        """Listen to this camera's alerts, and to the stream."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._hub.async_subscribe_camera(self.camera_uuid, self._on_alert)
        )
        self.async_on_remove(
            self._hub.async_subscribe_availability(self._on_availability)
        )
        self.async_on_remove(self._cancel_wait)

    @property
    def available(self) -> bool:
        """Follow the event stream, which is what delivers alerts."""
        return self._hub.available and self.camera_uuid in self.coordinator.data

    @callback
    def _on_alert(self, alert: RhombusAlert) -> None:
        if alert.change_type != ChangeType.CREATE or alert.identities is None:
            return
        triggers = alert.event.triggers or ()
        self._queued.extend(
            (event_type, {**attributes, "alert_uuid": alert.uuid})
            for event_type, attributes in self._firings(alert.identities, triggers)
        )
        if self._wait is None:
            self._fire_queued()

    @callback
    def _fire_queued(self, _now: datetime | None = None) -> None:
        """Fire in order, each in a millisecond of its own (a state of its own)."""
        self._wait = None
        while self._queued:
            if dt_util.utcnow().isoformat(timespec="milliseconds") == self.state:
                self._wait = async_call_later(
                    self.hass, _NEXT_MILLISECOND, self._fire_job
                )
                return
            event_type, attributes = self._queued.popleft()
            self._trigger_event(event_type, attributes)
            self.async_write_ha_state()

    @callback
    def _cancel_wait(self) -> None:
        if self._wait is not None:
            self._wait()
            self._wait = None

    @callback
    def _on_availability(self, _reconnected: bool) -> None:  # noqa: FBT001
        self.async_write_ha_state()


def identity_events(
    coordinator: RhombusCoordinator,
    hub: RhombusHub,
    camera_uuid: str,
    features: frozenset[str],
) -> list[RhombusIdentityEvent]:
    """A camera's face and plate entities, enabled where its features are on."""
    return [
        RhombusIdentityEvent(
            coordinator,
            hub,
            camera_uuid,
            FACE_EVENT,
            _faces,
            enabled="FACE_RECOGNITION" in features,
        ),
        RhombusIdentityEvent(
            coordinator,
            hub,
            camera_uuid,
            PLATE_EVENT,
            _plates,
            enabled="LICENSE_PLATE_RECOGNITION" in features,
        ),
    ]
