"""Device lifecycle: cameras added and removed in Rhombus, hints, manual removal."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.rhombus import async_remove_config_entry_device
from custom_components.rhombus.const import DOMAIN
from custom_components.rhombus.devices import camera_devices
from simulator import RhombusSimulator

from .helpers import advance, sensor_id, state_of, wait_until

LIST = "/api/camera/getMinimalCameraStateList"
HINTS = [
    {"entity": "CAMERA", "type": "UPDATE"},
    {"entity": "DEVICE", "type": "CREATE"},
    {"entity": "ORG", "type": "REFRESH"},
    {"entity": "CAMERA", "type": "DELETE"},
]


def entity_keys(hass: HomeAssistant, entry: MockConfigEntry, camera: str) -> set[str]:
    """Every registered entity of a camera, as ``<domain>.<key>``."""
    return {
        f"{e.domain}.{e.unique_id.removeprefix(f'{camera}_')}"
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.unique_id.startswith(f"{camera}_")
    }


async def test_stream_hints_become_one_refresh_that_adds_the_camera(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    stats = loaded_entry.runtime_data.hub.stream.stats
    added = simulator.add_camera("Rooftop")
    for index in range(20):
        await simulator.emit_change(
            HINTS[index % len(HINTS)] | {"entityUuid": added.uuid}
        )
    await wait_until(hass, lambda: stats.messages == 20)
    assert simulator.calls(LIST) == 1  # the hints wait out the cool-down

    await advance(hass, freezer, 10)
    await wait_until(
        hass, lambda: added.uuid in camera_devices(hass, loaded_entry.entry_id)
    )
    assert simulator.calls(LIST) == 2
    # Every per-camera platform added the camera's entities, no reload needed.
    keys = entity_keys(hass, loaded_entry, added.uuid)
    assert {
        "binary_sensor.person",
        "binary_sensor.connectivity",
        "event.detection",
        "camera.camera",
        "image.last_alert",
    } <= keys
    assert state_of(hass, sensor_id(hass, added.uuid, "person")) == "off"
    assert camera_devices(hass, loaded_entry.entry_id)[added.uuid].name == "Rooftop"

    await advance(hass, freezer, 60)
    assert simulator.calls(LIST) == 2


async def test_camera_removed_in_rhombus_loses_its_device_and_can_return(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    first, second, _ = simulator.cameras
    person = sensor_id(hass, first, "person")
    gone = simulator.cameras[first]
    simulator.remove_camera(first)

    await advance(hass, freezer, 301)
    await wait_until(
        hass, lambda: first not in camera_devices(hass, loaded_entry.entry_id)
    )
    assert entity_keys(hass, loaded_entry, first) == set()
    await hass.async_block_till_done()
    assert state_of(hass, person) is None
    assert second in camera_devices(hass, loaded_entry.entry_id)
    assert simulator.org_uuid in camera_devices(hass, loaded_entry.entry_id)

    # Re-registered in Rhombus with the same uuid: everything comes back.
    simulator.cameras[first] = gone
    await advance(hass, freezer, 301)
    await wait_until(hass, lambda: first in camera_devices(hass, loaded_entry.entry_id))
    await wait_until(
        hass, lambda: state_of(hass, sensor_id(hass, first, "person")) == "off"
    )
    # Every per-camera platform adds the returning camera's entities again.
    assert {
        "binary_sensor.connectivity",
        "event.detection",
        "camera.camera",
        "image.last_alert",
    } <= entity_keys(hass, loaded_entry, first)


async def test_only_stale_devices_can_be_deleted_by_hand(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    devices = camera_devices(hass, loaded_entry.entry_id)
    camera = next(iter(simulator.cameras))
    stale = device_registry.async_get_or_create(
        config_entry_id=loaded_entry.entry_id,
        identifiers={(DOMAIN, "a-camera-gone-from-rhombus")},
        name="Old camera",
    )

    assert not await async_remove_config_entry_device(
        hass, loaded_entry, devices[camera]
    )
    assert not await async_remove_config_entry_device(
        hass, loaded_entry, devices[simulator.org_uuid]
    )
    assert await async_remove_config_entry_device(hass, loaded_entry, stale)

    # Unloaded, nothing would bring a device back before the next setup.
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert await async_remove_config_entry_device(hass, loaded_entry, devices[camera])
