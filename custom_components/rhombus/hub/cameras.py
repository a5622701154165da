"""The cameras as a consumer of the stream: their entities and their list.

Detection sensors subscribe to one (camera, kind); event and image entities
to a camera. A disabled entity never subscribes, so it costs nothing per
alert. Camera and device changes (and ``REFRESH``) ask for the camera list.
"""

from __future__ import annotations

from collections.abc import Mapping

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from ..aiorhombus import Camera, ChangeEvent
from ..const import DOMAIN
from ..coordinator import RhombusCoordinator
from ..data import RhombusConfigEntry
from ..detections import DetectionKind
from .routing import AlertCallback, AlertSource, Consumer, RhombusAlert

# Entities whose change means the camera list may have changed.
CAMERA_ENTITIES = frozenset({"CAMERA", "DEVICE"})


class CameraAlerts:
    """Hands each alert to the entities subscribed to its camera and kinds."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        coordinator: RhombusCoordinator,
    ) -> None:
        """Route by the camera list of ``coordinator``."""
        self._hass = hass
        self._entry = entry
        self._coordinator = coordinator
        self._by_kind: dict[tuple[str, DetectionKind], list[AlertCallback]] = {}
        self._by_camera: dict[str, list[AlertCallback]] = {}
        self._every_alert: dict[str, list[AlertCallback]] = {}
        # One source per camera of the current list, made at its first alert.
        self._sources: dict[str, AlertSource] = {}
        self._sources_of: Mapping[str, Camera] | None = None

    def consumer(self) -> Consumer:
        """Its registration: every alert no other consumer takes."""
        return Consumer(
            entity_types=CAMERA_ENTITIES,
            refresh=True,
            on_change=self._on_change,
            on_alert=self.on_alert,
            devices=lambda: self._coordinator.data,
        )

    @callback
    def async_subscribe_kind(
        self, camera_uuid: str, kind: DetectionKind, cb: AlertCallback
    ) -> CALLBACK_TYPE:
        """Call ``cb`` at each live CREATE and DELETE of ``kind`` at the camera."""
        return _add(self._by_kind, (camera_uuid, kind), cb)

    @callback
    def async_subscribe_camera(
        self, camera_uuid: str, cb: AlertCallback, *, stale: bool = False
    ) -> CALLBACK_TYPE:
        """Call ``cb`` for every live alert at ``camera_uuid``, whatever its triggers.

        ``cb`` sees each CREATE, UPDATE and DELETE once (duplicates are
        already dropped); with ``stale``, replayed alerts older than the hold
        too (the latest alert's picture is a state, not a press).
        """
        table = self._every_alert if stale else self._by_camera
        return _add(table, camera_uuid, cb)

    @callback
    def _on_change(self, _event: ChangeEvent) -> None:
        self._entry.async_create_background_task(
            self._hass,
            self._coordinator.async_request_refresh(),
            f"{DOMAIN} camera list hint",
        )

    @callback
    def on_alert(self, alert: RhombusAlert) -> AlertSource | None:
        """Tell the camera's entities; name the camera if it is one of ours."""
        camera = alert.device_uuid
        if camera is None:
            return None
        if alert.uuid is not None:
            for cb in self._every_alert.get(camera, ()):
                cb(alert)
            if alert.live:
                for cb in self._by_camera.get(camera, ()):
                    cb(alert)
                if alert.first:
                    for kind in alert.kinds:
                        for cb in self._by_kind.get((camera, kind), ()):
                            cb(alert)
        return self._source(camera)

    def _source(self, camera_uuid: str) -> AlertSource | None:
        cameras = self._coordinator.data
        if cameras is not self._sources_of:  # a new list: names may differ
            self._sources.clear()
            self._sources_of = cameras
        source = self._sources.get(camera_uuid)
        if source is None and (camera := cameras.get(camera_uuid)) is not None:
            source = AlertSource(camera_uuid, camera.name, "camera", footage=True)
            self._sources[camera_uuid] = source
        return source


def _add[K](
    table: dict[K, list[AlertCallback]], key: K, cb: AlertCallback
) -> CALLBACK_TYPE:
    callbacks = table.setdefault(key, [])
    callbacks.append(cb)
    return lambda: callbacks.remove(cb)
