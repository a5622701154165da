"""The media ids of alerts: what the bus event and the last-alert image link to.

Kept apart from the media source, so the hub and the image need not load it.
``media-source://rhombus/<entry>/alert/<camera>/<ms>/<duration s>`` plays the
camera's footage around the alert (``ids`` parses it back).
"""

from __future__ import annotations

import math

from ..const import DOMAIN

MEDIA_SOURCE_PREFIX = f"media-source://{DOMAIN}"
# What the identifier's duration field holds (six digits).
MAX_DURATION_SECONDS = 999_999


def alert_identifier(
    entry_id: str, camera_uuid: str, timestamp_ms: int, duration_sec: float | None
) -> str:
    """The identifier (after the prefix) that plays an alert's footage."""
    seconds = (
        math.ceil(duration_sec)
        if duration_sec is not None and math.isfinite(duration_sec)
        else 0
    )
    seconds = min(max(seconds, 0), MAX_DURATION_SECONDS)
    return f"{entry_id}/alert/{camera_uuid}/{timestamp_ms}/{seconds}"


def alert_media_id(
    entry_id: str, camera_uuid: str, timestamp_ms: int, duration_sec: float | None
) -> str:
    """The alert's ``media-source://`` id."""
    identifier = alert_identifier(entry_id, camera_uuid, timestamp_ms, duration_sec)
    return f"{MEDIA_SOURCE_PREFIX}/{identifier}"
