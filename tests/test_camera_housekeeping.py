"""Restart buttons and the Firmware update entity, over real sockets."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import logging
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.const import MAJOR_VERSION
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, Unauthorized
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockUser

from custom_components.rhombus.const import DOMAIN
from simulator import RhombusSimulator
from simulator.camera_config import LATEST_FIRMWARE

from .helpers import advance, entry_for, setup_entry, state_of, wait_until

UPDATE_ADMIN_ONLY_MAJOR = 2026
REBOOT = "/api/camera/reboot"
FULL_STATE = "/api/camera/getFullCameraState"
FIRMWARE = "/api/camera/updateFirmware"
CAMERA_LIST = "/api/camera/getMinimalCameraStateList"


def entity(hass: HomeAssistant, domain: str, uuid: str, key: str) -> str:
    """The entity id of ``<uuid>_<key>``."""
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, f"{uuid}_{key}")
    assert entity_id is not None
    return entity_id


async def setup(hass: HomeAssistant, sim: RhombusSimulator) -> None:
    """The entry, every background read done."""
    entry = await setup_entry(hass, sim, entry_for(sim))
    await wait_until(hass, lambda: entry.runtime_data.controls.reads.idle)
    await hass.async_block_till_done()


def camera_with(sim: RhombusSimulator, firmware: str) -> str:
    """A camera, set to run ``firmware``."""
    uuid = next(iter(sim.cameras))
    sim.cameras[uuid].firmware_version = firmware
    return uuid


async def test_restart_is_disabled_by_default(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """Nobody restarts a camera by accident."""
    await setup(hass, simulator)
    uuid = next(iter(simulator.cameras))
    entry = er.async_get(hass).async_get(entity(hass, "button", uuid, "restart"))
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert entry.entity_category == "config"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_restart_reboots_the_camera_and_logs_who(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One camera/reboot call naming the camera; INFO with the user."""
    sim = simulator
    caplog.set_level(logging.INFO, "custom_components.rhombus")
    await setup(hass, sim)
    uuid = next(iter(sim.cameras))
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": entity(hass, "button", uuid, "restart")},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    assert [r.body for r in sim.requests if r.path == REBOOT] == [{"cameraUuid": uuid}]
    assert sim.camera_config(uuid).reboots == 1
    name = sim.cameras[uuid].name
    assert (
        f"Restarting camera {name}, asked by user {hass_admin_user.name}" in caplog.text
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("offline", "status", "key", "words"),
    [
        (True, None, "restart_offline", "is offline"),
        (False, "FAILED_CAMERA_NOT_AUTHORIZED", "restart_not_authorized", "refused"),
    ],
)
async def test_a_refused_restart_is_a_translated_error(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    offline: bool,
    status: str | None,
    key: str,
    words: str,
) -> None:
    """FAILED_CAMERA_OFFLINE and FAILED_CAMERA_NOT_AUTHORIZED say why."""
    sim = simulator
    await setup(hass, sim)
    uuid = next(iter(sim.cameras))
    if offline:
        sim.set_camera_status(uuid, "RED")
    sim.camera_config(uuid).reboot_status = status
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": entity(hass, "button", uuid, "restart")},
            blocking=True,
        )
    assert caught.value.translation_key == key
    assert words in str(caught.value)
    assert sim.camera_config(uuid).reboots == 0


