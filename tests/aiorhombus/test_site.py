"""The site-hardware client against the simulator over loopback."""

from __future__ import annotations

import asyncio
from datetime import datetime
import logging
from typing import Any
from uuid import uuid4

import aiohttp
from aiohttp import web
import pytest

from custom_components.rhombus.aiorhombus import (
    AccessMode,
    AqiPollutant,
    ButtonMode,
    DeviceStatus,
    DoorPosition,
    DoorStatus,
    LockState,
    OccupancyStatus,
    ReaderState,
    RhombusAuthError,
    RhombusKindRefusedError,
    RhombusProtocolError,
    RhombusRateLimitError,
    RhombusRestClient,
    RhombusSiteClient,
    RhombusUnlockError,
    SensorHealth,
    SiteKind,
    Supervision,
    UnlockFailure,
    kind_for_stream_entity,
    kind_path,
)
from simulator import RhombusSimulator
from simulator.site_demo import build_demo_site

from .helpers import KEY, ScriptedCloud, wait_for

DOORS = "/api/component/findMinimalStateAccessControlledDoors"
SHADOWS = "/api/component/findAllComponentShadows"
UNLOCK = "/api/accesscontrol/unlockAccessControlledDoor"


@pytest.fixture
def site(sim: RhombusSimulator) -> RhombusSimulator:
    """The simulator with the demo site in it."""
    build_demo_site(sim)
    sim.unlock_hold_seconds = 0.2
    return sim


@pytest.fixture
def client(site: RhombusSimulator, http: aiohttp.ClientSession) -> RhombusSiteClient:
    return RhombusSiteClient(RhombusRestClient(http, KEY, site.rest_url))


def uuid_of(sim: RhombusSimulator, name: str) -> str:
    for device in sim.site.devices.values():
        if device.name == name:
            return device.uuid
    for door in sim.site.doors.values():
        if door.name == name:
            return door.uuid
    raise KeyError(name)


async def test_door_sensors(site: RhombusSimulator, client: RhombusSiteClient) -> None:
    doors = await client.get_door_sensors()
    by_name = {door.name: door for door in doors.values()}
    assert set(by_name) == {"Front Door", "Back Door", "Server Room Door"}
    front = by_name["Front Door"]
    assert front.uuid == uuid_of(site, "Front Door")
    assert front.status is DoorStatus.CLOSED
    assert front.is_open is False
    assert by_name["Server Room Door"].is_open is True
    assert front.hw_variation == "SENSOR_DOOR_D20"
    assert front.health is SensorHealth.GREEN
    assert front.battery_percent == 90
    assert isinstance(front.last_seen, datetime)
    assert front.online is True


async def test_climate_and_e50(
    site: RhombusSimulator, client: RhombusSiteClient
) -> None:
    (e2,) = (await client.get_climate_sensors()).values()
    assert (e2.name, e2.hw_variation) == ("Restroom 2F", "SENSOR_ENVIRONMENTAL_E2")
    assert (e2.temperature_c, e2.humidity, e2.co2) == (22.4, 41.0, 612.0)
    assert (e2.heat_index_f, e2.vape_percent, e2.probe_temperature_c) == (71.6, 0, None)
    (e50,) = (await client.get_environmental_gateways()).values()
    assert e50.uuid == uuid_of(site, "Lobby Air")
    assert e50.online is True
    assert e50.health_status is DeviceStatus.GREEN
    assert (e50.co2_ppm, e50.pm25, e50.pm4, e50.pressure_hpa) == (540, 4.2, 4.9, 1012.8)
    assert e50.aqi_pollutant is AqiPollutant.PM2P5
    assert (e50.leak_probe_present, e50.leak_detected) == (True, False)
    assert isinstance(e50.reading_time, datetime)


async def test_occupancy_button_audio(
    site: RhombusSimulator, client: RhombusSiteClient
) -> None:
    (room,) = (await client.get_occupancy_sensors()).values()
    assert room.status is OccupancyStatus.OCCUPIED
    assert (room.occupied, room.motion) == (True, False)
    assert (room.raw_lux, room.normalized_lux) == (310, 0.62)
    (button,) = (await client.get_buttons()).values()
    assert (button.mode, button.test_mode) == (ButtonMode.PANIC, False)
    (audio,) = (await client.get_audio_gateways()).values()
    assert audio.uuid == uuid_of(site, "Hallway Audio")
    assert audio.online is True
    site.override_site_fields(audio.uuid, connectionStatus="RED")
    assert (await client.get_audio_gateways())[audio.uuid].online is False


