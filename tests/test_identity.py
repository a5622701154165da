"""Who and which car: face and plate alerts over the real stream, end to end."""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_mock_service,
)

from custom_components.rhombus.const import DOMAIN, EVENT_RHOMBUS
from simulator import RhombusSimulator

from .helpers import (
    entity_id_of,
    entry_for,
    readme_automation,
    sensor_id,
    setup_entry,
    state_of,
    wait_until,
    without_area,
)

DETAILS = "/api/event/getPolicyAlertDetails"
FEATURES = "/api/feature/getDeviceFeaturesList"


def face_entity(hass: HomeAssistant, camera: str) -> str:
    return entity_id_of(hass, "event", f"{camera}_face")


def plate_entity(hass: HomeAssistant, camera: str) -> str:
    return entity_id_of(hass, "event", f"{camera}_license_plate")


def fired(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    state = hass.states.get(entity_id)
    assert state is not None
    return dict(state.attributes)


def firings(hass: HomeAssistant, entity_id: str) -> list[tuple[str, Any]]:
    """Each firing of a face entity from now on: (event_type, name)."""
    seen: list[tuple[str, Any]] = []

    def record(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if (
            event.data["entity_id"] == entity_id
            and new
            and "event_type" in new.attributes
        ):
            seen.append((new.attributes["event_type"], new.attributes["name"]))

    hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    return seen


@pytest.fixture(autouse=True)
def _quiet_names(caplog: pytest.LogCaptureFixture) -> Any:
    """Names are user data: no log record at INFO or above may hold one."""
    caplog.set_level(logging.DEBUG)
    yield
    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    for name in ("Alice", "Bob", "ABC123", "Family car"):
        assert not [line for line in loud if name in line], name


@pytest.mark.parametrize("on_stream", [True, False], ids=["stream", "details"])
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_alice_fires_the_face_event_once_and_the_bus_names_her(
    hass: HomeAssistant, simulator: RhombusSimulator, on_stream: bool
) -> None:
    """With or without the lists on the stream: one event, Alice on the bus."""
    simulator.identity_on_stream = on_stream
    camera = next(iter(simulator.cameras))
    alice = simulator.add_person("Alice")
    await setup_entry(hass, simulator, entry_for(simulator))
    events = async_capture_events(hass, EVENT_RHOMBUS)
    face = face_entity(hass, camera)
    changes: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        lambda e: (
            changes.append(e.data["entity_id"]) if e.data["entity_id"] == face else None
        ),
    )

    uuid = await simulator.emit_face_alert(camera, ["Alice"], labels=["staff"])
    await wait_until(hass, lambda: any(e.data["entity_uuid"] == uuid for e in events))
    await hass.async_block_till_done()

    assert changes == [face]  # fired once
    attributes = fired(hass, face)
    assert attributes["event_type"] == "identified"
    assert attributes["name"] == "Alice"
    assert attributes["person_uuid"] == alice
    assert attributes["labels"] == ["staff"]
    assert attributes["alert_uuid"] == uuid
    data = next(e.data for e in events if e.data["entity_uuid"] == uuid)
    assert data["faces"] == [
        {"name": "Alice", "person_uuid": alice, "labels": ["staff"], "known": True}
    ]
    assert data["plates"] == []
    assert data["faces_unknown"] is False
    assert simulator.calls(DETAILS) == (0 if on_stream else 1)
    assert state_of(hass, sensor_id(hass, camera, "face")) == "on"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_plates_trusted_identified_and_unknown(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """A trusted family car, then a plate nobody saved."""
    camera = next(iter(simulator.cameras))
    simulator.add_vehicle("ABC123", "Family car", trusted=True)
    await setup_entry(hass, simulator, entry_for(simulator))
    events = async_capture_events(hass, EVENT_RHOMBUS)
    plate = plate_entity(hass, camera)

    uuid = await simulator.emit_plate_alert(camera, ["ABC123"])
    await wait_until(hass, lambda: any(e.data["entity_uuid"] == uuid for e in events))
    attributes = fired(hass, plate)
    assert attributes["event_type"] == "trusted"
    assert attributes["plate"] == "ABC123"
    assert attributes["vehicle_name"] == "Family car"
    assert events[-1].data["plates"] == [
        {"plate": "ABC123", "vehicle_name": "Family car", "labels": [], "known": True}
    ]

    other = await simulator.emit_plate_alert(camera, ["ZZZ999"])
    await wait_until(hass, lambda: any(e.data["entity_uuid"] == other for e in events))
    attributes = fired(hass, plate)
    assert attributes["event_type"] == "unidentified"
    assert attributes["plate"] == "ZZZ999"
    assert attributes["vehicle_name"] is None


@pytest.mark.parametrize("on_stream", [True, False], ids=["stream", "details"])
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_a_plate_fires_once_and_the_bus_names_the_car(
    hass: HomeAssistant, simulator: RhombusSimulator, on_stream: bool
) -> None:
    """With or without the lists on the stream: one event, the car on the bus.

    Without them, exactly one details call reads the plates.
    """
    simulator.identity_on_stream = on_stream
    camera = next(iter(simulator.cameras))
    simulator.add_vehicle("ABC123", "Family car", trusted=True)
    await setup_entry(hass, simulator, entry_for(simulator))
    events = async_capture_events(hass, EVENT_RHOMBUS)
    plate = plate_entity(hass, camera)
    changes: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        lambda e: (
            changes.append(e.data["entity_id"])
            if e.data["entity_id"] == plate
            else None
        ),
    )

    uuid = await simulator.emit_plate_alert(camera, ["ABC123"], labels=["family"])
    await wait_until(hass, lambda: any(e.data["entity_uuid"] == uuid for e in events))
    await hass.async_block_till_done()

    assert changes == [plate]  # fired once
    attributes = fired(hass, plate)
    assert attributes["event_type"] == "trusted"
    assert attributes["plate"] == "ABC123"
    assert attributes["vehicle_name"] == "Family car"
    assert attributes["labels"] == ["family"]
    assert attributes["alert_uuid"] == uuid
    data = next(e.data for e in events if e.data["entity_uuid"] == uuid)
    assert data["plates"] == [
        {
            "plate": "ABC123",
            "vehicle_name": "Family car",
            "labels": ["family"],
            "known": True,
        }
    ]
    assert data["faces"] == []
    assert data["faces_unknown"] is False
    assert simulator.calls(DETAILS) == (0 if on_stream else 1)
    assert state_of(hass, sensor_id(hass, camera, "license_plate")) == "on"


@pytest.mark.parametrize("on_stream", [True, False], ids=["stream", "details"])
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_unusable_names_are_dropped_and_said_once_without_them(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    caplog: pytest.LogCaptureFixture,
    on_stream: bool,
) -> None:
    """A blank or absurdly long name loses its face only, said once in all.

    Every record is captured (DEBUG, by ``_quiet_names``), which also checks
    that no record at INFO or above holds a name, the long one included.
    """
    simulator.identity_on_stream = on_stream
    camera = next(iter(simulator.cameras))
    alice = simulator.add_person("Alice")
    simulator.add_person("   ")
    simulator.add_person("Alice" * 40)  # 200 characters: not a name
    await setup_entry(hass, simulator, entry_for(simulator))
    events = async_capture_events(hass, EVENT_RHOMBUS)
    face = face_entity(hass, camera)
    seen = firings(hass, face)
    alerts = [
        await simulator.emit_face_alert(camera, ["Alice" * 40, "Alice"]),
        await simulator.emit_face_alert(camera, ["   ", "Alice"]),
    ]
    await wait_until(
        hass,
        lambda: (
            {e.data["entity_uuid"] for e in events} >= set(alerts) and len(seen) == 2
        ),
    )
    await hass.async_block_till_done()

    assert seen == [("identified", "Alice"), ("identified", "Alice")]
    for alert in alerts:
        data = next(e.data for e in events if e.data["entity_uuid"] == alert)
        assert data["faces"] == [
            {"name": "Alice", "person_uuid": alice, "labels": [], "known": True}
        ]
        assert data["faces_unknown"] is False
    said = [
        r
        for r in caplog.records
        if "Skipped a face or plate whose name is not usable text" in r.getMessage()
    ]
    assert len(said) == 1
    assert said[0].levelno == logging.WARNING


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_two_faces_fire_twice_and_an_unknown_face_is_unidentified(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """One event per face of an alert: Bob identified, a stranger not."""
    camera = next(iter(simulator.cameras))
    simulator.add_person("Bob")
    await setup_entry(hass, simulator, entry_for(simulator))
    face = face_entity(hass, camera)
    seen = firings(hass, face)
    await simulator.emit_face_alert(camera, ["Bob", None])
    await wait_until(hass, lambda: len(seen) == 2)
    assert seen == [("identified", "Bob"), ("unidentified", None)]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_the_readme_automation_sees_alice_behind_bob(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """Two faces in one alert: the state trigger sees the second as well."""
    camera = next(iter(simulator.cameras))
    simulator.add_person("Alice")
    simulator.add_person("Bob")
    simulator.add_person("Carol")
    await setup_entry(hass, simulator, entry_for(simulator))
    automation = readme_automation("Alice at the front door")
    assert automation["triggers"][0]["entity_id"] == without_area(
        face_entity(hass, camera)
    )
    automation["triggers"][0]["entity_id"] = face_entity(hass, camera)
    notified = async_mock_service(hass, "notify", "mobile_app_my_phone")
    assert await async_setup_component(hass, "automation", {"automation": automation})
    await simulator.emit_face_alert(camera, ["Bob", "Alice"])
    await wait_until(hass, lambda: len(notified) == 1)
    await simulator.emit_face_alert(camera, ["Bob", "Alice", "Carol"])
    await wait_until(hass, lambda: len(notified) == 2)
    assert notified[1].data["message"] == "Alice is at the front door."
    # The third face waits its own millisecond, and is not lost either.
    await wait_until(
        hass, lambda: fired(hass, face_entity(hass, camera))["name"] == "Carol"
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_a_failed_details_call_loses_nothing_else(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """No names to be had: the bus says so, the face sensor still turns on."""
    simulator.identity_on_stream = False
    camera = next(iter(simulator.cameras))
    simulator.add_person("Alice")
    await setup_entry(hass, simulator, entry_for(simulator))
    events = async_capture_events(hass, EVENT_RHOMBUS)
    face = face_entity(hass, camera)
    before = state_of(hass, face)
    simulator.fail_rest(DETAILS, status=500)

    uuid = await simulator.emit_face_alert(camera, ["Alice"])
    await wait_until(hass, lambda: any(e.data["entity_uuid"] == uuid for e in events))
    data = next(e.data for e in events if e.data["entity_uuid"] == uuid)
    assert data["faces"] == []
    assert data["plates"] == []
    assert data["faces_unknown"] is True
    assert data["detections"] == ["face"]
    assert state_of(hass, sensor_id(hass, camera, "face")) == "on"
    assert state_of(hass, face) == before  # nobody to name: no face event
    assert simulator.calls(DETAILS) == 1


async def test_recognition_entities_are_enabled_where_the_feature_is_on(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """One features call for all cameras; face on where recognition is on."""
    first, second, third = simulator.cameras
    for uuid in simulator.cameras:
        simulator.camera_config(uuid).features.clear()
    simulator.camera_config(first).features["FACE_RECOGNITION"] = True
    simulator.camera_config(second).features["LICENSE_PLATE_RECOGNITION"] = True
    simulator.camera_config(third).features["FACE_RECOGNITION"] = False
    await setup_entry(hass, simulator, entry_for(simulator))
    registry = er.async_get(hass)

    def enabled(camera: str, key: str) -> bool:
        entity_id = registry.async_get_entity_id("event", DOMAIN, f"{camera}_{key}")
        assert entity_id is not None
        entry = registry.async_get(entity_id)
        return entry is not None and entry.disabled_by is None

    assert simulator.calls(FEATURES) == 1
    assert enabled(first, "face")
    assert not enabled(first, "license_plate")
    assert enabled(second, "license_plate")
    assert not enabled(second, "face")
    assert not enabled(third, "face")
    assert not enabled(third, "license_plate")
