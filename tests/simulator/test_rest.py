"""REST endpoints of the simulator."""

from __future__ import annotations

from typing import Any

import pytest

from simulator import RhombusSimulator

from .helpers import AUTH

ORG = "/api/org/getOrgV2"
CAMERAS = "/api/camera/getMinimalCameraStateList"
ALERTS = "/api/event/getPolicyAlerts"
DETAILS = "/api/event/getPolicyAlertDetails"

# Field names of MinimalDeviceStateType in the reference example.
CAMERA_FIELDS = {
    "uuid", "name", "hwVariation", "serialNumber", "firmwareVersion",
    "firmwareUpdateInProgress", "connectionStatus", "healthStatus",
    "healthStatusDetails", "locationUuid", "policyUuid", "floorNumber", "mediaRegion",
    "region", "lanAddresses", "defaultInterface", "defaultInterfaceMac",
    "supportedFacets", "facetNameMap", "liveStreamShared", "liveStreamsSharedCount",
    "mummified", "createdAtMillis",
}  # fmt: skip
LIST_ALERT_FIELDS = {
    "uuid", "type", "orgUuid", "locationUuid", "policyUuid", "deviceUuid",
    "deviceType", "timestampMs", "durationSec", "policyAlertTriggers",
    "textDescription", "thumbnailLocation", "clipLocation", "clipLocationMap",
    "finalized", "deleted", "notificationSent", "saved", "shared",
}  # fmt: skip


async def post(http, sim, path, body=None, *, headers=AUTH, raw=None):
    kwargs = (
        {"data": raw} if raw is not None else {"json": {} if body is None else body}
    )
    async with http.post(sim.rest_url + path, headers=headers, **kwargs) as resp:
        text = await resp.text()
        data = await resp.json(content_type=None) if text.startswith("{") else text
        return resp.status, data, resp.headers


async def test_org(sim: RhombusSimulator, http) -> None:
    status, data, _ = await post(http, sim, ORG)
    assert status == 200
    assert data["error"] is False
    assert data["errorMsg"] is None
    assert data["warningMsg"] is None
    assert data["org"]["uuid"] == sim.org_uuid
    assert data["org"]["name"] == "Simulated Org"
    assert len(sim.org_uuid) == 22


async def test_given_org_identity() -> None:
    sim = RhombusSimulator(
        cameras=0, org_uuid="ORGORGORGORGORGORGORG1", org_name="Acme"
    )
    assert (sim.org_uuid, sim.org_name) == ("ORGORGORGORGORGORGORG1", "Acme")


async def test_camera_states(sim: RhombusSimulator, http) -> None:
    sim.set_camera_status(next(iter(sim.cameras)), "RED")
    status, data, _ = await post(http, sim, CAMERAS)
    assert status == 200
    states = data["cameraStates"]
    assert [s["uuid"] for s in states] == list(sim.cameras)
    assert all(set(s) == CAMERA_FIELDS for s in states)
    assert states[0]["connectionStatus"] == "RED"
    assert states[0]["healthStatusDetails"] == "DISCONNECTED"
    assert states[0]["lanAddresses"] == []
    assert states[1]["connectionStatus"] == "GREEN"
    assert states[1]["healthStatusDetails"] == "NONE"
    assert states[1]["hwVariation"].startswith("CAMERA_R")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-auth-scheme": "api-token"},
        {"x-auth-scheme": "api-token", "x-auth-apikey": "wrong"},
        {"x-auth-apikey": "sim-api-key"},
        {"x-auth-scheme": "api", "x-auth-apikey": "sim-api-key"},
    ],
)
async def test_unauthenticated(sim: RhombusSimulator, http, headers) -> None:
    status, text, _ = await post(http, sim, ORG, headers=headers)
    assert (status, text) == (401, "Unauthenticated")


async def test_revoke_and_add_key(sim: RhombusSimulator, http) -> None:
    assert "sim-api-key" in sim.api_keys
    sim.revoke_key("sim-api-key")
    assert (await post(http, sim, ORG))[0] == 401
    sim.add_key("second")
    headers = {**AUTH, "x-auth-apikey": "second"}
    assert (await post(http, sim, ORG, headers=headers))[0] == 200


