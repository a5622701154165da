"""aiorhombus: an asyncio client for the Rhombus cloud (REST + STOMP event stream).

Written as a standalone library: it must not import Home Assistant.
"""

from .backoff import Backoff
from .catchup import fetch_missed_alerts
from .clips import MAX_SPLICE_SECONDS, RhombusClipsClient, SavedClip, SavedClipPage
from .const import ENTITY_POLICY_ALERT, REGION_EU, REGION_US, REGIONS, Endpoints
from .decoder import StreamStats
from .exceptions import (
    RhombusApiError,
    RhombusAuthError,
    RhombusConnectionError,
    RhombusError,
    RhombusProtocolError,
    RhombusRateLimitError,
)
from .media import FederatedToken, RhombusMediaClient, authorise_url
from .models import Camera, ChangeEvent, ChangeType, Org, StreamState
from .recordings import (
    AlertCursor,
    AlertPage,
    PolicyAlert,
    RhombusNoFootageError,
    RhombusRecordingsClient,
    TokenSource,
)
from .rest import RhombusRestClient
from .stream import RhombusEventStream

__all__ = [
    "ENTITY_POLICY_ALERT",
    "MAX_SPLICE_SECONDS",
    "REGIONS",
    "REGION_EU",
    "REGION_US",
    "AlertCursor",
    "AlertPage",
    "Backoff",
    "Camera",
    "ChangeEvent",
    "ChangeType",
    "Endpoints",
    "FederatedToken",
    "Org",
    "PolicyAlert",
    "RhombusApiError",
    "RhombusAuthError",
    "RhombusClipsClient",
    "RhombusConnectionError",
    "RhombusError",
    "RhombusEventStream",
    "RhombusMediaClient",
    "RhombusNoFootageError",
    "RhombusProtocolError",
    "RhombusRateLimitError",
    "RhombusRecordingsClient",
    "RhombusRestClient",
    "SavedClip",
    "SavedClipPage",
    "StreamState",
    "StreamStats",
    "TokenSource",
    "authorise_url",
    "fetch_missed_alerts",
]
