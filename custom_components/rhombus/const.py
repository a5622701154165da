"""Constants of the Rhombus integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "rhombus"
LOGGER: Final = logging.getLogger(__package__)

CONF_REGION: Final = "region"
CONF_ADVANCED: Final = "advanced"
CONF_REST_URL: Final = "rest_url"
CONF_WEBSOCKET_URL: Final = "websocket_url"
CONF_MEDIA_URL: Final = "media_url"

CONF_HOLD_SECONDS: Final = "hold_seconds"
CONF_ALL_EVENTS: Final = "all_events"
# A secret: never logged, redacted from diagnostics, never sent back to a form.
CONF_DOOR_CODE: Final = "door_code"
CONF_CLEAR_DOOR_CODE: Final = "clear_door_code"
MIN_DOOR_CODE_LENGTH: Final = 4

# How long the Alerts switch (turned off) pauses a device's or location's alerts.
CONF_PAUSE_HOURS: Final = "pause_hours"
DEFAULT_PAUSE_HOURS: Final = 12
MIN_PAUSE_HOURS: Final = 1
MAX_PAUSE_HOURS: Final = 168

DEFAULT_HOLD_SECONDS: Final = 30
MIN_HOLD_SECONDS: Final = 5
MAX_HOLD_SECONDS: Final = 3600

EVENT_RHOMBUS: Final = "rhombus_event"
EVENT_DOOR_BAD_CODE: Final = "rhombus_door_bad_code"
EVENT_ALARM_BAD_CODE: Final = "rhombus_alarm_bad_code"

# The guide's camera-name cache lives five minutes; names change rarely.
CAMERA_REFRESH_INTERVAL: Final = timedelta(minutes=5)
# A reconnect within this time does not make the detection sensors flap.
STREAM_GRACE_SECONDS: Final = 30.0
