"""The REST client against the simulator (and a scripted server) over loopback."""

from __future__ import annotations

import traceback
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.rhombus.aiorhombus import (
    Backoff,
    Camera,
    RhombusApiError,
    RhombusAuthError,
    RhombusConnectionError,
    RhombusError,
    RhombusProtocolError,
    RhombusRateLimitError,
    RhombusRestClient,
)
from custom_components.rhombus.aiorhombus.catchup import (
    CATCHUP_OVERLAP_MS,
    fetch_missed_alerts,
)
from simulator import RhombusSimulator

from .helpers import KEY, ScriptedCloud, closed_port

ORG = "/api/org/getOrgV2"
CAMERAS = "/api/camera/getMinimalCameraStateList"
ALERTS = "/api/event/getPolicyAlerts"
DETAILS = "/api/event/getPolicyAlertDetails"


def assert_no_key(err: BaseException) -> None:
    """Neither the message nor the whole printed chain may hold the key."""
    assert KEY not in str(err)
    assert KEY not in repr(err)
    assert KEY not in "".join(traceback.format_exception(err))


@pytest.fixture
def rest(sim: RhombusSimulator, http: aiohttp.ClientSession) -> RhombusRestClient:
    return RhombusRestClient(http, KEY, sim.rest_url + "/")


async def test_headers_and_body_as_received(
    sim: RhombusSimulator, rest: RhombusRestClient
) -> None:
    await rest.get_org()
    (request,) = sim.requests
    assert request.path == ORG  # the trailing slash of the base URL is dropped
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["x-auth-scheme"] == "api-token"
    assert headers["x-auth-apikey"] == KEY
    assert headers["accept"] == "application/json"
    assert headers["content-type"].startswith("application/json")
    assert request.body == {}
    assert dict(rest.auth_headers)["x-auth-apikey"] == KEY


async def test_repr_hides_the_key(
    sim: RhombusSimulator, rest: RhombusRestClient
) -> None:
    assert KEY not in repr(rest)
    assert sim.rest_url in repr(rest)


async def test_get_org(sim: RhombusSimulator, rest: RhombusRestClient) -> None:
    org = await rest.get_org()
    assert (org.uuid, org.name) == (sim.org_uuid, "Simulated Org")


async def test_get_cameras(sim: RhombusSimulator, rest: RhombusRestClient) -> None:
    first, second, _ = sim.cameras.values()
    sim.set_camera_status(second.uuid, "RED")
    cameras = await rest.get_cameras()
    assert list(cameras) == list(sim.cameras)
    camera = cameras[first.uuid]
    assert camera == Camera(
        uuid=first.uuid,
        name=first.name,
        hw_variation=first.hw_variation,
        firmware_version=first.firmware_version,
        serial_number=first.serial_number,
        connection_status="GREEN",
        health_status="GREEN",
        location_uuid=first.location_uuid,
    )
    assert camera.online
    assert cameras[second.uuid].connection_status == "RED"
    assert not cameras[second.uuid].online
    assert sim.calls(CAMERAS) == 1


async def test_get_cameras_empty_org(
    sim: RhombusSimulator, rest: RhombusRestClient
) -> None:
    for uuid in list(sim.cameras):
        sim.remove_camera(uuid)
    assert await rest.get_cameras() == {}


async def test_policy_alert_pages(
    sim: RhombusSimulator, rest: RhombusRestClient
) -> None:
    camera = next(iter(sim.cameras))
    base = 1_700_000_000_000
    uuids = [
        await sim.emit_alert(camera, timestamp_ms=base + i * 1000, alert_uuid=f"A{i}")
        for i in range(5)
    ]
    newest_first = uuids[::-1]

    page1 = await rest.get_policy_alerts(max_results=2)
    assert [a["uuid"] for a in page1] == newest_first[:2]
    assert sim.requests[-1].body == {"maxResults": 2}

    last = page1[-1]
    page2 = await rest.get_policy_alerts(
        max_results=2, last_timestamp_ms=last["timestampMs"], last_uuid=last["uuid"]
    )
    assert [a["uuid"] for a in page2] == newest_first[2:4]
    assert sim.requests[-1].body == {
        "maxResults": 2,
        "lastTimestampMs": last["timestampMs"],
        "lastUuid": last["uuid"],
    }

    last = page2[-1]
    page3 = await rest.get_policy_alerts(
        max_results=2, last_timestamp_ms=last["timestampMs"], last_uuid=last["uuid"]
    )
    assert [a["uuid"] for a in page3] == newest_first[4:]

    # afterTimestampMs is inclusive on the simulator.
    recent = await rest.get_policy_alerts(after_ms=base + 3000)
    assert [a["uuid"] for a in recent] == ["A4", "A3"]
    assert sim.requests[-1].body == {"maxResults": 100, "afterTimestampMs": base + 3000}

    # A cursor needs both halves: a lone uuid is not sent.
    await rest.get_policy_alerts(last_uuid="A2")
    assert sim.requests[-1].body == {"maxResults": 100}


