"""A camera's faceted configuration: the few fields a user toggles.

``deviceconfig/getFacetedConfig`` answers every block; a control reads one
field of one block. Video and audio settings are maps keyed by facet (``v0``,
``a0``, …): the keys come from the camera's own answer, never assumed.

Inferred, not settled by the spec: an update that names one field leaves the
others alone (MCP-update sends partial updates and treats ``error: false`` as
success), which is why every write is read back by the caller. The spec has
``updatedSetMethodMap`` only in the update schema; a camera whose answer carries
one with ``<field>: false`` is read as not supporting that field (MCP-update).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from .rest import RhombusRestClient

GET_PATH: Final = "deviceconfig/getFacetedConfig"
UPDATE_PATH: Final = "deviceconfig/updateFacetedConfig"
_SET_METHODS: Final = "updatedSetMethodMap"


class ConfigBlock(StrEnum):
    """The settings blocks the controls touch (facet maps marked by `faceted`)."""

    DEVICE = "deviceSettings"
    DEVICE_VIDEO = "deviceVideoSettings"
    VIDEO_FACETS = "videoFacetSettings"
    AUDIO_FACETS = "audioFacetSettings"

    @property
    def faceted(self) -> bool:
        """Whether the block maps facet keys to settings."""
        return self in (ConfigBlock.VIDEO_FACETS, ConfigBlock.AUDIO_FACETS)


@dataclass(frozen=True, slots=True)
class ConfigField:
    """One writable field of one block."""

    block: ConfigBlock
    name: str


LED_STEALTH_MODE: Final = ConfigField(ConfigBlock.DEVICE, "led_stealth_mode")
IR_LEDS_MODE: Final = ConfigField(ConfigBlock.DEVICE_VIDEO, "ir_leds_mode")
AUDIO_RECORD: Final = ConfigField(ConfigBlock.AUDIO_FACETS, "audio_record")
HUMAN_DETECTION: Final = ConfigField(ConfigBlock.VIDEO_FACETS, "human_detection")
VEHICLE_DETECTION: Final = ConfigField(ConfigBlock.VIDEO_FACETS, "vehicle_detection")
VIDEO_PERSIST_DISABLED: Final = ConfigField(
    ConfigBlock.VIDEO_FACETS, "video_persist_disabled"
)
# IRModesEnum
IR_MODES: Final = ("AUTO", "ON", "OFF")

type ConfigValue = bool | str


@dataclass(frozen=True, slots=True)
class CameraConfig:
    """What one camera reports for the known fields.

    ``values`` holds only fields the camera has and may set; ``facets`` names
    the facet keys holding a faceted field (a write goes to each of them).
    """

    device_uuid: str
    values: Mapping[ConfigField, ConfigValue] = field(default_factory=dict)
    facets: Mapping[ConfigField, tuple[str, ...]] = field(default_factory=dict)

    def get(self, config_field: ConfigField) -> ConfigValue | None:
        """The field's value, or None when the camera lacks it."""
        return self.values.get(config_field)

    @classmethod
    def from_api(
        cls, device_uuid: str, config: Any, fields: tuple[ConfigField, ...]
    ) -> CameraConfig:
        """Read ``fields`` out of a ``config`` object (anything else: nothing)."""
        values: dict[ConfigField, ConfigValue] = {}
        facets: dict[ConfigField, tuple[str, ...]] = {}
        if not isinstance(config, Mapping):
            return cls(device_uuid)
        for wanted in fields:
            block = config.get(wanted.block.value)
            if not isinstance(block, Mapping):
                continue
            if not wanted.block.faceted:
                if (value := _settable(block, wanted.name)) is not None:
                    values[wanted] = value
                continue
            keys: list[str] = []
            for key, settings in block.items():
                if not isinstance(settings, Mapping) or not _audio_ok(wanted, settings):
                    continue
                if (value := _settable(settings, wanted.name)) is not None:
                    values.setdefault(wanted, value)
                    keys.append(str(key))
            if keys:
                facets[wanted] = tuple(keys)
        return cls(device_uuid, values, facets)


def _audio_ok(wanted: ConfigField, settings: Mapping[str, Any]) -> bool:
    """An audio facet that says the camera has no audio is no audio facet."""
    return wanted.block is not ConfigBlock.AUDIO_FACETS or (
        settings.get("audio_supported") is not False
    )


def _settable(settings: Mapping[str, Any], name: str) -> ConfigValue | None:
    value = settings.get(name)
    methods = settings.get(_SET_METHODS)
    if isinstance(methods, Mapping) and methods.get(name) is False:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in IR_MODES:
        return value
    return None


class RhombusConfigClient:
    """Read and write a camera's faceted configuration."""

    def __init__(self, rest: RhombusRestClient) -> None:
        """Share the REST client (its key, session and error mapping)."""
        self._rest = rest

    async def get_config(
        self, device_uuid: str, fields: tuple[ConfigField, ...]
    ) -> CameraConfig:
        """One ``getFacetedConfig`` call."""
        data = await self._rest.request(GET_PATH, {"deviceUuid": device_uuid})
        return CameraConfig.from_api(device_uuid, data.get("config"), fields)

    async def update_field(
        self, config: CameraConfig, config_field: ConfigField, value: ConfigValue
    ) -> None:
        """One ``updateFacetedConfig`` call carrying this field alone.

        A faceted field goes to each facet that reported it. An in-band
        ``error: true`` raises (``RhombusApiError``); success only means the
        request was accepted: read the config back to know it took.
        """
        block: dict[str, Any]
        if config_field.block.faceted:
            keys = config.facets.get(config_field, ())
            block = {key: {config_field.name: value} for key in keys}
        else:
            block = {config_field.name: value}
        update = {"deviceUuid": config.device_uuid, config_field.block.value: block}
        await self._rest.request(UPDATE_PATH, {"configUpdate": update})
