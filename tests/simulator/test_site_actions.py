"""The simulator's site actions: REST answers, stream messages and faults."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest

from simulator import RhombusSimulator

from .helpers import AUTH, StompClient

ALARM = "/api/alertmonitoring/"
LOCKDOWN = "/api/accesscontrol/lockdownPlan/"
AUDIO = "/api/audioplayback/"
POLICY = "/api/policy/"


async def post(
    http: aiohttp.ClientSession, sim: RhombusSimulator, path: str, body: Any = None
) -> tuple[int, Any]:
    payload = {} if body is None else body
    async with http.post(sim.rest_url + path, headers=AUTH, json=payload) as resp:
        text = await resp.text()
        return resp.status, json.loads(text) if text.startswith("{") else text


async def message(client: StompClient) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((await client.frame()).body)
    return found


@pytest.fixture
def home(sim: RhombusSimulator) -> str:
    location = next(iter(sim.locations.locations))
    sim.set_alarm_monitoring(location, ["1234", "5678"])
    return location


async def test_arming_sends_the_settings_change_without_pins(
    sim: RhombusSimulator,
    http: aiohttp.ClientSession,
    client: StompClient,
    home: str,
) -> None:
    """Any of the location's PINs arms it; the message is its status, no PIN."""
    status, body = await post(
        http,
        sim,
        ALARM + "enableMonitoringForLocation",
        {"locationUuid": home, "pin": "5678"},
    )
    assert (status, body["error"]) == (200, False)
    change = await message(client)
    assert change["entity"] == "ALARM_MONITORING_LOCATION_SETTINGS"
    assert change["entityUuid"] == home
    assert change["update"]["enabled"] is True
    assert "5678" not in json.dumps(change)
    await sim.set_monitoring_in_rhombus(home, False)
    assert (await message(client))["update"]["enabled"] is False
    _, org = await post(http, sim, ALARM + "orgStatus")
    assert org["locationStatuses"][home]["enabled"] is False


async def test_a_wrong_pin_is_an_in_band_error_and_no_message(
    sim: RhombusSimulator,
    http: aiohttp.ClientSession,
    client: StompClient,
    home: str,
) -> None:
    for pin in ("0000", None):
        _, body = await post(
            http,
            sim,
            ALARM + "disableMonitoringForLocation",
            {"locationUuid": home, "pin": pin},
        )
        assert body == {"error": True, "errorMsg": "Invalid PIN", "warningMsg": None}
    sim.locations.on_stream = False
    await post(
        http,
        sim,
        ALARM + "enableMonitoringForLocation",
        {"locationUuid": home, "pin": "1234"},
    )
    assert sim.locations.location(home).enabled is True
    with pytest.raises(TimeoutError):
        await client.frame(wait=0.2)


async def test_a_location_without_monitoring(
    sim: RhombusSimulator, http: aiohttp.ClientSession
) -> None:
    shop = sim.add_location("Shop")
    _, body = await post(http, sim, ALARM + "locationStatus", {"locationUuid": shop})
    assert body["error"] is True
    _, org = await post(http, sim, ALARM + "orgStatus")
    assert org["locationStatuses"] == {}


async def test_locations_nest_their_sub_locations(
    sim: RhombusSimulator, http: aiohttp.ClientSession
) -> None:
    shop = sim.add_location("Shop")
    floor = sim.add_location("Floor 2", parent_uuid=shop)
    _, nested = await post(
        http, sim, "/api/location/getLocations", {"subLocationsIncluded": True}
    )
    by_name = {loc["name"]: loc for loc in nested["locations"]}
    assert set(by_name) == {"Main Office", "Shop"}
    assert [sub["uuid"] for sub in by_name["Shop"]["subLocations"]] == [floor]
    _, flat = await post(http, sim, "/api/location/getLocations")
    assert len(flat["locations"]) == 3
    with pytest.raises(KeyError, match="unknown location"):
        sim.add_location("x", parent_uuid="nope")


