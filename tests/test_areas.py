"""Every device gets its location's name as its area when it is created."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar, device_registry as dr

from custom_components.rhombus import async_remove_config_entry_device
from simulator import RhombusSimulator

from .helpers import advance, device_for, entry_for, setup_entry, wait_until


def _area_of(hass: HomeAssistant, uuid: str) -> str | None:
    device = device_for(hass, uuid)
    assert device is not None, uuid
    if device.area_id is None:
        return None
    area = ar.async_get(hass).async_get_area(device.area_id)
    return area.name if area else None


async def test_cameras_and_site_devices_get_their_location(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """A camera and each site device land in "Main Office"."""
    await setup_entry(hass, site_simulator, entry_for(site_simulator))
    uuids = [*site_simulator.world.cameras, *site_simulator.site.devices]
    assert uuids
    assert {uuid: _area_of(hass, uuid) for uuid in uuids} == dict.fromkeys(
        uuids, "Main Office"
    )


async def test_a_new_camera_gets_its_area_and_a_users_area_wins(
    hass: HomeAssistant, simulator: RhombusSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """The area is set once, at creation: a user's own area is kept."""
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    first = next(iter(simulator.world.cameras))
    kitchen = ar.async_get(hass).async_create("Kitchen")
    registry = dr.async_get(hass)
    device = device_for(hass, first)
    assert device is not None
    registry.async_update_device(device.id, area_id=kitchen.id)
    camera = simulator.add_camera("Back door")
    await advance(hass, freezer, 301)
    await wait_until(hass, lambda: device_for(hass, camera.uuid) is not None)
    assert _area_of(hass, camera.uuid) == "Main Office"
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert _area_of(hass, first) == "Kitchen"


async def test_no_area_when_locations_cannot_be_read(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """A role without locations: devices are made, without an area."""
    simulator.refuse_service("locations")
    await setup_entry(hass, simulator, entry_for(simulator))
    for uuid in simulator.world.cameras:
        assert _area_of(hass, uuid) is None


async def test_a_listed_locations_device_cannot_be_deleted(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """It would come back with its panel: deleting it is refused while listed."""
    home = next(iter(simulator.locations.locations))
    simulator.set_alarm_monitoring(home, ["1234"])
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    device = device_for(hass, home)
    assert device is not None
    assert _area_of(hass, home) == "Main Office"
    assert device.name == "Main Office (Rhombus)"
    assert device.via_device_id == entry.runtime_data.org_device_id
    assert not await async_remove_config_entry_device(hass, entry, device)
