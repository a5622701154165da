"""The site in Home Assistant: devices, entities, hints, polling, alerts."""

from __future__ import annotations

import time

from freezegun.api import FrozenDateTimeFactory
from homeassistant import const as ha_const
from homeassistant.const import ATTR_DEVICE_CLASS, ATTR_UNIT_OF_MEASUREMENT
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest

from custom_components.rhombus.aiorhombus import SiteKind
from custom_components.rhombus.const import DOMAIN, EVENT_RHOMBUS
from simulator import RhombusSimulator
from simulator.site_world import CLIMATE_SENSOR, DOOR_SENSOR, OCCUPANCY_SENSOR

from .helpers import advance, device_for, entry_for, setup_entry, state_of, wait_until
from .site_helpers import site_entity, site_uuid

DOOR_LIST = "/api/door/getMinimalDoorStateList"
CAMERA_LIST = "/api/camera/getMinimalCameraStateList"
CLIMATE_LIST = "/api/climate/getMinimalClimateStateList"
GATEWAY_LIST = "/api/climate/getMinimalEnvironmentalGatewayStates"
DETAILS = "/api/event/getPolicyAlertDetails"
# How this Home Assistant spells µg/m³: 2026.x writes the Greek mu.
UG = "μg/m³" if hasattr(ha_const, "UnitOfDensity") else "µg/m³"


def attribute(hass: HomeAssistant, entity_id: str, name: str) -> object:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.attributes.get(name)


async def test_every_kind_is_a_device_with_its_readings(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """Each piece of hardware is a device under the org; readings have units."""
    sim = site_simulator
    entry = await setup_entry(hass, sim, entry_for(sim))
    org = device_for(hass, sim.org_uuid)
    assert org is not None
    air = device_for(hass, site_uuid(sim, "Lobby Air"))
    assert air is not None
    assert (air.name, air.model, air.via_device_id) == (
        "Lobby Air",
        "GATEWAY_ENVIRONMENTAL_E50",
        org.id,
    )
    checks = {
        ("sensor", "Restroom 2F", "temperature"): ("22.4", "temperature", "°C"),
        ("sensor", "Restroom 2F", "co2"): ("612.0", "carbon_dioxide", "ppm"),
        ("sensor", "Lobby Air", "pm4"): ("4.9", None, UG),
        ("sensor", "Lobby Air", "pressure"): ("1012.8", "atmospheric_pressure", "hPa"),
        ("sensor", "Conference Room A", "illuminance"): ("310", "illuminance", "lx"),
        ("sensor", "Main Entrance", "access_mode"): ("access_controlled", "enum", None),
        ("binary_sensor", "Front Door", "door"): ("off", "door", None),
        ("binary_sensor", "Server Room Door", "door"): ("on", "door", None),
        ("binary_sensor", "Conference Room A", "occupancy"): ("on", "occupancy", None),
        ("binary_sensor", "Lobby Air", "leak"): ("off", "moisture", None),
        ("binary_sensor", "Hallway Audio", "connectivity"): (
            "on",
            "connectivity",
            None,
        ),
        ("binary_sensor", "Main Entrance", "door"): ("off", "door", None),
        ("binary_sensor", "Main Entrance", "forced_open"): ("off", "problem", None),
        ("event", "Front Desk Panic", "press"): ("unknown", "button", None),
        ("event", "Hallway Audio", "sound"): ("unknown", None, None),
        ("event", "Main Entrance", "access"): ("unknown", None, None),
        ("lock", "Main Entrance", "lock"): ("locked", None, None),
    }
    for (domain, name, key), (state, device_class, unit) in checks.items():
        entity_id = site_entity(hass, sim, domain, name, key)
        assert state_of(hass, entity_id) == state, entity_id
        assert attribute(hass, entity_id, ATTR_DEVICE_CLASS) == device_class, entity_id
        assert attribute(hass, entity_id, ATTR_UNIT_OF_MEASUREMENT) == unit, entity_id
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    battery = next(
        e for e in entities if e.unique_id == f"{site_uuid(sim, 'Front Door')}_battery"
    )
    assert battery.entity_category is er.EntityCategory.DIAGNOSTIC


@pytest.mark.off_spec_responses
async def test_only_reported_readings_become_entities(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """An E1 gets no CO₂ sensor; an all-null device gets a device, no values."""
    sim = site_simulator
    e1 = sim.add_site_device(
        CLIMATE_SENSOR,
        "Server Room",
        "SENSOR_ENVIRONMENTAL_E1",
        temperatureCelcius=27.5,
        humidity=30.0,
    )
    blank = sim.add_null_device(DOOR_SENSOR)
    entry = await setup_entry(hass, sim, entry_for(sim))
    keys = {
        e.unique_id.removeprefix(f"{e1.uuid}_")
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.unique_id.startswith(e1.uuid) and e.domain == "sensor"
    }
    assert {"temperature", "humidity"} <= keys
    assert "co2" not in keys
    assert "pm25" not in keys
    device = device_for(hass, blank)
    assert device is not None
    blank_entities = [
        e.unique_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.device_id == device.id
    ]
    assert f"{blank}_battery" not in blank_entities
    assert f"{blank}_connectivity" in blank_entities


async def test_stream_hint_reaches_the_entity_within_two_seconds(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """A DOOR_STATE message refreshes the door list, once for a burst."""
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim))
    front = site_uuid(sim, "Front Door")
    entity_id = site_entity(hass, sim, "binary_sensor", "Front Door", "door")
    calls = sim.calls(DOOR_LIST)
    began = time.monotonic()
    await sim.set_door_sensor(front, "OPEN", alert=False)
    for _ in range(99):
        await sim.set_site_state(front, status="OPEN")
    await wait_until(hass, lambda: state_of(hass, entity_id) == "on", 5.0)
    elapsed = time.monotonic() - began
    assert elapsed < 2.0
    await hass.async_block_till_done()
    assert sim.calls(DOOR_LIST) == calls + 1


async def test_an_e50_climate_state_refreshes_the_gateway_list(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """The E50's changes arrive as CLIMATE_STATE too: its own list is asked."""
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim))
    entity_id = site_entity(hass, sim, "sensor", "Lobby Air", "temperature")
    assert state_of(hass, entity_id) == "21.9"
    climate, gateways = sim.calls(CLIMATE_LIST), sim.calls(GATEWAY_LIST)
    began = time.monotonic()
    await sim.set_site_state(site_uuid(sim, "Lobby Air"), tempC=23.5)
    await wait_until(hass, lambda: state_of(hass, entity_id) == "23.5", 5.0)
    assert time.monotonic() - began < 2.0
    await hass.async_block_till_done()
    assert sim.calls(GATEWAY_LIST) == gateways + 1
    assert sim.calls(CLIMATE_LIST) == climate  # the E2's list is not asked


