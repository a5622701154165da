"""Event and button descriptions for the site hardware.

Event entities fire from policy alerts (`aiorhombus.event_types` maps a
trigger to the entity's event type); the Unlock button calls
``unlockAccessControlledDoor`` and exists only on doors that allow remote
unlock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.components.button import ButtonEntityDescription
from homeassistant.components.event import EventDeviceClass, EventEntityDescription

from ..aiorhombus import (
    ACCESS_EVENT_TYPES,
    AUDIO_SOUNDS,
    BUTTON_PRESSES,
    CLIMATE_EVENTS,
    DOOR_SENSOR_EVENTS,
    OCCUPANCY_EVENTS,
    ButtonMode,
    SiteKind,
)
from .unlock import can_unlock_remotely


@dataclass(frozen=True, kw_only=True)
class RhombusSiteEventEntityDescription(EventEntityDescription):
    """A site event entity; ``device_class_fn`` may refine the class per device."""

    device_class_fn: Callable[[Any], EventDeviceClass | None] | None = None


@dataclass(frozen=True, kw_only=True)
class RhombusSiteButtonEntityDescription(ButtonEntityDescription):
    """A site button and which devices get it."""

    exists_fn: Callable[[Any], bool]


def _button_class(device: Any) -> EventDeviceClass:
    if device.mode is ButtonMode.DOORBELL:
        return EventDeviceClass.DOORBELL
    return EventDeviceClass.BUTTON


_CLIMATE_TYPES: Final = list(dict.fromkeys(CLIMATE_EVENTS.values()))

SITE_EVENTS: Final[Mapping[SiteKind, RhombusSiteEventEntityDescription]] = {
    SiteKind.BUTTON: RhombusSiteEventEntityDescription(
        key="press",
        translation_key="press",
        device_class=EventDeviceClass.BUTTON,
        event_types=list(BUTTON_PRESSES),
        device_class_fn=_button_class,
    ),
    SiteKind.AUDIO_GATEWAY: RhombusSiteEventEntityDescription(
        key="sound", translation_key="sound", event_types=list(AUDIO_SOUNDS)
    ),
    SiteKind.ACCESS_CONTROL: RhombusSiteEventEntityDescription(
        key="access", translation_key="access", event_types=list(ACCESS_EVENT_TYPES)
    ),
    SiteKind.CLIMATE_SENSOR: RhombusSiteEventEntityDescription(
        key="air_alert", translation_key="air_alert", event_types=_CLIMATE_TYPES
    ),
    SiteKind.ENVIRONMENTAL_GATEWAY: RhombusSiteEventEntityDescription(
        key="air_alert", translation_key="air_alert", event_types=_CLIMATE_TYPES
    ),
    SiteKind.DOOR_SENSOR: RhombusSiteEventEntityDescription(
        key="door_alert",
        translation_key="door_alert",
        event_types=list(DOOR_SENSOR_EVENTS.values()),
        entity_registry_enabled_default=False,
    ),
    SiteKind.OCCUPANCY_SENSOR: RhombusSiteEventEntityDescription(
        key="occupancy_alert",
        translation_key="occupancy_alert",
        event_types=list(OCCUPANCY_EVENTS.values()),
        entity_registry_enabled_default=False,
    ),
}

UNLOCK_BUTTON: Final = RhombusSiteButtonEntityDescription(
    key="unlock",
    translation_key="unlock",
    # Replaced by the door's lock entity: new doors get it disabled.
    entity_registry_enabled_default=False,
    # Only a door whose remote unlock is enabled gets a button.
    exists_fn=can_unlock_remotely,
)
