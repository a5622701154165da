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
from .const import REGION_EU, REGION_US, REGIONS, Endpoints
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
from .media import FederatedToken, RhombusMediaClient
from .models import Camera, ChangeEvent, Org, StreamState
from .rest import RhombusRestClient
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

__all__ = [
    "DEVICE_TYPE_KINDS",
    "REGIONS",
    "REGION_EU",
    "REGION_US",
    "STREAM_ENTITY_KINDS",
    "AccessControlledDoor",
    "AccessMode",
    "AccessModeSource",
    "AqiPollutant",
    "AudioGateway",
    "Backoff",
    "BleSensor",
    "Button",
    "ButtonMode",
    "Camera",
    "ChangeEvent",
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
    "ReaderState",
    "RhombusApiError",
    "RhombusAuthError",
    "RhombusConnectionError",
    "RhombusError",
    "RhombusEventStream",
    "RhombusKindRefusedError",
    "RhombusMediaClient",
    "RhombusProtocolError",
    "RhombusRateLimitError",
    "RhombusRestClient",
    "RhombusSiteClient",
    "RhombusUnlockError",
    "SensorHealth",
    "SensorHealthDetails",
    "ShadowType",
    "SiteDevice",
    "SiteKind",
    "StreamState",
    "StreamStats",
    "Supervision",
    "UnlockFailure",
    "kind_for_stream_entity",
    "kind_path",
]
