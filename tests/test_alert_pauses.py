"""Paused alerts: the Alerts switches and rhombus.pause_alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EntityCategory
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
)
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockUser

from custom_components.rhombus.const import DOMAIN
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

SETTINGS = "/api/policy/getPolicyPauseSettings"
PAUSE_DEVICE = "/api/policy/pauseAlertPolicyForDevice"
PAUSE_LOCATION = "/api/policy/pauseAlertPolicyForLocation"
RESUME_DEVICE = "/api/policy/deletePolicyPauseSettingForDevice"


def alerts_switch(hass: HomeAssistant, uuid: str) -> str:
    return entity_id_of(hass, "switch", f"{uuid}_alerts")


async def switch(
    hass: HomeAssistant, service: str, entity_id: str, context: Context | None = None
) -> None:
    await hass.services.async_call(
        "switch", service, {"entity_id": entity_id}, blocking=True, context=context
    )


def pause_log(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("custom_components") and "alerts of" in r.getMessage()
    ]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_pausing_a_camera_shows_in_rhombus_and_ends_by_itself(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Off pauses for the option's hours; at the pause's end the switch is on again."""
    sim = simulator
    caplog.set_level(logging.INFO, "custom_components.rhombus")
    await setup_entry(hass, sim, entry_for(sim, pause_hours=1))
    camera = next(iter(sim.cameras))
    entity_id = alerts_switch(hass, camera)
    assert state_of(hass, entity_id) == "on"

    await switch(hass, "turn_off", entity_id, Context(user_id=hass_admin_user.id))
    assert sim.alerts_paused(camera)
    assert sim.calls(PAUSE_DEVICE) == 1
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "off"
    until = datetime.fromisoformat(state.attributes["paused_until"])
    assert abs(until - (datetime.now(UTC) + timedelta(hours=1))) < timedelta(seconds=2)
    name = sim.cameras[camera].name
    who = hass_admin_user.name
    assert pause_log(caplog) == [
        f"Pausing the alerts of {name} for 1:00:00, asked by user {who}"
    ]

    # The minute's poll runs at the jump, then not for a minute: only the
    # pause's end can turn the switch on 12 s later.
    before = sim.calls(SETTINGS)
    await advance(hass, freezer, 3590)
    await wait_until(hass, lambda: sim.calls(SETTINGS) == before + 1)
    await hass.async_block_till_done()
    assert state_of(hass, entity_id) == "off"
    await advance(hass, freezer, 12)
    await wait_until(hass, lambda: state_of(hass, entity_id) == "on")
    assert sim.calls(SETTINGS) == before + 2
    assert not sim.alerts_paused(camera)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_a_pause_from_the_console_and_resuming_it(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """The stream's pause turns the switch off at once; on ends the pause."""
    sim = simulator
    await setup_entry(hass, sim, entry_for(sim))
    camera = next(iter(sim.cameras))
    entity_id = alerts_switch(hass, camera)
    await sim.pause_in_rhombus(camera, 3600)
    await wait_until(hass, lambda: state_of(hass, entity_id) == "off")

    await switch(hass, "turn_on", entity_id)
    assert sim.calls(RESUME_DEVICE) == 1
    assert not sim.alerts_paused(camera)
    assert state_of(hass, entity_id) == "on"


async def test_enabled_on_locations_disabled_on_devices(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    sim = simulator
    await setup_entry(hass, sim, entry_for(sim))
    registry = er.async_get(hass)
    camera = registry.async_get(alerts_switch(hass, next(iter(sim.cameras))))
    location = registry.async_get(alerts_switch(hass, sim.world.location_uuid))
    assert camera is not None
    assert location is not None
    assert camera.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert location.disabled_by is None
    assert camera.entity_category is location.entity_category is EntityCategory.CONFIG
    assert state_of(hass, location.entity_id) == "on"


async def test_pauses_are_read_once_a_minute_while_quiet(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: RhombusSimulator
) -> None:
    await setup_entry(hass, simulator, entry_for(simulator))
    assert simulator.calls(SETTINGS) == 1
    await advance(hass, freezer, 30)
    assert simulator.calls(SETTINGS) == 1
    await advance(hass, freezer, 31)
    await wait_until(hass, lambda: simulator.calls(SETTINGS) == 2)


async def test_pause_alerts_pauses_and_resumes_a_location(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    hass_read_only_user: MockUser,
) -> None:
    """The action takes devices (a location's here), a duration, and resume."""
    sim = simulator
    await setup_entry(hass, sim, entry_for(sim))
    location = sim.world.location_uuid
    device = device_for(hass, location)
    assert device is not None
    entity_id = alerts_switch(hass, location)
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            "pause_alerts",
            {"device_id": device.id},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )
    assert not sim.alerts_paused(location)

    admin = Context(user_id=hass_admin_user.id)
    await hass.services.async_call(
        DOMAIN,
        "pause_alerts",
        {"device_id": device.id, "duration": "00:30:00"},
        blocking=True,
        context=admin,
    )
    assert sim.alerts_paused(location)
    assert state_of(hass, entity_id) == "off"
    intervals = sim.pauses.current("locationUuid")[location]
    assert [i["durationSecs"] for i in intervals] == [1800]

    await hass.services.async_call(
        DOMAIN,
        "pause_alerts",
        {"entity_id": entity_id, "resume": True},
        blocking=True,
        context=admin,
    )
    assert not sim.alerts_paused(location)
    assert state_of(hass, entity_id) == "on"


async def test_pause_alerts_refuses_what_cannot_be_paused(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    await setup_entry(hass, simulator, entry_for(simulator))
    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(
            DOMAIN,
            "pause_alerts",
            {"device_id": "not-a-device"},
            blocking=True,
        )
    assert raised.value.translation_key == "pause_unknown_target"


async def test_a_role_without_pauses_is_said_once_and_gets_no_switch(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, "custom_components.rhombus")
    simulator.refuse_service("alert_pause")
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    assert entry.state is ConfigEntryState.LOADED
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert [e for e in entities if e.unique_id.endswith("_alerts")] == []
    assert caplog.text.count("may not read paused alerts") == 1


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_a_failed_pause_is_a_translated_error_and_changes_nothing(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    sim = simulator
    await setup_entry(hass, sim, entry_for(sim))
    camera = next(iter(sim.cameras))
    entity_id = alerts_switch(hass, camera)
    sim.fail_rest(PAUSE_DEVICE, status=500)
    with pytest.raises(HomeAssistantError) as raised:
        await switch(hass, "turn_off", entity_id)
    assert raised.value.translation_key == "pause_failed"
    assert sim.calls(PAUSE_DEVICE) == 1
    assert not sim.alerts_paused(camera)
    assert state_of(hass, entity_id) == "on"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_a_failed_read_makes_the_switches_unavailable(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: RhombusSimulator
) -> None:
    """Not knowing whether alerts are paused is shown as such, not as on."""
    sim = simulator
    await setup_entry(hass, sim, entry_for(sim))
    entity_id = alerts_switch(hass, sim.world.location_uuid)
    sim.fail_rest(SETTINGS, status=500)
    await advance(hass, freezer, 61)
    await wait_until(hass, lambda: state_of(hass, entity_id) == "unavailable")
    await advance(hass, freezer, 61)
    await wait_until(hass, lambda: state_of(hass, entity_id) == "on")


async def test_a_refusal_after_a_good_read_is_a_failed_read(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: RhombusSimulator
) -> None:
    """A 403 once the pauses were read: unavailable, not "nothing is paused"."""
    sim = simulator
    await setup_entry(hass, sim, entry_for(sim))
    entity_id = alerts_switch(hass, sim.world.location_uuid)
    await sim.pause_in_rhombus(sim.world.location_uuid, 3600, location=True)
    await wait_until(hass, lambda: state_of(hass, entity_id) == "off")
    sim.refuse_service("alert_pause")
    await advance(hass, freezer, 61)
    await wait_until(hass, lambda: state_of(hass, entity_id) == "unavailable")


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_a_pause_for_ever_is_paused_until_2106(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """An absurd pause length (year 19448) is clamped, not a traceback a minute."""
    sim = simulator
    await setup_entry(hass, sim, entry_for(sim))
    camera = next(iter(sim.cameras))
    entity_id = alerts_switch(hass, camera)
    await sim.pause_in_rhombus(camera, 2**39)
    await wait_until(hass, lambda: state_of(hass, entity_id) == "off")
    state = hass.states.get(entity_id)
    assert state is not None
    assert str(state.attributes["paused_until"]).startswith("2106-02-07")


async def test_a_user_who_is_not_an_admin_cannot_pause_a_location(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    not_admin: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The location's Alerts switch is on for everyone; pausing is for admins.

    The user may control entities (Home Assistant's "users" group), so the
    refusal is the integration's, not Home Assistant's entity permissions.
    """
    sim = simulator
    user = not_admin
    await setup_entry(hass, sim, entry_for(sim))
    location = sim.world.location_uuid
    entity_id = alerts_switch(hass, location)
    caplog.set_level(logging.WARNING, "custom_components.rhombus")
    with pytest.raises(Unauthorized):
        await switch(hass, "turn_off", entity_id, Context(user_id=user.id))
    assert sim.calls(PAUSE_LOCATION) == 0
    assert state_of(hass, entity_id) == "on"
    assert (
        "Refused to pause the alerts of Main Office (Rhombus) for user Bob"
        in caplog.text
    )
    await switch(hass, "turn_off", entity_id, Context(user_id=hass_admin_user.id))
    assert sim.calls(PAUSE_LOCATION) == 1
