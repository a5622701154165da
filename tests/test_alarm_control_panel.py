"""Alarm monitoring panels: arm and disarm with the PIN, follow Rhombus, safely."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.const import GROUP_ID_ADMIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import Context, Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockUser
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from simulator import RhombusSimulator

from .helpers import (
    advance,
    entity_id_of,
    entry_for,
    setup_entry,
    snapshot_platform_entities,
    state_of,
    wait_until,
)

ORG_STATUS = "/api/alertmonitoring/orgStatus"
ENABLE = "/api/alertmonitoring/enableMonitoringForLocation"
DISABLE = "/api/alertmonitoring/disableMonitoringForLocation"
# Read each minute too (the location's Alerts switch): a clock to compare with.
PAUSES = "/api/policy/getPolicyPauseSettings"
PIN = "4862"
WRONG_PIN = "97531"


def _home(sim: RhombusSimulator) -> str:
    return next(iter(sim.locations.locations))


def _panel(hass: HomeAssistant, sim: RhombusSimulator) -> str:
    return entity_id_of(hass, "alarm_control_panel", f"{_home(sim)}_alarm_monitoring")


async def _a_minute_on(
    hass: HomeAssistant, sim: RhombusSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """61 s on, until the minute's other read was made and a while after."""
    pauses = sim.calls(PAUSES)
    await advance(hass, freezer, 61)
    await wait_until(hass, lambda: sim.calls(PAUSES) > pauses)
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        await hass.async_block_till_done()
        await asyncio.sleep(0)


async def _call(
    hass: HomeAssistant, service: str, entity_id: str, code: str | None, **kw: Any
) -> None:
    data = {"entity_id": entity_id} | ({"code": code} if code is not None else {})
    await hass.services.async_call(
        "alarm_control_panel", service, data, blocking=True, **kw
    )


