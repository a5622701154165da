"""The real hub takes every alert the spec allows without error, once per uuid.

The alerts come from the spec's PolicyAlertV2Type through hypothesis (the
derandomized profile: the same ones every run), each sent twice over the
simulator's stream to a real config entry.
"""

from __future__ import annotations

from collections import Counter
import logging
from typing import Any

from homeassistant.core import HomeAssistant
from hypothesis import given, settings
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.rhombus.const import EVENT_RHOMBUS
from simulator import RhombusSimulator
from tests.helpers import wait_until

from .strategies import ALERT_SCHEMA, from_schema

COUNT = 40


def generated_alerts() -> list[dict[str, Any]]:
    """``COUNT`` alerts from the spec's schema, the same on every run."""
    found: list[dict[str, Any]] = []

    @settings(max_examples=COUNT, database=None, derandomize=True)
    @given(alert=from_schema(ALERT_SCHEMA))
    def collect(alert: dict[str, Any]) -> None:
        found.append(alert)

    collect()
    return found


async def test_generated_alerts_fire_at_most_once_each(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    alerts = generated_alerts()
    assert len(alerts) >= COUNT // 2
    for index, generated in enumerate(alerts):
        alert = {**generated, "uuid": f"GEN{index}"}
        if index % 2:  # half on a real camera, so detections can fire
            alert["deviceUuid"] = camera
        body = {
            "entity": "POLICY_ALERT",
            "type": "CREATE",
            "entityUuid": alert["uuid"],
            "update": alert,
        }
        for _ in range(2):
            await simulator.emit_change(body)
    # The stream is ordered: once this one is through, so is every other.
    last = await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: any(e.data["entity_uuid"] == last for e in events))
    await hass.async_block_till_done()
    per_uuid = Counter(e.data["entity_uuid"] for e in events)
    assert max(per_uuid.values()) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
