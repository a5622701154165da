r"""STOMP 1.2 framing for the simulator's side of the stream.

Deliberately independent of the integration's own codec, so that a bug there is not
mirrored here. Client frames are parsed tolerantly (EOL may be ``\r\n``, leading and
trailing EOLs are heart-beats); anything that breaks the grammar raises `FrameError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

NUL = "\x00"

CLIENT_COMMANDS = frozenset(
    {
        "CONNECT",
        "STOMP",
        "SEND",
        "SUBSCRIBE",
        "UNSUBSCRIBE",
        "ACK",
        "NACK",
        "BEGIN",
        "COMMIT",
        "ABORT",
        "DISCONNECT",
    }
)
# STOMP 1.2: CONNECT and CONNECTED headers are never escaped.
_UNESCAPED_COMMANDS = frozenset({"CONNECT", "CONNECTED"})

_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", ":": "\\c"}
_UNESCAPES = {"\\": "\\", "n": "\n", "r": "\r", "c": ":"}


class FrameError(ValueError):
    """A client sent something that is not a STOMP 1.2 frame."""


@dataclass(slots=True)
class ReceivedFrame:
    """One frame received from a client, headers unescaped (first occurrence wins)."""

    command: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""


def escape(value: str) -> str:
    """Escape a header name or value per STOMP 1.2."""
    if not any(char in value for char in _ESCAPES):
        return value  # the common case; the loop below is slow for benchmarks
    return "".join(_ESCAPES.get(char, char) for char in value)


def unescape(value: str) -> str:
    """Undo `escape`; an undefined escape sequence is a protocol error."""
    if "\\" not in value:
        return value
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        nxt = next(chars, "")
        if nxt not in _UNESCAPES:
            raise FrameError(f"undefined escape sequence \\{nxt}")
        out.append(_UNESCAPES[nxt])
    return "".join(out)


def encode_frame(
    command: str, headers: Iterable[tuple[str, str]] = (), body: str = ""
) -> str:
    """Build one server frame: command, headers, blank line, body, NUL."""
    raw = command in _UNESCAPED_COMMANDS
    lines = [command]
    lines.extend(
        f"{name}:{value}" if raw else f"{escape(name)}:{escape(value)}"
        for name, value in headers
    )
    return "\n".join(lines) + "\n\n" + body + NUL


def parse_frames(text: str) -> tuple[list[ReceivedFrame], int]:
    """Parse every frame in one WebSocket message; also count heart-beat EOLs."""
    frames: list[ReceivedFrame] = []
    heartbeats = 0
    pos = 0
    while pos < len(text):
        stripped = _skip_eols(text, pos)
        heartbeats += text.count("\n", pos, stripped)
        pos = stripped
        if pos >= len(text):
            break
        frame, pos = _parse_one(text, pos)
        frames.append(frame)
    return frames, heartbeats


def _skip_eols(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in "\r\n":
        pos += 1
    return pos


def _read_line(text: str, pos: int) -> tuple[str, int]:
    end = text.find("\n", pos)
    if end < 0:
        raise FrameError("frame ends before its headers do")
    line = text[pos:end]
    return line.removesuffix("\r"), end + 1


def _parse_one(text: str, pos: int) -> tuple[ReceivedFrame, int]:
    command, pos = _read_line(text, pos)
    if command not in CLIENT_COMMANDS:
        raise FrameError(f"unknown command {command[:40]!r}")
    raw = command in _UNESCAPED_COMMANDS
    headers: dict[str, str] = {}
    while True:
        line, pos = _read_line(text, pos)
        if not line:
            break
        name, sep, value = line.partition(":")
        if not sep or not name:
            raise FrameError("header line without a name and a colon")
        if not raw:
            name, value = unescape(name), unescape(value)
        headers.setdefault(name, value)
    length_text = headers.get("content-length")
    if length_text is not None:
        body, pos = _body_by_length(text, pos, length_text)
    else:
        end = text.find(NUL, pos)
        if end < 0:
            raise FrameError("frame is not terminated by NUL")
        body, pos = text[pos:end], end + 1
    return ReceivedFrame(command, headers, body), pos


def _body_by_length(text: str, pos: int, length_text: str) -> tuple[str, int]:
    if not length_text.isdigit():
        raise FrameError("content-length is not a number")
    data = text[pos:].encode()
    length = int(length_text)
    if len(data) <= length or data[length] != 0:
        raise FrameError("content-length does not match the body")
    body = data[:length].decode(errors="replace")
    return body, pos + len(data[: length + 1].decode(errors="replace"))
