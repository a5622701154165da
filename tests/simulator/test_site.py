"""The simulator's site hardware: REST shapes, stream messages, faults, demo."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from simulator import RhombusSimulator, site_fields
from simulator.__main__ import parse_args
from simulator.site_demo import DEMO_SITE, build_demo_site, build_site
from simulator.site_world import (
    ACCESS_CONTROL,
    AUDIO_GATEWAY,
    BUTTON,
    CLIMATE_SENSOR,
    DOOR_SENSOR,
    ENVIRONMENTAL_GATEWAY,
    KINDS,
    OCCUPANCY_SENSOR,
)

from .helpers import AUTH, StompClient

LISTS = {
    DOOR_SENSOR: ("/api/door/getMinimalDoorStateList", "doorStates"),
    CLIMATE_SENSOR: ("/api/climate/getMinimalClimateStateList", "climateStates"),
    ENVIRONMENTAL_GATEWAY: (
        "/api/climate/getMinimalEnvironmentalGatewayStates",
        "minimalEnvironmentalGatewayStates",
    ),
    OCCUPANCY_SENSOR: (
        "/api/occupancy/getMinimalOccupancySensorStateList",
        "occupancySensorStates",
    ),
    BUTTON: ("/api/button/getMinimalButtonStateList", "states"),
    AUDIO_GATEWAY: (
        "/api/audiogateway/getMinimalAudioGatewayStateList",
        "audioGatewayStates",
    ),
}
DOORS = "/api/component/findMinimalStateAccessControlledDoors"
SHADOWS = "/api/component/findAllComponentShadows"
UNLOCK = "/api/accesscontrol/unlockAccessControlledDoor"
ENVELOPE = {"error", "errorMsg", "warningMsg"}


@pytest.fixture
def site(sim: RhombusSimulator) -> RhombusSimulator:
    build_demo_site(sim)
    sim.unlock_hold_seconds = 0.1
    return sim


async def post(
    http: aiohttp.ClientSession, sim: RhombusSimulator, path: str, body: Any = None
) -> tuple[int, Any]:
    payload = {} if body is None else body
    async with http.post(sim.rest_url + path, headers=AUTH, json=payload) as resp:
        text = await resp.text()
        return resp.status, json.loads(text) if text.startswith("{") else text


def named(sim: RhombusSimulator, name: str) -> str:
    found = [d.uuid for d in sim.site.devices.values() if d.name == name]
    found += [d.uuid for d in sim.site.doors.values() if d.name == name]
    return found[0]


async def messages(client: StompClient, count: int) -> list[dict[str, Any]]:
    return [json.loads((await client.frame()).body) for _ in range(count)]


@pytest.mark.parametrize("kind", list(LISTS))
async def test_lists_declare_only_spec_fields(
    site: RhombusSimulator, http: aiohttp.ClientSession, kind: str
) -> None:
    path, key = LISTS[kind]
    status, data = await post(http, site, path)
    assert status == 200
    extra = {"lastEvaluatedKey"} if kind == ENVIRONMENTAL_GATEWAY else set()
    assert set(data) == {key, *ENVELOPE, *extra}
    assert data["error"] is False
    assert data[key]
    declared = set(KINDS[kind][0])
    for item in data[key]:
        assert set(item) <= declared


async def test_doors_and_shadows_have_no_envelope(
    site: RhombusSimulator, http: aiohttp.ClientSession
) -> None:
    status, data = await post(http, site, DOORS, {"maxPageSize": 1})
    assert status == 200
    assert set(data) == {"accessControlledDoors", "lastEvaluatedKey"}
    assert data["lastEvaluatedKey"] == "1"
    (item,) = data["accessControlledDoors"]
    assert set(item["door"]) <= set(site_fields.ACCESS_CONTROLLED_DOOR)
    assert set(item["shadow"]) <= set(site_fields.DOOR_SHADOW)
    wanted = [item["door"]["dpiComponents"][0]["componentUuid"], "nope"]
    status, data = await post(http, site, SHADOWS, {"componentUuids": wanted})
    assert set(data) == {"acuComponentShadowMap"}
    assert list(data["acuComponentShadowMap"]) == wanted[:1]
    shadow = data["acuComponentShadowMap"][wanted[0]]
    assert (shadow["type"], shadow["state"]) == (
        "DoorPositionIndicatorShadow",
        "CLOSED",
    )


@pytest.mark.off_spec_requests
@pytest.mark.parametrize(
    ("path", "body"),
    [
        (DOORS, {"maxPageSize": "10"}),
        (DOORS, {"lastEvaluatedKey": 3}),
        (SHADOWS, {"componentUuids": "abc"}),
        (UNLOCK, {"accessControlledDoorUuid": 5}),
    ],
)
async def test_mistyped_request_is_400(
    site: RhombusSimulator, http: aiohttp.ClientSession, path: str, body: Any
) -> None:
    status, _ = await post(http, site, path, body)
    assert status == 400


async def test_door_sensor_change_sends_state_then_alert(
    site: RhombusSimulator, http: aiohttp.ClientSession, client: StompClient
) -> None:
    uuid = named(site, "Front Door")
    await site.set_door_sensor(uuid, "OPEN")
    state, alert = await messages(client, 2)
    assert (state["entity"], state["entityUuid"], state["type"]) == (
        "DOOR_STATE",
        uuid,
        "UPDATE",
    )
    assert state["update"]["status"] == "OPEN"
    assert alert["entity"] == "POLICY_ALERT"
    assert alert["update"]["policyAlertTriggers"] == ["DOOR_OPENED"]
    assert alert["update"]["deviceType"] == "DOOR_SENSOR"
    _, data = await post(http, site, LISTS[DOOR_SENSOR][0])
    assert {d["sensorUuid"]: d["status"] for d in data["doorStates"]}[uuid] == "OPEN"
    _, alerts = await post(http, site, "/api/event/getPolicyAlerts", {})
    assert alerts["policyAlerts"][0]["deviceUuid"] == uuid


@pytest.mark.parametrize(
    ("action", "entity", "trigger"),
    [
        ("climate", "CLIMATE_STATE", None),
        ("occupancy", "OCCUPANCY_STATE", "PIR_MOVEMENT"),
        ("button", None, "BUTTON_DOUBLE_PRESSED"),
        ("sound", None, "AUDIO_SOUND_GUN"),
    ],
)
async def test_sensor_messages(
    site: RhombusSimulator,
    client: StompClient,
    action: str,
    entity: str | None,
    trigger: str | None,
) -> None:
    if action == "climate":
        uuid = named(site, "Lobby Air")
        await site.set_site_state(uuid, tempC=30.5)
    elif action == "occupancy":
        uuid = named(site, "Conference Room A")
        await site.set_occupancy(uuid, "MOVEMENT")
    elif action == "button":
        uuid = named(site, "Front Desk Panic")
        await site.press_button(uuid, "DOUBLE")
    else:
        uuid = named(site, "Hallway Audio")
        await site.emit_sound(uuid, "GUN")
    bodies = await messages(client, int(entity is not None) + int(trigger is not None))
    if entity is not None:
        assert (bodies[0]["entity"], bodies[0]["deviceUuid"]) == (entity, uuid)
    if trigger is not None:
        assert bodies[-1]["update"]["policyAlertTriggers"] == [trigger]
        assert bodies[-1]["update"]["deviceUuid"] == uuid


async def test_unlock_cycle_messages(
    site: RhombusSimulator, http: aiohttp.ClientSession, client: StompClient
) -> None:
    uuid = named(site, "Main Entrance")
    status, data = await post(http, site, UNLOCK, {"accessControlledDoorUuid": uuid})
    assert (status, data) == (200, {"type": "SUCCESS"})
    bodies = await messages(client, 5)
    alert = bodies[0]["update"]
    assert alert["type"] == "ACCESS_CONTROLLED_DOOR_POLICY_ALERT"
    assert (alert["policyAlertTriggers"], alert["accessControlledDoorUuid"]) == (
        ["AC_REMOTE_UNLOCK"],
        uuid,
    )
    assert "deviceUuid" not in alert
    changes = [(b["entity"], b["update"]["state"]) for b in bodies[1:]]
    assert changes == [
        ("COMPONENT_DOOR_RELAY_SHADOW", "UNLOCKED"),
        ("COMPONENT_DOOR_POSITION_INDICATOR_SHADOW", "OPEN"),
        ("COMPONENT_DOOR_POSITION_INDICATOR_SHADOW", "CLOSED"),
        ("COMPONENT_DOOR_RELAY_SHADOW", "LOCKED"),
    ]
    assert site.unlocked_doors == [uuid]


async def test_unlock_failures(
    site: RhombusSimulator, http: aiohttp.ClientSession
) -> None:
    uuid = named(site, "Side Door")
    site.fail_unlock("DOOR_NOT_CONFIGURED_WITH_LOCK")
    body = {"accessControlledDoorUuid": uuid}
    assert (await post(http, site, UNLOCK, body))[1] == {
        "type": "ERROR",
        "errorType": "DOOR_NOT_CONFIGURED_WITH_LOCK",
    }
    locked = site.add_access_door("Vault", remote_unlock=False)
    body = {"accessControlledDoorUuid": locked.uuid}
    assert (await post(http, site, UNLOCK, body))[1]["type"] == "ERROR"
    body = {"accessControlledDoorUuid": "unknown"}
    assert (await post(http, site, UNLOCK, body))[1]["type"] == "ERROR"
    assert site.unlocked_doors == []
    assert (await post(http, site, UNLOCK, {"accessControlledDoorUuid": uuid}))[1] == {
        "type": "SUCCESS"
    }


async def test_badge_and_door_alerts(
    site: RhombusSimulator, client: StompClient
) -> None:
    uuid = named(site, "Side Door")
    await site.badge(uuid, authorized=False)
    (denied,) = await messages(client, 1)
    assert denied["update"]["policyAlertTriggers"] == ["AC_BADGE_UNAUTHORIZED"]
    await site.set_door_position(uuid, "FORCED_OPEN")
    shadow, forced = await messages(client, 2)
    assert shadow["update"]["state"] == "FORCED_OPEN"
    assert forced["update"]["policyAlertTriggers"] == ["AC_DPI_DOOR_FORCED_OPEN"]
    await site.set_access_mode(uuid, "UNLOCKED")
    (mode,) = await messages(client, 1)
    assert mode["entity"] == "ACCESS_CONTROLLED_DOOR_SHADOW"
    assert mode["update"]["state"]["state"] == "UNLOCKED"


async def test_refuse_access_control_until_cleared(
    site: RhombusSimulator, http: aiohttp.ClientSession
) -> None:
    """Its answers declare no error fields: a 403 is the one refusal the spec allows."""
    site.refuse_kind(ACCESS_CONTROL)
    for _ in range(2):
        status, _data = await post(http, site, DOORS)
        assert status == 403
    assert (await post(http, site, LISTS[BUTTON][0]))[0] == 200
    site.clear_faults()
    assert (await post(http, site, DOORS))[0] == 200


def test_access_control_has_no_in_band_refusal(site: RhombusSimulator) -> None:
    with pytest.raises(ValueError, match="declare no error fields"):
        site.refuse_kind(ACCESS_CONTROL, in_band=True)


async def test_refuse_a_list_in_band(
    site: RhombusSimulator, http: aiohttp.ClientSession
) -> None:
    """The list calls declare ``error``/``errorMsg``: an in-band refusal is on spec."""
    site.refuse_kind(BUTTON, in_band=True)
    status, data = await post(http, site, LISTS[BUTTON][0])
    assert (status, data["error"], data["errorMsg"]) == (200, True, "Permission denied")
    site.clear_faults()
    assert (await post(http, site, LISTS[BUTTON][0]))[1]["error"] is False


@pytest.mark.off_spec_responses
@pytest.mark.parametrize("kind", [*LISTS, ACCESS_CONTROL])
async def test_null_device(
    site: RhombusSimulator, http: aiohttp.ClientSession, kind: str
) -> None:
    uuid = site.add_null_device(kind)
    if kind == ACCESS_CONTROL:
        _, data = await post(http, site, DOORS)
        item = data["accessControlledDoors"][-1]
        assert item["shadow"] is None
        state = item["door"]
        declared = site_fields.ACCESS_CONTROLLED_DOOR
    else:
        path, key = LISTS[kind]
        _, data = await post(http, site, path)
        state = data[key][-1]
        declared = KINDS[kind][0]
    assert set(state) == set(declared)
    assert [k for k, v in state.items() if v is not None] == [
        k for k in state if state[k] == uuid
    ]


async def test_large_site_repeats_the_demo_mix(
    sim: RhombusSimulator, http: aiohttp.ClientSession
) -> None:
    """The benchmark's site: the demo's kinds in proportion, every name unique."""
    build_site(sim, 25)
    names = [d.name for d in sim.site.devices.values()]
    names += [d.name for d in sim.site.doors.values()]
    assert len(names) == len(set(names)) == 25
    assert {"Front Door", "Front Door 2", "Front Door 3", "Side Door 2"} <= set(names)
    assert "Side Door 3" not in names  # 25 = two rounds of 10, then 5 more
    status, body = await post(http, sim, LISTS[DOOR_SENSOR][0])
    assert status == 200
    assert len(body["doorStates"]) == 9  # three in each of the three rounds
    status, body = await post(http, sim, DOORS)
    assert len(body["accessControlledDoors"]) == 4
    assert len(DEMO_SITE) == 10


def test_overrides_must_be_declared(site: RhombusSimulator) -> None:
    with pytest.raises(ValueError, match="not declared"):
        site.override_site_fields(named(site, "Front Door"), temperatureCelcius=1)


async def test_remove_device(
    site: RhombusSimulator, http: aiohttp.ClientSession
) -> None:
    site.remove_site_device(named(site, "Back Door"))
    site.remove_site_device(named(site, "Main Entrance"))
    _, doors = await post(http, site, LISTS[DOOR_SENSOR][0])
    assert {d["name"] for d in doors["doorStates"]} == {
        "Front Door",
        "Server Room Door",
    }
    _, acds = await post(http, site, DOORS)
    assert [d["door"]["name"] for d in acds["accessControlledDoors"]] == ["Side Door"]


async def test_drift_changes_readings_and_stops(
    site: RhombusSimulator, http: aiohttp.ClientSession, client: StompClient
) -> None:
    before = dict(site.site.device(named(site, "Restroom 2F")).state)
    site.start_site_drift(0.01)
    entities = {body["entity"] for body in await messages(client, 6)}
    await site.stop_site_drift()
    assert "CLIMATE_STATE" in entities
    after = site.site.device(named(site, "Restroom 2F")).state
    assert after["lastSeenSec"] >= before["lastSeenSec"]
    assert (after["temperatureCelcius"], after["humidity"]) != (
        before["temperatureCelcius"],
        before["humidity"],
    )
    assert 15 <= after["temperatureCelcius"] <= 35


async def test_stop_ends_pending_relock(site: RhombusSimulator) -> None:
    site.unlock_hold_seconds = 60
    await site.badge(named(site, "Main Entrance"))
    await site.stop()
    names = [task.get_coro().__qualname__ for task in asyncio.all_tasks()]  # type: ignore[union-attr]
    assert not [name for name in names if name.endswith("._relock")]


def test_cli_serves_the_site_by_default() -> None:
    assert parse_args([]).no_site is False
    assert parse_args(["--no-site"]).no_site is True
    demo = RhombusSimulator(site=True)
    assert len(demo.site.of_kind(DOOR_SENSOR)) == 3
    assert all(demo.site.of_kind(kind) for kind in LISTS)
    assert len(demo.site.doors) == 2
    assert not RhombusSimulator().site.devices


async def test_cli_prints_and_drifts_the_site(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from simulator import __main__ as cli  # noqa: PLC0415 - only this test runs it

    args = cli.parse_args(
        ["--port", "0", "--alerts-per-minute", "0", "--site-interval", "0.01"]
    )
    stop = asyncio.Event()
    task = asyncio.create_task(cli.run(args, stop))
    await asyncio.sleep(0.3)
    stop.set()
    await task
    out = capsys.readouterr().out
    assert "Site:      8 devices, 2 doors" in out
    assert out.rstrip().endswith("Simulator stopped.")
