"""aiorhombus: an asyncio client for the Rhombus cloud (REST + STOMP event stream).

Written as a standalone library: it must not import Home Assistant.
"""

from .access_control import (
    AccessControlledDoor,
    AccessMode,
    AccessModeSource,
    ComponentShadow,
    DoorPosition,
    LockState,
    ReaderState,
    ShadowType,
    Supervision,
    UnlockFailure,
)
from .backoff import Backoff
from .catchup import fetch_missed_alerts
from .clips import MAX_SPLICE_SECONDS, RhombusClipsClient, SavedClip, SavedClipPage
from .const import ENTITY_POLICY_ALERT, REGION_EU, REGION_US, REGIONS, Endpoints
from .decoder import StreamStats
from .environmental_gateway import EnvironmentalGateway
from .exceptions import (
    RhombusApiError,
    RhombusAuthError,
    RhombusConnectionError,
    RhombusError,
    RhombusProtocolError,
    RhombusRateLimitError,
)
from .footage import RhombusFootageClient, RhombusNoFootageError, TokenSource
from .hls import rewrite_playlist
from .media import FederatedToken, RhombusMediaClient, authorise_url
from .models import Camera, ChangeEvent, ChangeType, Org, StreamState
from .recordings import AlertCursor, AlertPage, PolicyAlert, RhombusRecordingsClient
from .rest import RhombusRestClient
from .site_alerts import (
    ACCESS_EVENT_TYPES,
    AUDIO_SOUNDS,
    BUTTON_PRESSES,
    CLIMATE_EVENTS,
    DOOR_SENSOR_EVENTS,
    OCCUPANCY_EVENTS,
    SiteAlertTarget,
    alert_target,
    event_type,
    event_types,
)
from .site_client import (
    DEVICE_TYPE_KINDS,
    STREAM_ENTITY_KINDS,
    RhombusKindRefusedError,
    RhombusSiteClient,
    RhombusUnlockError,
    SiteKind,
    kind_for_stream_entity,
    kind_path,
)
from .site_models import (
    AqiPollutant,
    AudioGateway,
    BleSensor,
    Button,
    ButtonMode,
    ClimateSensor,
    DeviceStatus,
    DoorSensor,
    DoorStatus,
    OccupancySensor,
    OccupancyStatus,
    SensorHealth,
    SensorHealthDetails,
    SiteDevice,
)
from .stream import RhombusEventStream
from .values import EARLIEST_MS, device_uuid, timestamp_in_range

__all__ = [
    "ACCESS_EVENT_TYPES",
    "AUDIO_SOUNDS",
    "BUTTON_PRESSES",
    "CLIMATE_EVENTS",
    "DEVICE_TYPE_KINDS",
    "DOOR_SENSOR_EVENTS",
    "EARLIEST_MS",
    "ENTITY_POLICY_ALERT",
    "MAX_SPLICE_SECONDS",
    "OCCUPANCY_EVENTS",
    "REGIONS",
    "REGION_EU",
    "REGION_US",
    "STREAM_ENTITY_KINDS",
    "AccessControlledDoor",
    "AccessMode",
    "AccessModeSource",
    "AlertCursor",
    "AlertPage",
    "AqiPollutant",
    "AudioGateway",
    "Backoff",
    "BleSensor",
    "Button",
    "ButtonMode",
    "Camera",
    "ChangeEvent",
    "ChangeType",
    "ClimateSensor",
    "ComponentShadow",
    "DeviceStatus",
    "DoorPosition",
    "DoorSensor",
    "DoorStatus",
    "Endpoints",
    "EnvironmentalGateway",
    "FederatedToken",
    "LockState",
    "OccupancySensor",
    "OccupancyStatus",
    "Org",
    "PolicyAlert",
    "ReaderState",
    "RhombusApiError",
    "RhombusAuthError",
    "RhombusClipsClient",
    "RhombusConnectionError",
    "RhombusError",
    "RhombusEventStream",
    "RhombusFootageClient",
    "RhombusKindRefusedError",
    "RhombusMediaClient",
    "RhombusNoFootageError",
    "RhombusProtocolError",
    "RhombusRateLimitError",
    "RhombusRecordingsClient",
    "RhombusRestClient",
    "RhombusSiteClient",
    "RhombusUnlockError",
    "SavedClip",
    "SavedClipPage",
    "SensorHealth",
    "SensorHealthDetails",
    "ShadowType",
    "SiteAlertTarget",
    "SiteDevice",
    "SiteKind",
    "StreamState",
    "StreamStats",
    "Supervision",
    "TokenSource",
    "UnlockFailure",
    "alert_target",
    "authorise_url",
    "device_uuid",
    "event_type",
    "event_types",
    "fetch_missed_alerts",
    "kind_for_stream_entity",
    "kind_path",
    "rewrite_playlist",
    "timestamp_in_range",
]
