"""A tiny independent STOMP client for testing the simulator (no shared codec)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import aiohttp

KEY = "sim-api-key"
AUTH = {"x-auth-scheme": "api-token", "x-auth-apikey": KEY}


@dataclass
class Frame:
    command: str
    raw_headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return dict(self.raw_headers)


def build(command: str, headers: dict[str, str] | None = None, body: str = "") -> str:
    lines = [command] + [f"{k}:{v}" for k, v in (headers or {}).items()]
    return "\n".join(lines) + "\n\n" + body + "\x00"


def parse(text: str) -> Frame:
    """Parse one server frame; header values are returned still escaped."""
    assert text.endswith("\x00"), text
    head, _, body = text[:-1].partition("\n\n")
    command, *lines = head.split("\n")
    raw = [tuple(line.split(":", 1)) for line in lines]
    return Frame(command, [(k, v) for k, v in raw], body)


OPEN_SOCKETS: list[aiohttp.ClientWebSocketResponse] = []


async def close_open_sockets() -> None:
    """Close every socket a test opened (an unclosed response fails the harness)."""
    while OPEN_SOCKETS:
        await OPEN_SOCKETS.pop().close()


class StompClient:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        OPEN_SOCKETS.append(ws)

    @classmethod
    async def open(
        cls,
        http: aiohttp.ClientSession,
        url: str,
        *,
        key: str = KEY,
        autoping: bool = True,
    ) -> StompClient:
        ws = await http.ws_connect(
            url, headers={"x-auth-apikey": key}, autoping=autoping
        )
        return cls(ws)

    async def send(self, command: str, body: str = "", **headers: str) -> None:
        await self.ws.send_str(build(command, headers, body))

    async def receive(self, wait: float = 2.0) -> aiohttp.WSMessage:
        return await self.ws.receive(timeout=wait)

    async def frame(self, wait: float = 2.0) -> Frame:
        """Next frame, skipping heart-beats."""
        while True:
            msg = await self.receive(wait)
            assert msg.type is aiohttp.WSMsgType.TEXT, msg
            if msg.data.strip("\r\n"):
                return parse(msg.data)

    async def connect(self, heart_beat: str = "0,0") -> Frame:
        await self.send(
            "CONNECT", **{"accept-version": "1.2", "heart-beat": heart_beat}
        )
        return await self.frame()

    async def subscribe(self, org_uuid: str, sub_id: str = "sub-0") -> None:
        await self.send("SUBSCRIBE", id=sub_id, destination=f"/topic/change/{org_uuid}")

    async def expect_closed(self, wait: float = 2.0) -> aiohttp.WSMessage:
        """Read until the socket closes; return the closing message."""
        async with asyncio.timeout(wait):
            while True:
                msg = await self.ws.receive()
                if msg.type in (
                    aiohttp.WSMsgType.CLOSE,
                    aiohttp.WSMsgType.CLOSED,
                    aiohttp.WSMsgType.CLOSING,
                    aiohttp.WSMsgType.ERROR,
                ):
                    return msg
