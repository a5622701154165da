"""The devices of the entry: what a camera's device says, and which go."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo

from .aiorhombus import Camera
from .const import DOMAIN
from .data import RhombusConfigEntry
from .hub.device_index import camera_devices

MANUFACTURER = "Rhombus"
# 2026.8 links a child device by its parent's device id and deprecates the
# identifier form; 2025.4 knows only the identifier form.
_VIA_DEVICE_ID = "via_device_id" in DeviceInfo.__annotations__


def via_org_device(entry: RhombusConfigEntry) -> DeviceInfo:
    """The link from a site device to the org's device, in this release's form."""
    if _VIA_DEVICE_ID:
        return DeviceInfo(via_device_id=entry.runtime_data.org_device_id)  # type: ignore[typeddict-unknown-key]
    return DeviceInfo(via_device=(DOMAIN, entry.unique_id or entry.entry_id))


def camera_device_info(camera: Camera, area: str | None = None) -> DeviceInfo:
    """Describe a camera's device; the model reads as Rhombus prints it (R200).

    ``area``: its location's name, applied by Home Assistant only when the
    device is created (a user's own area always wins).
    """
    model = camera.hw_variation
    if model is not None:
        model = model.removeprefix("CAMERA_")
    info = DeviceInfo(
        identifiers={(DOMAIN, camera.uuid)},
        manufacturer=MANUFACTURER,
        name=camera.name,
        model=model,
        model_id=camera.hw_variation,
        sw_version=camera.firmware_version,
        serial_number=camera.serial_number,
    )
    if area is not None:
        info["suggested_area"] = area
    return info


def org_device_info(entry: RhombusConfigEntry) -> DeviceInfo:
    """Describe the organisation's service device, home of account-wide entities."""
    return DeviceInfo(
        identifiers={(DOMAIN, entry.unique_id or entry.entry_id)},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer=MANUFACTURER,
        name=entry.title,
    )


@callback
def async_remove_stale_devices(hass: HomeAssistant, entry: RhombusConfigEntry) -> None:
    """Remove the devices of cameras and site hardware gone from Rhombus.

    Nothing is removed until every site kind has been read once, since a
    kind not read yet would look empty. Their entities leave the entity
    registry with them; hardware that returns gets a new device from its
    entities. The org's service device is not listed hardware and stays; a
    location's device goes when the location does. A
    device the user disabled is kept: that is how a camera is hidden.
    """
    data = entry.runtime_data
    if not data.site.complete or not data.locations.last_update_success:
        return
    listed = {*data.coordinator.data, *data.site.devices, *data.locations.data}
    registry = dr.async_get(hass)
    for uuid, device in camera_devices(hass, entry.entry_id).items():
        if uuid in (entry.unique_id, entry.entry_id):
            continue  # the org's service device
        if uuid not in listed:
            registry.async_remove_device(device.id)
