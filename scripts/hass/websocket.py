"""Home Assistant's WebSocket API, as scripts/develop and scripts/smoke use it."""

from __future__ import annotations

from collections import deque
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import aiohttp

from scripts.hass.bootstrap import BootstrapError

if TYPE_CHECKING:
    from scripts.hass.bootstrap import HassClient


class HassWebSocket:
    """A minimal client of Home Assistant's WebSocket API."""

    def __init__(self, client: HassClient) -> None:
        """Prepare a connection for a logged-in client; it opens in `__aenter__`."""
        self._session = client.session
        self._url = client.base_url.replace("http", "ws", 1) + "/api/websocket"
        self._token = client.access_token
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._next_id = 1
        self._events: deque[dict[str, Any]] = deque()

    async def __aenter__(self) -> Self:
        """Connect and authenticate."""
        self._ws = await self._session.ws_connect(self._url)
        if (await self._receive())["type"] != "auth_required":
            raise BootstrapError("WebSocket API did not ask for auth")
        await self._ws.send_json({"type": "auth", "access_token": self._token})
        if (reply := await self._receive())["type"] != "auth_ok":
            raise BootstrapError(f"WebSocket auth failed: {reply}")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the connection."""
        if self._ws is not None:
            await self._ws.close()

    async def _receive(self, seconds: float = 30) -> dict[str, Any]:
        if self._ws is None:
            raise BootstrapError("WebSocket is not open")
        message: dict[str, Any] = await self._ws.receive_json(timeout=seconds)
        return message

    async def command(self, command_type: str, **fields: Any) -> Any:
        """Send one command and return its result, queueing events seen meanwhile."""
        if self._ws is None:
            raise BootstrapError("WebSocket is not open")
        msg_id = self._next_id
        self._next_id += 1
        await self._ws.send_json({"id": msg_id, "type": command_type, **fields})
        while True:
            message = await self._receive()
            if message.get("type") == "event":
                self._events.append(message["event"])
            elif message.get("id") == msg_id:
                if not message.get("success"):
                    raise BootstrapError(
                        f"{command_type} failed: {message.get('error')}"
                    )
                return message.get("result")

    async def subscribe_events(self, event_type: str) -> None:
        """Subscribe to one bus event type."""
        await self.command("subscribe_events", event_type=event_type)

    async def next_event(self, seconds: float) -> dict[str, Any]:
        """Return the next bus event of any subscription."""
        if self._events:
            return self._events.popleft()
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            message = await self._receive(remaining)
            if message.get("type") == "event":
                event: dict[str, Any] = message["event"]
                return event

    async def entity_id_for_unique_id(
        self, platform: str, unique_id: str
    ) -> str | None:
        """Look an entity up in the entity registry by its integration's unique id."""
        for entry in await self.command("config/entity_registry/list"):
            if (
                entry.get("platform") == platform
                and entry.get("unique_id") == unique_id
            ):
                entity_id: str = entry["entity_id"]
                return entity_id
        return None