async def test_unknown_path_is_404(sim: RhombusSimulator, http) -> None:
    assert (await post(http, sim, "/api/camera/getNothing"))[0] == 404
    assert (await post(http, sim, "/api/nothing"))[0] == 404


@pytest.mark.off_spec_requests
@pytest.mark.parametrize(
    ("raw", "body"),
    [("{not json", None), ("[1, 2]", None), (b"\xc1{}", None),
     (None, {"maxResults": "ten"}),
     (None, {"deviceFilter": "abc"}), (None, {"lastUuid": 5}),
     (None, {"afterTimestampMs": True})],
)  # fmt: skip
async def test_bad_bodies(sim: RhombusSimulator, http, raw, body) -> None:
    status, data, _ = await post(http, sim, ALERTS, body=body, raw=raw)
    assert status == 400
    assert data == {"msg": "JSON doesn't match expected object structure"}


@pytest.mark.off_spec_requests
async def test_empty_body_is_fine(sim: RhombusSimulator, http) -> None:
    assert (await post(http, sim, ORG, raw=""))[0] == 200


@pytest.mark.off_spec_requests
async def test_requests_are_recorded(sim: RhombusSimulator, http) -> None:
    await post(http, sim, ORG)
    await post(http, sim, CAMERAS, {"includeMummified": False})
    await post(http, sim, CAMERAS, raw="{oops")
    assert sim.calls(CAMERAS) == 2
    assert sim.calls(ORG) == 1
    assert sim.requests[1].body == {"includeMummified": False}
    assert sim.requests[1].headers["x-auth-apikey"] == "sim-api-key"
    assert sim.requests[2].body == "{oops"
    assert sim.requests[0].headers["content-type"] == "application/json"
    assert "sim-api-key" not in repr(sim.requests[0])
    assert "'x-auth-apikey': '***'" in repr(sim.requests[0])


async def test_policy_alerts_newest_first(sim: RhombusSimulator, http) -> None:
    cams = list(sim.cameras)
    old = await sim.emit_alert(cams[0], timestamp_ms=1_000)
    new = await sim.emit_alert(cams[1], ("MOTION_CAR",), timestamp_ms=3_000)
    mid = await sim.emit_alert(cams[2], timestamp_ms=2_000)
    status, data, _ = await post(http, sim, ALERTS)
    assert status == 200
    alerts = data["policyAlerts"]
    assert [a["uuid"] for a in alerts] == [new, mid, old]
    assert set(alerts[0]) == LIST_ALERT_FIELDS
    assert alerts[0]["policyAlertTriggers"] == ["MOTION_CAR"]
    assert alerts[0]["deviceUuid"] == cams[1]
    assert alerts[0]["orgUuid"] == sim.org_uuid


async def test_policy_alert_filters(sim: RhombusSimulator, http) -> None:
    cams = list(sim.cameras)
    uuids = [
        await sim.emit_alert(cams[i % 2], timestamp_ms=1_000 * (i + 1))
        for i in range(6)
    ]

    async def query(**body):
        return [
            a["uuid"] for a in (await post(http, sim, ALERTS, body))[1]["policyAlerts"]
        ]

    assert await query(afterTimestampMs=4_000) == uuids[:2:-1]  # inclusive
    assert await query(beforeTimestampMs=3_000) == uuids[1::-1]  # exclusive
    assert await query(afterTimestampMs=2_000, beforeTimestampMs=5_000) == uuids[3:0:-1]
    assert await query(deviceFilter=[cams[1]]) == uuids[5::-2]
    assert await query(maxResults=2) == uuids[:3:-1]
    assert await query(maxResults=0) == uuids[::-1]  # 0 means the default
    assert await query(lastUuid="zzz") == uuids[::-1]  # no timestamp: ignored


async def test_policy_alert_max_results(sim: RhombusSimulator, http) -> None:
    cam = next(iter(sim.cameras))
    for i in range(1_005):
        sim.world.store_alert(
            sim.world.build_alert(
                cam, ["MOTION"], alert_uuid=None, description=None,
                timestamp_ms=i, duration_sec=1,
            )
        )  # fmt: skip
    assert len((await post(http, sim, ALERTS))[1]["policyAlerts"]) == 100
    big = await post(http, sim, ALERTS, {"maxResults": 5_000})
    assert len(big[1]["policyAlerts"]) == 1_000


