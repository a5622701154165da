"""Camera configuration, features, firmware and reboots (``deviceconfig/*``, …).

Each camera gets a faceted config by model: models in `NO_AUDIO` have no audio
facet, models outside `FACE_MODELS`/`LPR_MODELS` lack those features, the
R600 (multi-sensor) has two video facets. Everything is mutable: tests change
a camera's config as an admin in the Rhombus console would, then send its
``DEVICE_CONFIG`` change with `emit_config_change`.

Assumed, as the spec does not say: an update applies exactly the fields it
names and leaves the rest alone; it sends no ``DEVICE_CONFIG`` message of its
own. ``ignore_writes`` makes updates answer success and change nothing (a
camera that silently refuses, so the client's read-back is what tells).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from .rest import Endpoint, envelope
from .site_world import AUDIO_GATEWAY, ENVIRONMENTAL_GATEWAY, SiteWorld
from .world import BadRequestError, SimCamera, World, now_ms

NO_AUDIO: Final = frozenset({"CAMERA_R100", "CAMERA_R120", "CAMERA_R170"})
FACE_MODELS: Final = frozenset(
    {"CAMERA_R200", "CAMERA_R510", "CAMERA_R520", "CAMERA_R600", "CAMERA_R230"}
)
LPR_MODELS: Final = frozenset({"CAMERA_R510", "CAMERA_R600"})
_MULTI_SENSOR: Final = frozenset({"CAMERA_R600"})
LATEST_FIRMWARE: Final = "v10.4.2"
_FIRMWARE_ORDER: Final = ("v9.18.1", "v10.2.14", "v10.3.9", "v10.4.2")
_BLOCKS: Final = ("deviceSettings", "deviceVideoSettings")
_FACETED: Final = ("videoFacetSettings", "audioFacetSettings")


@dataclass
class SimCameraConfig:
    """One camera's settings in the spec's field names, and its features."""

    device: dict[str, Any]
    device_video: dict[str, Any]
    video: dict[str, dict[str, Any]]
    audio: dict[str, dict[str, Any]]
    features: dict[str, bool] = field(default_factory=dict)
    ignore_writes: bool = False
    # camera/reboot answers this instead of SUCCESS_REBOOT_SENT when set.
    reboot_status: str | None = None
    reboots: int = 0

    @classmethod
    def for_model(cls, hw_variation: str) -> SimCameraConfig:
        """The defaults a camera of this model ships with."""
        facets = ("v0", "v1") if hw_variation in _MULTI_SENSOR else ("v0",)
        video = {
            facet: {
                "human_detection": True,
                "vehicle_detection": True,
                "video_persist_disabled": False,
                "face_recognition": hw_variation in FACE_MODELS,
                "licenseplate_detection": hw_variation in LPR_MODELS,
                "motion_threshold": 50,
            }
            for facet in facets
        }
        audio = (
            {}
            if hw_variation in NO_AUDIO
            else {
                "a0": {
                    "audio_record": True,
                    "audio_supported": True,
                    "device_mic_enabled": True,
                }
            }
        )
        features: dict[str, bool] = {"PEOPLE_COUNTING": False}
        if hw_variation in FACE_MODELS:
            features["FACE_RECOGNITION"] = True
        if hw_variation in LPR_MODELS:
            features["LICENSE_PLATE_RECOGNITION"] = False
        return cls(
            device={"led_stealth_mode": False, "led_mode_blink_period_ms": 500},
            device_video={"ir_leds_mode": "AUTO", "ir_filter_mode": "AUTO"},
            video=video,
            audio=audio,
            features=features,
        )

    def payload(self, camera: SimCamera, org_uuid: str) -> dict[str, Any]:
        """The ``ExternalReadableFacetedUserConfig`` object."""
        config: dict[str, Any] = {
            "deviceUuid": camera.uuid,
            "orgUuid": org_uuid,
            "deviceSettings": dict(self.device),
            "deviceVideoSettings": dict(self.device_video),
            "videoFacetSettings": {k: dict(v) for k, v in self.video.items()},
            "lastModified": now_ms(),
        }
        if self.audio:
            config["audioFacetSettings"] = {k: dict(v) for k, v in self.audio.items()}
        return config

    def apply(self, update: Mapping[str, Any]) -> None:
        """Apply a ``configUpdate``: exactly the fields it names."""
        if self.ignore_writes:
            return
        for name, target in zip(_BLOCKS, (self.device, self.device_video), strict=True):
            block = update.get(name)
            if isinstance(block, Mapping):
                target.update(_known(block, target))
        for name, facets in zip(_FACETED, (self.video, self.audio), strict=True):
            block = update.get(name)
            if not isinstance(block, Mapping):
                continue
            for facet, settings in block.items():
                if facet in facets and isinstance(settings, Mapping):
                    facets[facet].update(_known(settings, facets[facet]))


def _known(block: Mapping[str, Any], target: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of ``block`` the camera has (updatedSetMethodMap is not one)."""
    return {k: v for k, v in block.items() if k in target}


def versions_behind(version: str) -> int:
    """How many releases ``version`` is behind the latest (0 if unknown)."""
    if version not in _FIRMWARE_ORDER:
        return 0
    return len(_FIRMWARE_ORDER) - 1 - _FIRMWARE_ORDER.index(version)


