"""Housekeeping calls: firmware state and install, reboots.

Answers carry a status enum instead of ``error``; anything but the success
value raises `RhombusCommandError` with Rhombus's status, so the caller can
say why in the user's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from .exceptions import RhombusError

if TYPE_CHECKING:
    from .rest import RhombusRestClient

FULL_STATE_PATH: Final = "camera/getFullCameraState"
FIRMWARE_PATH: Final = "camera/updateFirmware"
CAMERA_REBOOT_PATH: Final = "camera/reboot"
E50_REBOOT_PATH: Final = "climate/reboot"
AUDIO_GATEWAY_REBOOT_PATH: Final = "audiogateway/reboot"
UPDATE_STARTED: Final = "UPDATE_STARTED"
REBOOT_SENT: Final = "SUCCESS_REBOOT_SENT"
DEVICE_REBOOT_SENT: Final = "REBOOT_SENT"


class RhombusCommandError(RhombusError):
    """Rhombus answered a command with a status other than success."""

    def __init__(self, path: str, status: str) -> None:
        """Keep the status (e.g. ``FAILED_CAMERA_OFFLINE``) for the caller."""
        super().__init__(f"{path}: {status}")
        self.status = status


@dataclass(frozen=True, slots=True)
class FirmwareState:
    """A camera's firmware from ``getFullCameraState``."""

    installed: str | None
    latest: str | None
    versions_behind: int | None
    in_progress: bool

    @classmethod
    def from_api(cls, state: Any) -> FirmwareState:
        """Read a ``FullDeviceStateType``; missing fields are None."""
        data: Mapping[str, Any] = state if isinstance(state, Mapping) else {}
        behind = data.get("versionsBehind")
        return cls(
            installed=_text(data.get("firmwareVersion")),
            latest=_text(data.get("latestFirmwareVersion")),
            versions_behind=behind if isinstance(behind, int) else None,
            in_progress=data.get("firmwareUpdateInProgress") is True,
        )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class RhombusDeviceAdminClient:
    """Firmware and reboot calls for cameras and gateways."""

    def __init__(self, rest: RhombusRestClient) -> None:
        """Share the REST client."""
        self._rest = rest

    async def get_firmware(self, camera_uuid: str) -> FirmwareState:
        """One ``getFullCameraState`` call (Rhombus's cached state, no force)."""
        data = await self._rest.request(FULL_STATE_PATH, {"cameraUuid": camera_uuid})
        return FirmwareState.from_api(data.get("fullCameraState"))

    async def update_firmware(self, camera_uuid: str) -> None:
        """Start the update; any status but ``UPDATE_STARTED`` raises."""
        data = await self._rest.request(FIRMWARE_PATH, {"cameraUuid": camera_uuid})
        _expect(FIRMWARE_PATH, data.get("status"), UPDATE_STARTED)

    async def reboot_camera(self, camera_uuid: str) -> None:
        """Send the reboot; ``FAILED_CAMERA_OFFLINE`` and the like raise."""
        data = await self._rest.request(CAMERA_REBOOT_PATH, {"cameraUuid": camera_uuid})
        _expect(CAMERA_REBOOT_PATH, data.get("status"), REBOOT_SENT)

    async def reboot_environmental_gateway(self, gateway_uuid: str) -> None:
        """Reboot an E50; ``DEVICE_OFFLINE`` raises."""
        data = await self._rest.request(
            E50_REBOOT_PATH, {"environmentalGatewayUuid": gateway_uuid}
        )
        _expect(E50_REBOOT_PATH, data.get("result"), DEVICE_REBOOT_SENT)

    async def reboot_audio_gateway(self, gateway_uuid: str) -> None:
        """Reboot an audio gateway (only in the 2025-08 MCP spec)."""
        data = await self._rest.request(
            AUDIO_GATEWAY_REBOOT_PATH, {"audioGatewayUuid": gateway_uuid}
        )
        _expect(AUDIO_GATEWAY_REBOOT_PATH, data.get("result"), DEVICE_REBOOT_SENT)


def _expect(path: str, status: Any, success: str) -> None:
    if status != success:
        raise RhombusCommandError(path, str(status) if status else "NO_STATUS")
