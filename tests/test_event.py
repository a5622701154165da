"""The per-camera event entity: one event per new alert, typed by its kind."""

from __future__ import annotations

from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE, Platform
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, State
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.rhombus.aiorhombus import StreamState
from simulator import RhombusSimulator

from .helpers import entity_id_of, snapshot_platform_entities, state_of, wait_until

# Reconnect within milliseconds: these tests drop the stream on purpose.
pytestmark = pytest.mark.usefixtures("fast_reconnect")

EVENT_TYPES = [
    "person",
    "vehicle",
    "motion",
    "loitering",
    "line_crossing",
    "area_intrusion",
    "animal",
    "package",
    "face",
    "license_plate",
    "tamper",
    "sound",
    "other",
]


def event_id(hass: HomeAssistant, camera_uuid: str) -> str:
    return entity_id_of(hass, "event", f"{camera_uuid}_detection")


def fired(hass: HomeAssistant, entity_id: str) -> list[State]:
    """Collect each event the entity fires (each changes its timestamp state)."""
    states: list[State] = []

    def on_change(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if (
            event.data["entity_id"] == entity_id
            and new is not None
            and new.attributes.get("event_type") is not None
            and new.state != STATE_UNAVAILABLE
        ):
            states.append(new)

    hass.bus.async_listen(EVENT_STATE_CHANGED, on_change)
    return states


async def test_entity_per_camera_with_enabled_types(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    for camera in simulator.cameras:
        state = hass.states.get(event_id(hass, camera))
        assert state is not None
        assert state.state == "unknown"  # nothing fired yet
        assert state.attributes["event_types"] == EVENT_TYPES
        assert state.attributes["device_class"] == "motion"
    entry = er.async_get(hass).async_get(event_id(hass, camera))
    assert entry is not None
    assert entry.translation_key == "detection"


async def test_alert_fires_once_with_type_and_attributes(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    lobby, other, _ = simulator.cameras
    states = fired(hass, event_id(hass, lobby))
    quiet = fired(hass, event_id(hass, other))
    uuid = await simulator.emit_alert(
        lobby,
        ("HUMAN_ENTER", "MOTION_HUMAN"),
        description="A person walks in.",
        timestamp_ms=1774459323512,
    )
    await wait_until(hass, lambda: len(states) == 1)
    attributes = dict(states[0].attributes)
    assert attributes["event_type"] == "line_crossing"  # the first enabled kind
    assert attributes["triggers"] == ["HUMAN_ENTER", "MOTION_HUMAN"]
    assert attributes["detections"] == ["line_crossing", "person"]
    assert attributes["description"] == "A person walks in."
    assert attributes["alert_uuid"] == uuid
    assert attributes["timestamp"] == "2026-03-25T17:22:03.512000+00:00"
    assert attributes["replayed"] is False

    # The same alert again, an update and its deletion: nothing more fires.
    await simulator.emit_alert(lobby, ("HUMAN_ENTER",), alert_uuid=uuid)
    await simulator.emit_alert(
        lobby, ("HUMAN_ENTER",), alert_uuid=uuid, change_type="UPDATE"
    )
    await simulator.emit_delete(uuid)
    hub = loaded_entry.runtime_data.hub
    await wait_until(hass, lambda: hub.stream.stats.messages == 4)
    second = await simulator.emit_alert(lobby, ("MOTION_CAR",))
    await wait_until(hass, lambda: len(states) == 2)
    assert states[1].attributes["event_type"] == "vehicle"
    assert states[1].attributes["alert_uuid"] == second
    assert hub.alerts.duplicates == 1
    assert quiet == []


@pytest.mark.parametrize(
    ("triggers", "event_type", "detections"),
    [
        (("CROWD_FORMATION",), "other", []),  # unknown to the table
        (("MOTION_ANIMAL",), "animal", ["animal"]),  # a kind disabled by default
        ((), "other", []),
        (("MOTION_ANIMAL", "MOTION"), "animal", ["animal", "motion"]),
        (("POSE_FALL", "MOTION_CAR"), "vehicle", ["vehicle"]),
    ],
)
async def test_event_type_is_the_first_kind_else_other(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    triggers: tuple[str, ...],
    event_type: str,
    detections: list[str],
) -> None:
    camera = next(iter(simulator.cameras))
    states = fired(hass, event_id(hass, camera))
    await simulator.emit_alert(camera, triggers, description="Something.")
    await wait_until(hass, lambda: len(states) == 1)
    assert states[0].attributes["event_type"] == event_type
    assert states[0].attributes["triggers"] == list(triggers)
    assert states[0].attributes["detections"] == detections


async def test_replayed_alert_fires_once_marked_replayed(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    camera = next(iter(simulator.cameras))
    states = fired(hass, event_id(hass, camera))
    live = await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: len(states) == 1)

    stream = loaded_entry.runtime_data.hub.stream
    simulator.handshake_status = 503
    await simulator.drop_connections()
    await wait_until(hass, lambda: stream.state is not StreamState.CONNECTED)
    missed = await simulator.emit_alert(camera, ("MOTION_CAR",))
    simulator.handshake_status = None
    await wait_until(hass, lambda: len(states) == 2)
    await wait_until(hass, lambda: not loaded_entry.runtime_data.hub._pending)

    assert states[1].attributes["alert_uuid"] == missed
    assert states[1].attributes["event_type"] == "vehicle"
    assert states[1].attributes["replayed"] is True
    assert [s.attributes["alert_uuid"] for s in states] == [live, missed]


async def test_unavailable_while_stream_refused(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    entity_id = event_id(hass, next(iter(simulator.cameras)))
    simulator.handshake_status = 401
    await simulator.drop_connections()
    await wait_until(hass, lambda: state_of(hass, entity_id) == STATE_UNAVAILABLE)


async def test_new_camera_gets_an_event_entity_without_reload(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    camera = simulator.add_camera("Loading dock")
    await loaded_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    entity_id = event_id(hass, camera.uuid)
    states = fired(hass, entity_id)
    await simulator.emit_alert(camera.uuid, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: len(states) == 1)
    assert states[0].attributes["event_type"] == "person"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant, simulator: RhombusSimulator, snapshot: SnapshotAssertion
) -> None:
    """Every entity of the platform: name, class, category, unit and state."""
    await snapshot_platform_entities(hass, simulator, Platform.EVENT, snapshot)
