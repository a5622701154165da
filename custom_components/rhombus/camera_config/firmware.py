"""Firmware per camera: installed and latest version, read hourly and on hints.

``getFullCameraState`` is one call per camera, so it is read only while the
camera's Firmware entity is enabled: when the entity is added, every
`FIRMWARE_INTERVAL`, and when the camera list shows the camera's firmware or
health change (a finished update, a new ``FIRMWARE_BEHIND``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_time_interval

from ..aiorhombus import (
    Camera,
    FirmwareState,
    RhombusCommandError,
    RhombusDeviceAdminClient,
    RhombusError,
)
from ..const import DOMAIN
from ..coordinator import RhombusCoordinator
from ..data import RhombusConfigEntry
from .read_queue import ReadQueue

FIRMWARE_INTERVAL = timedelta(hours=1)
# updateFirmware statuses (spelling as in the spec) → translation keys.
_INSTALL_ERRORS = {
    "ALREADY_ON_THE_LATEST_FIRMWARE": "firmware_already_latest",
    "DEVICE_ON_A_SPECIAL_FIRMWARE_AND_CANNOT_BE_UPDATED": "firmware_special",
    "UNABLE_TO_REACH_DEVICE": "firmware_unreachable",
    "FIRMWARE_UPDATE_ALREADY_IN_PROGESS": "firmware_in_progress",
    "DEVICE_NOT_AUTHROIZED": "firmware_not_authorized",
}


class FirmwareTracker:
    """The firmware of every camera whose Firmware entity is enabled."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        admin: RhombusDeviceAdminClient,
        coordinator: RhombusCoordinator,
        reads: ReadQueue,
    ) -> None:
        """Nothing is read until an entity asks."""
        self.hass = hass
        self.admin = admin
        self.coordinator = coordinator
        self.reads = reads
        self.states: dict[str, FirmwareState] = {}
        self._listeners: dict[str, CALLBACK_TYPE] = {}
        self._seen: dict[str, tuple[str | None, str | None]] = {}
        entry.async_on_unload(coordinator.async_add_listener(self._cameras_changed))
        entry.async_on_unload(
            async_track_time_interval(hass, self._hourly, FIRMWARE_INTERVAL)
        )

    @callback
    def async_track(self, uuid: str, cb: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Read the camera's firmware now and hourly; ``cb`` at each read."""
        self._listeners[uuid] = cb
        self._seen[uuid] = _hint(self.coordinator.data.get(uuid))
        self.request(uuid)

        @callback
        def untrack() -> None:
            self._listeners.pop(uuid, None)
            self.reads.cancel(f"firmware:{uuid}")

        return untrack

    def request(self, uuid: str) -> None:
        """Read one camera's firmware soon."""
        self.reads.request(f"firmware:{uuid}", lambda: self._read(uuid))

    async def _read(self, uuid: str) -> None:
        if uuid not in self._listeners:
            return
        self.states[uuid] = await self.admin.get_firmware(uuid)
        if (cb := self._listeners.get(uuid)) is not None:
            cb()

    @callback
    def _hourly(self, _now: datetime | None = None) -> None:
        for uuid in self._listeners:
            self.request(uuid)

    @callback
    def _cameras_changed(self) -> None:
        for uuid in self._listeners:
            hint = _hint(self.coordinator.data.get(uuid))
            if self._seen.get(uuid) != hint:
                self._seen[uuid] = hint
                self.request(uuid)

    async def async_install(self, uuid: str, camera: str) -> None:
        """Start the update; a refusal raises a translated error."""
        try:
            await self.admin.update_firmware(uuid)
        except RhombusCommandError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key=_INSTALL_ERRORS.get(err.status, "firmware_failed"),
                translation_placeholders={"camera": camera, "error": err.status},
            ) from err
        except RhombusError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="firmware_failed",
                translation_placeholders={"camera": camera, "error": str(err)},
            ) from err
        self.request(uuid)


def _hint(camera: Camera | None) -> tuple[str | None, str | None]:
    """What in the camera list hints at a firmware change."""
    if camera is None:
        return None, None
    return camera.firmware_version, camera.health_status
