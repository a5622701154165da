"""The hub: one rhombus_event per stream message, and who else hears of it."""

from __future__ import annotations

from datetime import UTC, datetime

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.rhombus.const import DOMAIN, EVENT_RHOMBUS
from custom_components.rhombus.detections import DetectionKind
from custom_components.rhombus.hub.device_index import camera_devices
from simulator import RhombusSimulator

from .helpers import (
    detections_on,
    entry_for,
    sensor_id,
    setup_entry,
    state_of,
    wait_until,
)

FIELDS = {
    "config_entry_id",
    "media_content_id",
    "org_uuid",
    "entity",
    "entity_uuid",
    "change_type",
    "device_uuid",
    "device_id",
    "camera_name",
    "device_name",
    "device_type",
    "timestamp",
    "timestamp_ms",
    "duration_sec",
    "triggers",
    "detections",
    "description",
    "replayed",
    "payload",
    "payload_truncated",
    "faces",
    "plates",
    "faces_unknown",
}


def device_id_of(hass: HomeAssistant, camera_uuid: str) -> str:
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    return camera_devices(hass, entry.entry_id)[camera_uuid].id


async def test_alert_fires_event_with_exact_fields(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras.values()))
    uuid = await simulator.emit_alert(
        camera.uuid,
        ("MOTION_HUMAN", "HUMAN_ENTER"),
        description="A person walks in.",
        timestamp_ms=1774459323512,
        duration_sec=8,
    )
    await wait_until(hass, lambda: len(events) == 1)
    data = events[0].data
    assert set(data) == FIELDS
    payload = data.pop("payload")
    assert data == {
        "config_entry_id": loaded_entry.entry_id,
        "org_uuid": simulator.org_uuid,
        "entity": "POLICY_ALERT",
        "entity_uuid": uuid,
        "change_type": "CREATE",
        "device_uuid": camera.uuid,
        "device_id": device_id_of(hass, camera.uuid),
        "camera_name": camera.name,
        "device_name": camera.name,
        "device_type": "camera",
        "timestamp": datetime.fromtimestamp(1774459323.512, UTC).isoformat(),
        "timestamp_ms": 1774459323512,
        "duration_sec": 8.0,
        "triggers": ["MOTION_HUMAN", "HUMAN_ENTER"],
        "detections": ["person", "line_crossing"],
        "description": "A person walks in.",
        "replayed": False,
        "faces": [],
        "plates": [],
        "faces_unknown": False,
        "payload_truncated": False,
        "media_content_id": (
            f"media-source://rhombus/{loaded_entry.entry_id}"
            f"/alert/{camera.uuid}/1774459323512/8"
        ),
    }
    assert data["timestamp"] == "2026-03-25T17:22:03.512000+00:00"
    assert payload["entityUuid"] == uuid
    assert payload["update"]["policyAlertTriggers"] == ["MOTION_HUMAN", "HUMAN_ENTER"]


