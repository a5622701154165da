"""The notification blueprint: valid for Home Assistant, and it notifies as promised."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
import json
from pathlib import Path
import shutil

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.rhombus.const import EVENT_RHOMBUS
from custom_components.rhombus.detections import DetectionKind
from custom_components.rhombus.devices import camera_devices
from simulator import RhombusSimulator

from .helpers import entity_id_of, wait_until, without_area

ROOT = Path(__file__).parents[1]
RELATIVE = Path("automation") / "rhombus" / "notify_on_detection.yaml"
BLUEPRINT = ROOT / "blueprints" / RELATIVE
MANIFEST = json.loads(
    (ROOT / "custom_components" / "rhombus" / "manifest.json").read_text()
)


def test_blueprint_is_valid() -> None:
    blueprint = Blueprint(
        load_yaml(BLUEPRINT),  # type: ignore[arg-type]
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )
    assert blueprint.domain == "automation"
    assert set(blueprint.inputs) == {
        "camera",
        "detections",
        "notify_device",
        "cooldown",
        "include_replayed",
        "people",
        "plates",
    }
    options = blueprint.inputs["detections"]["selector"]["select"]["options"]
    assert [option["value"] for option in options] == [str(k) for k in DetectionKind]
    assert blueprint.metadata["source_url"] == (
        f"{MANIFEST['documentation']}/blob/main/blueprints/{RELATIVE.as_posix()}"
    )


@pytest.fixture
def phone(hass: HomeAssistant) -> str:
    """A Companion-app phone in the device registry; returns its device id."""
    entry = MockConfigEntry(domain="mobile_app")
    entry.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={("mobile_app", "phone-1")},
        name="Pixel 9",
    )
    return device.id


async def install(
    hass: HomeAssistant,
    tmp_path: Path,
    camera_device: str,
    phone: str,
    **inputs: object,
) -> None:
    """Copy the blueprint where Home Assistant looks, and use it in an automation."""
    hass.config.config_dir = str(tmp_path)
    (tmp_path / "blueprints" / RELATIVE).parent.mkdir(parents=True)
    shutil.copy(BLUEPRINT, tmp_path / "blueprints" / RELATIVE)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {
                    "path": RELATIVE.relative_to("automation").as_posix(),
                    "input": {
                        "camera": camera_device,
                        "notify_device": phone,
                        **inputs,
                    },
                }
            }
        },
    )
    await hass.async_block_till_done()


async def test_blueprint_notifies_with_the_alert_image(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    phone: str,
    tmp_path: Path,
) -> None:
    front, other, _ = simulator.cameras
    devices = camera_devices(hass, loaded_entry.entry_id)
    notifications = async_mock_service(hass, "notify", "mobile_app_pixel_9")
    await install(
        hass,
        tmp_path,
        devices[front].id,
        phone,
        detections=["person", "vehicle"],
        cooldown=0,
        include_replayed=False,
    )
    stats = loaded_entry.runtime_data.hub.stream.stats

    alert = await simulator.emit_alert(front, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: len(notifications) == 1)
    data = notifications[0].data
    assert data["title"] == "Front Entrance"
    assert data["message"] == simulator.alerts[alert]["textDescription"]
    last_alert = entity_id_of(hass, "image", f"{front}_last_alert")
    assert without_area(last_alert) == "image.front_entrance_last_alert"
    assert data["data"] == {
        "image": f"/api/image_proxy/{last_alert}",
        "tag": f"rhombus-{alert}",
        "group": f"rhombus-{front}",
    }
    # The picture the phone fetches is this alert's thumbnail.
    image = hass.states.get(last_alert)
    assert image is not None
    assert image.attributes["alert_uuid"] == alert

    # Not wanted: a motion-only alert, a person at another camera, its DELETE.
    await simulator.emit_alert(front, ("MOTION",))
    await simulator.emit_alert(other, ("MOTION_HUMAN",))
    await simulator.emit_delete(alert)
    await wait_until(hass, lambda: stats.messages == 4)
    assert len(notifications) == 1

    await simulator.emit_alert(front, ("MOTION_CAR",))
    await wait_until(hass, lambda: len(notifications) == 2)

    # Late alerts from catch-up are skipped when asked to.
    hass.bus.async_fire(EVENT_RHOMBUS, late_alert(devices[front].id, front))
    await hass.async_block_till_done()
    assert len(notifications) == 2


def late_alert(device_id: str, camera_uuid: str) -> dict[str, object]:
    """A replayed alert as the hub fires it, without a description or name."""
    return {
        "device_id": device_id,
        "change_type": "CREATE",
        "detections": ["vehicle", "motion"],
        "replayed": True,
        "camera_name": None,
        "description": None,
        "entity_uuid": "late",
        "device_uuid": camera_uuid,
    }


async def spin(predicate: Callable[[], bool]) -> None:
    """Run the loop a while without waiting for the automation's cooldown."""
    for _ in range(200):
        if predicate():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition not reached")