async def test_arm_and_disarm_with_the_pin(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One call each; the state passes through arming/disarming and follows."""
    caplog.set_level(logging.DEBUG)
    simulator.set_alarm_monitoring(_home(simulator), [PIN])
    await setup_entry(hass, simulator, entry_for(simulator))
    panel = _panel(hass, simulator)
    assert state_of(hass, panel) == "disarmed"
    seen: list[str] = []

    def record(event: Event[Any]) -> None:
        if event.data["entity_id"] == panel and event.data["new_state"]:
            seen.append(event.data["new_state"].state)

    hass.bus.async_listen("state_changed", record)
    user = Context(user_id=hass_admin_user.id)
    await _call(hass, "alarm_arm_away", panel, PIN, context=user)
    assert simulator.calls(ENABLE) == 1
    assert simulator.locations.location(_home(simulator)).enabled is True
    assert state_of(hass, panel) == "armed_away"
    assert seen[:2] == ["arming", "armed_away"]
    await _call(hass, "alarm_disarm", panel, PIN, context=user)
    await hass.async_block_till_done()
    assert simulator.calls(DISABLE) == 1
    assert simulator.calls(ENABLE) == 1
    assert simulator.locations.location(_home(simulator)).enabled is False
    assert state_of(hass, panel) == "disarmed"
    assert "disarming" in seen
    assert f"armed by user {hass_admin_user.name}" in caplog.text
    assert f"disarmed by user {hass_admin_user.name}" in caplog.text
    assert PIN not in caplog.text


async def test_two_calls_at_once_show_pending_until_the_last_ends(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A disarm asked while an arm is on its way: sent after it, each as its user.

    The panel shows arming/disarming until the last call ends, never the
    state of the first call to finish while the other is still out.
    """
    caplog.set_level(logging.DEBUG)
    home = _home(simulator)
    simulator.set_alarm_monitoring(home, [PIN])
    await setup_entry(hass, simulator, entry_for(simulator))
    panel = _panel(hass, simulator)
    seen: list[str] = []

    def record(event: Event[Any]) -> None:
        if event.data["entity_id"] == panel and event.data["new_state"]:
            seen.append(event.data["new_state"].state)

    hass.bus.async_listen("state_changed", record)
    admins = await hass.auth.async_get_group(GROUP_ID_ADMIN)
    assert admins is not None
    second = MockUser(name="Second Person", groups=[admins]).add_to_hass(hass)
    simulator.fail_rest(ENABLE, timeout=True)  # held until the faults are cleared
    arm = asyncio.ensure_future(
        _call(
            hass,
            "alarm_arm_away",
            panel,
            PIN,
            context=Context(user_id=hass_admin_user.id),
        )
    )
    # Not wait_until: Home Assistant's block_till_done would wait for the held call.
    await simulator.wait_for_calls(ENABLE)
    disarm = asyncio.ensure_future(
        _call(hass, "alarm_disarm", panel, PIN, context=Context(user_id=second.id))
    )
    # Time enough for the disarm to finish, were it sent at once.
    await asyncio.wait({disarm}, timeout=1.5)
    assert state_of(hass, panel) == "arming"
    assert simulator.calls(DISABLE) == 0
    assert not disarm.done()
    simulator.clear_faults()  # the held arm now fails (503)
    with pytest.raises(HomeAssistantError) as err:
        await arm
    assert err.value.translation_key == "alarm_failed"
    await disarm
    assert simulator.calls(DISABLE) == 1
    assert state_of(hass, panel) == "disarmed"
    # The bus calls listeners on a later loop turn: let the last one run.
    await hass.async_block_till_done()
    assert seen == ["arming", "disarming", "disarmed"]
    assert "disarmed by user Second Person" in caplog.text


async def test_a_wrong_pin_is_refused_and_kept_nowhere(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: RhombusSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """`invalid_pin`, no state change, a bus event without the PIN."""
    caplog.set_level(logging.DEBUG)
    simulator.set_alarm_monitoring(_home(simulator), [PIN])
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    panel = _panel(hass, simulator)
    bad: list[Event[Any]] = []
    hass.bus.async_listen("rhombus_alarm_bad_code", bad.append)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "alarm_arm_away", panel, WRONG_PIN)
    assert err.value.translation_key == "invalid_pin"
    assert WRONG_PIN not in str(err.value)
    assert WRONG_PIN not in repr(err.value.__cause__)
    await hass.async_block_till_done()
    assert simulator.calls(ENABLE) == 1
    assert state_of(hass, panel) == "disarmed"
    assert simulator.locations.location(_home(simulator)).enabled is False
    assert len(bad) == 1
    assert bad[0].data["location"] == "Main Office"
    assert bad[0].data["action"] == "arm"
    assert WRONG_PIN not in json.dumps(bad[0].data)
    states = json.dumps([s.as_dict() for s in hass.states.async_all()], default=str)
    assert WRONG_PIN not in states
    assert PIN not in states
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert "Main Office" in json.dumps(diagnostics)
    assert WRONG_PIN not in json.dumps(diagnostics)
    assert PIN not in json.dumps(diagnostics)
    assert WRONG_PIN not in caplog.text


async def test_guessing_the_pin_is_slowed_down(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Five wrong PINs: even the right one is refused a minute, Rhombus not asked."""
    simulator.set_alarm_monitoring(_home(simulator), [PIN])
    await setup_entry(hass, simulator, entry_for(simulator))
    panel = _panel(hass, simulator)
    for _ in range(5):
        with pytest.raises(ServiceValidationError):
            await _call(hass, "alarm_arm_away", panel, WRONG_PIN)
    assert simulator.calls(ENABLE) == 5
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, "alarm_arm_away", panel, PIN)
    assert raised.value.translation_key == "alarm_pin_locked_out"
    assert str(raised.value) == (
        "Too many wrong PINs: alarm monitoring at Main Office can be armed or "
        "disarmed again in 60 seconds"
    )
    assert simulator.calls(ENABLE) == 5
    assert "arm alarm monitoring at Main Office for" in caplog.text
    assert "too many wrong PINs" in caplog.text

    await advance(hass, freezer, 61)
    await _call(hass, "alarm_arm_away", panel, PIN)
    assert state_of(hass, panel) == "armed_away"
    # The right PIN started the count again: one wrong PIN is only wrong.
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, "alarm_disarm", panel, WRONG_PIN)
    assert raised.value.translation_key == "invalid_pin"


async def test_pins_guessed_together_or_elsewhere_count_per_location(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """Eight guesses at once: five reach Rhombus; a right PIN elsewhere resets none."""
    warehouse = simulator.add_location("Warehouse")
    simulator.set_alarm_monitoring(_home(simulator), [PIN])
    simulator.set_alarm_monitoring(warehouse, ["1357"])
    await setup_entry(hass, simulator, entry_for(simulator))
    office = _panel(hass, simulator)
    store = entity_id_of(hass, "alarm_control_panel", f"{warehouse}_alarm_monitoring")

    async def guess() -> str:
        try:
            await _call(hass, "alarm_arm_away", office, WRONG_PIN)
        except ServiceValidationError as err:
            return str(err.translation_key)
        return "armed"

    answers = await asyncio.gather(*(guess() for _ in range(8)))
    assert sorted(answers) == ["alarm_pin_locked_out"] * 3 + ["invalid_pin"] * 5
    assert simulator.calls(ENABLE) == 5
    # The warehouse has its own PIN and its own count.
    await _call(hass, "alarm_arm_away", store, "1357")
    assert state_of(hass, store) == "armed_away"
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, "alarm_arm_away", office, PIN)
    assert raised.value.translation_key == "alarm_pin_locked_out"
    assert simulator.calls(ENABLE) == 6


async def test_disarm_needs_a_pin_and_a_failure_changes_nothing(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """No PIN: no call. A failed call: a translated error, the state kept."""
    simulator.set_alarm_monitoring(_home(simulator), [PIN], armed=True)
    await setup_entry(hass, simulator, entry_for(simulator))
    panel = _panel(hass, simulator)
    assert state_of(hass, panel) == "armed_away"
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "alarm_disarm", panel, None)
    assert err.value.translation_key == "pin_required"
    assert simulator.calls(DISABLE) == 0
    simulator.fail_rest(DISABLE, status=500)
    with pytest.raises(HomeAssistantError) as failed:
        await _call(hass, "alarm_disarm", panel, PIN)
    assert failed.value.translation_key == "alarm_failed"
    assert PIN not in str(failed.value)
    assert state_of(hass, panel) == "armed_away"


@pytest.mark.parametrize(
    ("service", "code"),
    [("alarm_arm_away", " "), ("alarm_disarm", " "), ("alarm_disarm", "\t\n")],
)
async def test_a_blank_pin_is_no_pin(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    caplog: pytest.LogCaptureFixture,
    service: str,
    code: str,
) -> None:
    """Whitespace only: the translated `pin_required`, no call, no ValueError."""
    simulator.set_alarm_monitoring(_home(simulator), [PIN])
    await setup_entry(hass, simulator, entry_for(simulator))
    panel = _panel(hass, simulator)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, service, panel, code)
    assert err.value.translation_key == "pin_required"
    assert "Main Office" in str(err.value)
    assert simulator.calls(ENABLE) == simulator.calls(DISABLE) == 0
    assert state_of(hass, panel) == "disarmed"
    assert "ValueError" not in caplog.text


async def test_the_panel_follows_rhombus(
    hass: HomeAssistant, simulator: RhombusSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """Armed in the console: the stream's change is read at once; else each minute."""
    home = _home(simulator)
    simulator.set_alarm_monitoring(home, [PIN])
    await setup_entry(hass, simulator, entry_for(simulator))
    panel = _panel(hass, simulator)
    assert simulator.calls(ORG_STATUS) == 1
    await simulator.set_monitoring_in_rhombus(home, True)
    await wait_until(hass, lambda: state_of(hass, panel) == "armed_away", cpu_seconds=5)
    assert simulator.calls(ORG_STATUS) == 2
    simulator.locations.on_stream = False
    await simulator.set_monitoring_in_rhombus(home, False)
    await advance(hass, freezer, 59)
    assert state_of(hass, panel) == "armed_away"
    await advance(hass, freezer, 2)
    await wait_until(hass, lambda: state_of(hass, panel) == "disarmed")
    assert simulator.calls(ORG_STATUS) == 3


async def test_no_panel_without_monitoring(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """A location without alarm monitoring has no panel."""
    simulator.add_location("Warehouse")
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    registry = er.async_get(hass)
    entities = er.async_entries_for_config_entry(registry, entry.entry_id)
    assert not [e for e in entities if e.domain == "alarm_control_panel"]


@pytest.mark.parametrize("in_band", [False, True])
async def test_a_role_that_may_not_read_monitoring(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    in_band: bool,
) -> None:
    """One log line, no panel, the entry loaded; asked again every 15 minutes."""
    simulator.set_alarm_monitoring(_home(simulator), [PIN])
    simulator.refuse_service("alarm_monitoring", in_band=in_band)
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    assert entry.state is ConfigEntryState.LOADED
    assert simulator.calls(ORG_STATUS) == 1
    await _a_minute_on(hass, simulator, freezer)
    assert simulator.calls(ORG_STATUS) == 1
    await advance(hass, freezer, 840)
    await wait_until(hass, lambda: simulator.calls(ORG_STATUS) == 2)
    registry = er.async_get(hass)
    entities = er.async_entries_for_config_entry(registry, entry.entry_id)
    assert not [e for e in entities if e.domain == "alarm_control_panel"]
    assert caplog.text.count("may not read alarm monitoring") == 1
    # At WARNING: what Home Assistant's log shows by default.
    (said,) = [r for r in caplog.records if "may not read alarm" in r.getMessage()]
    assert said.levelno == logging.WARNING


async def test_a_refusal_after_a_good_read_is_a_failed_read(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Unavailable, not "may not read"; the stream's word still reads at once."""
    home = _home(simulator)
    simulator.set_alarm_monitoring(home, [PIN], armed=True)
    await setup_entry(hass, simulator, entry_for(simulator))
    panel = _panel(hass, simulator)
    assert state_of(hass, panel) == "armed_away"
    simulator.refuse_service("alarm_monitoring")
    await advance(hass, freezer, 61)
    await wait_until(hass, lambda: state_of(hass, panel) == "unavailable")
    simulator.clear_faults()
    await simulator.set_monitoring_in_rhombus(home, False)
    await wait_until(hass, lambda: state_of(hass, panel) == "disarmed", cpu_seconds=5)
    assert "Could not read alarm monitoring from Rhombus" in caplog.text
    assert "may not read alarm monitoring" not in caplog.text


async def test_snapshot(
    hass: HomeAssistant, simulator: RhombusSimulator, snapshot: SnapshotAssertion
) -> None:
    """The panel's registry entry and state."""
    simulator.set_alarm_monitoring(_home(simulator), [PIN])
    await snapshot_platform_entities(
        hass, simulator, Platform.ALARM_CONTROL_PANEL, snapshot
    )


async def test_a_new_location_gets_its_panel(
    hass: HomeAssistant, simulator: RhombusSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """No monitoring anywhere: read every 15 minutes, so a new panel comes by then.

    Then back to once a minute.
    """
    await setup_entry(hass, simulator, entry_for(simulator))
    assert simulator.calls(ORG_STATUS) == 1
    shop = simulator.add_location("Shop")
    simulator.set_alarm_monitoring(shop, [PIN], armed=True)
    await _a_minute_on(hass, simulator, freezer)
    assert simulator.calls(ORG_STATUS) == 1
    data = hass.config_entries.async_entries("rhombus")[0].runtime_data
    await advance(hass, freezer, 240)
    await wait_until(hass, lambda: shop in data.locations.data)
    assert simulator.calls(ORG_STATUS) == 1
    await advance(hass, freezer, 600)
    await wait_until(hass, lambda: shop in data.alarm.data)
    await hass.async_block_till_done()
    assert simulator.calls(ORG_STATUS) == 2
    panel = entity_id_of(hass, "alarm_control_panel", f"{shop}_alarm_monitoring")
    assert state_of(hass, panel) == "armed_away"
    assert hass.states.get(panel).name == "Shop (Rhombus) Alarm monitoring"  # type: ignore[union-attr]
    await advance(hass, freezer, 61)
    await wait_until(hass, lambda: simulator.calls(ORG_STATUS) == 3)
