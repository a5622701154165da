"""Diagnostics: stream health and counters, cameras, options; never the key."""

from __future__ import annotations

from collections.abc import AsyncGenerator
import json
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.rhombus.aiorhombus import StreamState
from custom_components.rhombus.devices import camera_devices
from custom_components.rhombus.diagnostics import redact
from simulator import RhombusSimulator

from .helpers import entry_for, setup_entry, wait_until

# Reconnect within milliseconds: these tests drop the stream on purpose.
pytestmark = pytest.mark.usefixtures("fast_reconnect")

SECRET = "KEY-DIAG-5e0c91b7"
REDACTED = "**REDACTED**"


@pytest.fixture
async def sim(socket_enabled: None) -> AsyncGenerator[RhombusSimulator]:
    """The conftest simulator, but with a key that is easy to spot."""
    simulator = RhombusSimulator(
        cameras=2, seed=11, heartbeat_ms=0, org_name="Acme HQ", api_key=SECRET
    )
    await simulator.start()
    with patch(
        "custom_components.rhombus.aiorhombus.stream.WS_PING_INTERVAL", 86_400.0
    ):
        yield simulator
    await simulator.stop()


async def busy_entry(hass: HomeAssistant, sim: RhombusSimulator) -> MockConfigEntry:
    """An entry that has seen a bad frame, a duplicate, a drop and a replay."""
    entry = await setup_entry(
        hass, sim, entry_for(sim, hold_seconds=60, all_events=True)
    )
    hub = entry.runtime_data.hub
    camera = next(iter(sim.cameras))
    await sim.send_raw("MESSAGE\n\nnot json\x00")
    uuid = await sim.emit_alert(camera, ("MOTION_HUMAN",))
    await sim.emit_alert(camera, ("MOTION_HUMAN",), alert_uuid=uuid)
    await wait_until(hass, lambda: hub.alerts.duplicates == 1)

    sim.handshake_status = 503
    await sim.drop_connections()
    await wait_until(hass, lambda: hub.stream.state is not StreamState.CONNECTED)
    await sim.emit_alert(camera, ("MOTION_CAR",))
    sim.handshake_status = None
    await wait_until(hass, lambda: hub.replayed == 1)
    return entry


async def test_entry_diagnostics(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, sim: RhombusSimulator
) -> None:
    entry = await busy_entry(hass, sim)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert SECRET not in json.dumps(diagnostics)

    assert isinstance(diagnostics, dict)
    stored: dict[str, Any] = diagnostics["entry"]
    assert stored["title"] == "Acme HQ"
    assert stored["data"]["api_key"] == REDACTED
    assert stored["data"]["rest_url"] == sim.rest_url
    assert stored["data"]["websocket_url"].endswith("?x-auth-scheme=**REDACTED**")
    assert stored["options"]["hold_seconds"] == 60
    assert stored["options"]["all_events"] is True

    stream: dict[str, Any] = diagnostics["stream"]
    assert stream["state"] == "connected"
    assert stream["available"] is True
    assert stream["connected_since"].endswith("+00:00")
    assert stream["last_message_at"].endswith("+00:00")
    assert stream["connects"] == 2
    assert stream["reconnects"] == 1
    assert stream["drops"] == 1
    assert stream["bad_frames"] == {"invalid_json": 1}
    assert stream["messages"] >= 2
    assert stream["auth_error_status"] is None
    assert stream["forbidden"] is False

    hub = entry.runtime_data.hub
    assert diagnostics["alerts"] == {
        "remembered": 2,
        # the repeated alert, plus catch-up's overlap with the live stream
        "duplicates_suppressed": hub.alerts.duplicates,
        "replayed": 1,
    }
    assert hub.alerts.duplicates >= 1
    assert diagnostics["coordinator"] == {
        "last_update_success": True,
        "update_interval": "0:05:00",
    }
    cameras: list[dict[str, Any]] = diagnostics["cameras"]
    assert sorted(c["uuid"] for c in cameras) == sorted(sim.cameras)
    assert {c["name"] for c in cameras} == {c.name for c in sim.cameras.values()}
    assert all(c["firmware_version"] for c in cameras)
    assert diagnostics["recognition"] == {
        "people": 0,
        "vehicles": 0,
        "trusted_vehicles": 0,
    }


async def test_recognition_counts_without_names(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, sim: RhombusSimulator
) -> None:
    """Diagnostics say how many people and cars are known, never who or which."""
    entry = await setup_entry(hass, sim, entry_for(sim))
    sim.add_person("Alice Liddell")
    sim.add_person("Bob Builder")
    sim.add_vehicle("ABC123", "Family car", trusted=True)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["recognition"] == {
        "people": 2,
        "vehicles": 1,
        "trusted_vehicles": 1,
    }
    text = json.dumps(diagnostics)
    for secret in ("Alice Liddell", "Bob Builder", "ABC123", "Family car"):
        assert secret not in text

    sim.fail_rest("/api/faceRecognition/person/findPeopleByOrg", status=403)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["recognition"] == {"error": "RhombusAuthError"}


async def test_device_diagnostics(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, sim: RhombusSimulator
) -> None:
    entry = await busy_entry(hass, sim)
    camera = next(iter(sim.cameras.values()))
    device = camera_devices(hass, entry.entry_id)[camera.uuid]
    diagnostics = await get_diagnostics_for_device(hass, hass_client, entry, device)
    assert SECRET not in json.dumps(diagnostics)

    assert isinstance(diagnostics, dict)
    assert diagnostics["camera"]["uuid"] == camera.uuid
    assert diagnostics["device"] == {"name": camera.name, "name_by_user": None}
    entities: list[dict[str, Any]] = diagnostics["entities"]
    by_key = {e["translation_key"]: e for e in entities}
    assert by_key["person"]["state"] == "off"  # forced off at the reconnect
    assert by_key["vehicle"]["state"] == "on"  # the replayed alert, still held
    assert by_key["animal"]["disabled_by"] == "integration"
    assert by_key["animal"]["state"] is None
    event = by_key["detection"]
    assert event["attributes"]["event_type"] == "vehicle"
    assert event["attributes"]["replayed"] is True
    # Rhombus's sentence about the alert may name who it saw.
    assert hass.states.get(event["entity_id"]).attributes["description"]
    assert event["attributes"]["description"] == "**REDACTED**"


def test_redact_is_generous() -> None:
    data = {
        "api_key": SECRET,
        "nested": [
            {"x-auth-apikey": SECRET, "accessToken": "t", "name": "Lobby"},
            {"clip": "https://media.example/c.mp4?sig=abc&exp=1", "n": 3},
        ],
        "password": "p",
        "client_secret": "s",
        "url": "https://api2.rhombussystems.com",
        "plain": "what?",
        "entity_picture": "/api/camera_proxy/camera.lobby?token=abc",
        "translation_key": "person",
        "key": "k",
        "unique_id": "u",
    }
    assert redact(data) == {
        "api_key": REDACTED,
        "nested": [
            {"x-auth-apikey": REDACTED, "accessToken": REDACTED, "name": "Lobby"},
            {
                "clip": "https://media.example/c.mp4?sig=**REDACTED**&exp=**REDACTED**",
                "n": 3,
            },
        ],
        "password": REDACTED,
        "client_secret": REDACTED,
        "url": "https://api2.rhombussystems.com",
        "plain": "what?",
        "entity_picture": "/api/camera_proxy/camera.lobby?token=**REDACTED**",
        "translation_key": "person",
        "key": REDACTED,
        "unique_id": "u",
    }