async def test_access_controlled_doors(
    site: RhombusSimulator, client: RhombusSiteClient
) -> None:
    doors = await client.get_access_controlled_doors()
    main = doors[uuid_of(site, "Main Entrance")]
    assert main.access_mode is AccessMode.ACCESS_CONTROLLED
    assert main.position is DoorPosition.CLOSED
    assert main.position_supervision is Supervision.NORMAL
    assert (main.lock, main.reader) == (LockState.LOCKED, ReaderState.CONNECTED)
    assert main.remote_unlock_enabled is True
    assert main.is_open is False
    await site.set_door_position(main.uuid, "FORCED_OPEN")
    await site.set_access_mode(main.uuid, "UNLOCKED", "SCHEDULE")
    main = (await client.get_access_controlled_doors())[main.uuid]
    assert (main.position, main.is_open) == (DoorPosition.FORCED_OPEN, True)
    assert main.access_mode is AccessMode.UNLOCKED


async def test_one_call_per_kind_and_exact_bodies(
    site: RhombusSimulator, client: RhombusSiteClient
) -> None:
    for kind in SiteKind:
        before = len(site.requests)
        await client.get_kind(kind)
        sent = site.requests[before:]
        if kind is SiteKind.ACCESS_CONTROL:
            assert [r.path for r in sent] == [DOORS, SHADOWS]
            assert sent[0].body == {"maxPageSize": 100}
            assert len(sent[1].body["componentUuids"]) == 6
            assert set(sent[1].body) == {"componentUuids"}
        else:
            assert [r.path for r in sent] == ["/api/" + kind_path(kind)]
            assert sent[0].body == {}


async def test_doors_follow_pages(
    site: RhombusSimulator, client: RhombusSiteClient
) -> None:
    for number in range(99):
        site.add_access_door(f"Door {number}")
    doors = await client.get_access_controlled_doors()
    assert len(doors) == 101
    assert site.calls(DOORS) == 2
    pages = [r.body for r in site.requests if r.path == DOORS]
    assert pages == [
        {"maxPageSize": 100},
        {"maxPageSize": 100, "lastEvaluatedKey": "100"},
    ]
    assert all(door.position is DoorPosition.CLOSED for door in doors.values())
    assert site.calls(SHADOWS) == 2  # 303 components, 200 per call


@pytest.mark.off_spec_responses
@pytest.mark.parametrize("kind", list(SiteKind))
async def test_all_null_device_is_kept(
    site: RhombusSimulator, client: RhombusSiteClient, kind: SiteKind
) -> None:
    uuid = site.add_null_device(kind.value)
    device = (await client.get_kind(kind))[uuid]
    assert device.name == uuid
    values = {
        name: getattr(device, name)
        for name in device.__slots__
        if name not in ("uuid", "name")
    }
    assert all(value in (None, ()) for value in values.values()), values
    assert getattr(device, "online", None) is None


