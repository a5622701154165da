"""Version 1 entries: what the old entity options left out comes back disabled."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.rhombus.const import (
    CONF_ADVANCED,
    CONF_MEDIA_URL,
    CONF_REGION,
    CONF_REST_URL,
    CONF_WEBSOCKET_URL,
    DOMAIN,
)
from custom_components.rhombus.migration import PENDING_CHOICES
from simulator import RhombusSimulator

from .helpers import entry_for, setup_entry, state_of

USER = er.RegistryEntryDisabler.USER
INTEGRATION = er.RegistryEntryDisabler.INTEGRATION


def old_entry(sim: RhombusSimulator, **options: object) -> MockConfigEntry:
    return entry_for(sim, version=1, **options)


def disabled_by(hass: HomeAssistant, platform: str, unique_id: str) -> object:
    registry = er.async_get(hass)
    entity_id = registry.async_get_entity_id(platform, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    entry = registry.async_get(entity_id)
    assert entry is not None
    return entry.disabled_by


async def test_left_out_kinds_and_cameras_come_back_disabled_by_the_user(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    kept, left_out, _ = simulator.cameras
    entry = old_entry(
        simulator,
        detections=["person", "animal"],
        cameras=[kept, "a-camera-removed-since"],
        hold_seconds=90,
        all_events=True,
    )
    # As version 1 left it: a chosen extra kind enabled on an allowed camera.
    registry = er.async_get(hass)
    entry.add_to_hass(hass)
    registry.async_get_or_create(
        "binary_sensor", DOMAIN, f"{kept}_animal", config_entry=entry
    )
    # A left-out kind still in the registry, enabled (as a deleted entry
    # restored by a newer release would be): it is disabled too.
    registry.async_get_or_create(
        "binary_sensor", DOMAIN, f"{kept}_motion", config_entry=entry
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert entry.version == 2
    assert entry.options == {"hold_seconds": 90, "all_events": True}
    # The kinds left out, on the cameras kept: disabled by the user.
    assert disabled_by(hass, "binary_sensor", f"{kept}_vehicle") is USER
    assert disabled_by(hass, "binary_sensor", f"{kept}_sound") is USER
    assert disabled_by(hass, "binary_sensor", f"{kept}_motion") is USER
    vehicle = registry.async_get_entity_id("binary_sensor", DOMAIN, f"{kept}_vehicle")
    assert vehicle is not None
    assert state_of(hass, vehicle) is None
    # The kinds chosen stay as they were, the extra one enabled.
    assert disabled_by(hass, "binary_sensor", f"{kept}_person") is None
    assert disabled_by(hass, "binary_sensor", f"{kept}_animal") is None
    assert disabled_by(hass, "binary_sensor", f"{kept}_connectivity") is None
    assert disabled_by(hass, "event", f"{kept}_detection") is None
    # The camera left out: every entity disabled by the user, its device kept.
    for platform, key in (
        ("binary_sensor", "connectivity"),
        ("binary_sensor", "person"),
        ("binary_sensor", "animal"),
        ("event", "detection"),
        ("image", "last_alert"),
        ("camera", "camera"),
    ):
        assert disabled_by(hass, platform, f"{left_out}_{key}") is USER, key
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    device = next(d for d in devices if (DOMAIN, left_out) in d.identifiers)
    assert device.disabled_by is None


async def test_an_entry_without_choices_migrates_without_a_call(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """Nothing was left out: the registry is not touched, nor Rhombus asked."""
    entry = old_entry(simulator, hold_seconds=45)
    await setup_entry(hass, simulator, entry)
    assert entry.version == 2
    assert entry.options == {"hold_seconds": 45}
    camera = next(iter(simulator.cameras))
    assert disabled_by(hass, "binary_sensor", f"{camera}_person") is None
    assert disabled_by(hass, "binary_sensor", f"{camera}_sound") is INTEGRATION


async def test_an_offline_upgrade_retries_then_applies_the_choices_once(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    """Migrating needs no network: setup retries until Rhombus answers."""
    kept, left_out, _ = simulator.cameras
    simulator.fail_rest(None, status=500, times=0)  # Rhombus unreachable
    entry = old_entry(simulator, detections=["person"], cameras=[kept])
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY  # not "Migration error"
    assert entry.version == 2
    assert "cameras" not in entry.options
    registry = er.async_get(hass)
    assert not er.async_entries_for_config_entry(registry, entry.entry_id)

    simulator.clear_faults()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=5))
    await hass.async_block_till_done()
    await simulator.wait_for_subscription()
    assert entry.state is ConfigEntryState.LOADED
    assert disabled_by(hass, "binary_sensor", f"{kept}_vehicle") is USER
    assert disabled_by(hass, "binary_sensor", f"{kept}_person") is None
    assert disabled_by(hass, "camera", f"{left_out}_camera") is USER
    assert PENDING_CHOICES not in entry.data

    # Applied once: what the user enables afterwards stays enabled.
    vehicle = registry.async_get_entity_id("binary_sensor", DOMAIN, f"{kept}_vehicle")
    assert vehicle is not None
    registry.async_update_entity(vehicle, disabled_by=None)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert disabled_by(hass, "binary_sensor", f"{kept}_vehicle") is None


async def test_a_reconfigure_before_the_first_load_keeps_the_choices(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    kept, *_ = simulator.cameras
    simulator.fail_rest("/api/camera/getMinimalCameraStateList", times=0)
    entry = old_entry(simulator, cameras=[kept])
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.data[PENDING_CHOICES] == {"detections": None, "cameras": [kept]}
    simulator.clear_faults()
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_API_KEY: entry.data[CONF_API_KEY],
            CONF_REGION: "us",
            CONF_ADVANCED: {
                CONF_REST_URL: simulator.rest_url,
                CONF_WEBSOCKET_URL: simulator.websocket_url,
                CONF_MEDIA_URL: simulator.media_url,
            },
        },
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    await simulator.wait_for_subscription()
    assert entry.state is ConfigEntryState.LOADED
    _, left_out, _ = simulator.cameras
    assert disabled_by(hass, "event", f"{left_out}_detection") is USER


@pytest.mark.parametrize("version", [3])
async def test_an_entry_from_a_newer_release_is_not_touched(
    hass: HomeAssistant, simulator: RhombusSimulator, version: int
) -> None:
    entry = entry_for(simulator, version=version, hold_seconds=45)
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert entry.options == {"hold_seconds": 45}
