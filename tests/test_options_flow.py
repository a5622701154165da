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
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
import voluptuous as vol

from custom_components.rhombus.const import DOMAIN, EVENT_RHOMBUS
from simulator import RhombusSimulator

from .conftest import entry_for, sensor_id, setup_entry, state_of, wait_until

DEFAULT_KINDS = [
    "person",
    "vehicle",
    "motion",
    "loitering",
    "line_crossing",
    "area_intrusion",
]
ALL_KINDS = [
    *DEFAULT_KINDS,
    "animal",
    "package",
    "face",
    "license_plate",
    "tamper",
    "sound",
]


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
    form = {"hold_seconds": 30, "all_events": False} | user_input
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


def binary_sensor_keys(hass: HomeAssistant, entry: MockConfigEntry, camera: str):
    """The enabled binary sensors of a camera, by key."""
    return sorted(
        e.unique_id.removeprefix(f"{camera}_")
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.domain == "binary_sensor"
        and e.unique_id.startswith(f"{camera}_")
        and e.disabled_by is None
    )


def camera_uuids_with_devices(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return {uuid for d in devices for _, uuid in d.identifiers} - {entry.unique_id}


async def test_form_shows_defaults_and_camera_names(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    result = await open_options(hass, loaded_entry)
    form = fields(result)
    assert list(form) == ["detections", "cameras", "hold_seconds", "all_events"]

    detections, kinds = form["detections"]
    assert shown(detections) == DEFAULT_KINDS
    assert kinds.config["options"] == ALL_KINDS
    assert kinds.config["multiple"] is True
    assert kinds.config["translation_key"] == "detections"

    cameras, camera_choice = form["cameras"]
    assert shown(cameras) == []
    names = {c.uuid: c.name for c in simulator.cameras.values()}
    assert camera_choice.config["options"] == sorted(
        ({"value": uuid, "label": name} for uuid, name in names.items()),
        key=lambda option: option["label"].casefold(),
    )
    hold, number = form["hold_seconds"]
    assert shown(hold) == 30
    assert (number.config["min"], number.config["max"]) == (5, 3600)
    assert number.config["unit_of_measurement"] == "s"
    assert shown(form["all_events"][0]) is False


async def test_form_shows_saved_choice(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    first, *_ = simulator.cameras
    entry = await setup_entry(
        hass,
        simulator,
        entry_for(
            simulator,
            detections=["person", "animal"],
            cameras=[first, "a-camera-removed-since"],
            hold_seconds=90,
            all_events=True,
        ),
    )
    form = fields(await open_options(hass, entry))
    assert shown(form["detections"][0]) == ["person", "animal"]
    assert shown(form["cameras"][0]) == [first]  # the removed one is no choice
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
        detections=DEFAULT_KINDS,
        hold_seconds=5.0,  # the number selector hands over a float
        all_events=True,
    )
    assert loaded_entry.options == {
        "detections": DEFAULT_KINDS,
        "cameras": [],
        "hold_seconds": 5,
        "all_events": True,
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
        "detections": ["person"],
        "cameras": [],
        "hold_seconds": 30,
        "all_events": False,
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


async def test_deselected_kinds_and_cameras_leave_and_return(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    first, second, third = simulator.cameras
    registry = er.async_get(hass)
    second_person = sensor_id(hass, second, "person")
    first_vehicle = sensor_id(hass, first, "vehicle")
    assert binary_sensor_keys(hass, loaded_entry, first) == sorted(
        [*DEFAULT_KINDS, "connectivity"]
    )

    # A kind that existed disabled is enabled once chosen.
    await save_options(
        hass, simulator, loaded_entry, detections=["person", "animal"], cameras=[first]
    )
    expected = ["animal", "connectivity", "person"]
    assert binary_sensor_keys(hass, loaded_entry, first) == expected
    assert state_of(hass, sensor_id(hass, first, "animal")) == "off"
    # Home Assistant reloads an entry 30 s after one of its entities is
    # enabled; that changes nothing more.
    async with reloaded(hass, simulator, loaded_entry):
        freezer.tick(timedelta(seconds=31))
        async_fire_time_changed(hass)
    assert binary_sensor_keys(hass, loaded_entry, first) == expected
    assert registry.async_get(first_vehicle) is None
    assert state_of(hass, first_vehicle) is None
    assert state_of(hass, sensor_id(hass, first, "animal")) == "off"
    # The cameras left out lose their devices, and every entity with them.
    assert camera_uuids_with_devices(hass, loaded_entry) == {first}
    assert registry.async_get(second_person) is None
    assert state_of(hass, second_person) is None
    assert not [
        e
        for e in er.async_entries_for_config_entry(registry, loaded_entry.entry_id)
        if e.unique_id.startswith((second, third))
    ]

    # An alert for a left-out camera still reaches nothing, and nothing breaks.
    await simulator.emit_alert(second, ("MOTION_HUMAN",))
    await simulator.emit_alert(first, ("MOTION_ANIMAL",))
    await wait_until(
        hass, lambda: state_of(hass, sensor_id(hass, first, "animal")) == "on"
    )

    # Back to every camera and the six common kinds.
    await save_options(hass, simulator, loaded_entry, detections=DEFAULT_KINDS)
    assert camera_uuids_with_devices(hass, loaded_entry) == {first, second, third}
    for camera in (first, second, third):
        assert binary_sensor_keys(hass, loaded_entry, camera) == sorted(
            [*DEFAULT_KINDS, "connectivity"]
        )
    assert state_of(hass, sensor_id(hass, second, "person")) == "off"
    assert registry.async_get(sensor_id(hass, first, "vehicle")) is not None
    assert all(
        not e.unique_id.endswith("_animal")
        for e in er.async_entries_for_config_entry(registry, loaded_entry.entry_id)
    )


async def test_no_kind_chosen_means_no_detection_sensors(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    """An empty choice (the form may omit empty fields) keeps the cameras."""
    await save_options(hass, simulator, loaded_entry)
    assert loaded_entry.options["detections"] == []
    assert loaded_entry.options["cameras"] == []
    for camera in simulator.cameras:
        assert binary_sensor_keys(hass, loaded_entry, camera) == ["connectivity"]


async def test_options_need_a_loaded_entry(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    simulator.fail_rest(None, status=500)
    entry = entry_for(simulator)
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_loaded"


@pytest.mark.parametrize(
    "bad_input",
    [
        {"detections": ["person", "unicorn"]},
        {"cameras": ["not-a-camera"]},
        {"hold_seconds": 4},
        {"hold_seconds": 3601},
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
            result["flow_id"], {"hold_seconds": 30, "all_events": False} | bad_input
        )
    assert loaded_entry.options == {}
    assert DOMAIN in hass.config_entries.async_domains()
