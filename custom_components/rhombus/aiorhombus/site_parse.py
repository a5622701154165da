"""Tolerant readers for the site-device payloads.

Every field of every device state is nullable in the spec and none is
required, so each reader returns ``None`` for a missing, null or wrongly typed
value instead of raising. An enum value this client does not know becomes the
enum's ``UNKNOWN`` member, and a reading outside what the physical quantity
allows is dropped; both are logged once per value at debug.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
import logging
import math
from typing import Any

_LOGGER = logging.getLogger(__name__)

# What was already logged; bounded so a misbehaving org cannot grow it forever.
_LOGGED: set[tuple[str, str]] = set()
_LOGGED_MAX = 1000

# Epoch seconds below this are before 2001 or nonsense; above, past 2109.
_MAX_EPOCH_S = 2**32


def log_once(topic: str, value: str, message: str, *args: object) -> None:
    """Log ``message`` at debug the first time ``(topic, value)`` is seen."""
    key = (topic, value)
    if key in _LOGGED:
        return
    if len(_LOGGED) < _LOGGED_MAX:
        _LOGGED.add(key)
    _LOGGER.debug(message, *args)


def text(data: Mapping[str, Any], key: str) -> str | None:
    """A non-empty string, else None."""
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def flag(data: Mapping[str, Any], key: str) -> bool | None:
    """A JSON boolean, else None (0/1 or "true" are not booleans)."""
    value = data.get(key)
    return value if isinstance(value, bool) else None


def number(
    data: Mapping[str, Any],
    key: str,
    low: float = -math.inf,
    high: float = math.inf,
) -> float | None:
    """A finite number within ``[low, high]``, else None (out of range is logged)."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    result = float(value)
    if not math.isfinite(result):
        return None
    if not low <= result <= high:
        log_once("range", key, "Dropping %s=%s: outside %s..%s", key, result, low, high)
        return None
    return result


def integer(
    data: Mapping[str, Any],
    key: str,
    low: float = -math.inf,
    high: float = math.inf,
) -> int | None:
    """Like `number`, rounded to an int."""
    result = number(data, key, low, high)
    return None if result is None else round(result)


def epoch_seconds(data: Mapping[str, Any], key: str) -> datetime | None:
    """An epoch-seconds field as an aware datetime."""
    seconds = number(data, key, 0, _MAX_EPOCH_S)
    return None if seconds is None else datetime.fromtimestamp(seconds, tz=UTC)


def epoch_ms(data: Mapping[str, Any], key: str) -> datetime | None:
    """An epoch-milliseconds field as an aware datetime."""
    millis = number(data, key, 0, _MAX_EPOCH_S * 1000)
    return None if millis is None else datetime.fromtimestamp(millis / 1000, tz=UTC)


def enum[E: StrEnum](data: Mapping[str, Any], key: str, kind: type[E]) -> E | None:
    """The enum member for ``data[key]``; an unknown string is ``UNKNOWN``."""
    value = data.get(key)
    if not isinstance(value, str) or not value:
        return None
    try:
        return kind(value)
    except ValueError:
        log_once(
            kind.__name__, value, "Unknown %s value %r: shown as unknown", key, value
        )
        return kind("UNKNOWN")


def uuids(value: Any, key: str = "componentUuid") -> tuple[str, ...]:
    """The ``key`` of each object in a list (component references)."""
    if not isinstance(value, list):
        return ()
    found = []
    for item in value:
        if isinstance(item, Mapping):
            uuid = item.get(key)
            if isinstance(uuid, str) and uuid:
                found.append(uuid)
    return tuple(found)


def strings(value: Any) -> tuple[str, ...]:
    """The non-empty strings of a list."""
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str) and item)
