"""Calls to the Rhombus REST API (every call is a JSON POST)."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
import logging
import math
from typing import Any

import aiohttp

from .const import (
    AUTH_SCHEME,
    HEADER_API_KEY,
    HEADER_AUTH_SCHEME,
    REQUEST_TIMEOUT,
)
from .exceptions import (
    RhombusApiError,
    RhombusAuthError,
    RhombusConnectionError,
    RhombusProtocolError,
    RhombusRateLimitError,
)
from .models import Camera, Org

_LOGGER = logging.getLogger(__name__)

# An in-band error whose text says this is about the key, not the request.
_AUTH_WORDS = ("api key", "apikey", "unauthenticated", "unauthorized", "permission")


# A longer Retry-After than this is treated as this: nobody waits a day.
MAX_RETRY_AFTER = 3600.0


def _retry_after(value: str | None) -> float | None:
    try:
        seconds = float(value) if value is not None else math.nan
    except ValueError:
        return None
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class RhombusRestClient:
    """The REST half of the client; the caller owns the aiohttp session."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_key: str,
        rest_url: str,
        *,
        timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        """Bind the key and base URL; nothing is sent until a call is made."""
        self._session = session
        self._headers = {
            HEADER_AUTH_SCHEME: AUTH_SCHEME,
            HEADER_API_KEY: api_key,
            "Accept": "application/json",
        }
        self._base = rest_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    def __repr__(self) -> str:
        """Never show the key."""
        return f"RhombusRestClient({self._base!r})"

    @property
    def auth_headers(self) -> Mapping[str, str]:
        """Headers that authorise a request (media downloads need them too)."""
        return self._headers

    async def request(
        self, path: str, body: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """POST ``/api/<path>`` and return the JSON object, or raise."""
        url = f"{self._base}/api/{path}"
        try:
            async with self._session.post(
                url,
                json=body or {},
                headers=self._headers,
                timeout=self._timeout,
                # A redirect elsewhere would carry the key along: refuse it.
                allow_redirects=False,
            ) as resp:
                if resp.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
                    raise RhombusAuthError(f"{path}: HTTP {resp.status}", resp.status)
                if resp.status == HTTPStatus.TOO_MANY_REQUESTS:
                    raise RhombusRateLimitError(
                        f"{path}: rate limited",
                        _retry_after(resp.headers.get("Retry-After")),
                    )
                if resp.status >= HTTPStatus.BAD_REQUEST:
                    raise RhombusConnectionError(f"{path}: HTTP {resp.status}")
                data = await resp.json(content_type=None)
        except TimeoutError as err:
            raise RhombusConnectionError(f"{path}: timed out") from err
        except aiohttp.ClientError as err:
            # str(err) may hold the URL, never the headers: safe to keep.
            raise RhombusConnectionError(f"{path}: {err}") from err
        except ValueError as err:
            raise RhombusConnectionError(f"{path}: response is not JSON") from err
        if not isinstance(data, dict):
            raise RhombusConnectionError(f"{path}: response is not a JSON object")
        if data.get("error") is True:
            message = str(data.get("errorMsg") or "unknown error")
            if any(word in message.lower() for word in _AUTH_WORDS):
                raise RhombusAuthError(f"{path}: {message}")
            raise RhombusApiError(f"{path}: {message}")
        return data

    async def get_org(self) -> Org:
        """The key's organisation: validates the key at the same time."""
        return Org.from_api(await self.request("org/getOrgV2"))

    async def get_cameras(self) -> dict[str, Camera]:
        """Every camera of the org, keyed by uuid, in one call."""
        data = await self.request("camera/getMinimalCameraStateList")
        states = data.get("cameraStates")
        if not isinstance(states, list):
            # Not "no cameras": treating it so would delete every device.
            raise RhombusProtocolError("camera list response has no cameraStates")
        cameras: dict[str, Camera] = {}
        for item in states:
            if (camera := Camera.from_api(item)) is not None:
                cameras[camera.uuid] = camera
        return cameras

    async def get_policy_alert_details(self, alert_uuid: str) -> dict[str, Any] | None:
        """One alert with its details, or None when Rhombus does not know it."""
        try:
            data = await self.request(
                "event/getPolicyAlertDetails", {"policyAlertUuid": alert_uuid}
            )
        except RhombusApiError:
            return None
        alert = data.get("policyAlert")
        return alert if isinstance(alert, dict) else None

    async def dismiss_policy_alert(self, alert_uuid: str) -> None:
        """Dismiss an alert; the stream then reports it as a DELETE.

        The spec names the field ``alertUuid`` (one client sends
        ``policyAlertUuid``); an unknown alert is a ``RhombusApiError``.
        """
        await self.request("event/dismissPolicyAlertV2", {"alertUuid": alert_uuid})

    async def get_policy_alerts(
        self,
        *,
        after_ms: int | None = None,
        max_results: int = 100,
        last_timestamp_ms: int | None = None,
        last_uuid: str | None = None,
    ) -> list[dict[str, Any]]:
        """One page of alerts; pass the last one's timestamp and uuid for the next."""
        body: dict[str, Any] = {"maxResults": max_results}
        if after_ms is not None:
            body["afterTimestampMs"] = after_ms
        if last_timestamp_ms is not None and last_uuid is not None:
            body["lastTimestampMs"] = last_timestamp_ms
            body["lastUuid"] = last_uuid
        data = await self.request("event/getPolicyAlerts", body)
        alerts = data.get("policyAlerts")
        if not isinstance(alerts, list):
            return []
        return [alert for alert in alerts if isinstance(alert, dict)]

    async def get_policy_alerts_since(
        self, after_ms: int, *, page_size: int = 100, max_pages: int = 20
    ) -> list[dict[str, Any]]:
        """Every alert after ``after_ms``, oldest first, fetched page by page.

        ``max_pages`` bounds one catch-up: a longer outage than that many pages
        cover is not replayed in full, which beats flooding the bus.
        """
        alerts: list[dict[str, Any]] = []
        last: dict[str, Any] | None = None
        for _ in range(max_pages):
            page = await self.get_policy_alerts(
                after_ms=after_ms,
                max_results=page_size,
                last_timestamp_ms=last.get("timestampMs") if last else None,
                last_uuid=last.get("uuid") if last else None,
            )
            alerts.extend(page)
            if len(page) < page_size:
                break
            last = page[-1]
        alerts.sort(key=lambda alert: alert.get("timestampMs") or 0)
        return alerts