async def test_pagination_with_ties(sim: RhombusSimulator, http) -> None:
    cam = next(iter(sim.cameras))
    for i in range(10):
        await sim.emit_alert(cam, timestamp_ms=5_000 + i // 4)  # many equal timestamps
    expected = sorted(sim.alerts.values(), key=lambda a: (a["timestampMs"], a["uuid"]))
    expected_uuids = [a["uuid"] for a in reversed(expected)]
    seen: list[str] = []
    body: dict[str, Any] = {"maxResults": 3}
    while True:
        page = (await post(http, sim, ALERTS, body))[1]["policyAlerts"]
        if not page:
            break
        seen += [a["uuid"] for a in page]
        body = {
            "maxResults": 3,
            "lastTimestampMs": page[-1]["timestampMs"],
            "lastUuid": page[-1]["uuid"],
        }
    assert seen == expected_uuids


async def test_alert_details(sim: RhombusSimulator, http) -> None:
    cam = next(iter(sim.cameras))
    uuid = await sim.emit_alert(cam, ("LOITER_HUMAN",), description="Someone waits.")
    status, data, _ = await post(http, sim, DETAILS, {"policyAlertUuid": uuid})
    assert status == 200
    alert = data["policyAlert"]
    assert data["error"] is False
    assert alert["uuid"] == uuid
    assert alert["textDescription"] == "Someone waits."
    assert alert["seekPoints"][0]["activity"] == "LOITER_HUMAN"
    assert alert["clipLocationMap"] == {cam: {"region": "us-west-2"}}


@pytest.mark.off_spec_requests
@pytest.mark.parametrize(
    "body", [{"policyAlertUuid": "nope"}, {}, {"policyAlertUuid": 3}]
)
async def test_alert_details_not_found(sim: RhombusSimulator, http, body) -> None:
    status, data, _ = await post(http, sim, DETAILS, body)
    assert status == 200
    assert data == {
        "error": True,
        "errorMsg": "Policy alert not found",
        "warningMsg": None,
    }


async def test_deleted_alert_leaves_the_list(sim: RhombusSimulator, http) -> None:
    cam = next(iter(sim.cameras))
    keep = await sim.emit_alert(cam)
    gone = await sim.emit_alert(cam)
    await sim.emit_delete(gone)
    listed = (await post(http, sim, ALERTS))[1]["policyAlerts"]
    assert [a["uuid"] for a in listed] == [keep]
    details = (await post(http, sim, DETAILS, {"policyAlertUuid": gone}))[1]
    assert details["policyAlert"]["deleted"] is True


async def test_update_replaces_stored_alert(sim: RhombusSimulator, http) -> None:
    cam = next(iter(sim.cameras))
    uuid = await sim.emit_alert(cam, timestamp_ms=10)
    assert await sim.emit_alert(cam, alert_uuid=uuid, change_type="UPDATE") == uuid
    assert len(sim.alerts) == 1
    assert sim.alerts[uuid]["finalized"] is True


async def test_urls(sim: RhombusSimulator) -> None:
    assert sim.rest_url.startswith("http://127.0.0.1:")
    port = sim.rest_url.rsplit(":", 1)[1]
    assert (
        sim.websocket_url == f"ws://127.0.0.1:{port}/websocket?x-auth-scheme=api-token"
    )
    assert sim.media_url == f"http://127.0.0.1:{port}"  # like the real media host


async def test_not_started_and_double_start() -> None:
    sim = RhombusSimulator(cameras=0)
    with pytest.raises(RuntimeError):
        _ = sim.rest_url
    await sim.stop()  # harmless when never started
    await sim.start(host="0.0.0.0")  # noqa: S104 - URLs must still say loopback
    try:
        assert sim.rest_url.startswith("http://127.0.0.1:")
        with pytest.raises(RuntimeError):
            await sim.start()
    finally:
        await sim.stop()


async def test_port_in_use() -> None:
    async with RhombusSimulator(cameras=0) as first:
        port = int(first.rest_url.rsplit(":", 1)[1])
        second = RhombusSimulator(cameras=0)
        with pytest.raises(OSError):
            await second.start(port=port)
        with pytest.raises(RuntimeError):
            _ = second.rest_url
