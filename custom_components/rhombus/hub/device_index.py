"""Camera uuid → device id, kept in step with the Rhombus camera list.

Only calls that exist from 2025.4 to the newest release are used: devices are
found through ``async_entries_for_config_entry`` rather than
``async_get_device``, which 2026.8 deprecated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from ..const import DOMAIN


class NamedDevice(Protocol):
    """A camera or a site device: what its Home Assistant device shows."""

    @property
    def name(self) -> str:
        """The name Rhombus gives it."""

    @property
    def firmware_version(self) -> str | None:
        """Its firmware, when Rhombus says."""


@callback
def camera_devices(hass: HomeAssistant, entry_id: str) -> dict[str, dr.DeviceEntry]:
    """Return the entry's devices keyed by camera uuid."""
    registry = dr.async_get(hass)
    devices: dict[str, dr.DeviceEntry] = {}
    for device in dr.async_entries_for_config_entry(registry, entry_id):
        for domain, uuid in device.identifiers:
            if domain == DOMAIN:
                devices[uuid] = device
    return devices


@callback
def async_sync_devices(
    hass: HomeAssistant, entry_id: str, cameras: Mapping[str, NamedDevice]
) -> dict[str, str]:
    """Carry renames and firmware updates over; return camera uuid → device id.

    Setting ``name`` leaves a name the user gave the device (``name_by_user``)
    in place, which is what the user expects.
    """
    registry = dr.async_get(hass)
    device_ids: dict[str, str] = {}
    for uuid, device in camera_devices(hass, entry_id).items():
        device_ids[uuid] = device.id
        if (camera := cameras.get(uuid)) is None:
            continue
        if device.name != camera.name or device.sw_version != camera.firmware_version:
            registry.async_update_device(
                device.id, name=camera.name, sw_version=camera.firmware_version
            )
    return device_ids


class CameraDeviceIndex:
    """Camera uuid → Home Assistant device id, for the bus event's ``device_id``.

    Relearnt at each camera-list refresh; a camera the index does not know is
    looked up once (it may be brand new), then not again until the next
    refresh, so an alert never costs a registry scan.
    """

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Start empty; :meth:`refresh` fills it."""
        self._hass = hass
        self._entry_id = entry_id
        self._ids: dict[str, str] = {}
        self._deviceless: set[str] = set()

    @callback
    def refresh(self, cameras: Mapping[str, NamedDevice]) -> None:
        """Carry renames over to the devices and relearn their ids."""
        self._deviceless.clear()
        self._ids = async_sync_devices(self._hass, self._entry_id, cameras)

    @callback
    def device_id(self, uuid: str | None, *, listed: bool) -> str | None:
        """The device's id, or None (no device, or no HA device yet).

        ``listed``: a consumer knows the device, so a miss may be a device
        added since the last refresh, worth one registry scan.
        """
        if uuid is None:
            return None
        device_id = self._ids.get(uuid)
        if device_id is None and listed and uuid not in self._deviceless:
            self._refresh_ids()
            device_id = self._ids.get(uuid)
            if device_id is None:
                self._deviceless.add(uuid)
        return device_id

    def _refresh_ids(self) -> None:
        """Relearn the ids only (renames wait for the next list)."""
        self._ids = {
            uuid: device.id
            for uuid, device in camera_devices(self._hass, self._entry_id).items()
        }
