"""Drive a real Home Assistant through its public REST API.

Used by scripts/develop and scripts/smoke: onboarding, login, the Rhombus
config flow, and reading states and bus events the way a user's browser would.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import time
from typing import Any

import aiohttp

DOMAIN = "rhombus"
DEV_NAME = "Developer"
DEV_USERNAME = "dev"
DEV_PASSWORD = "dev-password-rhombus"

_REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=30)
# Onboarding's core_config step adds these; offline they only fail and log errors.
ONBOARDING_EXTRAS = ("google_translate", "met", "radio_browser", "shopping_list")


class BootstrapError(Exception):
    """Home Assistant did not do what the bootstrap needed."""


@dataclass(frozen=True, kw_only=True)
class CloudEndpoints:
    """Where the integration should find the (simulated) Rhombus cloud."""

    api_key: str
    rest_url: str
    websocket_url: str
    media_url: str

    def __repr__(self) -> str:
        """Keep the API key out of every log line and traceback."""
        return (
            f"CloudEndpoints(rest_url={self.rest_url!r}, "
            f"websocket_url={self.websocket_url!r}, media_url={self.media_url!r})"
        )


class HassClient:
    """An authenticated client of one Home Assistant instance."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        """Wrap a session; call `onboard_or_login` before authenticated calls."""
        self._session = session
        self.base_url = base_url.rstrip("/")
        self._token: str | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        """The HTTP session, shared with the WebSocket client."""
        return self._session

    @property
    def client_id(self) -> str:
        """The IndieAuth client id: the frontend's own address."""
        return f"{self.base_url}/"

    @property
    def access_token(self) -> str:
        """The current access token."""
        if self._token is None:
            raise BootstrapError("not logged in")
        return self._token

    async def wait_until_up(self, seconds: float) -> None:
        """Wait until the HTTP server answers (an unauthenticated auth view)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                async with self._session.get(
                    f"{self.base_url}/auth/providers", timeout=_REQUEST_TIMEOUT
                ) as resp:
                    # 400 means "onboarding required": up all the same.
                    if resp.status in (200, 400):
                        return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise BootstrapError(
                    f"{self.base_url} did not answer in {seconds:.0f}s"
                )
            await asyncio.sleep(0.25)

    async def onboard_or_login(self, username: str, password: str) -> bool:
        """Finish onboarding (creating the user) or log in; True if onboarded now."""
        # Once onboarding is finished, Home Assistant stops serving its views.
        progress = await self.request("GET", "/api/onboarding", auth=False) or []
        steps = {step["step"]: step["done"] for step in progress}
        onboarded_now = not steps.get("user", True)
        if onboarded_now:
            result = await self._post_json(
                "/api/onboarding/users",
                {
                    "client_id": self.client_id,
                    "name": DEV_NAME,
                    "username": username,
                    "password": password,
                    "language": "en",
                },
                auth=False,
            )
            await self._exchange_code(result["auth_code"])
        else:
            await self._login(username, password)
        # Finish whatever steps a previous, interrupted run left open.
        for step in ("core_config", "analytics"):
            if not steps.get(step, True):
                await self._post_json(f"/api/onboarding/{step}", {})
        if not steps.get("integration", True):
            await self._post_json(
                "/api/onboarding/integration",
                {"client_id": self.client_id, "redirect_uri": self._redirect_uri},
            )
        return onboarded_now

    @property
    def _redirect_uri(self) -> str:
        return f"{self.base_url}/?auth_callback=1"

    async def _login(self, username: str, password: str) -> None:
        flow = await self._post_json(
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self._redirect_uri,
            },
            auth=False,
        )
        result = await self._post_json(
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": self.client_id, "username": username, "password": password},
            auth=False,
        )
        if result.get("type") != "create_entry":
            raise BootstrapError(
                f"login as {username!r} failed: {result.get('errors')}"
            )
        await self._exchange_code(result["result"])

    async def _exchange_code(self, code: str) -> None:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": self.client_id,
        }
        async with self._session.post(f"{self.base_url}/auth/token", data=form) as resp:
            if resp.status != 200:
                raise BootstrapError(f"/auth/token answered {resp.status}")
            self._token = (await resp.json())["access_token"]

    async def _post_json(
        self, path: str, body: dict[str, Any], *, auth: bool = True
    ) -> Any:
        return await self.request("POST", path, body, auth=auth)

    async def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        auth: bool = True,
        ok_statuses: tuple[int, ...] = (200, 201),
    ) -> Any:
        """Call the REST API and return its JSON answer (None for 404 on GET)."""
        headers = {"Authorization": f"Bearer {self.access_token}"} if auth else {}
        async with self._session.request(
            method,
            f"{self.base_url}{path}",
            json=body,
            headers=headers,
            timeout=_REQUEST_TIMEOUT,
        ) as resp:
            if resp.status == 404 and method == "GET":
                return None
            if resp.status not in ok_statuses:
                text = (await resp.text())[:500]
                raise BootstrapError(f"{method} {path} answered {resp.status}: {text}")
            return await resp.json()

    async def wait_until_running(self, seconds: float) -> None:
        """Wait until Home Assistant reports its core state as RUNNING."""
        deadline = time.monotonic() + seconds
        state = "?"
        while time.monotonic() < deadline:
            state = (await self.request("GET", "/api/config"))["state"]
            if state == "RUNNING":
                return
            await asyncio.sleep(0.25)
        raise BootstrapError(f"Home Assistant still {state} after {seconds:.0f}s")

    async def config_entries(self, domain: str | None = DOMAIN) -> list[dict[str, Any]]:
        """List the config entries of one integration (None: of all)."""
        query = "" if domain is None else f"?domain={domain}"
        entries: list[dict[str, Any]] = await self.request(
            "GET", f"/api/config/config_entries/entry{query}"
        )
        return entries

    async def remove_onboarding_extras(self) -> list[str]:
        """Remove entries onboarding added for cloud services; return their titles."""
        removed = []
        for entry in await self.config_entries(None):
            if entry["domain"] in ONBOARDING_EXTRAS:
                await self.request(
                    "DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}"
                )
                removed.append(entry["title"])
        return removed

    async def create_rhombus_entry(self, cloud: CloudEndpoints) -> dict[str, Any]:
        """Add the integration through the same flow API the frontend uses."""
        form = await self._post_json(
            "/api/config/config_entries/flow",
            {"handler": DOMAIN, "show_advanced_options": False},
        )
        if form.get("type") != "form":
            raise BootstrapError(f"config flow did not show a form: {form}")
        result = await self._post_json(
            f"/api/config/config_entries/flow/{form['flow_id']}",
            {
                "api_key": cloud.api_key,
                "region": "us",
                "advanced": {
                    "rest_url": cloud.rest_url,
                    "websocket_url": cloud.websocket_url,
                    "media_url": cloud.media_url,
                },
            },
        )
        if result.get("type") != "create_entry":
            raise BootstrapError(
                "config flow did not create an entry: "
                f"type={result.get('type')} errors={result.get('errors')} "
                f"reason={result.get('reason')}"
            )
        entry: dict[str, Any] = result["result"]
        return entry

    async def ensure_rhombus_entry(
        self, cloud: CloudEndpoints
    ) -> tuple[dict[str, Any], bool]:
        """Return the Rhombus entry, creating it first if missing; True if created."""
        if existing := await self.config_entries():
            return existing[0], False
        return await self.create_rhombus_entry(cloud), True

    async def states(self) -> list[dict[str, Any]]:
        """Return every entity state."""
        states: list[dict[str, Any]] = await self.request("GET", "/api/states")
        return states

    async def wait_for_state(
        self, entity_id: str, wanted: str, seconds: float
    ) -> dict[str, Any]:
        """Poll /api/states/<entity_id> until it reports the wanted state."""
        deadline = time.monotonic() + seconds
        last: dict[str, Any] | None = None
        while time.monotonic() < deadline:
            last = await self.request("GET", f"/api/states/{entity_id}")
            if last is not None and last["state"] == wanted:
                return last
            await asyncio.sleep(0.2)
        seen = None if last is None else last["state"]
        raise BootstrapError(
            f"{entity_id} is {seen!r}, not {wanted!r}, after {seconds}s"
        )