async def test_polling_alone_within_one_interval(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    site_simulator: RhombusSimulator,
) -> None:
    """Without a message, the next 30 s poll brings a door's change."""
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim))
    entity_id = site_entity(hass, sim, "binary_sensor", "Back Door", "door")
    assert state_of(hass, entity_id) == "off"
    sim.override_site_fields(site_uuid(sim, "Back Door"), status="OPEN")
    await advance(hass, freezer, 29)
    assert state_of(hass, entity_id) == "off"
    await advance(hass, freezer, 2)
    await wait_until(hass, lambda: state_of(hass, entity_id) == "on")


async def test_button_press_fires_the_bus_event_and_the_event_entity(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """A BUTTON_DOUBLE_PRESSED alert names its device and fires ``double``."""
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim))
    events: list[Event] = []
    hass.bus.async_listen(EVENT_RHOMBUS, events.append)
    panic = site_uuid(sim, "Front Desk Panic")
    entity_id = site_entity(hass, sim, "event", "Front Desk Panic", "press")
    alert = await sim.press_button(panic, "DOUBLE")
    await wait_until(hass, lambda: len(events) == 1)
    device = device_for(hass, panic)
    assert device is not None
    data = events[0].data
    assert (data["entity_uuid"], data["device_uuid"], data["device_id"]) == (
        alert,
        panic,
        device.id,
    )
    assert data["device_name"] == data["camera_name"] == "Front Desk Panic"
    assert data["device_type"] == "button"
    assert attribute(hass, entity_id, "event_type") == "double"
    assert attribute(hass, entity_id, "alert_uuid") == alert


async def test_door_alerts_drive_entities_without_a_details_call(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """Badges fire the access event; forced open sets the problem at once."""
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim))
    events: list[Event] = []
    hass.bus.async_listen(EVENT_RHOMBUS, events.append)
    door = site_uuid(sim, "Side Door")
    access = site_entity(hass, sim, "event", "Side Door", "access")
    forced = site_entity(hass, sim, "binary_sensor", "Side Door", "forced_open")
    await sim.badge(door, authorized=False)
    await wait_until(hass, lambda: len(events) == 1)
    assert attribute(hass, access, "event_type") == "badge_unauthorized"
    assert events[0].data["device_type"] == "access_control"
    assert events[0].data["device_name"] == "Side Door"
    await sim.emit_door_alert(door, ["AC_DPI_DOOR_FORCED_OPEN"])
    await wait_until(hass, lambda: state_of(hass, forced) == "on", 2.0)
    assert sim.calls(DETAILS) == 0


