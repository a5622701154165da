"""REST side: ``POST /api/<service>/<method>`` (media lives in ``media.py``).

Order per request: record it, apply an armed fault, check the API key, answer.
A dismissed alert (``event/dismissPolicyAlertV2``) is recorded, then its DELETE
goes out on the stream before the call returns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
import json
import logging
from typing import Any

from aiohttp import web

from .faults import FaultPlan, RestFault, error_response
from .world import BadRequestError, World

_LOGGER = logging.getLogger(__name__)

API_SCHEME = "api-token"
_BAD_BODY = {"msg": "JSON doesn't match expected object structure"}

type Endpoint = Callable[[Mapping[str, Any]], dict[str, Any]]
type AsyncEndpoint = Callable[[Mapping[str, Any]], Awaitable[dict[str, Any]]]
# Header values that are secrets even in a test log.
_SECRET_HEADERS = frozenset({"x-auth-apikey", "x-auth-ft"})


@dataclass(slots=True)
class RecordedRequest:
    """One REST call as received: header names lower-cased, body parsed if JSON."""

    path: str
    headers: dict[str, str]
    body: Any

    def __repr__(self) -> str:
        """Show the call without the API key or token, secrets even here."""
        headers = {
            k: "***" if k in _SECRET_HEADERS else v for k, v in self.headers.items()
        }
        path, body = self.path, self.body
        return f"RecordedRequest({path=!r}, {headers=!r}, {body=!r})"


def envelope(**fields: Any) -> dict[str, Any]:
    """Return a response body carrying the in-band error fields every type has."""
    return {"error": False, "errorMsg": None, "warningMsg": None, **fields}


def is_authorised(
    headers: Mapping[str, str], scheme: str | None, keys: set[str]
) -> bool:
    """Apply the api-token rule: scheme ``api-token`` and a known key."""
    return scheme == API_SCHEME and headers.get("x-auth-apikey") in keys


class RestApi:
    """The request handlers, bound to one world, fault plan and request log."""

    def __init__(
        self,
        world: World,
        faults: FaultPlan,
        requests: list[RecordedRequest],
        on_dismiss: Callable[[str], Awaitable[None]],
    ) -> None:
        """Bind to shared simulator state; ``on_dismiss`` sends an alert's DELETE."""
        self.world = world
        self.faults = faults
        self.requests = requests
        self.dismissed: list[str] = []
        self._on_dismiss = on_dismiss
        self._recorded = asyncio.Condition()
        self.endpoints: dict[str, Endpoint] = {
            "/api/org/getOrgV2": self._get_org,
            "/api/camera/getMinimalCameraStateList": self._get_camera_states,
            "/api/event/getPolicyAlerts": self._get_policy_alerts,
            "/api/event/getPolicyAlertDetails": self._get_policy_alert_details,
        }
        self.async_endpoints: dict[str, AsyncEndpoint] = {
            "/api/event/dismissPolicyAlertV2": self._dismiss_policy_alert,
        }

    async def wait_for(self, predicate: Callable[[], bool], seconds: float) -> None:
        """Wait until ``predicate`` holds after a request was recorded."""
        async with asyncio.timeout(seconds), self._recorded:
            await self._recorded.wait_for(predicate)

    def add_routes(self, app: web.Application) -> None:
        """Register the API routes."""
        app.router.add_post("/api/{service}/{method}", self.handle_api)
        # faceRecognition's calls sit one level deeper (faceEvent/, person/).
        app.router.add_post("/api/{service}/{group}/{method}", self.handle_api)

    async def handle_api(self, request: web.Request) -> web.StreamResponse:
        """Serve one API call."""
        path = request.path
        raw = _text(await request.read())
        body = _parse_json(raw) if raw is not None else None
        async with self._recorded:
            headers = {name.lower(): value for name, value in request.headers.items()}
            self.requests.append(RecordedRequest(path, headers, body))
            self._recorded.notify_all()
        fault = self.faults.take_rest_fault(path)
        if fault is not None:
            _LOGGER.debug("Injecting fault into %s", path)
            return await self._fault_response(fault)
        scheme = request.headers.get("x-auth-scheme")
        if not is_authorised(request.headers, scheme, self.world.api_keys):
            return error_response(401)
        if path not in self.endpoints and path not in self.async_endpoints:
            return web.Response(status=404, text="Not Found")
        if raw is None or (raw.strip() and not isinstance(body, dict)):
            return web.json_response(_BAD_BODY, status=400)
        try:
            return web.json_response(await self._answer(path, body or {}))
        except BadRequestError:
            return web.json_response(_BAD_BODY, status=400)

    async def _answer(self, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        endpoint = self.endpoints.get(path)
        if endpoint is not None:
            return endpoint(body)
        return await self.async_endpoints[path](body)

    async def _fault_response(self, fault: RestFault) -> web.Response:
        if fault.timeout:
            return await self.faults.hold()
        if fault.error_body is not None:
            return web.json_response(
                {"error": True, "errorMsg": fault.error_body, "warningMsg": None}
            )
        return error_response(fault.status or 500, fault.retry_after)

    def _get_org(self, _body: Mapping[str, Any]) -> dict[str, Any]:
        return envelope(org=self.world.org_payload(), featureFlags={})

    def _get_camera_states(self, _body: Mapping[str, Any]) -> dict[str, Any]:
        states = [camera.to_state() for camera in self.world.cameras.values()]
        return envelope(cameraStates=states)

    def _get_policy_alerts(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return envelope(policyAlerts=self.world.query_alerts(body))

    def _get_policy_alert_details(self, body: Mapping[str, Any]) -> dict[str, Any]:
        uuid = body.get("policyAlertUuid")
        alert = self.world.alerts.get(uuid) if isinstance(uuid, str) else None
        if alert is None:
            # policyAlert is not nullable in the spec: an unknown alert has none.
            return {
                "error": True,
                "errorMsg": "Policy alert not found",
                "warningMsg": None,
            }
        return envelope(policyAlert=dict(alert))

    async def _dismiss_policy_alert(self, body: Mapping[str, Any]) -> dict[str, Any]:
        uuid = body.get("alertUuid")
        if not isinstance(uuid, str):
            raise BadRequestError("alertUuid must be a string")
        alert = self.world.alerts.get(uuid)
        if alert is None:
            return {
                "error": True,
                "errorMsg": "Policy alert not found",
                "warningMsg": None,
            }
        self.dismissed.append(uuid)
        if not alert["deleted"]:
            await self._on_dismiss(uuid)
        return envelope()


def _text(data: bytes) -> str | None:
    """The body as text, or None when it is not UTF-8 (so cannot be JSON)."""
    try:
        return data.decode()
    except UnicodeDecodeError:
        return None


def _parse_json(raw: str) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw
