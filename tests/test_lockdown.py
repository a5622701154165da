"""Lockdown per location: sensor, switch (disabled by default), admin actions."""

from __future__ import annotations

import asyncio
import logging
import time

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
)
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockUser

from simulator import RhombusSimulator

from .helpers import (
    advance,
    device_for,
    entity_id_of,
    entry_for,
    setup_entry,
    state_of,
    wait_until,
)

ACTIVATE = "/api/accesscontrol/lockdownPlan/activateLockdownForLocation"
DEACTIVATE = "/api/accesscontrol/lockdownPlan/deactivateLockdownForLocation"
STATES = "/api/accesscontrol/lockdownPlan/findLocationLockdownStates"
PLANS = "/api/accesscontrol/lockdownPlan/findLockdownPlans"
# Read every 5 minutes too: a clock to compare with.
LOCATIONS = "/api/location/getLocations"


def _home(sim: RhombusSimulator) -> str:
    return next(iter(sim.locations.locations))


def _ids(hass: HomeAssistant, sim: RhombusSimulator) -> tuple[str, str]:
    unique_id = f"{_home(sim)}_lockdown"
    return (
        entity_id_of(hass, "binary_sensor", unique_id),
        entity_id_of(hass, "switch", unique_id),
    )


async def _five_minutes_on(
    hass: HomeAssistant, sim: RhombusSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """301 s on, until the locations were read again and a while after."""
    locations = sim.calls(LOCATIONS)
    await advance(hass, freezer, 301)
    await wait_until(hass, lambda: sim.calls(LOCATIONS) > locations)
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        await hass.async_block_till_done()
        await asyncio.sleep(0)


async def _switch(hass: HomeAssistant, service: str, entity_id: str) -> None:
    await hass.services.async_call(
        "switch", service, {"entity_id": entity_id}, blocking=True
    )


async def test_the_switch_is_disabled_by_default(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """A safety-critical control: the user enables it on purpose."""
    simulator.add_lockdown_plan(_home(simulator), "Doors")
    await setup_entry(hass, simulator, entry_for(simulator))
    sensor, switch = _ids(hass, simulator)
    registry = er.async_get(hass)
    entry = registry.async_get(switch)
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert state_of(hass, sensor) == "off"


async def test_the_switch_activates_and_deactivates(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    entity_registry_enabled_by_default: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One call each; the switch and the sensor follow; each change logged."""
    home = _home(simulator)
    plan = simulator.add_lockdown_plan(home, "Doors")
    await setup_entry(hass, simulator, entry_for(simulator))
    sensor, switch = _ids(hass, simulator)
    assert state_of(hass, switch) == "off"
    await _switch(hass, "turn_on", switch)
    assert simulator.calls(ACTIVATE) == 1
    assert simulator.lockdown_state(home) == "LOCKED_DOWN"
    assert simulator.lockdown.active(home) == [plan]
    assert state_of(hass, switch) == "on"
    await wait_until(hass, lambda: state_of(hass, sensor) == "on")
    await _switch(hass, "turn_off", switch)
    assert simulator.calls(DEACTIVATE) == 1
    assert simulator.calls(ACTIVATE) == 1
    assert simulator.lockdown_state(home) == "STANDARD_SECURITY"
    await wait_until(hass, lambda: state_of(hass, sensor) == "off")
    assert state_of(hass, switch) == "off"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("Main Office locked down by" in line for line in warnings)
    assert any("Main Office lockdown ended by" in line for line in warnings)


async def test_the_sensor_follows_a_lockdown_started_in_rhombus(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """Within 5 s of the stream's change, both ways."""
    home = _home(simulator)
    simulator.add_lockdown_plan(home, "Doors")
    await setup_entry(hass, simulator, entry_for(simulator))
    sensor, _ = _ids(hass, simulator)
    await simulator.lockdown_in_rhombus(home)
    await wait_until(hass, lambda: state_of(hass, sensor) == "on", cpu_seconds=5)
    await simulator.end_lockdown_in_rhombus(home)
    await wait_until(hass, lambda: state_of(hass, sensor) == "off", cpu_seconds=5)


async def test_a_refused_change_is_an_error_and_changes_nothing(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    entity_registry_enabled_by_default: None,
) -> None:
    """Any result but SUCCESS: a translated error, the state kept, no retry."""
    simulator.add_lockdown_plan(_home(simulator), "Doors")
    await setup_entry(hass, simulator, entry_for(simulator))
    sensor, switch = _ids(hass, simulator)
    simulator.force_lockdown_result("INVALID_LOCKDOWN_PLANS")
    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, "turn_on", switch)
    assert err.value.translation_key == "lockdown_failed"
    assert "INVALID_LOCKDOWN_PLANS" in str(err.value)
    assert simulator.calls(ACTIVATE) == 1
    assert state_of(hass, switch) == "off"
    assert state_of(hass, sensor) == "off"


async def test_a_concurrent_change_is_retried_once(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    entity_registry_enabled_by_default: None,
) -> None:
    """Someone saved the state meanwhile: one retry with the fresh version."""
    home = _home(simulator)
    simulator.add_lockdown_plan(home, "Doors")
    await simulator.lockdown_in_rhombus(home)
    await simulator.end_lockdown_in_rhombus(home)
    await setup_entry(hass, simulator, entry_for(simulator))
    _, switch = _ids(hass, simulator)
    simulator.touch_lockdown(home)
    await _switch(hass, "turn_on", switch)
    assert simulator.calls(ACTIVATE) == 2
    assert simulator.lockdown_state(home) == "LOCKED_DOWN"
    assert state_of(hass, switch) == "on"


async def test_the_actions_are_admin_only(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    hass_read_only_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A non-admin is refused; an admin locks down with a plan named, and ends it."""
    home = _home(simulator)
    simulator.add_lockdown_plan(home, "Doors")
    gates = simulator.add_lockdown_plan(home, "Gates")
    await setup_entry(hass, simulator, entry_for(simulator))
    sensor, _ = _ids(hass, simulator)
    device = device_for(hass, home)
    assert device is not None
    for service in ("activate_lockdown", "deactivate_lockdown"):
        with pytest.raises(Unauthorized):
            await hass.services.async_call(
                "rhombus",
                service,
                {"device_id": device.id},
                blocking=True,
                context=Context(user_id=hass_read_only_user.id),
            )
    assert simulator.calls(ACTIVATE) == simulator.calls(DEACTIVATE) == 0
    admin = Context(user_id=hass_admin_user.id)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "rhombus",
            "activate_lockdown",
            {"device_id": device.id, "plan": "Windows"},
            blocking=True,
            context=admin,
        )
    assert err.value.translation_key == "lockdown_unknown_plan"
    assert "Doors, Gates" in str(err.value)
    await hass.services.async_call(
        "rhombus",
        "activate_lockdown",
        {"device_id": device.id, "plan": "gates"},
        blocking=True,
        context=admin,
    )
    assert simulator.lockdown.active(home) == [gates]
    await wait_until(hass, lambda: state_of(hass, sensor) == "on")
    await hass.services.async_call(
        "rhombus",
        "deactivate_lockdown",
        {"device_id": device.id},
        blocking=True,
        context=admin,
    )
    assert simulator.lockdown_state(home) == "STANDARD_SECURITY"
    assert simulator.calls(ACTIVATE) == simulator.calls(DEACTIVATE) == 1
    assert f"locked down by user {hass_admin_user.name}" in caplog.text


async def test_no_lockdown_without_plans_or_permission(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No plan of its own: no entities. A refused role: one line, entry loaded."""
    home = _home(simulator)
    simulator.add_lockdown_plan(home, "Org", scope="ORG_LOCKDOWN")
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    registry = er.async_get(hass)
    assert not [
        e
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.unique_id.endswith("_lockdown")
    ]
    await hass.config_entries.async_unload(entry.entry_id)
    simulator.add_lockdown_plan(home, "Doors")
    simulator.refuse_service("lockdown")
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    await advance(hass, freezer, 301)
    assert not [
        e
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.unique_id.endswith("_lockdown")
    ]
    assert caplog.text.count("may not read lockdown") == 1


@pytest.mark.parametrize("refused", [False, True])
async def test_read_every_15_minutes_while_no_location_has_a_plan(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    freezer: FrozenDateTimeFactory,
    refused: bool,
) -> None:
    """Nothing to show: 4 reads an hour; a new plan shows within 15 minutes."""
    home = _home(simulator)
    if refused:
        simulator.refuse_service("lockdown")
    await setup_entry(hass, simulator, entry_for(simulator))
    assert simulator.calls(PLANS) == 1
    simulator.add_lockdown_plan(home, "Doors")
    simulator.clear_faults()
    await _five_minutes_on(hass, simulator, freezer)
    assert simulator.calls(PLANS) == 1
    await advance(hass, freezer, 600)
    registry = er.async_get(hass)
    unique_id = f"{home}_lockdown"
    await wait_until(
        hass,
        lambda: (
            registry.async_get_entity_id("binary_sensor", "rhombus", unique_id)
            is not None
        ),
    )
    assert simulator.calls(PLANS) == 2
    sensor, _ = _ids(hass, simulator)
    assert state_of(hass, sensor) == "off"
    # A location with a plan: every 5 minutes again.
    await advance(hass, freezer, 301)
    await wait_until(hass, lambda: simulator.calls(PLANS) == 3)


async def test_a_refusal_after_a_good_read_is_a_failed_read(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Unavailable, not "may not read"; the stream's word still reads at once."""
    home = _home(simulator)
    simulator.add_lockdown_plan(home, "Doors")
    await setup_entry(hass, simulator, entry_for(simulator))
    sensor, _ = _ids(hass, simulator)
    assert state_of(hass, sensor) == "off"
    simulator.refuse_service("lockdown")
    await advance(hass, freezer, 301)
    await wait_until(hass, lambda: state_of(hass, sensor) == "unavailable")
    simulator.clear_faults()
    await simulator.lockdown_in_rhombus(home)
    await wait_until(hass, lambda: state_of(hass, sensor) == "on", cpu_seconds=5)
    assert "Could not read lockdown from Rhombus" in caplog.text
    assert "may not read lockdown" not in caplog.text


async def test_a_user_who_is_not_an_admin_cannot_turn_the_switch_on(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    entity_registry_enabled_by_default: None,
    not_admin: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The switch is as admin-only as the action: refused, nothing sent, logged.

    The user may control entities (Home Assistant's "users" group), so the
    refusal is the integration's, not Home Assistant's entity permissions.
    """
    home = _home(simulator)
    simulator.add_lockdown_plan(home, "Doors")
    user = not_admin
    await setup_entry(hass, simulator, entry_for(simulator))
    sensor, switch = _ids(hass, simulator)
    caplog.set_level(logging.WARNING, "custom_components.rhombus")
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            "switch",
            "turn_on",
            {"entity_id": switch},
            blocking=True,
            context=Context(user_id=user.id),
        )
    assert simulator.calls(ACTIVATE) == 0
    assert simulator.lockdown_state(home) == "STANDARD_SECURITY"
    assert state_of(hass, switch) == "off"
    assert state_of(hass, sensor) == "off"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "Refused to lock down Main Office for user Bob: not an administrator" in (
        warnings
    )
