"""The camera-configuration half of `RhombusSimulator`'s API (for tests and demos)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .camera_config import LATEST_FIRMWARE, CameraConfigApi, SimCameraConfig
from .world import World, now_ms

# Not in EntityEnum; the guide names it ("camera or sensor configuration
# change"). Its body is inferred: the alert's top-level fields, no ``update``.
CONFIG_ENTITY = "DEVICE_CONFIG"


class CameraConfigControls:
    """Mixed into `RhombusSimulator`."""

    world: World
    _camera_config: CameraConfigApi

    async def emit_change(self, body: Mapping[str, Any]) -> int:  # pragma: no cover
        """Provided by `RhombusSimulator`."""
        raise NotImplementedError

    def camera_config(self, uuid: str) -> SimCameraConfig:
        """A camera's config and features, to read or change in place."""
        return self._camera_config.config(uuid)

    async def emit_config_change(self, uuid: str) -> int:
        """Send the camera's ``DEVICE_CONFIG`` change (after changing its config)."""
        return await self.emit_change(
            {
                "entity": CONFIG_ENTITY,
                "entityUuid": uuid,
                "type": "UPDATE",
                "deviceUuid": uuid,
                "timestampMs": now_ms(),
            }
        )

    @property
    def gateway_reboots(self) -> dict[str, int]:
        """Reboots sent to each E50 or audio gateway."""
        return self._camera_config.gateway_reboots

    def firmware_updating(self, uuid: str) -> bool:
        """Whether ``camera/updateFirmware`` started an update not yet finished."""
        return uuid in self._camera_config.firmware_updating

    def finish_firmware_update(self, uuid: str) -> None:
        """The camera now runs the latest firmware (the list shows it at once)."""
        self._camera_config.firmware_updating.discard(uuid)
        self.world.camera(uuid).firmware_version = LATEST_FIRMWARE
