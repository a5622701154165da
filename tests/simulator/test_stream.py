"""STOMP 1.2 over WebSocket: handshake, subscribe, MESSAGE framing, heart-beats."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest

from simulator import RhombusSimulator

from .helpers import KEY, StompClient, parse


async def test_handshake_needs_key(sim: RhombusSimulator, http) -> None:
    for headers in ({}, {"x-auth-apikey": "wrong"}):
        with pytest.raises(aiohttp.WSServerHandshakeError) as err:
            await http.ws_connect(sim.websocket_url, headers=headers)
        assert err.value.status == 401
    no_scheme = sim.websocket_url.split("?")[0]
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await http.ws_connect(no_scheme, headers={"x-auth-apikey": KEY})
    ws = await http.ws_connect(
        no_scheme, headers={"x-auth-apikey": KEY, "x-auth-scheme": "api-token"}
    )
    await ws.close()
    assert sim.connections_opened == 1


async def test_plain_get_is_rejected(sim: RhombusSimulator, http) -> None:
    headers = {"x-auth-apikey": KEY}
    async with http.get(sim.websocket_url, headers=headers) as resp:
        assert resp.status == 400


async def test_connected_frame(sim: RhombusSimulator, http) -> None:
    stomp = await StompClient.open(http, sim.websocket_url)
    frame = await stomp.connect()
    assert frame.command == "CONNECTED"
    assert frame.raw_headers == [
        ("version", "1.2"),
        ("heart-beat", "0,0"),
        ("server", "rhombus-simulator/1.0"),
        ("session", "sim-1-1"),
    ]
    assert frame.body == ""
    assert sim.active_connections == 1
    assert sim.received_frames[0].command == "CONNECT"
    assert sim.received_frames[0].headers["accept-version"] == "1.2"


async def test_stomp_command_and_version_list(sim: RhombusSimulator, http) -> None:
    stomp = await StompClient.open(http, sim.websocket_url)
    await stomp.send("STOMP", **{"accept-version": "1.0,1.1, 1.2", "host": "x"})
    assert (await stomp.frame()).command == "CONNECTED"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("CONNECT\naccept-version:1.1\n\n\x00", "Supported protocol versions are 1.2"),
        ("CONNECT\n\n\x00", "Supported protocol versions are 1.2"),
        (
            "CONNECT\naccept-version:1.2\nheart-beat:x\n\n\x00",
            "Invalid heart-beat header",
        ),
        ("SUBSCRIBE\nid:1\ndestination:/x\n\n\x00", "Expected CONNECT, got SUBSCRIBE"),
        (
            "CONNECT\naccept-version:1.2\n\n",
            "Malformed frame: frame is not terminated by NUL",
        ),
        ("HELLO\n\n\x00", "Malformed frame: unknown command 'HELLO'"),
        (
            "CONNECT\nbroken\n\n\x00",
            "Malformed frame: header line without a name and a colon",
        ),
        ("CONNECT", "Malformed frame: frame ends before its headers do"),
    ],
)
async def test_handshake_errors(sim: RhombusSimulator, http, text, message) -> None:
    stomp = await StompClient.open(http, sim.websocket_url)
    await stomp.ws.send_str(text)
    frame = await stomp.frame()
    assert frame.command == "ERROR"
    assert frame.headers["message"] == message.replace(":", "\\c")
    assert frame.headers["content-type"] == "text/plain"
    assert int(frame.headers["content-length"]) == len(frame.body.encode())
    closing = await stomp.expect_closed()
    assert closing.type is aiohttp.WSMsgType.CLOSE
    await sim.wait_for_connections(0)


NEEDS_ID = "SUBSCRIBE needs id and destination headers"
DENIED = "Access denied to destination /topic/change/other"


@pytest.mark.parametrize(
    ("command", "headers", "message"),
    [
        ("CONNECT", {"accept-version": "1.2"}, "Already connected"),
        ("SUBSCRIBE", {"id": "s"}, NEEDS_ID),
        ("SUBSCRIBE", {"destination": "/topic/change/x"}, NEEDS_ID),
        ("SUBSCRIBE", {"id": "s", "destination": "/topic/change/other"}, DENIED),
        ("UNSUBSCRIBE", {}, "UNSUBSCRIBE needs an id header"),
        ("SEND", {"destination": "/x"}, "SEND is not supported"),
    ],
)  # fmt: skip
async def test_session_errors(sim: RhombusSimulator, http, command, headers, message):
    stomp = await StompClient.open(http, sim.websocket_url)
    await stomp.connect()
    await stomp.send(command, **headers)
    frame = await stomp.frame()
    assert frame.command == "ERROR"
    assert frame.headers["message"] == message
    await stomp.expect_closed()


async def test_binary_from_client_is_an_error(sim: RhombusSimulator, http) -> None:
    stomp = await StompClient.open(http, sim.websocket_url)
    await stomp.ws.send_bytes(b"CONNECT\n\n\x00")
    frame = await stomp.frame()
    assert frame.headers["message"] == "Binary frames are not supported"
    await stomp.expect_closed()


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


async def test_header_escaping(sim: RhombusSimulator, http) -> None:
    stomp = await StompClient.open(http, sim.websocket_url)
    await stomp.connect()
    # id is `a:b\c` + newline + `d`, escaped as STOMP 1.2 requires
    await stomp.ws.send_str(
        f"SUBSCRIBE\nid:a\\cb\\\\c\\nd\\r\ndestination:/topic/change/{sim.org_uuid}\n\n\x00"
    )
    await sim.wait_for_subscription()
    assert sim.received_frames[-1].headers["id"] == "a:b\\c\nd\r"
    await sim.emit_change({"x": 1})
    frame = await stomp.frame()
    assert frame.headers["subscription"] == "a\\cb\\\\c\\nd\\r"


async def test_bad_escape_is_an_error(sim: RhombusSimulator, http) -> None:
    stomp = await StompClient.open(http, sim.websocket_url)
    await stomp.connect()
    await stomp.ws.send_str("SUBSCRIBE\nid:a\\tb\ndestination:/x\n\n\x00")
    frame = await stomp.frame()
    assert (
        frame.headers["message"] == "Malformed frame\\c undefined escape sequence \\\\t"
    )


async def test_crlf_and_content_length(sim: RhombusSimulator, http) -> None:
    stomp = await StompClient.open(http, sim.websocket_url)
    await stomp.ws.send_str("\r\n\nCONNECT\r\naccept-version:1.2\r\n\r\n\x00\n")
    assert (await stomp.frame()).command == "CONNECTED"
    assert sim.client_heartbeats == 3  # the EOLs around the frame
    body = "a\x00b é"
    await stomp.ws.send_str(
        f"ACK\ncontent-length:{len(body.encode())}\nid:1\n\n{body}\x00"
    )
    await stomp.send("ACK", id="2")
    await stomp.send("NACK", id="3")
    await stomp.subscribe(sim.org_uuid)
    await sim.wait_for_subscription()
    assert sim.received_frames[1].body == body
    assert [f.command for f in sim.received_frames] == [
        "CONNECT", "ACK", "ACK", "NACK", "SUBSCRIBE",
    ]  # fmt: skip


@pytest.mark.parametrize("length", ["3", "99", "x"])
async def test_content_length_mismatch(sim: RhombusSimulator, http, length) -> None:
    stomp = await StompClient.open(http, sim.websocket_url)
    await stomp.connect()
    await stomp.ws.send_str(f"ACK\ncontent-length:{length}\n\nabcdef\x00")
    frame = await stomp.frame()
    assert frame.command == "ERROR"
    assert "content-length" in frame.headers["message"]


async def test_two_frames_in_one_message(sim: RhombusSimulator, http) -> None:
    stomp = await StompClient.open(http, sim.websocket_url)
    topic = f"/topic/change/{sim.org_uuid}"
    await stomp.ws.send_str(
        f"CONNECT\naccept-version:1.2\n\n\x00\nSUBSCRIBE\nid:s\ndestination:{topic}\n\n\x00"
    )
    assert (await stomp.frame()).command == "CONNECTED"
    await sim.wait_for_subscription()
    assert sim.client_heartbeats == 1


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
