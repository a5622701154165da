"""Alerts that arrive in an awkward order or shape, as a user would see them."""

from __future__ import annotations

import time

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.rhombus.aiorhombus import ChangeEvent, StreamState
from custom_components.rhombus.const import EVENT_RHOMBUS
from simulator import RhombusSimulator

from .helpers import advance, sensor_id, state_of, wait_until

DETAILS = "/api/event/getPolicyAlertDetails"


async def test_delete_overtaking_its_create(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    """The automation still hears of the alert; no sensor turns on for it."""
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    await simulator.emit_delete("early-bird")
    await simulator.emit_alert(camera, ("MOTION_HUMAN",), alert_uuid="early-bird")
    await simulator.emit_alert(camera, ("MOTION_HUMAN",), alert_uuid="early-bird")
    await wait_until(hass, lambda: len(events) == 2)
    await hass.async_block_till_done()
    assert [e.data["change_type"] for e in events] == ["DELETE", "CREATE"]
    assert state_of(hass, sensor_id(hass, camera, "person")) == "off"
    assert loaded_entry.runtime_data.hub.alerts.duplicates == 1


async def test_repeated_sparse_alert_fetches_details_once(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    uuid = await simulator.emit_alert(camera, ("MOTION",), shape="sparse")
    await simulator.emit_alert(camera, ("MOTION",), shape="sparse", alert_uuid=uuid)
    await wait_until(hass, lambda: len(events) == 1)
    await simulator.emit_alert(camera, ("MOTION",), shape="sparse", alert_uuid=uuid)
    stats = loaded_entry.runtime_data.hub.stream.stats
    await wait_until(hass, lambda: stats.messages == 3)
    await hass.async_block_till_done()
    assert len(events) == 1
    assert simulator.calls(DETAILS) == 1


async def test_replayed_older_alert_does_not_cut_a_live_hold_short(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    camera = next(iter(simulator.cameras))
    person = sensor_id(hass, camera, "person")
    await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: state_of(hass, person) == "on")
    # Catch-up then delivers an alert from 25 s ago: 5 s of hold left for it.
    older = ChangeEvent.from_alert(
        {
            "uuid": "from-catch-up",
            "deviceUuid": camera,
            "timestampMs": int((time.time() - 25) * 1000),
            "policyAlertTriggers": ["MOTION_HUMAN"],
        }
    )
    loaded_entry.runtime_data.hub._process(older, replayed=True)
    await advance(hass, freezer, 10)
    assert state_of(hass, person) == "on"  # the live alert's 30 s still hold
    await advance(hass, freezer, 21)
    assert state_of(hass, person) == "off"


async def test_infinite_timestamp_is_dropped_not_fatal(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    """JSON's Infinity in a field must not end the stream (it used to)."""
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    body = (
        '{"entity":"POLICY_ALERT","entityUuid":"inf-1","type":"CREATE",'
        f'"deviceUuid":"{camera}","timestampMs":Infinity,'
        '"policyAlertTriggers":["MOTION"]}'
    )
    await simulator.send_raw(f"MESSAGE\ndestination:/x\n\n{body}\x00")
    await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: len(events) == 2)
    assert events[0].data["timestamp"] is None
    assert events[0].data["timestamp_ms"] is None
    assert state_of(hass, sensor_id(hass, camera, "person")) == "on"
    assert loaded_entry.runtime_data.hub.stream.state is StreamState.CONNECTED
