"""A location's own alerts: threat cases fire its event entity and the bus event."""

from __future__ import annotations

from typing import Any

from homeassistant.core import Event, HomeAssistant

from simulator import RhombusSimulator

from .helpers import (
    device_for,
    entity_id_of,
    entry_for,
    setup_entry,
    state_of,
    wait_until,
)

DETAILS = "/api/event/getPolicyAlertDetails"


def _home(sim: RhombusSimulator) -> str:
    return next(iter(sim.locations.locations))


async def test_a_threat_case_fires_the_location_event(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """ALM_THREAT_DETECTED: the "Threat" entity fires; rhombus_event names the place."""
    home = _home(simulator)
    simulator.set_alarm_monitoring(home, ["1234"])
    await setup_entry(hass, simulator, entry_for(simulator))
    threat = entity_id_of(hass, "event", f"{home}_threat")
    assert state_of(hass, threat) == "unknown"
    fired: list[Event[Any]] = []
    hass.bus.async_listen("rhombus_event", fired.append)
    await simulator.emit_location_alert(home, ["ALM_THREAT_DETECTED"])
    await wait_until(hass, lambda: len(fired) == 1)
    await hass.async_block_till_done()
    state = hass.states.get(threat)
    assert state is not None
    assert state.attributes["event_type"] == "threat_detected"
    assert state.attributes["triggers"] == ["ALM_THREAT_DETECTED"]
    device = device_for(hass, home)
    assert device is not None
    assert fired[0].data["device_id"] == device.id
    assert fired[0].data["device_name"] == "Main Office"
    assert fired[0].data["device_type"] == "location"
    assert fired[0].data["triggers"] == ["ALM_THREAT_DETECTED"]
    assert simulator.calls(DETAILS) == 0
    await simulator.emit_location_alert(home, ["ALM_THREAT_CASE_CLOSED"])
    await wait_until(hass, lambda: len(fired) == 2)
    await hass.async_block_till_done()
    state = hass.states.get(threat)
    assert state is not None
    assert state.attributes["event_type"] == "threat_case_closed"


async def test_monitoring_and_lockdown_alerts_refresh_their_state(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """Switched without a state message, the alert alone is enough."""
    home = _home(simulator)
    simulator.set_alarm_monitoring(home, ["1234"])
    simulator.add_lockdown_plan(home, "Doors")
    await setup_entry(hass, simulator, entry_for(simulator))
    panel = entity_id_of(hass, "alarm_control_panel", f"{home}_alarm_monitoring")
    sensor = entity_id_of(hass, "binary_sensor", f"{home}_lockdown")
    threat = entity_id_of(hass, "event", f"{home}_threat")
    simulator.locations.on_stream = False
    await simulator.set_monitoring_in_rhombus(home, True)
    await simulator.emit_location_alert(home, ["ALM_MONITORING_ENABLED"])
    await wait_until(hass, lambda: state_of(hass, panel) == "armed_away", cpu_seconds=5)
    simulator.lockdown.set_state(home, simulator.lockdown.plans_of(home))
    await simulator.emit_location_alert(home, ["AC_LOCKDOWN_ACTIVATED"])
    await wait_until(hass, lambda: state_of(hass, sensor) == "on", cpu_seconds=5)
    assert state_of(hass, threat) == "unknown"
