"""The options flow: the form, and what saving it changes without a restart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
import voluptuous as vol

from custom_components.rhombus.const import DOMAIN, EVENT_RHOMBUS
from simulator import RhombusSimulator

from .helpers import entry_for, sensor_id, setup_entry, state_of, wait_until


def fields(result: FlowResult) -> dict[str, tuple[vol.Marker, Any]]:
    """The form's fields by name: (marker, selector)."""
    return {
        str(key): (key, value) for key, value in result["data_schema"].schema.items()
    }


def shown(marker: vol.Marker) -> Any:
    """What the form shows for a field: its suggested value, else its default."""
    suggested = (marker.description or {}).get("suggested_value")
    if suggested is not None:
        return suggested
    return marker.default()


async def open_options(hass: HomeAssistant, entry: MockConfigEntry) -> FlowResult:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    return result


async def save_options(
    hass: HomeAssistant,
    sim: RhombusSimulator,
    entry: MockConfigEntry,
    **user_input: Any,
) -> FlowResult:
    """Submit the form and wait until the reloaded entry streams again."""
    result = await open_options(hass, entry)
    form = {"hold_seconds": 30, "all_events": False, "pause_hours": 12} | user_input
    async with reloaded(hass, sim, entry):
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], form
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
    return result


@asynccontextmanager
async def reloaded(
    hass: HomeAssistant, sim: RhombusSimulator, entry: MockConfigEntry
) -> AsyncIterator[None]:
    """Wait, after the block, until the entry was reloaded and streams again."""
    subscribed = sum(f.command == "SUBSCRIBE" for f in sim.received_frames)
    hub = entry.runtime_data.hub
    yield
    await wait_until(
        hass,
        lambda: (
            entry.state is ConfigEntryState.LOADED and entry.runtime_data.hub is not hub
        ),
    )
    await sim.wait_for_subscription(subscribed + 1)


async def test_form_shows_defaults(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    result = await open_options(hass, loaded_entry)
    form = fields(result)
    assert list(form) == [
        "hold_seconds",
        "all_events",
        "pause_hours",
        "door_code",
        "clear_door_code",
    ]
    hold, number = form["hold_seconds"]
    assert shown(hold) == 30
    assert (number.config["min"], number.config["max"]) == (5, 3600)
    assert number.config["unit_of_measurement"] == "s"
    assert shown(form["all_events"][0]) is False
    hours, number = form["pause_hours"]
    assert shown(hours) == 12
    assert (number.config["min"], number.config["max"]) == (1, 168)
    assert number.config["unit_of_measurement"] == "h"
    code, text = form["door_code"]
    assert text.config["type"] == "password"
    assert code.default is vol.UNDEFINED
    assert not code.description  # never prefilled


async def test_form_shows_saved_choice(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    entry = await setup_entry(
        hass, simulator, entry_for(simulator, hold_seconds=90, all_events=True)
    )
    form = fields(await open_options(hass, entry))
    assert shown(form["hold_seconds"][0]) == 90
    assert shown(form["all_events"][0]) is True


async def test_saving_applies_hold_time_and_all_events_without_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    stats = loaded_entry.runtime_data.hub.stream.stats
    await simulator.emit_change({"entity": "LOCATION", "type": "UPDATE"})
    await wait_until(hass, lambda: stats.messages == 1)
    assert events == []  # only alerts, by default

    result = await save_options(
        hass,
        simulator,
        loaded_entry,
        hold_seconds=5.0,  # the number selector hands over a float
        all_events=True,
        pause_hours=2.0,
    )
    assert loaded_entry.options == {
        "hold_seconds": 5,
        "all_events": True,
        "pause_hours": 2,
    }
    assert result["data"] == loaded_entry.options

    await simulator.emit_change({"entity": "LOCATION", "type": "UPDATE"})
    await wait_until(hass, lambda: len(events) == 1)
    assert events[0].data["entity"] == "LOCATION"

    motion = sensor_id(hass, camera, "motion")
    await simulator.emit_alert(camera, ("MOTION",))
    await wait_until(hass, lambda: state_of(hass, motion) == "on")
    freezer.tick(timedelta(seconds=6))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state_of(hass, motion) == "off"


async def test_unchanged_options_do_not_reload(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    options = {
        "hold_seconds": 30,
        "all_events": False,
        "pause_hours": 12,
    }
    entry = await setup_entry(hass, simulator, entry_for(simulator, **options))
    hub = entry.runtime_data.hub
    result = await open_options(hass, entry)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], dict(options)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.runtime_data.hub is hub
    assert simulator.connections_opened == 1


async def test_options_open_while_the_entry_is_not_loaded(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """Nothing in the form needs the account: it opens while setup retries."""
    simulator.fail_rest(None, status=500)
    entry = entry_for(simulator, hold_seconds=45)
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    form = fields(await open_options(hass, entry))
    assert shown(form["hold_seconds"][0]) == 45


@pytest.mark.parametrize(
    "bad_input",
    [
        {"detections": ["person"]},
        {"hold_seconds": 4},
        {"hold_seconds": 3601},
        {"pause_hours": 0},
        {"pause_hours": 169},
    ],
)
async def test_invalid_choices_are_refused(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    bad_input: dict[str, Any],
) -> None:
    result = await open_options(hass, loaded_entry)
    with pytest.raises(vol.Invalid):
        await hass.config_entries.options.async_configure(
            result["flow_id"],
            {"hold_seconds": 30, "all_events": False, "pause_hours": 12} | bad_input,
        )
    assert loaded_entry.options == {}
    assert DOMAIN in hass.config_entries.async_domains()


async def test_door_code_is_set_kept_and_cleared(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Set once; an empty field keeps it (it is never shown back); a tick clears it."""
    await save_options(hass, simulator, loaded_entry, door_code=" 2468 ")
    assert loaded_entry.options["door_code"] == "2468"
    code = fields(await open_options(hass, loaded_entry))["door_code"][0]
    assert code.default is vol.UNDEFINED  # never shown back
    assert not code.description

    await save_options(hass, simulator, loaded_entry, hold_seconds=40)
    assert loaded_entry.options == {
        "hold_seconds": 40,
        "all_events": False,
        "pause_hours": 12,
        "door_code": "2468",
    }
    await save_options(hass, simulator, loaded_entry, door_code="1357")
    assert loaded_entry.options["door_code"] == "1357"
    await save_options(
        hass, simulator, loaded_entry, door_code="9999", clear_door_code=True
    )
    assert loaded_entry.options == {
        "hold_seconds": 30,
        "all_events": False,
        "pause_hours": 12,
    }


async def test_a_short_door_code_is_refused(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    result = await open_options(hass, loaded_entry)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"hold_seconds": 30, "all_events": False, "pause_hours": 12, "door_code": "12"},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"door_code": "door_code_too_short"}
    code = fields(result)["door_code"][0]
    assert code.default is vol.UNDEFINED  # the refused code is not shown back
    assert not code.description
    assert loaded_entry.options == {}
