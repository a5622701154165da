"""The camera list refresh: renames reach Home Assistant, calls stay few."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.rhombus.devices import camera_devices
from simulator import RhombusSimulator

from .helpers import sensor_id, state_of, wait_until

LIST = "/api/camera/getMinimalCameraStateList"


def refresh(freezer: FrozenDateTimeFactory, hass: HomeAssistant) -> None:
    """Move past the refresh interval; the refresh itself runs in the background."""
    freezer.tick(timedelta(minutes=5, seconds=1))
    async_fire_time_changed(hass)


async def test_rename_propagates_at_next_refresh(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    first, second, _ = simulator.cameras
    devices = camera_devices(hass, loaded_entry.entry_id)
    registry = dr.async_get(hass)
    registry.async_update_device(devices[second].id, name_by_user="My garage")
    simulator.rename_camera(first, "Lobby East")
    simulator.rename_camera(second, "Garage (renamed in Rhombus)")

    refresh(freezer, hass)
    await wait_until(
        hass,
        lambda: camera_devices(hass, loaded_entry.entry_id)[first].name == "Lobby East",
    )
    devices = camera_devices(hass, loaded_entry.entry_id)
    assert devices[second].name == "Garage (renamed in Rhombus)"
    assert devices[second].name_by_user == "My garage"  # the user's choice stays
    person = hass.states.get(sensor_id(hass, first, "person"))
    assert person is not None
    assert person.name == "Lobby East Person"
    assert simulator.calls(LIST) == 2


async def test_one_call_per_refresh_interval(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    for _ in range(3):
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert simulator.calls(LIST) == 1
    refresh(freezer, hass)
    await wait_until(hass, lambda: simulator.calls(LIST) == 2)


async def test_removed_camera_goes_and_added_camera_appears(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    first, *_ = simulator.cameras
    simulator.remove_camera(first)
    added = simulator.add_camera("Rooftop")
    person = sensor_id(hass, first, "person")
    refresh(freezer, hass)
    await wait_until(
        hass, lambda: added.uuid in camera_devices(hass, loaded_entry.entry_id)
    )
    # The removed camera's device goes, and its entities with it.
    assert first not in camera_devices(hass, loaded_entry.entry_id)
    assert state_of(hass, person) is None
    assert state_of(hass, sensor_id(hass, added.uuid, "person")) == "off"
    devices = camera_devices(hass, loaded_entry.entry_id)
    assert devices[added.uuid].name == "Rooftop"


async def test_failed_refresh_keeps_stream_sensors_working(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Availability follows the stream that delivers the state, not REST."""
    coordinator = loaded_entry.runtime_data.coordinator
    camera = next(iter(simulator.cameras))
    person = sensor_id(hass, camera, "person")
    simulator.fail_rest(LIST, status=500)
    refresh(freezer, hass)
    await wait_until(hass, lambda: not coordinator.last_update_success)
    assert state_of(hass, person) == "off"
    await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: state_of(hass, person) == "on")
    assert "Error fetching rhombus data" in caplog.text
    refresh(freezer, hass)
    await wait_until(hass, lambda: coordinator.last_update_success)
