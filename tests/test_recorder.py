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

from .helpers import entity_id_of, state_of, wait_until


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
