"""The STOMP 1.2 codec."""

from __future__ import annotations

import pytest

from custom_components.rhombus.aiorhombus import RhombusProtocolError, stomp


def test_connect_frame_bytes() -> None:
    assert stomp.encode(stomp.connect_frame(10_000)) == (
        "CONNECT\naccept-version:1.2\nheart-beat:10000,10000\n\n\x00"
    )


def test_subscribe_and_disconnect_bytes() -> None:
    assert stomp.encode(stomp.subscribe_frame("sub-0", "/topic/change/ORG")) == (
        "SUBSCRIBE\nid:sub-0\ndestination:/topic/change/ORG\n\n\x00"
    )
    assert stomp.encode(stomp.disconnect_frame()) == "DISCONNECT\n\n\x00"


def test_header_escaping_round_trip() -> None:
    frame = stomp.Frame("SEND", {"we:ird\\": "a:b\nc\rd\\e"}, "body")
    text = stomp.encode(frame)
    assert "we\\cird\\\\:a\\cb\\nc\\rd\\\\e" in text
    assert stomp.parse(text) == [frame]


def test_connected_headers_are_not_unescaped() -> None:
    (frame,) = stomp.parse("CONNECTED\nserver:a\\cb\n\n\x00")
    assert frame.headers["server"] == "a\\cb"


def test_undefined_escape_is_an_error() -> None:
    with pytest.raises(RhombusProtocolError, match="undefined header escape"):
        stomp.parse("MESSAGE\nx:a\\tb\n\n\x00")


def test_message_with_content_length_and_crlf() -> None:
    body = '{"name":"Café"}'
    size = len(body.encode())
    text = f"MESSAGE\r\ndestination:/t\r\ncontent-length:{size}\r\n\r\n{body}\x00\n"
    (frame,) = stomp.parse(text)
    assert frame.body == body
    assert frame.headers["destination"] == "/t"


def test_content_length_allows_nul_in_body() -> None:
    (frame,) = stomp.parse("MESSAGE\ncontent-length:3\n\na\x00b\x00")
    assert frame.body == "a\x00b"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("MESSAGE\ncontent-length:99\n\nshort\x00", "content-length does not match"),
        ("MESSAGE\ncontent-length:x\n\nbody\x00", "not a number"),
        ("MESSAGE\ncontent-length:\u00b2\n\nbody\x00", "not a number"),
        ("MESSAGE\n\nno terminator", "not NUL-terminated"),
        ("MESSAGE\nno-colon\n\n\x00", "without a colon"),
        ("message\n\n\x00", "no valid command"),
        ("MESSAGE", "no end of headers"),
    ],
)
def test_malformed_frames(text: str, error: str) -> None:
    with pytest.raises(RhombusProtocolError, match=error):
        stomp.parse(text)


def test_repeated_header_first_wins_and_heartbeats_skipped() -> None:
    frames = stomp.parse(
        "\n\r\nMESSAGE\na:1\na:2\n\nx\x00\nRECEIPT\nreceipt-id:7\n\n\x00"
    )
    assert [f.command for f in frames] == ["MESSAGE", "RECEIPT"]
    assert frames[0].headers["a"] == "1"


@pytest.mark.parametrize("data", ["\n", "\r\n", "\x00", "", "\n\n"])
def test_heartbeats(data: str) -> None:
    assert stomp.is_heartbeat(data)
    assert stomp.parse(data.replace("\x00", "")) == []


@pytest.mark.parametrize(
    ("client", "server", "expected"),
    [
        (10_000, "5000,20000", (20.0, 10.0)),
        (10_000, "0,0", (0.0, 0.0)),
        (10_000, None, (0.0, 0.0)),
        (0, "1000,1000", (0.0, 0.0)),
        (1000, "30000,0", (0.0, 30.0)),
        # A server asking for more than a minute gets a minute.
        (10_000, "999999999999,999999999999", (60.0, 60.0)),
        (10_000, " 5000 , 20000 ", (20.0, 10.0)),
    ],
)
def test_heartbeat_negotiation(
    client: int, server: str | None, expected: tuple[float, float]
) -> None:
    assert stomp.negotiate_heartbeat(client, server) == expected


@pytest.mark.parametrize("header", ["fast", "-5,10", "1,2,3", "9" * 5000 + ",0", "²,1"])
def test_heartbeat_header_garbage(header: str) -> None:
    with pytest.raises(RhombusProtocolError):
        stomp.negotiate_heartbeat(10_000, header)


def test_heartbeat_capped_is_reported() -> None:
    assert stomp.heartbeat_capped("60001,0")
    assert not stomp.heartbeat_capped("60000,60000")
    assert not stomp.heartbeat_capped(None)


@pytest.mark.parametrize("digits", [11, 5000])
def test_absurd_content_length_is_a_protocol_error(digits: int) -> None:
    with pytest.raises(RhombusProtocolError, match="content-length"):
        stomp.parse(f"MESSAGE\ncontent-length:{'9' * digits}\n\n{{}}\x00")