async def test_policy_alert_details(
    sim: RhombusSimulator, rest: RhombusRestClient
) -> None:
    camera = next(iter(sim.cameras))
    uuid = await sim.emit_alert(camera, ["MOTION_CAR"], description="A car")
    alert = await rest.get_policy_alert_details(uuid)
    assert alert is not None
    assert alert["uuid"] == uuid
    assert alert["deviceUuid"] == camera
    assert alert["policyAlertTriggers"] == ["MOTION_CAR"]
    assert alert["textDescription"] == "A car"
    assert sim.requests[-1].body == {"policyAlertUuid": uuid}
    assert await rest.get_policy_alert_details("no-such-alert") is None


@pytest.mark.parametrize("status", [401, 403])
async def test_http_auth_errors(
    sim: RhombusSimulator, rest: RhombusRestClient, status: int
) -> None:
    sim.fail_rest(ORG, status=status)
    with pytest.raises(RhombusAuthError, match=f"HTTP {status}") as info:
        await rest.get_org()
    assert_no_key(info.value)


async def test_unknown_key_is_an_auth_error(
    sim: RhombusSimulator, http: aiohttp.ClientSession
) -> None:
    sim.revoke_key(KEY)
    with pytest.raises(RhombusAuthError) as info:
        await RhombusRestClient(http, KEY, sim.rest_url).get_cameras()
    assert_no_key(info.value)


@pytest.mark.parametrize(("given", "expected"), [(2.5, 2.5), (None, 1.0)])
async def test_rate_limit(
    sim: RhombusSimulator,
    rest: RhombusRestClient,
    given: float | None,
    expected: float,
) -> None:
    sim.fail_rest(CAMERAS, status=429, retry_after=given)
    with pytest.raises(RhombusRateLimitError) as info:
        await rest.get_cameras()
    assert info.value.retry_after == expected
    assert isinstance(info.value, RhombusConnectionError)
    assert_no_key(info.value)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("Wed, 21 Oct 2015 07:28:00 GMT", None), ("-3", 0.0), (None, None)],
)
async def test_rate_limit_odd_retry_after(
    cloud: ScriptedCloud,
    http: aiohttp.ClientSession,
    header: str | None,
    expected: float | None,
) -> None:
    async def answer(request: web.Request) -> web.Response:
        headers = {} if header is None else {"Retry-After": header}
        return web.Response(status=429, text="slow down", headers=headers)

    cloud.rest = answer
    with pytest.raises(RhombusRateLimitError) as info:
        await RhombusRestClient(http, KEY, cloud.url).get_org()
    assert info.value.retry_after == expected


@pytest.mark.parametrize("status", [400, 404, 500, 503])
async def test_http_errors(
    sim: RhombusSimulator, rest: RhombusRestClient, status: int
) -> None:
    sim.fail_rest(None, status=status)
    with pytest.raises(RhombusConnectionError, match=f"HTTP {status}") as info:
        await rest.get_cameras()
    assert not isinstance(info.value, RhombusRateLimitError)
    assert_no_key(info.value)


@pytest.mark.parametrize(
    "message", ["Invalid API Key", "Unauthorized", "No permission for org", "apikey?"]
)
async def test_in_band_auth_error(
    sim: RhombusSimulator, rest: RhombusRestClient, message: str
) -> None:
    sim.fail_rest(ORG, error_body=message)
    with pytest.raises(RhombusAuthError, match=message.rstrip("?")) as info:
        await rest.get_org()
    assert_no_key(info.value)


async def test_in_band_api_error(
    sim: RhombusSimulator, rest: RhombusRestClient
) -> None:
    sim.fail_rest(ALERTS, error_body="Internal failure")
    with pytest.raises(
        RhombusApiError, match="event/getPolicyAlerts: Internal"
    ) as info:
        await rest.get_policy_alerts()
    assert not isinstance(info.value, RhombusAuthError)
    assert_no_key(info.value)


