"""STOMP 1.2 over WebSocket: handshake auth, CONNECT, protocol errors, parsing."""

from __future__ import annotations

import aiohttp
import pytest

from simulator import RhombusSimulator

from .helpers import KEY, StompClient


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
