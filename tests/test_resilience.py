"""Faults the stream must survive, as a Home Assistant user would see them."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
import json
import logging
import time
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.rhombus.aiorhombus import RhombusEventStream, StreamState
from custom_components.rhombus.const import DOMAIN, EVENT_RHOMBUS
from simulator import RhombusSimulator

from .helpers import (
    detections_on,
    entity_id_of,
    entry_for,
    sensor_id,
    setup_entry,
    state_of,
    wait_until,
)
from .site_helpers import site_entity, site_uuid

# Reconnect within milliseconds: these tests drop the stream on purpose.
pytestmark = pytest.mark.usefixtures("fast_reconnect")

LIST = "/api/camera/getMinimalCameraStateList"
ALERTS = "/api/event/getPolicyAlerts"
SECRET = "KEY-SECRET-8f3a1c"


def stream_of(entry: MockConfigEntry):
    return entry.runtime_data.hub.stream


def reauth_flows(hass: HomeAssistant) -> list[str]:
    return [
        f["context"]["source"]
        for f in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    ]


async def test_drop_reconnects_and_replays_missed_alerts(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    person = sensor_id(hass, camera, "person")
    live = await simulator.emit_alert(camera, ("MOTION_CAR",))
    await wait_until(hass, lambda: len(events) == 1)

    simulator.handshake_status = 503  # keep it down while alerts happen
    await simulator.drop_connections()
    await wait_until(
        hass, lambda: stream_of(loaded_entry).state is not StreamState.CONNECTED
    )
    missed = await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    simulator.handshake_status = None
    await wait_until(hass, lambda: len(events) == 2)

    replay = events[1].data
    assert replay["entity_uuid"] == missed
    assert replay["replayed"] is True
    assert replay["detections"] == ["person"]
    assert state_of(hass, person) == "on"  # recent enough to matter
    # The overlap fetched the live alert again; it did not fire twice.
    assert [e.data["entity_uuid"] for e in events] == [live, missed]
    assert loaded_entry.runtime_data.hub.alerts.duplicates >= 1
    assert simulator.calls(ALERTS) >= 1
    lost = [r for r in caplog.records if "event stream lost" in r.message]
    assert len(lost) == 1
    assert lost[0].levelno == logging.WARNING
    assert "Rhombus event stream reconnected" in caplog.text


async def test_reconnect_forces_sensors_off(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    camera = next(iter(simulator.cameras))
    motion = sensor_id(hass, camera, "motion")
    await simulator.emit_alert(camera, ("MOTION",), timestamp_ms=1)  # ancient
    await wait_until(hass, lambda: state_of(hass, motion) == "on")
    connects = stream_of(loaded_entry).stats.connects
    await simulator.restart_session()
    await wait_until(hass, lambda: stream_of(loaded_entry).stats.connects > connects)
    await wait_until(hass, lambda: state_of(hass, motion) == "off")


async def test_replayed_alert_older_than_hold_turns_nothing_on(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    simulator.handshake_status = 503
    await simulator.drop_connections()
    await wait_until(
        hass, lambda: stream_of(loaded_entry).state is not StreamState.CONNECTED
    )
    # The alert happened a minute ago, just before the outage was noticed.
    stale_ms = int(stream_of(loaded_entry).stats.last_healthy_at * 1000) - 60_000
    await simulator.emit_alert(camera, ("MOTION_HUMAN",), timestamp_ms=stale_ms)
    simulator.handshake_status = None
    await wait_until(hass, lambda: len(events) == 1)
    assert events[0].data["replayed"] is True
    assert state_of(hass, sensor_id(hass, camera, "person")) == "off"


async def test_stale_replays_reach_the_bus_only(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Missed alerts older than the hold: bus events, no event, no sensor."""
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    detection = entity_id_of(hass, "event", f"{camera}_detection")
    before = state_of(hass, detection)
    simulator.handshake_status = 503
    await simulator.drop_connections()
    await wait_until(
        hass, lambda: stream_of(loaded_entry).state is not StreamState.CONNECTED
    )
    stale_ms = int(time.time() * 1000) - 45_000  # the hold is 30 s
    missed = [
        await simulator.emit_alert(camera, triggers, timestamp_ms=stale_ms + index)
        for index, triggers in enumerate([("MOTION_HUMAN",), ("MOTION_CAR",)])
    ]
    simulator.handshake_status = None
    await wait_until(hass, lambda: len(events) == 2)
    await wait_until(hass, lambda: not loaded_entry.runtime_data.hub._pending)
    assert [e.data["entity_uuid"] for e in events] == missed
    assert all(e.data["replayed"] for e in events)
    assert state_of(hass, detection) == before  # fired nothing
    assert detections_on(hass) == []