async def test_in_band_auth_error_is_not_swallowed_by_details(
    sim: RhombusSimulator, rest: RhombusRestClient
) -> None:
    """Only a plain API error means "unknown alert"; a key problem must surface."""
    sim.fail_rest(DETAILS, error_body="Unauthenticated")
    with pytest.raises(RhombusAuthError):
        await rest.get_policy_alert_details("A1")


async def test_timeout(sim: RhombusSimulator, http: aiohttp.ClientSession) -> None:
    rest = RhombusRestClient(http, KEY, sim.rest_url, timeout=0.2)
    sim.fail_rest(ORG, timeout=True)
    with pytest.raises(RhombusConnectionError, match="org/getOrgV2: timed out") as info:
        await rest.get_org()
    assert_no_key(info.value)
    sim.clear_faults()  # answer the held request so the server has nothing pending


async def test_connection_refused(http: aiohttp.ClientSession) -> None:
    rest = RhombusRestClient(http, KEY, f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(RhombusConnectionError, match="org/getOrgV2: ") as info:
        await rest.get_org()
    assert isinstance(info.value.__cause__, aiohttp.ClientError)
    assert_no_key(info.value)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("<html>maintenance</html>", "response is not JSON"),
        ("[1, 2]", "response is not a JSON object"),
        ('"text"', "response is not a JSON object"),
        ("", "response is not a JSON object"),
    ],
)
async def test_responses_that_are_not_json_objects(
    cloud: ScriptedCloud, http: aiohttp.ClientSession, body: str, match: str
) -> None:
    async def answer(request: web.Request) -> web.Response:
        return web.Response(text=body, content_type="text/html")

    cloud.rest = answer
    with pytest.raises(RhombusConnectionError, match=match) as info:
        await RhombusRestClient(http, KEY, cloud.url).get_org()
    assert_no_key(info.value)


async def test_tolerates_odd_shapes(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    """Wrong-typed lists become empty results, not crashes."""

    async def answer(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "error": False,
                "cameraStates": [{"name": "no uuid"}, "junk", {"uuid": "C1"}],
                "policyAlerts": {"not": "a list"},
                "policyAlert": ["not", "a", "dict"],
            }
        )

    cloud.rest = answer
    rest = RhombusRestClient(http, KEY, cloud.url)
    cameras = await rest.get_cameras()
    assert list(cameras) == ["C1"]
    assert cameras["C1"].name == "C1"  # a nameless camera is called by its uuid
    assert await rest.get_policy_alerts() == []
    assert await rest.get_policy_alert_details("A1") is None