async def test_firmware_shows_installed_latest_and_versions_behind(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """From getFullCameraState: on when behind, versions_behind attribute."""
    sim = simulator
    uuid = camera_with(sim, "v10.2.14")
    await setup(hass, sim)
    state = hass.states.get(entity(hass, "update", uuid, "firmware"))
    assert state is not None
    assert state.state == "on"
    assert state.attributes["installed_version"] == "v10.2.14"
    assert state.attributes["latest_version"] == LATEST_FIRMWARE
    assert state.attributes["versions_behind"] == 2
    assert sim.calls(FULL_STATE) == len(sim.cameras)


async def test_firmware_install_starts_the_update_and_follows_it(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """updateFirmware, in progress, then the list's new version is read again."""
    sim = simulator
    uuid = camera_with(sim, "v10.3.9")
    await setup(hass, sim)
    entity_id = entity(hass, "update", uuid, "firmware")
    await hass.services.async_call(
        "update", "install", {"entity_id": entity_id}, blocking=True
    )
    assert [r.body for r in sim.requests if r.path == FIRMWARE] == [
        {"cameraUuid": uuid}
    ]
    await wait_until(
        hass, lambda: hass.states.get(entity_id).attributes["in_progress"] is True
    )
    sim.finish_firmware_update(uuid)
    coordinator = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.coordinator
    await coordinator.async_refresh()
    await wait_until(hass, lambda: state_of(hass, entity_id) == "off")
    assert hass.states.get(entity_id).attributes["installed_version"] == LATEST_FIRMWARE


async def test_firmware_install_refused_is_a_translated_error(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """An unreachable camera: UNABLE_TO_REACH_DEVICE, translated."""
    sim = simulator
    uuid = camera_with(sim, "v10.3.9")
    await setup(hass, sim)
    sim.set_camera_status(uuid, "RED")
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            "update",
            "install",
            {"entity_id": entity(hass, "update", uuid, "firmware")},
            blocking=True,
        )
    assert caught.value.translation_key == "firmware_unreachable"
    assert not sim.firmware_updating(uuid)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_gateways_restart_through_their_own_call(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """E50 (climate/reboot) and audio gateway (audiogateway/reboot)."""
    sim = site_simulator
    await setup(hass, sim)
    for device in sim.site.devices.values():
        if device.kind not in ("environmental_gateway", "audio_gateway"):
            continue
        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": entity(hass, "button", device.uuid, "restart")},
            blocking=True,
        )
        assert sim.gateway_reboots[device.uuid] == 1


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_an_offline_gateway_restart_is_a_translated_error(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """An E50 that is not connected: DEVICE_OFFLINE, said in words."""
    sim = site_simulator
    gateway = next(
        d for d in sim.site.devices.values() if d.kind == "environmental_gateway"
    )
    gateway.update({"connected": False})
    await setup(hass, sim)
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": entity(hass, "button", gateway.uuid, "restart")},
            blocking=True,
        )
    assert caught.value.translation_key == "restart_offline"
    assert f"{gateway.name} is offline" in str(caught.value)
    assert gateway.uuid not in sim.gateway_reboots


async def test_a_user_who_is_not_an_admin_cannot_install_firmware(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    not_admin: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Install by a user who is not an admin: refused, nothing sent, logged.

    The user may control entities (Home Assistant's "users" group), so the
    refusal is the integration's, not Home Assistant's entity permissions.
    """
    sim = simulator
    uuid = camera_with(sim, "v10.3.9")
    user = not_admin
    await setup(hass, sim)
    entity_id = entity(hass, "update", uuid, "firmware")
    caplog.set_level(logging.WARNING, "custom_components.rhombus")
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            "update",
            "install",
            {"entity_id": entity_id},
            blocking=True,
            context=Context(user_id=user.id),
        )
    assert sim.calls(FIRMWARE) == 0
    assert not sim.firmware_updating(uuid)
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "on"
    assert state.attributes["in_progress"] is False
    name = sim.cameras[uuid].name
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    said = f"Refused to install firmware on {name} for user Bob: not an administrator"
    # The newest Home Assistant (2026.10 here) makes update.install admin-only
    # itself and refuses before the entity is asked; 2025.4 leaves it to us.
    assert (said in warnings) is (MAJOR_VERSION < UPDATE_ADMIN_ONLY_MAJOR)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("environmental_gateway", "/api/climate/reboot"),
        ("audio_gateway", "/api/audiogateway/reboot"),
    ],
)
async def test_a_user_who_is_not_an_admin_cannot_restart_a_gateway(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    not_admin: User,
    caplog: pytest.LogCaptureFixture,
    kind: str,
    path: str,
) -> None:
    """An E50 or an audio gateway: refused, no reboot sent, the refusal logged."""
    sim = site_simulator
    gateway = next(d for d in sim.site.devices.values() if d.kind == kind)
    user = not_admin
    await setup(hass, sim)
    caplog.set_level(logging.WARNING, "custom_components.rhombus")
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": entity(hass, "button", gateway.uuid, "restart")},
            blocking=True,
            context=Context(user_id=user.id),
        )
    assert sim.calls(path) == 0
    assert gateway.uuid not in sim.gateway_reboots
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert (
        f"Refused to restart {gateway.name} for user Bob: not an administrator"
        in warnings
    )


# A release Rhombus publishes while Home Assistant runs.
NEW_FIRMWARE = "v10.5.0"


@pytest.fixture
def new_release(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Publish ``NEW_FIRMWARE`` in the simulator when called."""

    def publish() -> None:
        monkeypatch.setattr("simulator.camera_config.LATEST_FIRMWARE", NEW_FIRMWARE)
        monkeypatch.setattr(
            "simulator.camera_config._FIRMWARE_ORDER",
            ("v9.18.1", "v10.2.14", "v10.3.9", LATEST_FIRMWARE, NEW_FIRMWARE),
        )

    return publish


async def drain(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Run the queued reads: under the freezer, each spacing sleep needs a tick."""
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    while not entry.runtime_data.controls.reads.idle:
        await advance(hass, freezer, 1)


async def five_minutes_on(
    hass: HomeAssistant,
    sim: RhombusSimulator,
    freezer: FrozenDateTimeFactory,
    seconds: float = 5 * 60,
) -> None:
    """Time on to the camera list's next refresh; its reads (and ours) done.

    Moving time again while a list read is in flight would time it out.
    """
    listed = sim.calls(CAMERA_LIST)
    await advance(hass, freezer, seconds)
    await wait_until(hass, lambda: sim.calls(CAMERA_LIST) > listed)
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        await hass.async_block_till_done()
        await asyncio.sleep(0)
    await drain(hass, freezer)


def firmware(hass: HomeAssistant, uuid: str) -> dict[str, Any]:
    """The Firmware entity's state and versions."""
    state = hass.states.get(entity(hass, "update", uuid, "firmware"))
    assert state is not None
    return {
        "state": state.state,
        "latest": state.attributes["latest_version"],
        "behind": state.attributes["versions_behind"],
    }


async def test_firmware_is_read_again_every_hour(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    new_release: Callable[[], None],
) -> None:
    """A release published in Rhombus shows at the hourly read, not before.

    The camera list's 5-minute refreshes in between change nothing a Firmware
    entity follows, so they read no firmware.
    """
    sim = simulator
    uuid = camera_with(sim, "v10.3.9")
    await setup_entry(hass, sim, entry_for(sim))
    await drain(hass, freezer)
    assert sim.calls(FULL_STATE) == len(sim.cameras)
    assert firmware(hass, uuid) == {
        "state": "on",
        "latest": LATEST_FIRMWARE,
        "behind": 1,
    }
    new_release()
    for _ in range(11):  # 55 minutes, every camera list refresh in them
        await five_minutes_on(hass, sim, freezer)
    assert sim.calls(FULL_STATE) == len(sim.cameras)
    assert firmware(hass, uuid)["latest"] == LATEST_FIRMWARE
    await five_minutes_on(hass, sim, freezer, 5 * 60 + 1)
    assert sim.calls(FULL_STATE) == 2 * len(sim.cameras)
    assert firmware(hass, uuid) == {"state": "on", "latest": NEW_FIRMWARE, "behind": 2}
    other = next(u for u in sim.cameras if u != uuid)
    assert firmware(hass, other)["latest"] == NEW_FIRMWARE


async def test_a_health_change_alone_reads_the_firmware_again(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    new_release: Callable[[], None],
) -> None:
    """The camera list shows a new health (as FIRMWARE_BEHIND does): read it.

    Same firmware version, health GREEN to YELLOW: that camera's firmware is
    read at the list's next refresh, well before the hour; no other camera's.
    """
    sim = simulator
    uuid = camera_with(sim, LATEST_FIRMWARE)
    await setup_entry(hass, sim, entry_for(sim))
    await drain(hass, freezer)
    reads = sim.calls(FULL_STATE)
    assert firmware(hass, uuid) == {
        "state": "off",
        "latest": LATEST_FIRMWARE,
        "behind": 0,
    }
    new_release()
    await five_minutes_on(hass, sim, freezer)  # a list refresh, nothing changed
    assert sim.calls(FULL_STATE) == reads
    assert firmware(hass, uuid)["state"] == "off"
    sim.set_camera_status(uuid, "GREEN", health_status="YELLOW")
    await five_minutes_on(hass, sim, freezer)
    assert [r.body for r in sim.requests if r.path == FULL_STATE][reads:] == [
        {"cameraUuid": uuid}
    ]
    assert firmware(hass, uuid) == {"state": "on", "latest": NEW_FIRMWARE, "behind": 1}
    other = next(u for u in sim.cameras if u != uuid)
    assert firmware(hass, other)["latest"] == LATEST_FIRMWARE