async def test_a_replay_within_the_hold_still_drives_entities(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    """A short outage: the alert is still on, so it turns the sensor on."""
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    detection = entity_id_of(hass, "event", f"{camera}_detection")
    simulator.handshake_status = 503
    await simulator.drop_connections()
    await wait_until(
        hass, lambda: stream_of(loaded_entry).state is not StreamState.CONNECTED
    )
    missed = await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    simulator.handshake_status = None
    await wait_until(hass, lambda: len(events) == 1)
    assert events[0].data["replayed"] is True
    assert hass.states.get(detection).attributes["alert_uuid"] == missed
    assert hass.states.get(detection).attributes["replayed"] is True
    assert detections_on(hass) == [sensor_id(hass, camera, "person")]


@pytest.mark.parametrize(("age", "fires"), [(45, False), (0, True)])
async def test_replayed_button_press_fires_only_within_the_hold(
    hass: HomeAssistant, site_simulator: RhombusSimulator, age: int, fires: bool
) -> None:
    """A doorbell pressed minutes ago is history: the bus and logbook only."""
    sim = site_simulator
    entry = await setup_entry(hass, sim, entry_for(sim))
    events = async_capture_events(hass, EVENT_RHOMBUS)
    panic = site_uuid(sim, "Front Desk Panic")
    press = site_entity(hass, sim, "event", "Front Desk Panic", "press")
    before = state_of(hass, press)
    sim.handshake_status = 503
    await sim.drop_connections()
    await wait_until(hass, lambda: stream_of(entry).state is not StreamState.CONNECTED)
    alert = await sim.press_button(panic)
    sim.alerts[alert]["timestampMs"] -= age * 1000
    sim.handshake_status = None
    await wait_until(hass, lambda: len(events) == 1)
    await wait_until(hass, lambda: not entry.runtime_data.hub._pending)
    assert events[0].data["replayed"] is True
    assert events[0].data["device_type"] == "button"
    if fires:
        assert hass.states.get(press).attributes["alert_uuid"] == alert
    else:
        assert state_of(hass, press) == before


async def test_stall_is_detected_from_heartbeats(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    sim = RhombusSimulator(cameras=1, seed=3, heartbeat_ms=50)
    await sim.start()
    try:
        with patch(
            "custom_components.rhombus.hub.owner.RhombusEventStream",
            partial(RhombusEventStream, heartbeat_ms=50),
        ):
            entry = await setup_entry(hass, sim, entry_for(sim))
        stream = stream_of(entry)
        sim.set_stalled(True)
        await wait_until(hass, lambda: stream.stats.drops == 1)
        sim.set_stalled(False)
        await wait_until(hass, lambda: stream.state is StreamState.CONNECTED)
        assert stream.stats.connects == 2
        assert await hass.config_entries.async_unload(entry.entry_id)
    finally:
        await sim.stop()


async def test_stomp_error_then_close_reconnects(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    await simulator.send_error_and_close("Internal problem")
    await simulator.wait_for_subscription(2)
    await simulator.emit_alert(next(iter(simulator.cameras)), ("MOTION",))
    await wait_until(hass, lambda: len(events) == 1)
    assert stream_of(loaded_entry).stats.drops == 1


# A 403 while REST accepts the key is a missing permission, not a revoked
# key: test_stream_access covers it. A 401 is a revoked key.
@pytest.mark.parametrize("status", [401])
async def test_revoked_key_at_handshake_reauth_then_recovers(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    status: int,
) -> None:
    camera = next(iter(simulator.cameras))
    person = sensor_id(hass, camera, "person")
    simulator.handshake_status = status
    await simulator.drop_connections()
    await wait_until(hass, lambda: reauth_flows(hass) == [SOURCE_REAUTH])
    assert stream_of(loaded_entry).state is StreamState.AUTH_FAILED
    assert state_of(hass, person) == "unavailable"
    opened = simulator.connections_opened
    await hass.async_block_till_done()
    assert simulator.connections_opened == opened  # no retry loop on a bad key

    # The user pastes a new key; the stream returns without a restart.
    simulator.handshake_status = None
    simulator.add_key("fresh-key")
    (flow,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_API_KEY: "fresh-key"}
    )
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    await simulator.wait_for_subscription(2)
    await wait_until(hass, lambda: state_of(hass, person) == "off")
    await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: state_of(hass, person) == "on")


@pytest.mark.parametrize("status", [401, 403])
async def test_revoked_key_on_rest_starts_reauth(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    status: int,
) -> None:
    simulator.fail_rest(LIST, status=status)
    freezer.tick(timedelta(minutes=5, seconds=1))
    async_fire_time_changed(hass)
    await wait_until(hass, lambda: reauth_flows(hass) == [SOURCE_REAUTH])


async def test_rate_limit_is_honoured(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    coordinator = loaded_entry.runtime_data.coordinator
    simulator.fail_rest(LIST, status=429, retry_after=600)
    freezer.tick(timedelta(minutes=5, seconds=1))
    async_fire_time_changed(hass)
    await wait_until(hass, lambda: simulator.calls(LIST) == 2)
    await wait_until(hass, lambda: not coordinator.last_update_success)
    # A stream hint asks for a refresh: nothing is sent before Retry-After.
    await simulator.emit_change({"entity": "CAMERA", "type": "UPDATE"})
    await simulator.emit_change({"entity": "DEVICE", "type": "REFRESH"})
    for _ in range(3):
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert simulator.calls(LIST) == 2
    # The regular refresh 5 minutes later is still inside Retry-After (600 s).
    freezer.tick(timedelta(minutes=5))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert simulator.calls(LIST) == 2
    freezer.tick(timedelta(minutes=5))
    async_fire_time_changed(hass)
    await wait_until(hass, lambda: coordinator.last_update_success)
    assert simulator.calls(LIST) == 3


@pytest.mark.parametrize(
    "fault", [{"status": 500}, {"error_body": "Database busy"}, {"status": 502}]
)
async def test_rest_failure_is_retried_and_sensors_stay_available(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    fault: dict[str, object],
) -> None:
    coordinator = loaded_entry.runtime_data.coordinator
    person = sensor_id(hass, next(iter(simulator.cameras)), "person")
    simulator.fail_rest(LIST, **fault)
    freezer.tick(timedelta(minutes=5, seconds=1))
    async_fire_time_changed(hass)
    await wait_until(hass, lambda: not coordinator.last_update_success)
    assert state_of(hass, person) == "off"  # the stream still delivers
    freezer.tick(timedelta(minutes=5, seconds=1))
    async_fire_time_changed(hass)
    await wait_until(hass, lambda: coordinator.last_update_success)
    assert simulator.calls(LIST) == 3


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("MESSAGE\ndestination:/x\nno-colon-line\n\n{}\x00", "malformed_frame"),
        ("MESSAGE\ndestination:/x\n\nnot json\x00", "invalid_json"),
        ("MESSAGE\ndestination:/x\n\n[1,2]\x00", "invalid_event"),
        (
            "MESSAGE\ndestination:/x\n\n" + json.dumps({"type": 5}) + "\x00",
            "invalid_event",
        ),
        ("MESSAGE\n\n" + "x" * (1024 * 1024 + 10) + "\x00", "oversized"),
    ],
    ids=["malformed", "not-json", "array", "no-entity", "over-1MiB"],
)
async def test_bad_frames_are_skipped_and_logged_once(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    raw: str,
    kind: str,
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    await simulator.send_raw(raw)
    await simulator.send_raw(raw)
    await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: len(events) == 1)
    stream = stream_of(loaded_entry)
    assert stream.stats.bad_frames[kind] == 2
    assert stream.stats.drops == 0
    warnings = [
        r
        for r in caplog.records
        if r.levelno == logging.WARNING and "bad Rhombus stream message" in r.message
    ]
    assert len(warnings) == 1
    assert state_of(hass, sensor_id(hass, camera, "person")) == "on"