async def test_lockdown_in_rhombus_and_over_rest_send_location_changes(
    sim: RhombusSimulator,
    http: aiohttp.ClientSession,
    client: StompClient,
    home: str,
) -> None:
    plan = sim.add_lockdown_plan(home, "Doors")
    await sim.lockdown_in_rhombus(home)
    change = await message(client)
    assert (change["entity"], change["entityUuid"]) == ("LOCATION", home)
    assert change["update"]["state"] == "LOCKED_DOWN"
    assert change["update"]["activeLockdownPlans"][0]["lockdownPlanUuid"] == plan
    _, body = await post(
        http, sim, LOCKDOWN + "deactivateLockdownForLocation", {"locationUuid": home}
    )
    assert body["result"] == "SUCCESS"
    assert (await message(client))["update"]["state"] == "STANDARD_SECURITY"
    _, states = await post(
        http,
        sim,
        LOCKDOWN + "findLocationLockdownStates",
        {"stateFilter": ["LOCKED_DOWN"]},
    )
    assert states == {"states": []}


async def test_a_stale_version_changes_nothing_and_sends_nothing(
    sim: RhombusSimulator,
    http: aiohttp.ClientSession,
    client: StompClient,
    home: str,
) -> None:
    plan = sim.add_lockdown_plan(home)
    _, body = await post(
        http,
        sim,
        LOCKDOWN + "activateLockdownForLocation",
        {"locationUuid": home, "lockdownPlanUuids": [plan], "stateUpdatedAtMillis": 1},
    )
    assert body["result"] == "OPTIMISTIC_CONCURRENCY"
    assert body["state"]["state"] == "STANDARD_SECURITY"
    assert sim.lockdown.states == {}
    with pytest.raises(TimeoutError):
        await client.frame(wait=0.2)
    with pytest.raises(ValueError, match="no lockdown plan"):
        await sim.lockdown_in_rhombus(sim.add_location("Empty"))


async def test_plays_and_cancelled_loops_send_audio_state(
    sim: RhombusSimulator,
    http: aiohttp.ClientSession,
    client: StompClient,
) -> None:
    gateway = sim.add_site_device("audio_gateway", "Porch", "GATEWAY_A100").uuid
    clip = sim.add_audio_clip("Siren")
    _, body = await post(
        http,
        sim,
        AUDIO + "playAudioUpload",
        {
            "audioGatewayUuids": [gateway],
            "audioUploadUuid": clip,
            "loopDurationSec": 30,
        },
    )
    assert body["success"] is True
    change = await message(client)
    assert (change["entity"], change["deviceUuid"]) == ("AUDIO_STATE", gateway)
    _, body = await post(
        http,
        sim,
        AUDIO + "cancelLoopingAudioPlayback",
        {"audioDevices": [gateway, "x"]},
    )
    assert body["successMap"] == {gateway: True, "x": False}
    assert (await message(client))["entity"] == "AUDIO_STATE"
    # Nothing loops now: a second cancel sends nothing.
    await post(
        http, sim, AUDIO + "cancelLoopingAudioPlayback", {"audioDevices": [gateway]}
    )
    with pytest.raises(TimeoutError):
        await client.frame(wait=0.2)


async def test_text_to_speech_limits(
    sim: RhombusSimulator, http: aiohttp.ClientSession
) -> None:
    _, body = await post(
        http, sim, AUDIO + "uploadAudioText", {"audioPlaintext": "w " * 51}
    )
    assert body["error"] is True
    _, body = await post(http, sim, AUDIO + "uploadAudioText", {})
    assert body["error"] is True
    _, body = await post(
        http, sim, AUDIO + "uploadAudioText", {"audioSSML": "<speak>Hi there</speak>"}
    )
    assert sim.audio.clips[body["uuid"]]["audioSSML"] == "<speak>Hi there</speak>"
    assert sim.audio.clips[body["uuid"]]["durationMs"] == 800