async def test_policy_alerts_skip_non_objects(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    async def answer(request: web.Request) -> web.Response:
        return web.json_response({"policyAlerts": [{"uuid": "A1"}, 7, None]})

    cloud.rest = answer
    alerts = await RhombusRestClient(http, KEY, cloud.url).get_policy_alerts()
    assert alerts == [{"uuid": "A1"}]


async def test_org_without_uuid_is_a_protocol_error(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    async def answer(request: web.Request) -> web.Response:
        return web.json_response({"error": False, "org": {"name": "x"}})

    cloud.rest = answer
    with pytest.raises(RhombusProtocolError):
        await RhombusRestClient(http, KEY, cloud.url).get_org()


async def test_error_true_without_message(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    async def answer(request: web.Request) -> web.Response:
        return web.json_response({"error": True, "errorMsg": None})

    cloud.rest = answer
    with pytest.raises(RhombusApiError, match="unknown error"):
        await RhombusRestClient(http, KEY, cloud.url).get_org()


async def test_every_error_is_a_rhombus_error(
    sim: RhombusSimulator, rest: RhombusRestClient
) -> None:
    """Callers can catch the base class for all of them."""
    for fault in ({"status": 500}, {"status": 429}, {"error_body": "x"}):
        sim.fail_rest(ORG, **fault)
        with pytest.raises(RhombusError):
            await rest.get_org()


# --- catch-up after an outage -------------------------------------------------

FAST = {"initial": 0.01, "cap": 0.05}


async def _history(sim: RhombusSimulator, base: int, count: int) -> list[str]:
    camera = next(iter(sim.cameras))
    return [
        await sim.emit_alert(camera, timestamp_ms=base + i * 1000, alert_uuid=f"A{i}")
        for i in range(count)
    ]


async def test_alerts_since_walks_every_page(
    sim: RhombusSimulator, rest: RhombusRestClient
) -> None:
    base = 1_700_000_000_000
    await _history(sim, base, 5)
    alerts = await rest.get_policy_alerts_since(base + 1000, page_size=2)
    assert [a["uuid"] for a in alerts] == ["A1", "A2", "A3", "A4"]  # oldest first
    bodies = [r.body for r in sim.requests]
    assert bodies[0] == {"maxResults": 2, "afterTimestampMs": base + 1000}
    assert bodies[1]["lastUuid"] == "A3"
    assert bodies[2]["lastUuid"] == "A1"
    assert len(bodies) == 3  # the third page came back short


async def test_alerts_since_stops_after_max_pages(
    sim: RhombusSimulator, rest: RhombusRestClient
) -> None:
    base = 1_700_000_000_000
    await _history(sim, base, 5)
    alerts = await rest.get_policy_alerts_since(base, page_size=1, max_pages=2)
    assert [a["uuid"] for a in alerts] == ["A3", "A4"]  # the newest survive
    assert sim.calls(ALERTS) == 2


async def test_missed_alerts_include_the_overlap(
    sim: RhombusSimulator, rest: RhombusRestClient
) -> None:
    since = 1_700_000_000_000
    # A minute before the outage began by our clock: still replayed.
    await _history(sim, since - 60_000, 2)
    alerts = await fetch_missed_alerts(rest, since)
    assert [a["uuid"] for a in alerts] == ["A0", "A1"]
    assert sim.requests[0].body["afterTimestampMs"] == since - CATCHUP_OVERLAP_MS


@pytest.mark.parametrize(
    "fault",
    [{"status": 429, "retry_after": 0.01}, {"status": 503}, {"timeout": True}],
    ids=["rate-limited", "server-error", "timeout"],
)
async def test_missed_alerts_retry_transient_errors(
    sim: RhombusSimulator, http: aiohttp.ClientSession, fault: dict[str, Any]
) -> None:
    rest = RhombusRestClient(http, KEY, sim.rest_url, timeout=0.2)
    await _history(sim, 1_700_000_000_000, 1)
    sim.fail_rest(ALERTS, times=2, **fault)
    alerts = await fetch_missed_alerts(rest, 1_700_000_000_000, backoff=Backoff(**FAST))
    assert [a["uuid"] for a in alerts] == ["A0"]
    assert sim.calls(ALERTS) == 3
    sim.clear_faults()


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"status": 429, "retry_after": 0.01}, RhombusRateLimitError),
        ({"status": 500}, RhombusConnectionError),
    ],
)
async def test_missed_alerts_give_up_after_four_attempts(
    sim: RhombusSimulator,
    rest: RhombusRestClient,
    fault: dict[str, Any],
    error: type[Exception],
) -> None:
    sim.fail_rest(ALERTS, times=0, **fault)  # until cleared
    with pytest.raises(error):
        await fetch_missed_alerts(rest, 1_700_000_000_000, backoff=Backoff(**FAST))
    assert sim.calls(ALERTS) == 4


@pytest.mark.parametrize(
    ("fault", "error"),
    [({"status": 401}, RhombusAuthError), ({"error_body": "bad"}, RhombusApiError)],
)
async def test_missed_alerts_do_not_retry_permanent_errors(
    sim: RhombusSimulator,
    rest: RhombusRestClient,
    fault: dict[str, Any],
    error: type[Exception],
) -> None:
    sim.fail_rest(ALERTS, times=0, **fault)
    with pytest.raises(error):
        await fetch_missed_alerts(rest, 1_700_000_000_000, backoff=Backoff(**FAST))
    assert sim.calls(ALERTS) == 1


async def test_missed_alerts_rate_limit_without_retry_after_backs_off(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    calls: list[web.Request] = []

    async def answer(request: web.Request) -> web.Response:
        calls.append(request)
        if len(calls) == 1:
            return web.Response(status=429, text="slow down")
        return web.json_response({"policyAlerts": [{"uuid": "A0"}]})

    cloud.rest = answer
    backoff = Backoff(**FAST)
    rest = RhombusRestClient(http, KEY, cloud.url)
    alerts = await fetch_missed_alerts(rest, 1_700_000_000_000, backoff=backoff)
    assert alerts == [{"uuid": "A0"}]
    assert backoff.attempts == 1


async def test_camera_list_without_camera_states_is_an_error(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    """Not "no cameras": that would remove every device in Home Assistant."""

    async def answer(request: web.Request) -> web.Response:
        return web.json_response({"error": False, "cameraStates": None})

    cloud.rest = answer
    with pytest.raises(RhombusProtocolError, match="no cameraStates"):
        await RhombusRestClient(http, KEY, cloud.url).get_cameras()
