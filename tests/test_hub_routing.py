"""The hub's routing table, and the bounds on what an alert may cost."""

from __future__ import annotations

import asyncio
from unittest.mock import patch

from homeassistant.components.binary_sensor import DOMAIN as BINARY_SENSOR
from homeassistant.core import HomeAssistant
from homeassistant.helpers.json import json_bytes
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.rhombus.aiorhombus import ChangeEvent
from custom_components.rhombus.binary_sensor import MAX_ACTIVE_ALERTS
from custom_components.rhombus.const import EVENT_RHOMBUS
from custom_components.rhombus.hub import AlertSource, RhombusAlert
from custom_components.rhombus.hub.details import DETAILS_CONCURRENCY
from simulator import RhombusSimulator

from .helpers import detections_on, sensor_id, state_of, wait_until

DETAILS = "/api/event/getPolicyAlertDetails"


async def test_a_new_consumer_is_one_registration(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    """A consumer takes its entity types and alerts; the cameras the rest."""
    hub = loaded_entry.runtime_data.hub
    events = async_capture_events(hass, EVENT_RHOMBUS)
    changes: list[ChangeEvent] = []
    taken: list[RhombusAlert] = []

    def take(alert: RhombusAlert) -> AlertSource:
        taken.append(alert)
        return AlertSource("loc-1", "Main office", "location")

    unregister = hub.async_register_consumer(
        entity_types={"LOCATION"},
        on_change=changes.append,
        alerts=lambda event: "LOCKDOWN_ACTIVATED" in (event.triggers or ()),
        on_alert=take,
    )
    camera = next(iter(simulator.cameras))
    await simulator.emit_change(
        {"entity": "LOCATION", "type": "UPDATE", "entityUuid": "loc-1"}
    )
    lockdown = await simulator.emit_alert(camera, ("LOCKDOWN_ACTIVATED",))
    await wait_until(hass, lambda: len(events) == 1)
    assert [c.entity_uuid for c in changes] == ["loc-1"]
    assert [a.uuid for a in taken] == [lockdown]
    assert events[0].data["device_name"] == "Main office"
    assert events[0].data["device_type"] == "location"
    assert events[0].data["media_content_id"] is None

    unregister()
    person = await simulator.emit_alert(camera, ("MOTION_HUMAN", "LOCKDOWN_ACTIVATED"))
    await wait_until(hass, lambda: len(events) == 2)
    assert len(taken) == 1  # gone: the cameras take it
    assert events[1].data["entity_uuid"] == person
    assert events[1].data["device_type"] == "camera"
    assert state_of(hass, sensor_id(hass, camera, "person")) == "on"


async def test_a_large_payload_is_left_off_the_bus_event(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Over 16 KiB of JSON: the documented fields stay, the copy goes."""
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    small = await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    await simulator.emit_change(
        {
            "entity": "POLICY_ALERT",
            "type": "CREATE",
            "entityUuid": "big-1",
            "update": {
                "uuid": "big-1",
                "deviceUuid": camera,
                "policyAlertTriggers": ["MOTION_CAR"],
                "textDescription": "A car.",
                "padding": "é" * 10_000,  # 20 kB of UTF-8 in 10,000 characters
            },
        }
    )
    await wait_until(hass, lambda: len(events) == 2)
    kept, dropped = (e.data for e in events)
    assert kept["entity_uuid"] == small
    assert kept["payload_truncated"] is False
    assert kept["payload"]["entityUuid"] == small
    assert dropped["payload_truncated"] is True
    assert "payload" not in dropped
    assert dropped["detections"] == ["vehicle"]
    assert dropped["description"] == "A car."
    assert dropped["camera_name"] == simulator.cameras[camera].name


async def test_details_calls_are_few_at_a_time(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Ten sparse alerts at once: four calls out, the rest wait their turn."""
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    simulator.fail_rest(DETAILS, timeout=True, times=0)  # held until cleared
    for _ in range(10):
        await simulator.emit_alert(camera, ("MOTION_CAR",), shape="sparse")
    await wait_until(hass, lambda: simulator.calls(DETAILS) == DETAILS_CONCURRENCY)
    for _ in range(20):
        await asyncio.sleep(0.01)
        await hass.async_block_till_done()
    assert simulator.calls(DETAILS) == DETAILS_CONCURRENCY
    simulator.clear_faults()  # the held four fail, the six others succeed
    await wait_until(hass, lambda: len(events) == 10)
    assert simulator.calls(DETAILS) == 10
    assert sum(e.data["device_uuid"] == camera for e in events) == 6


async def test_a_429_on_details_quiets_details_and_lists(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    """The org's one rate-limit gate: the alert is still delivered."""
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    simulator.fail_rest(DETAILS, status=429, retry_after=120)
    first = await simulator.emit_alert(camera, ("MOTION_CAR",), shape="sparse")
    await wait_until(hass, lambda: len(events) == 1)
    second = await simulator.emit_alert(camera, ("MOTION_CAR",), shape="sparse")
    await wait_until(hass, lambda: len(events) == 2)
    assert [e.data["entity_uuid"] for e in events] == [first, second]
    assert simulator.calls(DETAILS) == 1  # none while quiet
    assert loaded_entry.runtime_data.coordinator.gate.remaining() > 100


async def test_a_camera_list_hint_ends_with_the_entry(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    started = asyncio.Event()
    cancelled: list[bool] = []

    async def slow_refresh() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    coordinator = loaded_entry.runtime_data.coordinator
    with patch.object(coordinator, "async_request_refresh", slow_refresh):
        await simulator.emit_change(
            {"entity": "CAMERA", "type": "UPDATE", "entityUuid": "c1"}
        )
        await wait_until(hass, started.is_set)
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    assert cancelled == [True]


async def test_a_sensor_that_never_goes_quiet_remembers_few_alerts(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    camera = next(iter(simulator.cameras))
    entity_id = sensor_id(hass, camera, "motion")
    uuids = [
        await simulator.emit_alert(camera, ("MOTION",))
        for _ in range(MAX_ACTIVE_ALERTS + 20)
    ]
    events = async_capture_events(hass, EVENT_RHOMBUS)
    last = await simulator.emit_alert(camera, ("MOTION_CAR",))  # the stream is ordered
    await wait_until(hass, lambda: any(e.data["entity_uuid"] == last for e in events))
    sensor = hass.data[BINARY_SENSOR].get_entity(entity_id)
    assert len(sensor._active) == MAX_ACTIVE_ALERTS
    assert state_of(hass, entity_id) == "on"
    for uuid in uuids[-MAX_ACTIVE_ALERTS:]:
        await simulator.emit_delete(uuid)
    await wait_until(hass, lambda: state_of(hass, entity_id) == "off")
    assert detections_on(hass) == [sensor_id(hass, camera, "vehicle")]


async def test_a_payload_the_recorder_cannot_store_is_left_out(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    """With a NaN only the standard parser reads it, keeping a 65-bit integer.

    orjson (the recorder's encoder) cannot write that integer back.
    """
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    await simulator.emit_change(
        {
            "entity": "POLICY_ALERT",
            "type": "CREATE",
            "entityUuid": "huge-int",
            "deviceUuid": camera,
            "policyAlertTriggers": ["MOTION"],
            "durationSec": 2**64 + 1,
            "timestampMs": float("nan"),
        }
    )
    await wait_until(hass, lambda: len(events) == 1)
    data = events[0].data
    assert data["payload_truncated"] is True
    assert data["duration_sec"] == float(2**64 + 1)
    json_bytes(data)  # what the recorder does
