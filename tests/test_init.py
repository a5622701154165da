"""Setting an entry up and tearing it down."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest

from custom_components.rhombus.aiorhombus import StreamState
from custom_components.rhombus.const import DOMAIN
from simulator import RhombusSimulator

from .helpers import entry_for, setup_entry, wait_until


async def test_setup_creates_devices_and_sensors(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    assert entry.state is ConfigEntryState.LOADED

    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    # One device per camera, the organisation's own (the stream's sensor), and
    # the location's service device (its Alerts switch).
    assert len(devices) == 3 + 1 + 1
    org = next(d for d in devices if (DOMAIN, simulator.org_uuid) in d.identifiers)
    assert org.entry_type is dr.DeviceEntryType.SERVICE
    camera = next(iter(simulator.cameras.values()))
    device = next(d for d in devices if (DOMAIN, camera.uuid) in d.identifiers)
    assert device.name == camera.name
    assert device.manufacturer == "Rhombus"
    assert device.model == camera.hw_variation.removeprefix("CAMERA_")
    assert device.model_id == camera.hw_variation
    assert device.sw_version == camera.firmware_version
    assert device.serial_number == camera.serial_number

    entities = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    detection = [
        e for e in entities if e.domain == "binary_sensor" and e.entity_category is None
    ]
    assert len(detection) == 3 * 12
    by_key = {
        e.unique_id.removeprefix(f"{camera.uuid}_"): e
        for e in detection
        if e.unique_id.startswith(camera.uuid)
    }
    enabled = sorted(k for k, e in by_key.items() if e.disabled_by is None)
    assert enabled == sorted(
        ["person", "vehicle", "motion", "loitering", "line_crossing", "area_intrusion"]
    )
    assert by_key["face"].disabled_by is er.RegistryEntryDisabler.INTEGRATION
    state = hass.states.get(by_key["person"].entity_id)
    assert state is not None
    assert state.state == "off"
    assert state.name == f"{camera.name} Person"
    assert state.attributes["device_class"] == "motion"

    # The stream never blocks setup; it is up by now.
    assert entry.runtime_data.hub.stream.state is StreamState.CONNECTED
    assert simulator.calls("/api/camera/getMinimalCameraStateList") == 1
    assert simulator.calls("/api/org/getOrgV2") == 0


async def test_unload_closes_stream(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    assert simulator.active_connections == 1
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert [f.command for f in simulator.received_frames][-1] == "DISCONNECT"
    assert simulator.active_connections == 0


async def test_home_assistant_stop_closes_stream(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    assert entry.runtime_data.hub.stream.state is StreamState.STOPPED
    assert [f.command for f in simulator.received_frames][-1] == "DISCONNECT"
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_revoked_key_at_setup_starts_reauth(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    entry = entry_for(simulator)
    simulator.revoke_key(entry.data["api_key"])
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]
    assert simulator.connections_opened == 0


@pytest.mark.parametrize("status", [500, 429])
async def test_unreachable_at_setup_retries(
    hass: HomeAssistant, simulator: RhombusSimulator, status: int
) -> None:
    simulator.fail_rest(None, status=status, retry_after=1)
    entry = entry_for(simulator)
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert simulator.connections_opened == 0


async def test_revoked_key_on_stream_starts_reauth(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    simulator.handshake_status = 401
    await simulator.drop_connections()
    hub = entry.runtime_data.hub
    await wait_until(hass, lambda: hub.stream.state is StreamState.AUTH_FAILED)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]
    assert not hub.available
