"""MESSAGE framing, subscriptions, DISCONNECT and heart-beats."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest

from simulator import RhombusSimulator

from .helpers import KEY, StompClient, parse


async def test_message_frame(sim: RhombusSimulator, client: StompClient) -> None:
    cam = next(iter(sim.cameras))
    uuid = await sim.emit_alert(cam)
    frame = await client.frame()
    assert frame.command == "MESSAGE"
    assert [name for name, _ in frame.raw_headers] == [
        "destination", "subscription", "message-id", "content-type", "content-length",
    ]  # fmt: skip
    headers = frame.headers
    assert headers["destination"] == f"/topic/change/{sim.org_uuid}"
    assert headers["subscription"] == "sub-0"
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(frame.body.encode())
    body = json.loads(frame.body)
    assert body["entity"] == "POLICY_ALERT"
    assert body["entityUuid"] == uuid
    assert body["type"] == "CREATE"
    assert body["deviceUuid"] == cam
    assert body["update"]["uuid"] == uuid
    assert body["update"]["policyAlertTriggers"] == ["MOTION_HUMAN"]
    assert body["update"]["timestampMs"] == body["timestampMs"]
    assert "seekPoints" not in body["update"]
    assert body["update"]["textDescription"]


async def test_message_ids_increase(sim: RhombusSimulator, client: StompClient) -> None:
    for _ in range(3):
        await sim.emit_change({"entity": "CAMERA", "type": "UPDATE"})
    ids = [int((await client.frame()).headers["message-id"]) for _ in range(3)]
    assert ids == sorted(set(ids))


async def test_shapes(sim: RhombusSimulator, client: StompClient) -> None:
    cam = next(iter(sim.cameras))
    uuid = await sim.emit_alert(cam, ("MOTION_CAR", "CAR_ENTER"), shape="flat",
                                timestamp_ms=1234, duration_sec=5)  # fmt: skip
    flat = json.loads((await client.frame()).body)
    assert flat == {
        "entity": "POLICY_ALERT", "entityUuid": uuid, "type": "CREATE",
        "deviceUuid": cam, "timestampMs": 1234, "durationSec": 5,
        "policyAlertTriggers": ["MOTION_CAR", "CAR_ENTER"],
        "textDescription": sim.alerts[uuid]["textDescription"],
    }  # fmt: skip
    uuid = await sim.emit_alert(cam, shape="sparse")
    sparse = json.loads((await client.frame()).body)
    assert sparse == {"entity": "POLICY_ALERT", "entityUuid": uuid, "type": "CREATE"}
    assert uuid in sim.alerts  # sparse alerts are still served by REST
    with pytest.raises(ValueError, match="shape"):
        await sim.emit_alert(cam, shape="weird")


async def test_delete_body(sim: RhombusSimulator, client: StompClient) -> None:
    cam = next(iter(sim.cameras))
    uuid = await sim.emit_alert(cam)
    await client.frame()
    await sim.emit_delete(uuid)
    body = json.loads((await client.frame()).body)
    assert set(body) == {"entity", "entityUuid", "type", "deviceUuid", "timestampMs"}
    assert (body["entityUuid"], body["type"], body["deviceUuid"]) == (
        uuid,
        "DELETE",
        cam,
    )
    await sim.emit_delete("unknown")
    body = json.loads((await client.frame()).body)
    assert "deviceUuid" not in body


async def test_utf8_content_length(sim: RhombusSimulator, client: StompClient) -> None:
    assert await sim.emit_change({"entity": "CAMERA", "name": "Café 🎥"}) == 1
    frame = await client.frame()
    assert "Café 🎥" in frame.body
    assert (
        int(frame.headers["content-length"])
        == len(frame.body.encode())
        > len(frame.body)
    )


async def test_unsubscribe_and_multiple_subscriptions(sim, client: StompClient) -> None:
    await client.subscribe(sim.org_uuid, "sub-1")
    await sim.wait_for_subscription(2)
    assert await sim.emit_change({"n": 1}) == 2
    subs = {(await client.frame()).headers["subscription"] for _ in range(2)}
    assert subs == {"sub-0", "sub-1"}
    await client.send("UNSUBSCRIBE", id="sub-0")
    await client.send("UNSUBSCRIBE", id="never")  # unknown ids are ignored
    await client.send("UNSUBSCRIBE", id="sub-1")
    await asyncio.sleep(0.05)
    assert await sim.emit_change({"n": 2}) == 0
    assert await sim.send_raw("x") == 0


async def test_disconnect_with_receipt(
    sim: RhombusSimulator, client: StompClient
) -> None:
    await client.send("DISCONNECT", receipt="77")
    frame = await client.frame()
    assert (frame.command, frame.raw_headers) == ("RECEIPT", [("receipt-id", "77")])
    closing = await client.expect_closed()
    assert closing.type is aiohttp.WSMsgType.CLOSE
    assert closing.data == aiohttp.WSCloseCode.OK
    await sim.wait_for_connections(0)
    assert sim.active_connections == 0


async def test_disconnect_without_receipt(sim: RhombusSimulator, client) -> None:
    await client.send("DISCONNECT")
    assert (await client.expect_closed()).type is aiohttp.WSMsgType.CLOSE


async def test_revoked_key_gets_no_events(sim: RhombusSimulator, client) -> None:
    sim.revoke_key(KEY)
    assert await sim.emit_change({"n": 1}) == 0
    sim.add_key(KEY)
    assert await sim.emit_change({"n": 2}) == 1


async def test_wait_timeouts(sim: RhombusSimulator) -> None:
    with pytest.raises(TimeoutError):
        await sim.wait_for_subscription(timeout=0.05)
    with pytest.raises(TimeoutError):
        await sim.wait_for_connections(1, timeout=0.05)


async def test_client_heartbeats_counted(sim: RhombusSimulator, client) -> None:
    for text in ("\n", "\r\n", "\n\n"):
        await client.ws.send_str(text)
    await client.ws.ping()  # answered with a pong, not counted
    await client.ws.send_str("\n")
    await client.subscribe(sim.org_uuid, "sub-1")  # processed after the beats
    await sim.wait_for_subscription(2)
    assert sim.client_heartbeats == 5


@pytest.mark.parametrize(
    ("server_ms", "client", "expected_header", "gap"),
    [(50, "0,150", "50,50", 0.15), (100, "0,20", "100,100", 0.1)],
)
async def test_server_heartbeats(http, server_ms, client, expected_header, gap) -> None:
    async with RhombusSimulator(cameras=0, heartbeat_ms=server_ms) as sim:
        stomp = await StompClient.open(http, sim.websocket_url)
        frame = await stomp.connect(client)
        assert frame.headers["heart-beat"] == expected_header
        await stomp.receive()  # phase: first beat
        start = time.monotonic()
        for _ in range(2):
            msg = await stomp.receive(wait=1)
            assert msg.data == "\n"
        elapsed = time.monotonic() - start
        assert 2 * gap * 0.8 <= elapsed < 2 * gap + 0.5


@pytest.mark.parametrize(("server_ms", "client"), [(50, "0,0"), (0, "0,50")])
async def test_heartbeats_disabled(http, server_ms, client) -> None:
    async with RhombusSimulator(cameras=0, heartbeat_ms=server_ms) as sim:
        stomp = await StompClient.open(http, sim.websocket_url)
        frame = await stomp.connect(client)
        assert frame.headers["heart-beat"] == f"{server_ms},{server_ms}"
        with pytest.raises(TimeoutError):
            await stomp.receive(wait=0.2)


async def test_stop_closes_everything(http) -> None:
    sim = RhombusSimulator(cameras=1, heartbeat_ms=20)
    await sim.start()
    stomp = await StompClient.open(http, sim.websocket_url)
    await stomp.connect("0,20")
    await stomp.subscribe(sim.org_uuid)
    await sim.wait_for_subscription()
    await sim.stop()
    closing = await stomp.expect_closed()
    assert closing.type is aiohttp.WSMsgType.CLOSE
    assert closing.data == aiohttp.WSCloseCode.GOING_AWAY
    assert sim.active_connections == 0


def test_parse_helper_sanity() -> None:
    assert parse("RECEIPT\nreceipt-id:1\n\n\x00").headers == {"receipt-id": "1"}
