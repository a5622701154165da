"""MESSAGE bodies for the org topic: policy-alert changes in the shapes of the sources.

``nested``: top-level entity/entityUuid/type/deviceUuid/timestampMs plus the alert
object under ``update`` (what rhombus-cli expects); ``flat``: the alert fields at the
top level (the docs' example); ``sparse``: only entity/entityUuid/type (the client must
fetch the details over REST).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .world import DETAIL_LISTS, now_ms

ALERT_SHAPES = ("nested", "flat", "sparse")


def change_body(
    alert: Mapping[str, Any], *, shape: str, change_type: str
) -> dict[str, Any]:
    """Wrap an alert as a MESSAGE body in one of the shapes seen in the sources."""
    body: dict[str, Any] = {
        "entity": "POLICY_ALERT",
        "entityUuid": alert["uuid"],
        "type": change_type,
    }
    if shape == "sparse":
        return body
    body["deviceUuid"] = alert["deviceUuid"]
    body["timestampMs"] = alert["timestampMs"]
    if shape == "nested":
        body["update"] = {k: v for k, v in alert.items() if k not in DETAIL_LISTS}
    elif shape == "flat":
        for key in ("durationSec", "policyAlertTriggers", "textDescription"):
            body[key] = alert[key]
    else:
        raise ValueError(f"shape must be one of {ALERT_SHAPES}")
    return body


def delete_body(alert_uuid: str, alert: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return the POLICY_ALERT DELETE body (deviceUuid only when the alert is known)."""
    body: dict[str, Any] = {
        "entity": "POLICY_ALERT",
        "entityUuid": alert_uuid,
        "type": "DELETE",
    }
    if alert is not None:
        body["deviceUuid"] = alert["deviceUuid"]
    body["timestampMs"] = now_ms()
    return body
