"""The simulated organisation: API keys, cameras and the policy-alert history.

Alert history order (``getPolicyAlerts``): newest first, by ``(timestampMs, uuid)``
descending. Pagination with ``lastTimestampMs``/``lastUuid`` returns the alerts that
come strictly after that key in this order, i.e. those with
``(timestampMs, uuid) < (lastTimestampMs, lastUuid)``; ``lastUuid`` alone (without a
timestamp) is ignored. ``afterTimestampMs`` is inclusive (a client catching up after a
reconnect sees its last alert again and must dedupe), ``beforeTimestampMs`` is
exclusive; 0 or absent means no bound. ``maxResults`` defaults to 100, capped at 1000.
Deleted (dismissed) alerts leave the list but stay readable through
``getPolicyAlertDetails`` with ``deleted: true``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
import time
from typing import Any

from .names import NameGenerator

DEVICE_STATUSES = ("GREEN", "YELLOW", "ORANGE", "RED")
DEFAULT_MAX_RESULTS = 100
MAX_RESULTS_CAP = 1000
MEDIA_REGION = "us-west-2"
# Detail lists of PolicyAlertWithDetailsType: absent from stream updates and the list.
DETAIL_LISTS = (
    "seekPoints",
    "recognizedEventFaces",
    "unrecognizedEventFaces",
    "recognizedEventVehicles",
    "unrecognizedEventVehicles",
)
_NOT_LISTED = (*DETAIL_LISTS, "delayedProcessing")
_HEALTH_DETAILS = {
    "GREEN": "NONE",
    "YELLOW": "LINK_SPEED_LOW",
    "ORANGE": "NOT_RECORDING",
    "RED": "DISCONNECTED",
}


class BadRequestError(ValueError):
    """A REST body whose fields have the wrong types."""


def now_ms() -> int:
    """Return the wall clock in epoch milliseconds."""
    return int(time.time() * 1000)


@dataclass
class SimCamera:
    """One simulated camera; mutate it freely, REST reads it on every call."""

    uuid: str
    name: str
    hw_variation: str
    firmware_version: str
    serial_number: str
    connection_status: str
    health_status: str
    location_uuid: str
    policy_uuid: str = ""
    mac_address: str = "02:00:00:00:00:00"
    lan_address: str = "192.168.1.100"
    created_at_ms: int = 1_651_708_800_000

    def to_state(self) -> dict[str, Any]:
        """Serialise as a ``MinimalDeviceStateType``."""
        online = self.connection_status != "RED"
        return {
            "uuid": self.uuid,
            "name": self.name,
            "hwVariation": self.hw_variation,
            "serialNumber": self.serial_number,
            "firmwareVersion": self.firmware_version,
            "firmwareUpdateInProgress": False,
            "connectionStatus": self.connection_status,
            "healthStatus": self.health_status,
            "healthStatusDetails": _HEALTH_DETAILS.get(self.health_status, "NONE"),
            "locationUuid": self.location_uuid,
            "policyUuid": self.policy_uuid,
            "floorNumber": 1,
            "mediaRegion": MEDIA_REGION,
            "region": MEDIA_REGION,
            "lanAddresses": [self.lan_address] if online else [],
            "defaultInterface": "eth0",
            "defaultInterfaceMac": self.mac_address,
            "supportedFacets": ["v0", "a0"],
            "facetNameMap": {},
            "liveStreamShared": False,
            "liveStreamsSharedCount": 0,
            "mummified": False,
            "createdAtMillis": self.created_at_ms,
        }


def _strings(value: Any) -> bool:
    """A list of strings (what a uuid filter must be)."""
    return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)


class World:
    """State behind every REST answer and stream event."""

    def __init__(
        self, names: NameGenerator, *, org_uuid: str | None, org_name: str, api_key: str
    ) -> None:
        """Create an org with one valid key and no cameras yet."""
        self.names = names
        self.org_uuid = org_uuid or names.ruuid()
        self.org_name = org_name
        self.api_keys: set[str] = {api_key}
        self.location_uuid = names.ruuid()
        self.policy_uuid = names.ruuid()
        self.cameras: dict[str, SimCamera] = {}
        self.alerts: dict[str, dict[str, Any]] = {}

    @property
    def topic(self) -> str:
        """The one STOMP destination the org publishes on."""
        return f"/topic/change/{self.org_uuid}"

    def add_camera(self, name: str | None = None) -> SimCamera:
        """Create a healthy camera with generated identity."""
        names = self.names
        hw_variation = names.hw_variation()
        index = len(self.cameras)
        octets = (index // 62_500 % 256, index // 250 % 250, index % 250 + 2)
        camera = SimCamera(
            uuid=names.ruuid(),
            name=name or names.camera_name(),
            hw_variation=hw_variation,
            firmware_version=names.firmware_version(),
            serial_number=names.serial_number(hw_variation),
            connection_status="GREEN",
            health_status="GREEN",
            location_uuid=self.location_uuid,
            policy_uuid=self.policy_uuid,
            mac_address=names.mac_address(),
            lan_address="10.{}.{}.{}".format(*octets),
            created_at_ms=1_651_708_800_000 + index * 86_400_000,
        )
        self.cameras[camera.uuid] = camera
        return camera

    def camera(self, uuid: str) -> SimCamera:
        """Return a camera or raise KeyError naming the unknown uuid."""
        try:
            return self.cameras[uuid]
        except KeyError:
            raise KeyError(f"no simulated camera {uuid}") from None

    def set_camera_status(
        self, uuid: str, status: str, health_status: str | None = None
    ) -> None:
        """Set connectionStatus (and healthStatus, same value unless given)."""
        for value in (status, health_status or status):
            if value not in DEVICE_STATUSES:
                raise ValueError(f"status must be one of {DEVICE_STATUSES}")
        camera = self.camera(uuid)
        camera.connection_status = status
        camera.health_status = health_status or status

    def org_payload(self) -> dict[str, Any]:
        """Return the ``getOrgV2`` ``org`` object."""
        return {
            "uuid": self.org_uuid,
            "name": self.org_name,
            "type": "CUSTOMER",
            "subscriptionStatus": "PAID",
            "countryCode": "US",
            "createdAtMillis": 1_651_708_800_000,
            "mfaEnabled": True,
            "audioRecordingEnabled": False,
            "audioAnalysisEnabled": False,
            "deleted": False,
        }

    def build_alert(
        self,
        camera_uuid: str,
        triggers: Iterable[str],
        *,
        alert_uuid: str | None,
        description: str | None,
        timestamp_ms: int | None,
        duration_sec: float,
    ) -> dict[str, Any]:
        """Return a full policy-alert object (``PolicyAlertWithDetailsType`` subset)."""
        triggers = list(triggers)
        camera = self.cameras.get(camera_uuid)
        if description is None and camera is not None and triggers:
            description = self.names.description(triggers[0], camera.name)
        region = {"region": MEDIA_REGION}
        return {
            "uuid": alert_uuid or self.names.ruuid(),
            "type": "POLICY_ALERT_V2",
            "orgUuid": self.org_uuid,
            "locationUuid": camera.location_uuid if camera else self.location_uuid,
            "policyUuid": self.policy_uuid,
            "deviceUuid": camera_uuid,
            "deviceType": "CAMERA",
            "timestampMs": now_ms() if timestamp_ms is None else timestamp_ms,
            "durationSec": duration_sec,
            "policyAlertTriggers": triggers,
            "textDescription": description,
            "thumbnailLocation": dict(region),
            "clipLocation": dict(region),
            "clipLocationMap": {camera_uuid: dict(region)},
            "finalized": False,
            "delayedProcessing": False,
            "deleted": False,
            "notificationSent": True,
            "saved": False,
            "shared": False,
            "seekPoints": [
                {
                    "id": 1,
                    "activity": triggers[0] if triggers else "MOTION",
                    "relativeSecond": 1.5,
                    "alert": True,
                    "inMotion": True,
                }
            ],
            "recognizedEventFaces": [],
            "unrecognizedEventFaces": [],
            "recognizedEventVehicles": [],
            "unrecognizedEventVehicles": [],
        }

    def store_alert(self, alert: Mapping[str, Any]) -> None:
        """Insert or replace an alert in the history (keyed by uuid)."""
        self.alerts[alert["uuid"]] = dict(alert)

    def delete_alert(self, uuid: str) -> dict[str, Any] | None:
        """Mark an alert deleted; return it, or None if unknown."""
        alert = self.alerts.get(uuid)
        if alert is not None:
            alert["deleted"] = True
        return alert

    def query_alerts(self, request: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Answer ``getPolicyAlerts`` (order and paging: see the module docstring)."""
        after = _optional_int(request, "afterTimestampMs")
        before = _optional_int(request, "beforeTimestampMs")
        last_ts = _optional_int(request, "lastTimestampMs")
        last_uuid = request.get("lastUuid") or ""
        max_results = _optional_int(request, "maxResults") or DEFAULT_MAX_RESULTS
        devices = request.get("deviceFilter") or ()
        if not isinstance(last_uuid, str) or not _strings(devices):
            raise BadRequestError("lastUuid must be a string, deviceFilter a list")
        wanted = set(devices)
        result: list[dict[str, Any]] = []
        for alert in sorted(self.alerts.values(), key=_order_key, reverse=True):
            ts = alert["timestampMs"]
            if alert["deleted"] or (wanted and alert["deviceUuid"] not in wanted):
                continue
            if (after and ts < after) or (before and ts >= before):
                continue
            if last_ts is not None and (ts, alert["uuid"]) >= (last_ts, last_uuid):
                continue
            result.append({k: v for k, v in alert.items() if k not in _NOT_LISTED})
            if len(result) >= min(max(max_results, 1), MAX_RESULTS_CAP):
                break
        return result


def _order_key(alert: Mapping[str, Any]) -> tuple[int, str]:
    return alert["timestampMs"], alert["uuid"]


def _optional_int(request: Mapping[str, Any], key: str) -> int | None:
    value = request.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequestError(f"{key} must be an integer")
    return value