@pytest.mark.off_spec_responses
async def test_unknown_enums_become_unknown_logged_once(
    site: RhombusSimulator,
    client: RhombusSiteClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    uuid = uuid_of(site, "Front Door")
    # Each value is logged once per process: make this run's values new.
    new_status = f"HALF_OPEN_{uuid4().hex[:8]}"
    site.override_site_fields(
        uuid, status=new_status, health="PURPLE_T1", hwVariation="SENSOR_DOOR_D99"
    )
    caplog.set_level(logging.DEBUG, "custom_components.rhombus.aiorhombus")
    for _ in range(3):
        door = (await client.get_door_sensors())[uuid]
    assert door.status is DoorStatus.UNKNOWN
    assert door.is_open is None
    assert door.health is SensorHealth.UNKNOWN
    assert door.hw_variation == "SENSOR_DOOR_D99"
    lines = [r.getMessage() for r in caplog.records if new_status in r.getMessage()]
    assert lines == [f"Unknown status value '{new_status}': shown as unknown"]


@pytest.mark.off_spec_responses
async def test_out_of_range_and_wrong_types_are_dropped(
    site: RhombusSimulator, client: RhombusSiteClient
) -> None:
    uuid = uuid_of(site, "Restroom 2F")
    site.override_site_fields(
        uuid,
        temperatureCelcius=-300,
        humidity=150,
        batteryPercent=True,
        co2="612",
        vapePercent=-1,
        lastSeenSec=10**15,
        calibrating="no",
    )
    sensor = (await client.get_climate_sensors())[uuid]
    assert (sensor.temperature_c, sensor.humidity, sensor.co2) == (None, None, None)
    assert (sensor.battery_percent, sensor.vape_percent) == (None, None)
    assert (sensor.last_seen, sensor.calibrating) == (None, None)
    assert sensor.pm25 == 6.1  # the rest survives
    gateway_uuid = uuid_of(site, "Lobby Air")
    site.override_site_fields(gateway_uuid, tempC=-300.0, relHumid=150.5, pressure=5)
    gateway = (await client.get_environmental_gateways())[gateway_uuid]
    assert (gateway.temperature_c, gateway.humidity, gateway.pressure_hpa) == (
        None,
        None,
        None,
    )
    assert gateway.co2_ppm == 540


# Access control's answers declare no error fields: it is refused by 403 only.
REFUSALS = [
    pytest.param(kind, in_band, id=f"{kind}-{'error-true' if in_band else '403'}")
    for kind in SiteKind
    for in_band in (False, True)
    if not (in_band and kind is SiteKind.ACCESS_CONTROL)
]


@pytest.mark.parametrize(("kind", "in_band"), REFUSALS)
async def test_refused_kind(
    site: RhombusSimulator,
    client: RhombusSiteClient,
    kind: SiteKind,
    in_band: bool,
) -> None:
    site.refuse_kind(kind.value, in_band=in_band)
    with pytest.raises(RhombusKindRefusedError) as info:
        await client.get_kind(kind)
    assert info.value.kind is kind
    assert KEY not in str(info.value)
    others = [other for other in SiteKind if other is not kind]
    for other in others:
        assert await client.get_kind(other)
    site.clear_faults()
    assert await client.get_kind(kind)


async def test_bad_key_is_not_a_refused_kind(
    site: RhombusSimulator, http: aiohttp.ClientSession
) -> None:
    client = RhombusSiteClient(RhombusRestClient(http, "wrong", site.rest_url))
    with pytest.raises(RhombusAuthError) as info:
        await client.get_door_sensors()
    assert not isinstance(info.value, RhombusKindRefusedError)
    assert info.value.status == 401


async def test_rate_limited(site: RhombusSimulator, client: RhombusSiteClient) -> None:
    site.fail_rest("/api/climate/getMinimalClimateStateList", status=429, retry_after=7)
    with pytest.raises(RhombusRateLimitError) as info:
        await client.get_climate_sensors()
    assert info.value.retry_after == 7
    assert await client.get_climate_sensors()


async def test_unlock_opens_then_closes(
    site: RhombusSimulator, client: RhombusSiteClient
) -> None:
    uuid = uuid_of(site, "Main Entrance")
    await client.unlock_door(uuid)
    assert site.calls(UNLOCK) == 1
    assert site.requests[-1].body == {"accessControlledDoorUuid": uuid}
    assert site.unlocked_doors == [uuid]
    door = (await client.get_access_controlled_doors())[uuid]
    assert (door.position, door.lock) == (DoorPosition.OPEN, LockState.UNLOCKED)

    async def closed() -> bool:
        door = (await client.get_access_controlled_doors())[uuid]
        return door.lock is LockState.LOCKED and door.position is DoorPosition.CLOSED

    for _ in range(50):
        if await closed():
            break
        await asyncio.sleep(0.05)
    assert await closed()


@pytest.mark.parametrize(
    ("reason", "remote_unlock"),
    [
        (UnlockFailure.FAILED_SENDING_ACU_UNLOCK_REQUEST, True),
        (UnlockFailure.DOOR_NOT_CONFIGURED_WITH_LOCK, True),
        (UnlockFailure.FAILED_SENDING_ACU_UNLOCK_REQUEST, False),
    ],
)
async def test_unlock_failure_changes_nothing(
    site: RhombusSimulator,
    client: RhombusSiteClient,
    reason: UnlockFailure,
    remote_unlock: bool,
) -> None:
    door = site.add_access_door("Vault", remote_unlock=remote_unlock)
    if remote_unlock:
        site.fail_unlock(reason.value)
    with pytest.raises(RhombusUnlockError) as info:
        await client.unlock_door(door.uuid)
    assert (info.value.door_uuid, info.value.reason) == (door.uuid, reason)
    assert site.unlocked_doors == []
    state = (await client.get_access_controlled_doors())[door.uuid]
    assert (state.position, state.lock) == (DoorPosition.CLOSED, LockState.LOCKED)


@pytest.mark.parametrize(
    "body",
    [{}, {"type": "ERROR"}, {"type": "ERROR", "errorType": "NEW_REASON"}, {"type": 1}],
)
async def test_unlock_without_success_is_a_failure(
    cloud: ScriptedCloud, http: aiohttp.ClientSession, body: dict[str, Any]
) -> None:
    async def answer(request: web.Request) -> web.Response:
        return web.json_response(body)

    cloud.rest = answer
    client = RhombusSiteClient(RhombusRestClient(http, KEY, cloud.url))
    with pytest.raises(RhombusUnlockError) as info:
        await client.unlock_door("door-1")
    assert info.value.reason is UnlockFailure.UNKNOWN


@pytest.mark.parametrize("kind", list(SiteKind))
async def test_response_without_its_list_is_an_error(
    cloud: ScriptedCloud, http: aiohttp.ClientSession, kind: SiteKind
) -> None:
    async def answer(request: web.Request) -> web.Response:
        return web.json_response({"error": False, "states": None})

    cloud.rest = answer
    client = RhombusSiteClient(RhombusRestClient(http, KEY, cloud.url))
    with pytest.raises(RhombusProtocolError):
        await client.get_kind(kind)


async def test_items_without_id_are_skipped(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    items = [None, 3, {"name": "no id"}, {"sensorUuid": ""}, {"sensorUuid": "b-1"}]

    async def answer(request: web.Request) -> web.Response:
        return web.json_response({"states": items})

    cloud.rest = answer
    client = RhombusSiteClient(RhombusRestClient(http, KEY, cloud.url))
    assert list(await client.get_buttons()) == ["b-1"]


async def test_state_change_reaches_the_next_read(
    site: RhombusSimulator, client: RhombusSiteClient
) -> None:
    uuid = uuid_of(site, "Back Door")
    await site.set_door_sensor(uuid, "AJAR")
    door = (await client.get_door_sensors())[uuid]
    assert (door.status, door.is_open) == (DoorStatus.AJAR, True)
    await wait_for(lambda: any(a["deviceUuid"] == uuid for a in site.alerts.values()))


@pytest.mark.parametrize(
    ("entity", "kind"),
    [
        ("DOOR_STATE", SiteKind.DOOR_SENSOR),
        ("CLIMATE_STATE", SiteKind.CLIMATE_SENSOR),
        ("OCCUPANCY_STATE", SiteKind.OCCUPANCY_SENSOR),
        ("AUDIO_STATE", SiteKind.AUDIO_GATEWAY),
        ("ACCESS_CONTROLLED_DOOR_SHADOW", SiteKind.ACCESS_CONTROL),
        ("COMPONENT_DOOR_RELAY_SHADOW", SiteKind.ACCESS_CONTROL),
        ("COMPONENT_SCHLAGE_GATEWAY_SHADOW", SiteKind.ACCESS_CONTROL),
        ("POLICY_ALERT", None),
        ("CAMERA_STATE", None),
        ("COMPONENT_SEEKPOINT", None),
    ],
)
def test_stream_entity_hints(entity: str, kind: SiteKind | None) -> None:
    assert kind_for_stream_entity(entity) is kind


async def test_unlock_refused_by_403_is_a_refused_kind(
    site: RhombusSimulator, client: RhombusSiteClient
) -> None:
    """The unlock answer declares no error fields: Rhombus refuses it by status."""
    site.refuse_kind(SiteKind.ACCESS_CONTROL.value)
    with pytest.raises(RhombusKindRefusedError) as info:
        await client.unlock_door(uuid_of(site, "Main Entrance"))
    assert info.value.kind is SiteKind.ACCESS_CONTROL
    assert site.unlocked_doors == []