async def test_each_message_fires_once_including_update_and_delete(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    uuid = await simulator.emit_alert(camera, ("MOTION",), shape="flat")
    await simulator.emit_alert(
        camera, ("MOTION",), alert_uuid=uuid, change_type="UPDATE"
    )
    await simulator.emit_delete(uuid)
    await wait_until(hass, lambda: len(events) == 3)
    assert [e.data["change_type"] for e in events] == ["CREATE", "UPDATE", "DELETE"]
    assert {e.data["entity_uuid"] for e in events} == {uuid}
    assert events[2].data["triggers"] == []


async def test_unknown_trigger_reaches_bus_but_no_sensor(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    await simulator.emit_alert(camera, ("POSE_FALL",))
    await wait_until(hass, lambda: len(events) == 1)
    assert events[0].data["triggers"] == ["POSE_FALL"]
    assert events[0].data["detections"] == []
    assert detections_on(hass) == []


async def test_sparse_alert_is_completed_before_the_event(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    camera = next(iter(simulator.cameras))
    uuid = await simulator.emit_alert(camera, ("MOTION_CAR",), shape="sparse")
    await wait_until(hass, lambda: len(events) == 1)
    data = events[0].data
    assert data["entity_uuid"] == uuid
    assert data["device_uuid"] == camera
    assert data["device_id"] == device_id_of(hass, camera)
    assert data["triggers"] == ["MOTION_CAR"]
    assert data["detections"] == ["vehicle"]
    assert data["payload"] == {
        "entity": "POLICY_ALERT",
        "entityUuid": uuid,
        "type": "CREATE",
    }
    assert simulator.calls("/api/event/getPolicyAlertDetails") == 1


async def test_sparse_alert_of_unknown_uuid_still_fires(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    await simulator.emit_change(
        {"entity": "POLICY_ALERT", "entityUuid": "never-seen", "type": "CREATE"}
    )
    await wait_until(hass, lambda: len(events) == 1)
    assert events[0].data["device_uuid"] is None
    assert events[0].data["triggers"] == []
    assert simulator.calls("/api/event/getPolicyAlertDetails") == 1


async def test_other_entities_only_with_all_events(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    events = async_capture_events(hass, EVENT_RHOMBUS)
    await setup_entry(hass, simulator, entry_for(simulator))
    door = {
        "entity": "DOOR_STATE",
        "type": "UPDATE",
        "entityUuid": "d1",
        "deviceUuid": "d1",
    }
    await simulator.emit_change(door)
    camera = next(iter(simulator.cameras))
    await simulator.emit_alert(camera, ("MOTION",))
    await wait_until(hass, lambda: len(events) == 1)
    assert events[0].data["entity"] == "POLICY_ALERT"

    entry = hass.config_entries.async_entries(DOMAIN)[0]
    hass.config_entries.async_update_entry(entry, options={"all_events": True})
    assert await hass.config_entries.async_reload(entry.entry_id)
    await simulator.wait_for_subscription(2)
    events.clear()
    await simulator.emit_change(door)
    await wait_until(hass, lambda: len(events) == 1)
    data = events[0].data
    assert data["entity"] == "DOOR_STATE"
    assert data["change_type"] == "UPDATE"
    assert data["device_id"] is None
    assert data["detections"] == []
    assert data["timestamp"] is None


async def test_a_secret_in_a_message_never_reaches_the_bus(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """A settings message carrying the location's PINs: the copy has none."""
    events = async_capture_events(hass, EVENT_RHOMBUS)
    await setup_entry(hass, simulator, entry_for(simulator, all_events=True))
    location = next(iter(simulator.locations.locations))
    settings = {
        "entity": "ALARM_MONITORING_LOCATION_SETTINGS",
        "type": "UPDATE",
        "entityUuid": location,
        "update": {
            "locationUuid": location,
            "enabled": True,
            "pins": [{"name": "Front desk", "pin": "4862"}],
            "contacts": [{"name": "Dana", "passcode": "wolf-42"}],
            "onvif_password": "hunter2",
            "oauthClientSecret": "s3cr3t",
        },
    }
    await simulator.emit_change(settings)
    await wait_until(hass, lambda: len(events) == 1)
    payload = events[0].data["payload"]
    assert payload["update"]["pins"] == "**REDACTED**"
    assert payload["update"]["contacts"] == [
        {"name": "Dana", "passcode": "**REDACTED**"}
    ]
    assert payload["update"]["enabled"] is True
    for secret in ("4862", "wolf-42", "hunter2", "s3cr3t"):
        assert secret not in str(events[0].data)


async def test_two_accounts_each_get_only_their_own_alerts(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    second = RhombusSimulator(cameras=2, seed=99, heartbeat_ms=0, org_name="Branch")
    await second.start()
    try:
        first_entry = await setup_entry(hass, simulator, entry_for(simulator))
        second_entry = await setup_entry(hass, second, entry_for(second))
        events = async_capture_events(hass, EVENT_RHOMBUS)
        cam_a = next(iter(simulator.cameras))
        cam_b = next(iter(second.cameras))
        await simulator.emit_alert(cam_a, ("MOTION_HUMAN",))
        await second.emit_alert(cam_b, ("MOTION_CAR",))
        await wait_until(hass, lambda: len(events) == 2)
        by_entry = {e.data["config_entry_id"]: e.data for e in events}
        assert by_entry[first_entry.entry_id]["device_uuid"] == cam_a
        assert by_entry[first_entry.entry_id]["org_uuid"] == simulator.org_uuid
        assert by_entry[second_entry.entry_id]["device_uuid"] == cam_b
        assert (
            by_entry[second_entry.entry_id]["camera_name"] == second.cameras[cam_b].name
        )
        assert state_of(hass, sensor_id(hass, cam_a, "person")) == "on"
        assert state_of(hass, sensor_id(hass, cam_a, "vehicle")) == "off"
        assert state_of(hass, sensor_id(hass, cam_b, "vehicle")) == "on"
        assert state_of(hass, sensor_id(hass, cam_b, "person")) == "off"
        assert await hass.config_entries.async_unload(second_entry.entry_id)
    finally:
        await second.stop()


async def test_a_disabled_device_still_fires_rhombus_event(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """Hiding a camera is disabling its device: automations keep its alerts."""
    lobby, hall, _ = simulator.cameras
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    device = camera_devices(hass, entry.entry_id)[lobby]
    dr.async_get(hass).async_update_device(
        device.id, disabled_by=dr.DeviceEntryDisabler.USER
    )
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await simulator.wait_for_subscription(2)
    assert state_of(hass, sensor_id(hass, lobby, "person")) is None
    assert state_of(hass, sensor_id(hass, hall, "person")) == "off"

    events = async_capture_events(hass, EVENT_RHOMBUS)
    alert = await simulator.emit_alert(lobby, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: len(events) == 1)
    assert events[0].data["entity_uuid"] == alert
    assert events[0].data["device_id"] == device.id
    assert events[0].data["camera_name"] == simulator.cameras[lobby].name
    assert detections_on(hass) == []


async def test_a_disabled_entity_is_not_routed_to(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """A disabled kind's sensor never subscribes: its alerts cost it nothing."""
    lobby, *_ = simulator.cameras
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    hub = entry.runtime_data.hub
    router = hub.cameras
    assert router._by_kind[(lobby, DetectionKind.PERSON)]
    assert (lobby, DetectionKind.ANIMAL) not in router._by_kind  # off by default

    events = async_capture_events(hass, EVENT_RHOMBUS)
    await simulator.emit_alert(lobby, ("MOTION_ANIMAL",))
    await wait_until(hass, lambda: len(events) == 1)
    assert events[0].data["detections"] == ["animal"]
    assert (lobby, DetectionKind.ANIMAL) not in router._by_kind