class CameraConfigApi:
    """The handlers, bound to the world (cameras) and the site (gateways)."""

    def __init__(self, world: World, site: SiteWorld) -> None:
        """Configs are made on first use, by each camera's model."""
        self.world = world
        self.site = site
        self.configs: dict[str, SimCameraConfig] = {}
        self.firmware_updating: set[str] = set()
        self.gateway_reboots: dict[str, int] = {}

    def config(self, uuid: str) -> SimCameraConfig:
        """A camera's config (KeyError for an unknown camera)."""
        camera = self.world.camera(uuid)
        if uuid not in self.configs:
            self.configs[uuid] = SimCameraConfig.for_model(camera.hw_variation)
        return self.configs[uuid]

    def rest_endpoints(self) -> dict[str, Endpoint]:
        """Path → handler."""
        return {
            "/api/deviceconfig/getFacetedConfig": self._get_config,
            "/api/deviceconfig/updateFacetedConfig": self._update_config,
            "/api/feature/getDeviceFeaturesList": self._get_features,
            "/api/feature/updateDeviceFeatures": self._update_features,
            "/api/camera/getFullCameraState": self._full_state,
            "/api/camera/updateFirmware": self._update_firmware,
            "/api/camera/reboot": self._reboot,
            "/api/climate/reboot": self._reboot_gateway,
            "/api/audiogateway/reboot": self._reboot_gateway,
        }

    def _camera(self, body: Mapping[str, Any], key: str) -> SimCamera | None:
        uuid = body.get(key)
        if uuid is not None and not isinstance(uuid, str):
            raise BadRequestError(f"{key} must be a string")
        return self.world.cameras.get((uuid or "").split(".", 1)[0])

    def _get_config(self, body: Mapping[str, Any]) -> dict[str, Any]:
        camera = self._camera(body, "deviceUuid")
        if camera is None:
            return _not_found()
        config = self.config(camera.uuid).payload(camera, self.world.org_uuid)
        return envelope(config=config)

    def _update_config(self, body: Mapping[str, Any]) -> dict[str, Any]:
        update = body.get("configUpdate")
        if not isinstance(update, Mapping):
            raise BadRequestError("configUpdate must be an object")
        camera = self._camera(update, "deviceUuid")
        if camera is None:
            return _not_found()
        self.config(camera.uuid).apply(update)
        return envelope()

    def _get_features(self, body: Mapping[str, Any]) -> dict[str, Any]:
        uuids = body.get("deviceUuids") or []
        if not isinstance(uuids, list) or not all(isinstance(u, str) for u in uuids):
            raise BadRequestError("deviceUuids must be a list of strings")
        found = [
            {"deviceUuid": uuid, "featureMap": dict(self.config(uuid).features)}
            for uuid in (u.split(".", 1)[0] for u in uuids)
            if uuid in self.world.cameras
        ]
        return envelope(featureList=found)

    def _update_features(self, body: Mapping[str, Any]) -> dict[str, Any]:
        camera = self._camera(body, "deviceUuid")
        changes = body.get("featureMap")
        if camera is None or not isinstance(changes, Mapping):
            return _not_found()
        config = self.config(camera.uuid)
        if not config.ignore_writes:
            for name, on in changes.items():
                if name in config.features and isinstance(on, bool):
                    config.features[name] = on
        return envelope()

    def _full_state(self, body: Mapping[str, Any]) -> dict[str, Any]:
        camera = self._camera(body, "cameraUuid")
        if camera is None:
            return _not_found()
        state = camera.to_state()
        state.update(
            latestFirmwareVersion=LATEST_FIRMWARE,
            versionsBehind=versions_behind(camera.firmware_version),
            firmwareUpdateInProgress=camera.uuid in self.firmware_updating,
            audioSupported=bool(self.config(camera.uuid).audio),
        )
        return envelope(fullCameraState=state)

    def _update_firmware(self, body: Mapping[str, Any]) -> dict[str, Any]:
        camera = self._camera(body, "cameraUuid")
        if camera is None:
            return envelope(status="DEVICE_NOT_AUTHROIZED")
        if camera.connection_status == "RED":
            status = "UNABLE_TO_REACH_DEVICE"
        elif camera.uuid in self.firmware_updating:
            status = "FIRMWARE_UPDATE_ALREADY_IN_PROGESS"
        elif camera.firmware_version == LATEST_FIRMWARE:
            status = "ALREADY_ON_THE_LATEST_FIRMWARE"
        else:
            self.firmware_updating.add(camera.uuid)
            status = "UPDATE_STARTED"
        return envelope(status=status)

    def _reboot(self, body: Mapping[str, Any]) -> dict[str, Any]:
        camera = self._camera(body, "cameraUuid")
        if camera is None:
            return envelope(status="FAILED_CAMERA_NOT_AUTHORIZED")
        config = self.config(camera.uuid)
        if camera.connection_status == "RED":
            return envelope(status="FAILED_CAMERA_OFFLINE")
        if config.reboot_status is not None:
            return envelope(status=config.reboot_status)
        config.reboots += 1
        return envelope(status="SUCCESS_REBOOT_SENT")

    def _reboot_gateway(self, body: Mapping[str, Any]) -> dict[str, Any]:
        # Common_devices_RebootDeviceWSResponse declares no error fields.
        uuid = body.get("environmentalGatewayUuid", body.get("audioGatewayUuid"))
        device = self.site.devices.get(uuid) if isinstance(uuid, str) else None
        if device is None or device.kind not in (ENVIRONMENTAL_GATEWAY, AUDIO_GATEWAY):
            return {"result": "DEVICE_OFFLINE"}
        state = device.state
        online = state.get("connected", True) is not False and (
            state.get("connectionStatus") != "RED"
        )
        if online:
            self.gateway_reboots[uuid] = self.gateway_reboots.get(uuid, 0) + 1
        return {"result": "REBOOT_SENT" if online else "DEVICE_OFFLINE"}


def _not_found() -> dict[str, Any]:
    return {"error": True, "errorMsg": "Device not found", "warningMsg": None}
