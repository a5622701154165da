"""STOMP 1.2 frame codec: pure functions, no I/O.

Over a WebSocket each text message holds one frame (or a bare EOL, which is a
heart-beat). The parser still accepts several frames per message, because
STOMP allows it and a proxy may coalesce them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .const import HEARTBEAT_MS, STOMP_VERSION
from .exceptions import RhombusProtocolError

HEARTBEAT = "\n"
NUL = "\x00"
# No message reaches 10 GB: a longer content-length is garbage, and thousands
# of digits would even make int() raise (Python's digit limit).
_MAX_LENGTH_DIGITS = 10
# A server heart-beat above this would switch stall detection off in effect.
MAX_HEARTBEAT_MS = 60_000

# CONNECT and CONNECTED headers are not escaped (STOMP 1.2, "Value Encoding").
_UNESCAPED_COMMANDS = frozenset({"CONNECT", "CONNECTED"})
_ESCAPES = {"\\": "\\\\", "\r": "\\r", "\n": "\\n", ":": "\\c"}
_UNESCAPES = {"\\": "\\", "r": "\r", "n": "\n", "c": ":"}


# Not frozen: one is parsed per message, and a frozen dataclass's __init__
# costs several times a plain one's. Nothing assigns to it once made.
@dataclass(slots=True)
class Frame:
    """One STOMP frame."""

    command: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str = ""


def escape(value: str) -> str:
    """Escape a header name or value."""
    if not any(char in value for char in _ESCAPES):
        return value
    return "".join(_ESCAPES.get(char, char) for char in value)


def unescape(value: str) -> str:
    """Undo :func:`escape`; an undefined escape is a protocol error."""
    if "\\" not in value:
        return value
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        code = next(chars, "")
        if code not in _UNESCAPES:
            raise RhombusProtocolError(f"undefined header escape \\{code}")
        out.append(_UNESCAPES[code])
    return "".join(out)


def encode(frame: Frame) -> str:
    """Serialise a frame, escaping headers where the spec asks for it."""
    raw = frame.command in _UNESCAPED_COMMANDS
    lines = [frame.command]
    lines.extend(
        f"{k}:{v}" if raw else f"{escape(k)}:{escape(v)}"
        for k, v in frame.headers.items()
    )
    return "\n".join(lines) + "\n\n" + frame.body + NUL


def connect_frame(heartbeat_ms: int = HEARTBEAT_MS) -> Frame:
    """The CONNECT frame; auth already happened at the HTTP upgrade."""
    return Frame(
        "CONNECT",
        {
            "accept-version": STOMP_VERSION,
            "heart-beat": f"{heartbeat_ms},{heartbeat_ms}",
        },
    )


def subscribe_frame(subscription_id: str, destination: str) -> Frame:
    """Subscribe with the default ``ack:auto`` (Rhombus expects no ACKs)."""
    return Frame("SUBSCRIBE", {"id": subscription_id, "destination": destination})


def disconnect_frame() -> Frame:
    """A polite goodbye before closing the socket."""
    return Frame("DISCONNECT")


def is_heartbeat(data: str) -> bool:
    """True for a message made only of EOLs (or a stray NUL)."""
    if data and data[0] not in "\r\n\x00":
        return False  # a frame: no need to copy it to find out
    return not data.strip("\r\n\x00")


def _parse_one(data: str, start: int) -> tuple[Frame, int]:
    """Parse the frame starting at ``start``; return it and the next offset."""
    head_end = data.find("\n\n", start)
    body_start = head_end + 2
    # Only a CR before that blank line can make an earlier CRLF one.
    if data.find("\r", start, len(data) if head_end == -1 else head_end) != -1:
        crlf_end = data.find("\r\n\r\n", start)
        if crlf_end != -1 and (head_end == -1 or crlf_end < head_end):
            head_end, body_start = crlf_end, crlf_end + 4
    if head_end == -1:
        raise RhombusProtocolError("frame has no end of headers")
    head = data[start:head_end].replace("\r\n", "\n")
    lines = head.split("\n")
    command = lines[0]
    if not command or not command.isalpha() or not command.isupper():
        raise RhombusProtocolError("frame has no valid command")
    # Without a backslash there is nothing to unescape (the common case).
    raw = command in _UNESCAPED_COMMANDS or "\\" not in head
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep:
            raise RhombusProtocolError("header line without a colon")
        if not raw:
            name, value = unescape(name), unescape(value)
        if name not in headers:  # the first of repeated headers wins
            headers[name] = value
    body, end = _read_body(data, body_start, headers.get("content-length"))
    return Frame(command, headers, body), end


def _read_body(data: str, start: int, length: str | None) -> tuple[str, int]:
    if length is None:
        end = data.find(NUL, start)
        if end == -1:
            raise RhombusProtocolError("frame is not NUL-terminated")
        return data[start:end], end + 1
    if not (length.isascii() and length.isdigit()):  # "²" is a digit to str
        raise RhombusProtocolError("content-length is not a number")
    if len(length) > _MAX_LENGTH_DIGITS:
        raise RhombusProtocolError(f"content-length of {len(length)} digits")
    size = int(length)
    if data.isascii():  # one octet per character: no need to encode
        end = start + size
        if end < len(data) and data[end] == NUL:
            return data[start:end], end + 1
    else:
        # content-length counts octets, the WebSocket gave us characters.
        encoded = data[start:].encode()
        if len(encoded) > size and encoded[size] == 0:
            body = encoded[:size].decode(errors="strict")
            return body, start + len(body) + 1
    raise RhombusProtocolError("content-length does not match the body")


def parse(data: str) -> list[Frame]:
    """Parse one WebSocket message into frames; heart-beat EOLs yield nothing."""
    frames: list[Frame] = []
    pos, size = 0, len(data)
    while pos < size:
        while pos < size and data[pos] in "\r\n":
            pos += 1  # heart-beats, and the optional EOLs after a frame's NUL
        if pos >= size:
            break
        frame, pos = _parse_one(data, pos)
        frames.append(frame)
    return frames


def negotiate_heartbeat(
    client_ms: int, server_header: str | None
) -> tuple[float, float]:
    """Return (send every, expect within) in seconds; 0 disables either.

    Per STOMP 1.2 each side uses the larger of what one offers and the other
    wants, and 0 on either side switches that direction off. The server's
    values are capped at :data:`MAX_HEARTBEAT_MS` (see :func:`heartbeat_capped`).
    """
    if not server_header:
        return 0.0, 0.0
    server_send, server_want = _server_heartbeat(server_header)
    server_send = min(server_send, MAX_HEARTBEAT_MS)
    server_want = min(server_want, MAX_HEARTBEAT_MS)
    send = 0 if not client_ms or not server_want else max(client_ms, server_want)
    receive = 0 if not client_ms or not server_send else max(client_ms, server_send)
    return send / 1000, receive / 1000


def heartbeat_capped(server_header: str | None) -> bool:
    """Whether the server asked for a heart-beat above the cap (a valid header)."""
    if not server_header:
        return False
    return max(_server_heartbeat(server_header)) > MAX_HEARTBEAT_MS


def _server_heartbeat(header: str) -> tuple[int, int]:
    send, sep, want = header.partition(",")
    values = (send.strip(), want.strip())
    # Digits only (no sign, no "²"), and not so many that int() refuses them.
    if not sep or not all(
        v.isascii() and v.isdigit() and len(v) <= _MAX_LENGTH_DIGITS * 2 for v in values
    ):
        raise RhombusProtocolError("malformed heart-beat header")
    return int(values[0]), int(values[1])
