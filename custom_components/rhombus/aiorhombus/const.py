"""Endpoints and protocol constants of the Rhombus cloud."""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import Final


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where one Rhombus region lives."""

    rest_url: str
    websocket_url: str
    media_url: str


REGION_US: Final = "us"
REGION_EU: Final = "eu"

REGIONS: Final[dict[str, Endpoints]] = {
    REGION_US: Endpoints(
        rest_url="https://api2.rhombussystems.com",
        websocket_url="wss://ws.rhombussystems.com:8443/websocket?x-auth-scheme=api-token",
        media_url="https://mediaapi-v2.rhombussystems.com",
    ),
    # The EU media host is not documented; the US one is the CLI's only host.
    REGION_EU: Endpoints(
        rest_url="https://api2.eu.rhombussystems.com",
        websocket_url="wss://ws.eu.rhombussystems.com:8443/websocket?x-auth-scheme=api-token",
        media_url="https://mediaapi-v2.rhombussystems.com",
    ),
}

AUTH_SCHEME: Final = "api-token"
HEADER_AUTH_SCHEME: Final = "x-auth-scheme"
HEADER_API_KEY: Final = "x-auth-apikey"

ENTITY_POLICY_ALERT: Final = "POLICY_ALERT"
# The Rhombus CLI's fallback when an alert names no thumbnail region.
DEFAULT_THUMBNAIL_REGION: Final = "us-west-2"

STOMP_VERSION: Final = "1.2"
# What the Rhombus CLI asks for; the server's answer in CONNECTED decides.
HEARTBEAT_MS: Final = 10_000
SUBSCRIPTION_ID: Final = "sub-0"
TOPIC_PREFIX: Final = "/topic/change/"

# A thumbnail region is a path segment of a media URL: nothing else passes.
THUMBNAIL_REGION_PATTERN: Final = re.compile(r"[a-z0-9-]{1,40}")

REQUEST_TIMEOUT: Final = 15.0
HANDSHAKE_TIMEOUT: Final = 10.0
# Frames larger than this are refused by aiohttp and end the connection.
MAX_FRAME_BYTES: Final = 4 * 1024 * 1024
