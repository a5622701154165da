"""Read an entry's stored settings: endpoints and options with their defaults."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .aiorhombus import REGION_US, REGIONS, Endpoints
from .const import (
    CONF_ALL_EVENTS,
    CONF_DOOR_CODE,
    CONF_HOLD_SECONDS,
    CONF_MEDIA_URL,
    CONF_PAUSE_HOURS,
    CONF_REGION,
    CONF_REST_URL,
    CONF_WEBSOCKET_URL,
    DEFAULT_HOLD_SECONDS,
    DEFAULT_PAUSE_HOURS,
)


def endpoints_from(data: Mapping[str, Any]) -> Endpoints:
    """The region's real endpoints, each replaced by an override when one is set."""
    region = REGIONS.get(data.get(CONF_REGION, REGION_US), REGIONS[REGION_US])
    return Endpoints(
        rest_url=data.get(CONF_REST_URL) or region.rest_url,
        websocket_url=data.get(CONF_WEBSOCKET_URL) or region.websocket_url,
        media_url=data.get(CONF_MEDIA_URL) or region.media_url,
    )


def hold_seconds(options: Mapping[str, Any]) -> int:
    """How long a detection sensor stays on after its latest alert."""
    return int(options.get(CONF_HOLD_SECONDS, DEFAULT_HOLD_SECONDS))


def all_events(options: Mapping[str, Any]) -> bool:
    """Whether every change on the stream becomes a bus event, not only alerts."""
    return bool(options.get(CONF_ALL_EVENTS, False))


def door_code(options: Mapping[str, Any]) -> str | None:
    """The code a door's lock asks for, or None when it asks for none."""
    code = options.get(CONF_DOOR_CODE)
    return code if isinstance(code, str) and code else None


def pause_hours(options: Mapping[str, Any]) -> int:
    """How long turning an Alerts switch off pauses the alerts."""
    return int(options.get(CONF_PAUSE_HOURS, DEFAULT_PAUSE_HOURS))
