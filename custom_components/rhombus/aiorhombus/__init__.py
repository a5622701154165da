"""aiorhombus: an asyncio client for the Rhombus cloud (REST + STOMP event stream).

Written as a standalone library: it must not import Home Assistant.
"""

from .backoff import Backoff
from .const import REGION_EU, REGION_US, REGIONS, Endpoints
from .decoder import StreamStats
from .exceptions import (
    RhombusApiError,
    RhombusAuthError,
    RhombusConnectionError,
    RhombusError,
    RhombusProtocolError,
    RhombusRateLimitError,
)
from .media import FederatedToken, RhombusMediaClient
from .models import Camera, ChangeEvent, Org, StreamState
from .rest import RhombusRestClient
from .stream import RhombusEventStream

__all__ = [
    "REGIONS",
    "REGION_EU",
    "REGION_US",
    "Backoff",
    "Camera",
    "ChangeEvent",
    "Endpoints",
    "FederatedToken",
    "Org",
    "RhombusApiError",
    "RhombusAuthError",
    "RhombusConnectionError",
    "RhombusError",
    "RhombusEventStream",
    "RhombusMediaClient",
    "RhombusProtocolError",
    "RhombusRateLimitError",
    "RhombusRestClient",
    "StreamState",
    "StreamStats",
]