async def test_pauses_send_create_and_delete_and_expire_silently(
    sim: RhombusSimulator,
    http: aiohttp.ClientSession,
    client: StompClient,
) -> None:
    camera = next(iter(sim.cameras))
    _, body = await post(
        http,
        sim,
        POLICY + "pauseAlertPolicyForDevice",
        {"deviceUuids": [camera], "durationSec": 60},
    )
    assert body["error"] is False
    created = await message(client)
    assert (created["entity"], created["type"]) == ("POLICY_PAUSE", "CREATE")
    assert created["deviceUuid"] == camera
    assert created["update"]["durationSecs"] == 60
    _, body = await post(
        http,
        sim,
        POLICY + "deletePolicyPauseSettingForDevice",
        {"uuid": created["entityUuid"]},
    )
    deleted = await message(client)
    assert (deleted["type"], deleted["entityUuid"]) == ("DELETE", created["entityUuid"])
    uuid = await sim.pause_in_rhombus(camera, 30)
    assert (await message(client))["entityUuid"] == uuid
    assert sim.alerts_paused(camera)
    sim.advance_pause_clock(31)
    assert not sim.alerts_paused(camera)
    _, body = await post(http, sim, POLICY + "getPolicyPauseSettings")
    assert body["policiesPausedForDevicesMap"] == {}
    with pytest.raises(TimeoutError):
        await client.frame(wait=0.2)


async def test_a_location_pause_has_no_device(
    sim: RhombusSimulator, client: StompClient, home: str
) -> None:
    await sim.pause_in_rhombus(home, 30, location=True)
    change = await message(client)
    assert "deviceUuid" not in change
    assert change["update"]["locationUuid"] == home
    assert sim.alerts_paused(home)


@pytest.mark.parametrize(
    "service", ["locations", "alarm_monitoring", "lockdown", "audio", "alert_pause"]
)
async def test_each_service_can_be_refused(
    sim: RhombusSimulator, http: aiohttp.ClientSession, service: str
) -> None:
    paths = {
        "locations": "/api/location/getLocations",
        "alarm_monitoring": ALARM + "orgStatus",
        "lockdown": LOCKDOWN + "findLockdownPlans",
        "audio": AUDIO + "getAudioUploadMetadataForOrg",
        "alert_pause": POLICY + "getPolicyPauseSettings",
    }
    sim.refuse_service(service)
    status, _ = await post(http, sim, paths[service])
    assert status == 403
    sim.clear_faults()
    status, _ = await post(http, sim, paths[service])
    assert status == 200


@pytest.mark.off_spec_requests
@pytest.mark.parametrize(
    ("path", "body"),
    [
        (ALARM + "enableMonitoringForLocation", {"pin": 1234}),
        (LOCKDOWN + "activateLockdownForLocation", {"lockdownPlanUuids": ["p"]}),
        (LOCKDOWN + "findLocationLockdownStates", {"stateFilter": ["PANIC"]}),
        (AUDIO + "playAudioUpload", {"playCount": 0}),
        (POLICY + "pauseAlertPolicyForDevice", {"durationSec": "60"}),
        ("/api/location/getLocations", {"subLocationsIncluded": "yes"}),
    ],
)
async def test_mistyped_requests_are_400(
    sim: RhombusSimulator, http: aiohttp.ClientSession, path: str, body: Any
) -> None:
    status, _ = await post(http, sim, path, body)
    assert status == 400


async def test_a_location_alert_names_the_location_and_no_device(
    sim: RhombusSimulator, client: StompClient, home: str
) -> None:
    uuid = await sim.emit_location_alert(home, ["ALM_THREAT_DETECTED"])
    alert = await message(client)
    assert (alert["entity"], alert["entityUuid"]) == ("POLICY_ALERT", uuid)
    assert alert["update"]["locationUuid"] == home
    assert alert["update"]["deviceUuid"] is None
    assert alert["update"]["textDescription"] == "ALM_THREAT_DETECTED at Main Office"
    assert uuid not in sim.alerts
