"""Which of a camera's entities hear of an alert, and when an alert stops here.

Detection sensors subscribe to one (camera, kind); event and image entities
to a camera. A disabled entity never subscribes, so it costs nothing per
alert.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.core import CALLBACK_TYPE, callback

from ..aiorhombus import ChangeEvent, ChangeType, Identities
from ..detections import DetectionKind
from .alert_log import AlertLog, Seen


# Not frozen: one is made per alert, and a frozen dataclass's __init__ costs
# several times a plain one's. Entities only read it.
@dataclass(slots=True)
class RhombusAlert:
    """What a camera's entities learn about one alert."""

    uuid: str
    change_type: ChangeType | str
    camera_uuid: str
    kinds: tuple[DetectionKind, ...]
    event: ChangeEvent
    replayed: bool = False
    # Who or which car (None: the alert names nobody, or they could not be read).
    identities: Identities | None = None


type AlertCallback = Callable[[RhombusAlert], None]


class AlertRouter:
    """Hands each alert to the entities subscribed to its camera and kinds."""

    def __init__(self, alerts: AlertLog) -> None:
        """Route by what ``alerts`` remembers (duplicates, DELETE targets)."""
        self._alerts = alerts
        self._by_kind: dict[tuple[str, DetectionKind], list[AlertCallback]] = {}
        self._by_camera: dict[str, list[AlertCallback]] = {}

    @callback
    def async_subscribe_kind(
        self, camera_uuid: str, kind: DetectionKind, cb: AlertCallback
    ) -> CALLBACK_TYPE:
        """Call ``cb`` for each CREATE and DELETE of ``kind`` at ``camera_uuid``."""
        callbacks = self._by_kind.setdefault((camera_uuid, kind), [])
        callbacks.append(cb)
        return lambda: callbacks.remove(cb)

    @callback
    def async_subscribe_camera(
        self, camera_uuid: str, cb: AlertCallback
    ) -> CALLBACK_TYPE:
        """Call ``cb`` for every alert at ``camera_uuid``, whatever its triggers.

        ``cb`` sees each CREATE, UPDATE and DELETE once (duplicates are
        already dropped).
        """
        callbacks = self._by_camera.setdefault(camera_uuid, [])
        callbacks.append(cb)
        return lambda: callbacks.remove(cb)

    def route(
        self, event: ChangeEvent, kinds: tuple[DetectionKind, ...], *, replayed: bool
    ) -> bool:
        """Tell the camera's entities; False for a duplicate that must go no further."""
        uuid = event.entity_uuid
        camera = event.device_uuid
        if uuid is None:
            return True
        sensors = False  # UPDATE: the bus and the camera's entities only
        if event.change_type == ChangeType.CREATE:
            seen = self._alerts.created(uuid, camera, kinds)
            if seen is Seen.DUPLICATE:
                return False
            sensors = seen is Seen.NEW
        elif event.change_type == ChangeType.DELETE:
            first, record = self._alerts.deleted(uuid)
            if not first:
                return False
            sensors = True
            if record is not None:
                camera, kinds = record.camera_uuid, record.kinds
        if camera is None:
            return True
        alert = RhombusAlert(uuid, event.change_type, camera, kinds, event, replayed)
        for cb in self._by_camera.get(camera, ()):
            cb(alert)
        if sensors:
            for kind in kinds:
                for cb in self._by_kind.get((camera, kind), ()):
                    cb(alert)
        return True
