"""Fault injection: REST faults, handshake rejection, drops, stalls, ERROR, restart."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from simulator import RhombusSimulator

from .helpers import AUTH, KEY, StompClient

ORG = "/api/org/getOrgV2"
CAMERAS = "/api/camera/getMinimalCameraStateList"


async def status_of(http, sim, path=ORG, **kwargs):
    async with http.post(sim.rest_url + path, json={}, headers=AUTH, **kwargs) as resp:
        return resp.status, await resp.text(), resp.headers


async def test_rest_500_once(sim: RhombusSimulator, http) -> None:
    sim.fail_rest(ORG)
    status, text, _ = await status_of(http, sim)
    assert (status, text) == (500, "Internal Server Error")
    assert (await status_of(http, sim))[0] == 200


async def test_rest_fault_only_on_its_path(sim: RhombusSimulator, http) -> None:
    sim.fail_rest(CAMERAS, status=503, times=2)
    assert (await status_of(http, sim, ORG))[0] == 200
    assert (await status_of(http, sim, CAMERAS))[0] == 503
    assert (await status_of(http, sim, CAMERAS))[0] == 503
    assert (await status_of(http, sim, CAMERAS))[0] == 200


async def test_rest_fault_every_path_until_cleared(sim: RhombusSimulator, http) -> None:
    sim.fail_rest(None, status=403, times=0)
    for path in (ORG, CAMERAS, ORG):
        status, text, _ = await status_of(http, sim, path)
        assert (status, text) == (403, "Invalid API Key")
    sim.clear_faults()
    assert (await status_of(http, sim))[0] == 200


async def test_rest_faults_fire_in_order(sim: RhombusSimulator, http) -> None:
    sim.fail_rest(ORG, status=502)
    sim.fail_rest(None, status=401)
    assert (await status_of(http, sim))[0] == 502
    assert (await status_of(http, sim))[:2] == (401, "Unauthenticated")
    assert (await status_of(http, sim))[0] == 200


async def test_rest_odd_status(sim: RhombusSimulator, http) -> None:
    sim.fail_rest(ORG, status=599)
    assert (await status_of(http, sim))[:2] == (599, "Error")
    sim.fail_rest(ORG, status=None)
    assert (await status_of(http, sim))[0] == 500


@pytest.mark.parametrize(
    ("retry_after", "header"), [(None, "1"), (3, "3"), (0.25, "0.25")]
)
async def test_rate_limited(sim: RhombusSimulator, http, retry_after, header) -> None:
    sim.fail_rest(ORG, status=429, retry_after=retry_after)
    status, text, headers = await status_of(http, sim)
    assert status == 429
    assert text == "Too many api requests. Enhance your calm."
    assert headers["Retry-After"] == header
    assert headers["Content-Type"].startswith("text/plain")


async def test_retry_after_on_503(sim: RhombusSimulator, http) -> None:
    sim.fail_rest(ORG, status=503, retry_after=2)
    _, _, headers = await status_of(http, sim)
    assert headers["Retry-After"] == "2"


async def test_in_band_error(sim: RhombusSimulator, http) -> None:
    sim.fail_rest(CAMERAS, error_body="Something broke")
    async with http.post(sim.rest_url + CAMERAS, json={}, headers=AUTH) as resp:
        assert resp.status == 200
        assert await resp.json() == {
            "error": True,
            "errorMsg": "Something broke",
            "warningMsg": None,
        }


async def test_wait_for_calls(sim: RhombusSimulator, http) -> None:
    with pytest.raises(TimeoutError):
        await sim.wait_for_calls(ORG, timeout=0.05)
    await status_of(http, sim)
    await sim.wait_for_calls(ORG)


async def test_timeout_fault_outlasts_client(sim: RhombusSimulator, http) -> None:
    sim.fail_rest(ORG, timeout=True)
    with pytest.raises(TimeoutError):
        await status_of(http, sim, timeout=aiohttp.ClientTimeout(total=0.2))
    assert sim.calls(ORG) == 1


async def test_clear_faults_releases_held_requests(sim: RhombusSimulator, http) -> None:
    sim.fail_rest(None, timeout=True)
    held = asyncio.create_task(status_of(http, sim))
    await sim.wait_for_calls(ORG)
    sim.clear_faults()
    assert (await held)[0] == 503
    assert (await status_of(http, sim))[0] == 200


async def test_stop_ends_held_request_at_once(http) -> None:
    sim = RhombusSimulator(cameras=0)
    await sim.start()
    sim.fail_rest(ORG, timeout=True)
    held = asyncio.create_task(status_of(http, sim))
    await sim.wait_for_calls(ORG)
    start = time.monotonic()
    await sim.stop()
    assert time.monotonic() - start < 0.5
    assert (await held)[0] == 503


@pytest.mark.parametrize("status", [401, 403, 500])
async def test_handshake_rejected(sim: RhombusSimulator, http, status) -> None:
    sim.handshake_status = status
    assert sim.handshake_status == status
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await http.ws_connect(sim.websocket_url, headers={"x-auth-apikey": KEY})
    assert err.value.status == status
    assert sim.connections_opened == 0
    sim.clear_faults()
    assert sim.handshake_status is None
    await StompClient.open(http, sim.websocket_url)
    assert sim.connections_opened == 1


async def test_drop_connections(sim: RhombusSimulator, client: StompClient) -> None:
    await sim.drop_connections()
    assert sim.active_connections == 0
    msg = await client.expect_closed()
    # Abrupt: the client sees the TCP connection go, never a WebSocket CLOSE frame.
    assert msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
    assert sim.received_frames[-1].command == "SUBSCRIBE"


async def test_stall_sends_nothing(http) -> None:
    async with RhombusSimulator(cameras=1, heartbeat_ms=30) as sim:
        stomp = await StompClient.open(http, sim.websocket_url, autoping=False)
        await stomp.connect("0,30")
        await stomp.subscribe(sim.org_uuid)
        await sim.wait_for_subscription()
        assert (await stomp.receive()).data == "\n"
        sim.set_stalled(True)
        cam = next(iter(sim.cameras))
        uuid = await sim.emit_alert(cam)
        assert uuid in sim.alerts  # REST still has it, for catch-up
        assert await sim.send_raw("x") == 0
        assert await sim.send_bytes(b"x") == 0
        await stomp.ws.ping(b"p")
        with pytest.raises(TimeoutError):
            await stomp.receive(wait=0.3)  # no frames, beats, or pongs
        assert sim.active_connections == 1
        await stomp.ws.send_str("\n")  # the simulator still listens
        sim.set_stalled(False)
        await stomp.ws.ping(b"q")
        seen = {(await stomp.receive()).type for _ in range(3)}
        assert aiohttp.WSMsgType.PONG in seen
        assert sim.client_heartbeats == 1


async def test_new_connection_while_stalled(sim: RhombusSimulator, http) -> None:
    sim.set_stalled(True)
    stomp = await StompClient.open(http, sim.websocket_url)
    await stomp.send("CONNECT", **{"accept-version": "1.2"})
    with pytest.raises(TimeoutError):
        await stomp.receive(wait=0.2)  # not even CONNECTED


async def test_send_error_and_close(sim: RhombusSimulator, client: StompClient) -> None:
    await sim.send_error_and_close("Session expired")
    frame = await client.frame()
    assert frame.command == "ERROR"
    assert frame.headers["message"] == "Session expired"
    assert frame.body == "Session expired\n"
    assert (await client.expect_closed()).type is aiohttp.WSMsgType.CLOSE
    assert sim.active_connections == 0


async def test_restart_session(sim: RhombusSimulator, http, client) -> None:
    await sim.restart_session()
    closing = await client.expect_closed()
    assert closing.type is aiohttp.WSMsgType.CLOSE
    assert closing.data == aiohttp.WSCloseCode.SERVICE_RESTART
    assert sim.active_connections == 0
    again = await StompClient.open(http, sim.websocket_url)
    frame = await again.connect()
    assert frame.headers["session"] == "sim-2-2"
    assert sim.connections_opened == 2


async def test_raw_and_binary(sim: RhombusSimulator, client: StompClient) -> None:
    assert await sim.send_raw("MESSAGE\nbroken") == 1
    assert (await client.receive()).data == "MESSAGE\nbroken"
    assert await sim.send_bytes(b"\x00\xff") == 1
    msg = await client.receive()
    assert (msg.type, msg.data) == (aiohttp.WSMsgType.BINARY, b"\x00\xff")
    big = "x" * 2_000_000
    assert await sim.send_raw(big) == 1
    assert len((await client.receive()).data) == 2_000_000


async def test_send_to_dead_socket_reports_failure(sim, client: StompClient) -> None:
    session = next(iter(sim._hub.sessions))
    await session.ws.close()
    assert await session.send("x") is False
    assert await session.send_bytes(b"x") is False


class BrokenSocket:
    closed = False

    async def send_str(self, text: str) -> None:
        raise ConnectionResetError

    async def send_bytes(self, data: bytes) -> None:
        raise ConnectionResetError


async def test_send_errors_are_contained(sim, client: StompClient) -> None:
    session = next(iter(sim._hub.sessions))
    real, session.ws = session.ws, BrokenSocket()
    try:
        assert await session.send("x") is False
        assert await session.send_bytes(b"x") is False
    finally:
        session.ws = real


async def test_drop_with_heartbeats_running(http) -> None:
    async with RhombusSimulator(cameras=0, heartbeat_ms=20) as sim:
        stomp = await StompClient.open(http, sim.websocket_url)
        await stomp.connect("0,20")
        assert (await stomp.receive()).data == "\n"
        await sim.drop_connections()
        assert sim.active_connections == 0
        await stomp.expect_closed()


async def test_unsolicited_pong_is_harmless(sim, client: StompClient) -> None:
    await client.ws.pong(b"x")
    assert await sim.emit_change({"after": "pong"}) == 1
    assert (await client.frame()).command == "MESSAGE"


async def test_huge_heartbeat_header_beats_at_the_real_rate(http) -> None:
    async with RhombusSimulator(cameras=1, heartbeat_ms=30) as sim:
        sim.set_heartbeat_header("999999999999,999999999999")
        stomp = await StompClient.open(http, sim.websocket_url, autoping=False)
        frame = await stomp.connect("0,30")
        assert frame.headers["heart-beat"] == "999999999999,999999999999"
        assert (await stomp.receive()).data == "\n"  # still every 30 ms
        sim.clear_faults()
        again = await StompClient.open(http, sim.websocket_url)
        assert (await again.connect("0,30")).headers["heart-beat"] == "30,30"
