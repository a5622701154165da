"""The camera controls: which Rhombus field or feature each one switches."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.select import SelectEntityDescription
from homeassistant.components.switch import SwitchEntityDescription
from homeassistant.const import EntityCategory, Platform
from homeassistant.helpers.entity import EntityDescription

from ..aiorhombus import (
    AUDIO_RECORD,
    FACE_RECOGNITION,
    HUMAN_DETECTION,
    IR_LEDS_MODE,
    LED_STEALTH_MODE,
    LICENSE_PLATE_RECOGNITION,
    VEHICLE_DETECTION,
    VIDEO_PERSIST_DISABLED,
    ConfigField,
)


@dataclass(frozen=True, kw_only=True)
class ControlDescription(EntityDescription):
    """A control backed by a config field or by a device feature (one of them)."""

    config_field: ConfigField | None = None
    feature: str | None = None
    # The field means the opposite of the control (stealth = light off).
    inverted: bool = False
    # Turning it off deserves a WARNING in the log (footage stops being kept).
    warn_off: bool = False
    entity_category: EntityCategory | None = EntityCategory.CONFIG


@dataclass(frozen=True, kw_only=True)
class ControlSwitchDescription(ControlDescription, SwitchEntityDescription):
    """A switch control."""


@dataclass(frozen=True, kw_only=True)
class ControlSelectDescription(ControlDescription, SelectEntityDescription):
    """A select control: Rhombus's enum values, lower-cased, are the options."""


SWITCHES: tuple[ControlSwitchDescription, ...] = (
    ControlSwitchDescription(
        key="status_light",
        translation_key="status_light",
        config_field=LED_STEALTH_MODE,
        inverted=True,
    ),
    ControlSwitchDescription(
        key="audio_recording",
        translation_key="audio_recording",
        config_field=AUDIO_RECORD,
    ),
    ControlSwitchDescription(
        key="person_detection",
        translation_key="person_detection",
        config_field=HUMAN_DETECTION,
    ),
    ControlSwitchDescription(
        key="vehicle_detection",
        translation_key="vehicle_detection",
        config_field=VEHICLE_DETECTION,
    ),
    ControlSwitchDescription(
        key="face_recognition",
        translation_key="face_recognition",
        feature=FACE_RECOGNITION,
    ),
    ControlSwitchDescription(
        key="license_plate_reading",
        translation_key="license_plate_reading",
        feature=LICENSE_PLATE_RECOGNITION,
    ),
    # Off means Rhombus keeps no footage of the camera: never on by surprise.
    ControlSwitchDescription(
        key="video_recording",
        translation_key="video_recording",
        config_field=VIDEO_PERSIST_DISABLED,
        inverted=True,
        warn_off=True,
        entity_registry_enabled_default=False,
    ),
)

SELECTS: tuple[ControlSelectDescription, ...] = (
    ControlSelectDescription(
        key="night_vision",
        translation_key="night_vision",
        config_field=IR_LEDS_MODE,
        options=["auto", "on", "off"],
    ),
)

# Every control's (platform, key): what the registry is asked at setup.
CONTROL_KEYS: tuple[tuple[Platform, ControlDescription], ...] = (
    *((Platform.SWITCH, d) for d in SWITCHES),
    *((Platform.SELECT, d) for d in SELECTS),
)
CONFIG_FIELDS: tuple[ConfigField, ...] = tuple(
    d.config_field for _, d in CONTROL_KEYS if d.config_field is not None
)