async def test_binary_garbage_is_skipped(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    await simulator.send_bytes(b"\x00\xff\xfe garbage")
    await simulator.emit_alert(next(iter(simulator.cameras)), ("MOTION",))
    await wait_until(hass, lambda: len(events) == 1)
    assert stream_of(loaded_entry).stats.bad_frames["binary"] == 1


async def test_alert_with_wrong_types_still_reaches_the_bus(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    await simulator.emit_change(
        {
            "entity": "POLICY_ALERT",
            "entityUuid": "odd-1",
            "type": "CREATE",
            "deviceUuid": camera,
            "timestampMs": "yesterday",
            "durationSec": [],
            "policyAlertTriggers": ["MOTION_HUMAN", 7],
            "textDescription": None,
        }
    )
    await wait_until(hass, lambda: len(events) == 1)
    data = events[0].data
    assert data["timestamp"] is None
    assert data["duration_sec"] is None
    assert data["triggers"] == ["MOTION_HUMAN"]
    assert state_of(hass, sensor_id(hass, camera, "person")) == "on"


async def test_duplicates_out_of_order_and_unknown_delete(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    motion = sensor_id(hass, camera, "motion")
    first = await simulator.emit_alert(camera, ("MOTION",), timestamp_ms=2_000_000)
    await simulator.emit_alert(camera, ("MOTION",), alert_uuid=first)  # duplicate
    older = await simulator.emit_alert(camera, ("MOTION",), timestamp_ms=1_000_000)
    await simulator.emit_delete("never-seen-alert")
    await simulator.emit_delete("never-seen-alert")  # duplicate
    await simulator.emit_delete(first)
    await simulator.emit_delete(first)  # duplicate
    await wait_until(hass, lambda: len(events) == 4)
    await hass.async_block_till_done()
    assert [(e.data["entity_uuid"], e.data["change_type"]) for e in events] == [
        (first, "CREATE"),
        (older, "CREATE"),
        ("never-seen-alert", "DELETE"),
        (first, "DELETE"),
    ]
    assert state_of(hass, motion) == "on"  # `older` still holds it
    assert loaded_entry.runtime_data.hub.alerts.duplicates == 3


async def test_down_past_grace_makes_sensors_unavailable(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    person = sensor_id(hass, next(iter(simulator.cameras)), "person")
    simulator.handshake_status = 503
    await simulator.drop_connections()
    await wait_until(
        hass, lambda: stream_of(loaded_entry).state is not StreamState.CONNECTED
    )
    freezer.tick(timedelta(seconds=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state_of(hass, person) == "off"  # a short outage does not flap
    freezer.tick(timedelta(seconds=25))
    async_fire_time_changed(hass)
    await wait_until(hass, lambda: state_of(hass, person) == "unavailable")
    simulator.handshake_status = None
    for _ in range(5):
        freezer.tick(timedelta(seconds=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    await wait_until(hass, lambda: state_of(hass, person) == "off")


async def test_api_key_never_logged(
    hass: HomeAssistant, socket_enabled: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sim = RhombusSimulator(cameras=2, seed=5, heartbeat_ms=0, api_key=SECRET)
    await sim.start()
    try:
        entry = await setup_entry(hass, sim, entry_for(sim))
        await sim.send_raw("MESSAGE\n\nnot json\x00")
        await sim.drop_connections()
        await sim.wait_for_subscription(2)
        sim.handshake_status = 401
        await sim.drop_connections()
        await wait_until(
            hass, lambda: stream_of(entry).state is StreamState.AUTH_FAILED
        )
        assert repr(stream_of(entry)).find(SECRET) == -1
        assert repr(entry.runtime_data.rest).find(SECRET) == -1
        assert await hass.config_entries.async_unload(entry.entry_id)
    finally:
        await sim.stop()
    assert caplog.records
    assert SECRET not in caplog.text
