"""The logbook reads rhombus_event as sentences: "Person detected at Lobby"."""

from __future__ import annotations

from typing import Any

from homeassistant.components.recorder.core import Recorder
from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.rhombus.const import DOMAIN, EVENT_RHOMBUS
from custom_components.rhombus.logbook import async_describe_events, describe
from simulator import RhombusSimulator

from .helpers import entry_for, setup_entry, wait_until


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_db_url: str, enable_custom_integrations: None
) -> None:
    """As in conftest, but the recorder's database is prepared before hass."""


ALERT = {"entity": "POLICY_ALERT", "camera_name": "Lobby", "device_uuid": "cam-1"}


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            {**ALERT, "change_type": "CREATE", "detections": ["person", "vehicle"]},
            "Person",
            "detected at Lobby",
        ),
        (
            {**ALERT, "change_type": "CREATE", "detections": ["line_crossing"]},
            "Line crossing",
            "detected at Lobby",
        ),
        (
            {**ALERT, "change_type": "CREATE", "detections": ["tamper"]},
            "Tampering",
            "detected at Lobby",
        ),
        (
            {
                **ALERT,
                "change_type": "CREATE",
                "detections": [],
                "triggers": ["CROWD_FORMATION"],
            },
            "Crowd formation",
            "detected at Lobby",
        ),
        (
            {**ALERT, "change_type": "CREATE", "detections": ["not-a-kind"]},
            "Alert",
            "detected at Lobby",
        ),
        (
            {
                **ALERT,
                "change_type": "CREATE",
                "detections": ["motion"],
                "replayed": True,
            },
            "Motion",
            "detected at Lobby (while the stream was down)",
        ),
        (
            {**ALERT, "camera_name": None, "change_type": "CREATE"},
            "Alert",
            "detected at cam-1",
        ),
        ({**ALERT, "change_type": "DELETE"}, "Alert", "cleared at Lobby"),
        ({**ALERT, "change_type": "UPDATE"}, "Alert", "updated at Lobby"),
        (
            {"entity": "POLICY_ALERT", "change_type": "REFRESH"},
            "Alert",
            "refresh",
        ),
        (
            {"entity": "CAMERA", "change_type": "UPDATE", "camera_name": "Lobby"},
            "Camera",
            "updated at Lobby",
        ),
        (
            {"entity": "DOOR_STATE", "change_type": "CREATE", "entity_uuid": "d-1"},
            "Door state",
            "created (d-1)",
        ),
        ({"entity": "USER", "change_type": "DELETE"}, "User", "deleted"),
        (
            {**ALERT, "change_type": "CREATE", "faces": [{"name": "Alice"}]},
            "Alice",
            "recognised at Lobby",
        ),
        (
            {
                **ALERT,
                "change_type": "CREATE",
                "faces": [{"name": "Alice"}, {"name": None}, {"name": "Bob"}],
            },
            "Alice, Bob",
            "recognised at Lobby",
        ),
        (
            {**ALERT, "change_type": "CREATE", "faces": [{"name": None}]},
            "Unknown face",
            "at Lobby",
        ),
        (
            {
                **ALERT,
                "camera_name": "Gate",
                "change_type": "CREATE",
                "plates": [{"plate": "ABC123", "vehicle_name": "Family car"}],
            },
            "Plate ABC123 (Family car)",
            "at Gate",
        ),
        (
            {
                **ALERT,
                "change_type": "CREATE",
                "plates": [{"plate": "ABC123"}, {"plate": "XYZ9"}],
                "replayed": True,
            },
            "Plates ABC123, XYZ9",
            "at Lobby (while the stream was down)",
        ),
        (
            {**ALERT, "change_type": "CREATE", "faces": [], "detections": ["face"]},
            "Face",
            "detected at Lobby",
        ),
        ({}, "Rhombus", "changed"),
    ],
)
def test_describe(data: dict[str, Any], name: str, message: str) -> None:
    assert describe(data) == {"name": name, "message": message}


async def test_registers_the_bus_event(hass: HomeAssistant) -> None:
    registered: list[tuple[str, str, Any]] = []
    async_describe_events(hass, lambda *args: registered.append(args))
    ((domain, event_type, describe_event),) = registered
    assert (domain, event_type) == (DOMAIN, EVENT_RHOMBUS)
    event = Event(EVENT_RHOMBUS, {**ALERT, "change_type": "DELETE"})
    assert describe_event(event) == {"name": "Alert", "message": "cleared at Lobby"}


async def test_logbook_shows_alerts_as_sentences(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    simulator: RhombusSimulator,
) -> None:
    # The logbook only registers a panel with the frontend, whose package the
    # newest test environment lacks: stand in for it.
    hass.config.components.add("frontend")
    assert await async_setup_component(hass, "logbook", {})
    await setup_entry(hass, simulator, entry_for(simulator))
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras.values()))
    uuid = await simulator.emit_alert(camera.uuid, ("MOTION_HUMAN", "MOTION_CAR"))
    await simulator.emit_alert(camera.uuid, ("MOTION_HUMAN",), alert_uuid=uuid)
    await simulator.emit_delete(uuid)
    await wait_until(hass, lambda: len(events) == 2)  # the repeat is dropped
    await async_wait_recording_done(hass)

    client = await hass_ws_client()
    await client.send_json(
        {
            "id": 1,
            "type": "logbook/get_events",
            "start_time": "2000-01-01T00:00:00+00:00",
        }
    )
    response = await client.receive_json()
    assert response["success"]
    ours = [e for e in response["result"] if e.get("domain") == DOMAIN]
    assert [(e["name"], e["message"]) for e in ours] == [
        ("Person", f"detected at {camera.name}"),
        ("Alert", f"cleared at {camera.name}"),
    ]
