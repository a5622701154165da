"""What the recorder keeps of an alert: per-alert uuids and times stay out."""

from __future__ import annotations

from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.history import get_significant_states
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import RecorderInstanceGenerator

from simulator import RhombusSimulator

from .helpers import entity_id_of, entry_for, setup_entry, state_of, wait_until


@pytest.fixture
def mock_recorder_before_hass(
    async_setup_recorder_instance: RecorderInstanceGenerator,
) -> None:
    """Let the recorder start before Home Assistant does."""


async def test_alert_uuid_and_timestamp_are_not_recorded(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    camera = next(iter(simulator.cameras))
    event = entity_id_of(hass, "event", f"{camera}_detection")
    image = entity_id_of(hass, "image", f"{camera}_last_alert")
    start = dt_util.utcnow()
    alert = await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    await wait_until(
        hass, lambda: state_of(hass, image) not in (None, STATE_UNAVAILABLE)
    )
    live_event, live_image = hass.states.get(event), hass.states.get(image)
    assert live_event is not None
    assert live_image is not None
    # Automations still see every attribute.
    assert live_event.attributes["alert_uuid"] == alert
    assert live_event.attributes["timestamp"] is not None
    assert live_image.attributes["alert_uuid"] == alert
    assert live_image.attributes["media_content_id"].startswith("media-source://")
    await async_wait_recording_done(hass)

    history = await hass.async_add_executor_job(
        get_significant_states, hass, start, None, [event, image]
    )
    recorded_event = history[event][-1]
    recorded_image = history[image][-1]
    assert recorded_event.state == live_event.state
    assert "alert_uuid" not in recorded_event.attributes
    assert "timestamp" not in recorded_event.attributes
    assert recorded_event.attributes["event_type"] == "person"
    assert recorded_event.attributes["detections"] == ["person"]
    assert "description" in recorded_event.attributes
    assert recorded_image.state == live_image.state
    assert "alert_uuid" not in recorded_image.attributes
    assert "media_content_id" not in recorded_image.attributes


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_face_and_plate_events_keep_who_but_not_alert_person_or_labels(
    recorder_mock: Recorder, hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """History keeps the name and the plate; uuids and labels stay out."""
    camera = next(iter(simulator.cameras))
    alice = simulator.add_person("Alice")
    simulator.add_vehicle("ABC123", "Family car")
    await setup_entry(hass, simulator, entry_for(simulator))
    face = entity_id_of(hass, "event", f"{camera}_face")
    plate = entity_id_of(hass, "event", f"{camera}_license_plate")
    start = dt_util.utcnow()
    face_alert = await simulator.emit_face_alert(camera, ["Alice"], labels=["staff"])
    plate_alert = await simulator.emit_plate_alert(
        camera, ["ABC123"], labels=["family"]
    )

    def fired(entity_id: str, alert: str) -> bool:
        state = hass.states.get(entity_id)
        return state is not None and state.attributes.get("alert_uuid") == alert

    await wait_until(
        hass, lambda: fired(face, face_alert) and fired(plate, plate_alert)
    )
    live_face, live_plate = hass.states.get(face), hass.states.get(plate)
    assert live_face is not None
    assert live_plate is not None
    # Automations still see every attribute.
    assert live_face.attributes["person_uuid"] == alice
    assert live_face.attributes["labels"] == ["staff"]
    assert live_plate.attributes["labels"] == ["family"]
    await async_wait_recording_done(hass)

    history = await hass.async_add_executor_job(
        get_significant_states, hass, start, None, [face, plate]
    )
    recorded_face = history[face][-1]
    recorded_plate = history[plate][-1]
    assert recorded_face.state == live_face.state
    assert recorded_face.attributes["event_type"] == "identified"
    assert recorded_face.attributes["name"] == "Alice"
    assert recorded_plate.state == live_plate.state
    assert recorded_plate.attributes["event_type"] == "identified"
    assert recorded_plate.attributes["plate"] == "ABC123"
    assert recorded_plate.attributes["vehicle_name"] == "Family car"
    for recorded in (recorded_face, recorded_plate):
        for attribute in ("alert_uuid", "person_uuid", "labels"):
            assert attribute not in recorded.attributes, attribute
