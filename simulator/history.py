"""Policy-alert history for ``event/getPolicyAlertsV2``, stored or generated lazily.

Stored alerts (the world's) and any generated history are listed together in
``getPolicyAlerts``' order and paging: newest first by ``(timestampMs, uuid)``;
``lastTimestampMs``/``lastUuid`` and ``beforeTimestampMs`` return what sorts
strictly below them, ``afterTimestampMs`` is inclusive. The response adds
``oldestPolicyAlert``, the page's last alert (inferred; the spec gives no
meaning). A generated history of any size costs one page of work per call: its
alerts exist only when listed (their thumbnails from then on).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
import hashlib
from typing import Any

from aiohttp import web

from .images import thumbnail_jpeg
from .rest import Endpoint, envelope
from .world import DETAIL_LISTS, MEDIA_REGION, BadRequestError, World

DEFAULT_MAX_RESULTS = 100
MAX_RESULTS_CAP = 1000
# What the alert list leaves out of a stored alert (as ``getPolicyAlerts`` does).
NOT_LISTED = (*DETAIL_LISTS, "delayedProcessing")


def optional_int(body: Mapping[str, Any], key: str) -> int | None:
    """``body[key]`` as an int, None if absent (`BadRequestError` if not an int)."""
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequestError(f"{key} must be an integer")
    return value


@dataclass(frozen=True)
class AlertHistory:
    """``count`` alerts on one camera, ``spacing_ms`` apart, made on demand."""

    camera_uuid: str
    count: int
    newest_ms: int
    spacing_ms: int
    triggers: tuple[str, ...]

    def uuid(self, index: int) -> str:
        """A stable 22-character RUUID-like id per index."""
        seed = f"{self.camera_uuid}:{self.newest_ms}:{index}".encode()
        return hashlib.sha256(seed).hexdigest()[:22]

    def timestamp(self, index: int) -> int:
        """Epoch ms of the ``index``-th newest alert."""
        return self.newest_ms - index * self.spacing_ms

    def newest_below(self, key: tuple[int, str]) -> Iterator[int]:
        """Indices of alerts ordered before ``key`` (newest first), lazily."""
        ts, _ = key
        first = max(0, (self.newest_ms - ts) // self.spacing_ms - 1)
        for index in range(first, self.count):
            if (self.timestamp(index), self.uuid(index)) < key:
                yield index


def _page_key(body: Mapping[str, Any]) -> tuple[int, str]:
    """Alerts listed must sort strictly below this ``(timestampMs, uuid)``."""
    before = optional_int(body, "beforeTimestampMs") or 0
    last_ts = optional_int(body, "lastTimestampMs")
    last_uuid = body.get("lastUuid") or ""
    if not isinstance(last_uuid, str):
        raise BadRequestError("lastUuid must be a string")
    keys = [(2**63, "")]
    if before:
        keys.append((before, ""))
    if last_ts is not None:
        keys.append((last_ts, last_uuid))
    return min(keys)


class AlertHistoryApi:
    """``getPolicyAlertsV2`` and the thumbnails of generated alerts."""

    def __init__(self, world: World) -> None:
        """Bind to the world's stored alerts; no history generated yet."""
        self.world = world
        self.histories: list[AlertHistory] = []
        # Triggers of each generated alert listed so far, for its thumbnail.
        self.generated: dict[str, list[str]] = {}

    def rest_endpoints(self) -> dict[str, Endpoint]:
        """The REST endpoints this module answers."""
        return {"/api/event/getPolicyAlertsV2": self._get_policy_alerts_v2}

    def route(self, request: web.Request) -> web.Response | None:
        """A generated alert's thumbnail (None: not one of ours)."""
        match request.path.split("/")[2:]:
            case ["metadata", region, name] if name.endswith(".jpeg"):
                return self._thumbnail(region, name.removesuffix(".jpeg"))
        return None

    def generated_alert(self, history: AlertHistory, index: int) -> dict[str, Any]:
        """The listed form of one generated alert (fields ``PolicyAlertV2Type`` has)."""
        alert = self.world.build_alert(
            history.camera_uuid,
            history.triggers,
            alert_uuid=history.uuid(index),
            description=f"Recorded alert {index}",
            timestamp_ms=history.timestamp(index),
            duration_sec=8,
        )
        self.generated[alert["uuid"]] = alert["policyAlertTriggers"]
        return {k: v for k, v in alert.items() if k not in NOT_LISTED}

    def _candidates(
        self, key: tuple[int, str], wanted: set[str], after: int, limit: int
    ) -> Iterator[tuple[tuple[int, str], dict[str, Any]]]:
        for alert in self.world.alerts.values():
            if alert["deleted"] or (wanted and alert["deviceUuid"] not in wanted):
                continue
            ordered = (alert["timestampMs"], alert["uuid"])
            if ordered < key and not (after and ordered[0] < after):
                yield ordered, {k: v for k, v in alert.items() if k not in NOT_LISTED}
        for history in self.histories:
            if wanted and history.camera_uuid not in wanted:
                continue
            for taken, index in enumerate(history.newest_below(key)):
                ordered = (history.timestamp(index), history.uuid(index))
                if taken >= limit or (after and ordered[0] < after):
                    break
                yield ordered, self.generated_alert(history, index)

    def _get_policy_alerts_v2(self, body: Mapping[str, Any]) -> dict[str, Any]:
        key = _page_key(body)
        after = optional_int(body, "afterTimestampMs") or 0
        max_results = optional_int(body, "maxResults") or DEFAULT_MAX_RESULTS
        limit = min(max(max_results, 1), MAX_RESULTS_CAP)
        devices = body.get("deviceFilter") or ()
        if not isinstance(devices, list | tuple) or not all(
            isinstance(device, str) for device in devices
        ):
            raise BadRequestError("deviceFilter must be a list of uuids")
        found = sorted(
            self._candidates(key, set(devices), after, limit),
            key=lambda pair: pair[0],
            reverse=True,
        )
        alerts = [alert for _, alert in found[:limit]]
        # The spec's oldestPolicyAlert is an object, not nullable: left out when none.
        oldest = {"oldestPolicyAlert": alerts[-1]} if alerts else {}
        return envelope(policyAlerts=alerts, **oldest)

    def _thumbnail(self, region: str, alert_uuid: str) -> web.Response | None:
        triggers = self.generated.get(alert_uuid)
        if triggers is None or region != MEDIA_REGION:
            return None  # a stored alert's: `MediaApi` answers
        image = thumbnail_jpeg(alert_uuid, triggers[0] if triggers else "alert")
        return web.Response(body=image, content_type="image/jpeg")
