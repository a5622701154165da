"""What the site-action handlers share: body readers and the change message.

Bodies are read as elsewhere: a declared property of the wrong type is a 400
(`BadRequestError`), an undeclared one is ignored (the spec checks in the
tests catch a client that sends one).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from .world import BadRequestError, now_ms

type Emit = Callable[[Mapping[str, Any]], Awaitable[int]]


def in_band_error(message: str) -> dict[str, Any]:
    """An answer with ``error: true`` (only where the response declares it)."""
    return {"error": True, "errorMsg": message, "warningMsg": None}


def string(body: Mapping[str, Any], key: str) -> str | None:
    """A string field, None when absent or null; 400 for another type."""
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise BadRequestError(f"{key} must be a string")
    return value


def whole(body: Mapping[str, Any], key: str) -> int | None:
    """An integer field (not a bool), None when absent or null."""
    value = body.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise BadRequestError(f"{key} must be an integer")
    return value


def strings(body: Mapping[str, Any], key: str) -> list[str]:
    """A list of strings, [] when absent or null."""
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRequestError(f"{key} must be a list of strings")
    return value


def bare(uuid: str) -> str:
    """A ``DeviceFacetUuid`` without its facet (``<uuid>.v0`` → ``<uuid>``)."""
    return uuid.split(".", 1)[0]


def change(
    entity: str,
    entity_uuid: str,
    change_type: str = "UPDATE",
    *,
    device_uuid: str | None = None,
    update: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A change message with the documented top-level fields (shape inferred)."""
    body: dict[str, Any] = {
        "entity": entity,
        "entityUuid": entity_uuid,
        "type": change_type,
        "timestampMs": now_ms(),
    }
    if device_uuid is not None:
        body["deviceUuid"] = device_uuid
    if update is not None:
        body["update"] = dict(update)
    return body
