"""Binary sensors: detections on at an alert and off after the hold or a DELETE;
each camera's connectivity and the account's event stream.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.rhombus.aiorhombus import StreamState
from custom_components.rhombus.const import DOMAIN
from simulator import RhombusSimulator

from .helpers import (
    advance,
    entity_id_of,
    entry_for,
    sensor_id,
    setup_entry,
    snapshot_platform_entities,
    state_of,
    wait_until,
)

# Reconnect within milliseconds: these tests drop the stream on purpose.
pytestmark = pytest.mark.usefixtures("fast_reconnect")


async def test_alert_turns_right_sensor_on_and_hold_turns_it_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    lobby, other, _ = simulator.cameras
    person = sensor_id(hass, lobby, "person")
    await simulator.emit_alert(lobby, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: state_of(hass, person) == "on")
    assert state_of(hass, sensor_id(hass, lobby, "vehicle")) == "off"
    assert state_of(hass, sensor_id(hass, other, "person")) == "off"

    await advance(hass, freezer, 20)
    await simulator.emit_alert(lobby, ("MOTION_HUMAN",))  # re-arms the hold
    stats = loaded_entry.runtime_data.hub.stream.stats
    await wait_until(hass, lambda: stats.messages == 2)
    await advance(hass, freezer, 20)
    assert state_of(hass, person) == "on"
    await advance(hass, freezer, 11)
    assert state_of(hass, person) == "off"


async def test_delete_turns_sensor_off_at_once(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    camera = next(iter(simulator.cameras))
    vehicle = sensor_id(hass, camera, "vehicle")
    first = await simulator.emit_alert(camera, ("MOTION_CAR",))
    second = await simulator.emit_alert(camera, ("CAR_ENTER", "MOTION_CAR"))
    await wait_until(hass, lambda: state_of(hass, vehicle) == "on")
    line = sensor_id(hass, camera, "line_crossing")
    await wait_until(hass, lambda: state_of(hass, line) == "on")

    await simulator.emit_delete(first)
    await simulator.emit_alert(camera, ("MOTION",))  # a later message, to sync on
    await wait_until(
        hass, lambda: state_of(hass, sensor_id(hass, camera, "motion")) == "on"
    )
    assert state_of(hass, vehicle) == "on"  # the second alert still holds it

    await simulator.emit_delete(second)
    await wait_until(hass, lambda: state_of(hass, vehicle) == "off")
    assert state_of(hass, line) == "off"


async def test_flat_and_nested_shapes_both_work(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    first, second, _ = simulator.cameras
    await simulator.emit_alert(first, ("PERSON_DETECTED",), shape="flat")
    await simulator.emit_alert(second, ("LOITER_HUMAN",), shape="nested")
    await wait_until(
        hass, lambda: state_of(hass, sensor_id(hass, first, "person")) == "on"
    )
    await wait_until(
        hass, lambda: state_of(hass, sensor_id(hass, second, "loitering")) == "on"
    )


async def test_sparse_alert_fetches_details_once(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    camera = next(iter(simulator.cameras))
    # HUMAN_ENTER, not the guide's AREA_INTRUSION: details must fit the spec.
    crossing = sensor_id(hass, camera, "line_crossing")
    await simulator.emit_alert(camera, ("HUMAN_ENTER",), shape="sparse")
    await wait_until(hass, lambda: state_of(hass, crossing) == "on")
    assert simulator.calls("/api/event/getPolicyAlertDetails") == 1


async def test_extra_kinds_exist_disabled_and_work_when_enabled(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    entity_registry_enabled_by_default: None,
) -> None:
    await setup_entry(hass, simulator, entry_for(simulator))
    camera = next(iter(simulator.cameras))
    package = sensor_id(hass, camera, "package")
    await simulator.emit_alert(camera, ("PACKAGE_ARRIVED",))
    await wait_until(hass, lambda: state_of(hass, package) == "on")
    assert hass.states.get(package).attributes["device_class"] == "motion"
    assert (
        hass.states.get(sensor_id(hass, camera, "tamper")).attributes["device_class"]
        == "tamper"
    )


async def test_hold_seconds_option(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
) -> None:
    await setup_entry(hass, simulator, entry_for(simulator, hold_seconds=5))
    camera = next(iter(simulator.cameras))
    motion = sensor_id(hass, camera, "motion")
    await simulator.emit_alert(camera, ("MOTION",))
    await wait_until(hass, lambda: state_of(hass, motion) == "on")
    await advance(hass, freezer, 6)
    assert state_of(hass, motion) == "off"


async def test_sensor_is_never_restored_on(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    camera = next(iter(simulator.cameras))
    person = sensor_id(hass, camera, "person")
    await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: state_of(hass, person) == "on")
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, person) == "off"


# Connectivity ------------------------------------------------------------


LIST = "/api/camera/getMinimalCameraStateList"


def stream_sensor_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    return entity_id_of(hass, "binary_sensor", f"{entry.unique_id}_event_stream")


async def refresh(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: RhombusSimulator
) -> None:
    """Move past the camera-list interval; the refresh runs in the background."""
    calls = sim.calls(LIST)
    freezer.tick(timedelta(minutes=5, seconds=1))
    async_fire_time_changed(hass)
    await wait_until(hass, lambda: sim.calls(LIST) > calls)


async def test_camera_connectivity_follows_connection_status(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    first, second, _ = simulator.cameras
    link = sensor_id(hass, first, "connectivity")
    entry = er.async_get(hass).async_get(link)
    assert entry is not None
    assert entry.entity_category is EntityCategory.DIAGNOSTIC
    assert entry.translation_key == "connectivity"
    state = hass.states.get(link)
    assert state is not None
    assert state.state == "on"
    assert state.attributes["device_class"] == "connectivity"
    assert state.name == f"{simulator.cameras[first].name} Connectivity"

    simulator.set_camera_status(first, "RED")
    simulator.set_camera_status(second, "YELLOW")
    await refresh(hass, freezer, simulator)
    await wait_until(hass, lambda: state_of(hass, link) == "off")
    assert state_of(hass, sensor_id(hass, second, "connectivity")) == "off"
    # A detection sensor follows the stream, not the camera's link.
    assert state_of(hass, sensor_id(hass, first, "person")) == "off"

    simulator.set_camera_status(first, "GREEN")
    await refresh(hass, freezer, simulator)
    await wait_until(hass, lambda: state_of(hass, link) == "on")


async def test_camera_connectivity_unavailable_while_list_fails(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    camera = next(iter(simulator.cameras))
    link = sensor_id(hass, camera, "connectivity")
    simulator.fail_rest(LIST, status=500)
    await refresh(hass, freezer, simulator)
    await wait_until(hass, lambda: state_of(hass, link) == STATE_UNAVAILABLE)
    assert state_of(hass, sensor_id(hass, camera, "person")) == "off"
    await refresh(hass, freezer, simulator)
    await wait_until(hass, lambda: state_of(hass, link) == "on")


async def test_event_stream_sensor_lives_on_the_org_device(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    stream = stream_sensor_id(hass, loaded_entry)
    await wait_until(hass, lambda: state_of(hass, stream) == "on")
    state = hass.states.get(stream)
    assert state is not None
    assert state.attributes["device_class"] == "connectivity"
    assert state.name == "Acme HQ Event stream"
    entity = er.async_get(hass).async_get(stream)
    assert entity is not None
    assert entity.entity_category is EntityCategory.DIAGNOSTIC
    assert entity.translation_key == "event_stream"
    device = dr.async_get(hass).async_get(entity.device_id or "")
    assert device is not None
    assert device.identifiers == {(DOMAIN, simulator.org_uuid)}
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert device.name == "Acme HQ"
    assert device.manufacturer == "Rhombus"


async def test_event_stream_sensor_follows_drops_at_once(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    hub = loaded_entry.runtime_data.hub
    stream = stream_sensor_id(hass, loaded_entry)
    camera = next(iter(simulator.cameras))
    await wait_until(hass, lambda: state_of(hass, stream) == "on")

    states: list[StreamState] = []
    loaded_entry.async_on_unload(hub.async_subscribe_stream_state(states.append))

    simulator.handshake_status = 503  # refused at the handshake until cleared
    await simulator.drop_connections()
    await wait_until(hass, lambda: state_of(hass, stream) == "off")
    # No grace period for this sensor; the detection sensors still have theirs.
    assert hub.available
    assert state_of(hass, sensor_id(hass, camera, "person")) == "off"
    # Refused again and again: it stays off.
    await wait_until(hass, lambda: states.count(StreamState.CONNECTING) >= 3)
    assert StreamState.CONNECTED not in states
    assert state_of(hass, stream) == "off"

    simulator.handshake_status = None
    await wait_until(hass, lambda: state_of(hass, stream) == "on")
    assert hub.stream.state is StreamState.CONNECTED


async def test_event_stream_sensor_off_when_key_refused(
    hass: HomeAssistant, simulator: RhombusSimulator, loaded_entry: MockConfigEntry
) -> None:
    hub = loaded_entry.runtime_data.hub
    stream = stream_sensor_id(hass, loaded_entry)
    await wait_until(hass, lambda: state_of(hass, stream) == "on")
    simulator.handshake_status = 401
    await simulator.drop_connections()
    await wait_until(hass, lambda: hub.stream.state is StreamState.AUTH_FAILED)
    assert state_of(hass, stream) == "off"  # off, not unavailable


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant, simulator: RhombusSimulator, snapshot: SnapshotAssertion
) -> None:
    """Every entity of the platform: name, class, category, unit and state."""
    await snapshot_platform_entities(hass, simulator, Platform.BINARY_SENSOR, snapshot)
