"""The org's locations: read with the camera list's cadence, refused gracefully."""

from __future__ import annotations

import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest

from simulator import RhombusSimulator

from .helpers import advance, device_for, entry_for, setup_entry, wait_until

LOCATIONS = "/api/location/getLocations"


async def test_locations_are_read_at_setup_and_every_five_minutes(
    hass: HomeAssistant, simulator: RhombusSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """One call at setup, one more five minutes later with the new location."""
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    locations = entry.runtime_data.locations
    assert [loc.name for loc in locations.data.values()] == ["Main Office"]
    assert simulator.calls(LOCATIONS) == 1
    warehouse = simulator.add_location("Warehouse")
    await advance(hass, freezer, 301)
    await wait_until(hass, lambda: warehouse in locations.data)
    assert simulator.calls(LOCATIONS) == 2
    assert locations.data[warehouse].name == "Warehouse"


async def test_a_role_without_locations_is_said_once(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A refused location list: one log line, no locations, the entry loads."""
    caplog.set_level(logging.INFO, "custom_components.rhombus")
    simulator.refuse_service("locations")
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.locations.data == {}
    await advance(hass, freezer, 301)
    assert simulator.calls(LOCATIONS) == 1  # asked again every 15 minutes
    await advance(hass, freezer, 600)
    await wait_until(hass, lambda: simulator.calls(LOCATIONS) == 2)
    assert caplog.text.count("may not read locations") == 1


async def test_a_refusal_after_a_good_read_keeps_the_location_devices(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A passing 403 is a failed read: the location's device is not removed."""
    caplog.set_level(logging.INFO, "custom_components.rhombus")
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    locations = entry.runtime_data.locations
    (office,) = locations.data
    assert device_for(hass, office) is not None
    simulator.refuse_service("locations")
    await advance(hass, freezer, 301)
    await wait_until(hass, lambda: not locations.last_update_success)
    assert str(locations.last_exception).startswith("Could not read locations from")
    assert device_for(hass, office) is not None
    assert office in locations.data
    assert "may not read locations" not in caplog.text
    simulator.clear_faults()
    await advance(hass, freezer, 301)
    await wait_until(hass, lambda: locations.last_update_success)
    assert device_for(hass, office) is not None