async def test_cooldown_and_defaults(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    phone: str,
    tmp_path: Path,
) -> None:
    front = next(iter(simulator.cameras))
    device_id = camera_devices(hass, loaded_entry.entry_id)[front].id
    notifications = async_mock_service(hass, "notify", "mobile_app_pixel_9")
    await install(hass, tmp_path, device_id, phone, detections=["vehicle"])

    # The default includes late alerts; without a text, the kinds make one.
    hass.bus.async_fire(EVENT_RHOMBUS, late_alert(device_id, front))
    await spin(lambda: len(notifications) == 1)
    assert notifications[0].data["title"] == "Rhombus"
    assert notifications[0].data["message"] == "Vehicle, motion detected"

    # Within the default 30 s cooldown another alert is dropped.
    hass.bus.async_fire(EVENT_RHOMBUS, late_alert(device_id, front))
    for _ in range(50):
        await asyncio.sleep(0)
    assert len(notifications) == 1
    freezer.tick(timedelta(seconds=31))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    hass.bus.async_fire(EVENT_RHOMBUS, late_alert(device_id, front))
    await spin(lambda: len(notifications) == 2)
    freezer.tick(timedelta(seconds=31))  # end the cooldown before teardown
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def identity_alert(
    device_id: str, camera_uuid: str, uuid: str, **identities: object
) -> dict[str, object]:
    """A face or plate alert as the hub fires it."""
    return {
        "device_id": device_id,
        "change_type": "CREATE",
        "detections": ["face"],
        "replayed": False,
        "camera_name": "Front Entrance",
        "description": "Face detected",
        "entity_uuid": uuid,
        "device_uuid": camera_uuid,
        "faces": [],
        "plates": [],
        **identities,
    }


async def test_people_and_plate_filters(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    phone: str,
    tmp_path: Path,
) -> None:
    """Only the chosen people and plates notify, whatever the detections say."""
    front = next(iter(simulator.cameras))
    device_id = camera_devices(hass, loaded_entry.entry_id)[front].id
    notifications = async_mock_service(hass, "notify", "mobile_app_pixel_9")
    await install(
        hass,
        tmp_path,
        device_id,
        phone,
        people=["Alice"],
        plates=["abc 123"],
        cooldown=0,
    )
    bob = {"name": "Bob", "person_uuid": "p2", "labels": [], "known": True}
    alice = {**bob, "name": "Alice", "person_uuid": "p1"}
    stranger = {"name": None, "person_uuid": None, "labels": [], "known": False}
    van = {"plate": "XYZ9", "vehicle_name": "Van", "labels": [], "known": True}
    car = {**van, "plate": "ABC123", "vehicle_name": "Family car"}
    for uuid, identities in (
        ("a1", {"faces": [bob]}),
        ("a2", {"faces": [stranger]}),
        ("a3", {"plates": [van]}),
        ("a4", {"faces": [stranger, alice]}),
        ("a5", {"plates": [car]}),
    ):
        hass.bus.async_fire(
            EVENT_RHOMBUS, identity_alert(device_id, front, uuid, **identities)
        )
        await hass.async_block_till_done()
    assert [n.data["message"] for n in notifications] == [
        "Alice recognised",
        "Plate ABC123",
    ]
    assert [n.data["data"]["tag"] for n in notifications] == [
        "rhombus-a4",
        "rhombus-a5",
    ]
