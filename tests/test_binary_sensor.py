"""Detection sensors turn on at an alert and off after the hold or a DELETE."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from simulator import RhombusSimulator

from .conftest import advance, entry_for, sensor_id, setup_entry, state_of, wait_until


async def test_alert_turns_right_sensor_on_and_hold_turns_it_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    lobby, other, _ = simulator.cameras
    person = sensor_id(hass, lobby, "person")
    await simulator.emit_alert(lobby, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: state_of(hass, person) == "on")
    assert state_of(hass, sensor_id(hass, lobby, "vehicle")) == "off"
    assert state_of(hass, sensor_id(hass, other, "person")) == "off"

    await advance(hass, freezer, 20)
    await simulator.emit_alert(lobby, ("MOTION_HUMAN",))  # re-arms the hold
    stats = loaded_entry.runtime_data.hub.stream.stats
    await wait_until(hass, lambda: stats.messages == 2)
    await advance(hass, freezer, 20)
    assert state_of(hass, person) == "on"
    await advance(hass, freezer, 11)
    assert state_of(hass, person) == "off"


async def test_delete_turns_sensor_off_at_once(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    camera = next(iter(simulator.cameras))
    vehicle = sensor_id(hass, camera, "vehicle")
    first = await simulator.emit_alert(camera, ("MOTION_CAR",))
    second = await simulator.emit_alert(camera, ("CAR_ENTER", "MOTION_CAR"))
    await wait_until(hass, lambda: state_of(hass, vehicle) == "on")
    line = sensor_id(hass, camera, "line_crossing")
    await wait_until(hass, lambda: state_of(hass, line) == "on")

    await simulator.emit_delete(first)
    await simulator.emit_alert(camera, ("MOTION",))  # a later message, to sync on
    await wait_until(
        hass, lambda: state_of(hass, sensor_id(hass, camera, "motion")) == "on"
    )
    assert state_of(hass, vehicle) == "on"  # the second alert still holds it

    await simulator.emit_delete(second)
    await wait_until(hass, lambda: state_of(hass, vehicle) == "off")
    assert state_of(hass, line) == "off"


async def test_flat_and_nested_shapes_both_work(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    first, second, _ = simulator.cameras
    await simulator.emit_alert(first, ("PERSON_DETECTED",), shape="flat")
    await simulator.emit_alert(second, ("LOITER_HUMAN",), shape="nested")
    await wait_until(
        hass, lambda: state_of(hass, sensor_id(hass, first, "person")) == "on"
    )
    await wait_until(
        hass, lambda: state_of(hass, sensor_id(hass, second, "loitering")) == "on"
    )


async def test_sparse_alert_fetches_details_once(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    camera = next(iter(simulator.cameras))
    # HUMAN_ENTER, not the guide's AREA_INTRUSION: details must fit the spec.
    crossing = sensor_id(hass, camera, "line_crossing")
    await simulator.emit_alert(camera, ("HUMAN_ENTER",), shape="sparse")
    await wait_until(hass, lambda: state_of(hass, crossing) == "on")
    assert simulator.calls("/api/event/getPolicyAlertDetails") == 1


async def test_extra_kinds_exist_disabled_and_work_when_enabled(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    entity_registry_enabled_by_default: None,
) -> None:
    await setup_entry(hass, simulator, entry_for(simulator))
    camera = next(iter(simulator.cameras))
    package = sensor_id(hass, camera, "package")
    await simulator.emit_alert(camera, ("PACKAGE_ARRIVED",))
    await wait_until(hass, lambda: state_of(hass, package) == "on")
    assert hass.states.get(package).attributes["device_class"] == "motion"
    assert (
        hass.states.get(sensor_id(hass, camera, "tamper")).attributes["device_class"]
        == "tamper"
    )


async def test_hold_seconds_option(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
) -> None:
    await setup_entry(hass, simulator, entry_for(simulator, hold_seconds=5))
    camera = next(iter(simulator.cameras))
    motion = sensor_id(hass, camera, "motion")
    await simulator.emit_alert(camera, ("MOTION",))
    await wait_until(hass, lambda: state_of(hass, motion) == "on")
    await advance(hass, freezer, 6)
    assert state_of(hass, motion) == "off"


async def test_sensor_is_never_restored_on(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    camera = next(iter(simulator.cameras))
    person = sensor_id(hass, camera, "person")
    await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: state_of(hass, person) == "on")
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, person) == "off"