async def test_sound_alert_fires_the_audio_gateway_event(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """``AUDIO_SOUND_GLASS_BREAK`` → the sound entity's ``glass_break``."""
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim))
    entity_id = site_entity(hass, sim, "event", "Hallway Audio", "sound")
    await sim.emit_sound(site_uuid(sim, "Hallway Audio"), "GLASS_BREAK")
    await wait_until(
        hass, lambda: attribute(hass, entity_id, "event_type") == "glass_break"
    )


async def test_refused_kind_is_skipped_with_one_log_line(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 403 on the climate list: no climate devices, setup goes on."""
    sim = site_simulator
    sim.refuse_kind(CLIMATE_SENSOR)
    entry = await setup_entry(hass, sim, entry_for(sim))
    lines = [r for r in caplog.records if "Skipping" in r.getMessage()]
    assert len(lines) == 1
    assert "climate_sensor" in lines[0].getMessage()
    uuid = site_uuid(sim, "Restroom 2F")
    assert device_for(hass, uuid) is None
    assert entry.runtime_data.site.refused.keys() == {"climate_sensor"}
    site_entity(hass, sim, "sensor", "Lobby Air", "temperature")  # others are in


async def test_new_and_removed_hardware_follow_the_lists(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    site_simulator: RhombusSimulator,
) -> None:
    """A sensor added in Rhombus appears at its kind's next poll; one removed goes."""
    sim = site_simulator
    await setup_entry(hass, sim, entry_for(sim))
    new = sim.add_site_device(
        DOOR_SENSOR, "Garage Door", "SENSOR_DOOR_D20", status="OPEN"
    )
    await advance(hass, freezer, 31)
    entities = er.async_get(hass)
    await wait_until(
        hass,
        lambda: (
            entities.async_get_entity_id("binary_sensor", DOMAIN, f"{new.uuid}_door")
            is not None
        ),
    )
    garage = site_entity(hass, sim, "binary_sensor", "Garage Door", "door")
    assert state_of(hass, garage) == "on"
    back = site_uuid(sim, "Back Door")
    assert device_for(hass, back) is not None
    sim.remove_site_device(back)
    await advance(hass, freezer, 31)
    await wait_until(hass, lambda: device_for(hass, back) is None)
    assert device_for(hass, new.uuid) is not None


async def test_a_kind_with_no_hardware_is_polled_every_five_minutes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
) -> None:
    """A cameras-only org: a first door arrives at its first message or poll."""
    sim = simulator
    entry = await setup_entry(hass, sim, entry_for(sim))
    stats = entry.runtime_data.hub.stream.stats
    calls = sim.calls(DOOR_LIST)
    first = sim.add_site_device(
        DOOR_SENSOR, "Garage Door", "SENSOR_DOOR_D20", status="CLOSED"
    )
    seen = stats.messages
    await sim.set_door_sensor(first.uuid, "OPEN", alert=False)  # a DOOR_STATE hint
    await wait_until(hass, lambda: stats.messages > seen)
    await advance(hass, freezer, 1.5)  # the hint's debounce, not a poll
    await wait_until(hass, lambda: device_for(hass, first.uuid) is not None)
    assert sim.calls(DOOR_LIST) == calls + 1
    garage = site_entity(hass, sim, "binary_sensor", "Garage Door", "door")
    await wait_until(hass, lambda: state_of(hass, garage) == "on")
    # With hardware of that kind, the kind is back on its own 30 s schedule.
    sim.override_site_fields(first.uuid, status="CLOSED")
    await advance(hass, freezer, 31)
    await wait_until(hass, lambda: state_of(hass, garage) == "off")
    quiet = sim.add_site_device(OCCUPANCY_SENSOR, "Attic", "SENSOR_MOTION_M15")
    await advance(hass, freezer, 301)  # no hint: the five-minute poll finds it
    await wait_until(hass, lambda: device_for(hass, quiet.uuid) is not None)


async def test_a_429_on_a_site_list_quiets_the_camera_list_too(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """Rhombus limits the whole organisation: one quiet period for every list."""
    sim = site_simulator
    entry = await setup_entry(hass, sim, entry_for(sim))
    sim.fail_rest(DOOR_LIST, status=429, retry_after=30)
    doors = entry.runtime_data.site.coordinators.by_kind[SiteKind.DOOR_SENSOR]
    await doors.async_refresh()
    assert not doors.last_update_success
    cameras = sim.calls(CAMERA_LIST)
    await entry.runtime_data.coordinator.async_refresh()
    assert not entry.runtime_data.coordinator.last_update_success
    assert sim.calls(CAMERA_LIST) == cameras
