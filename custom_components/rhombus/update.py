"""Update entities: each camera's firmware, installed through Rhombus."""

from __future__ import annotations

from typing import Any

from homeassistant.components.update import (
    UpdateDeviceClass,
    UpdateEntity,
    UpdateEntityDescription,
    UpdateEntityFeature,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .actor import async_describe_admin
from .camera_config import FirmwareTracker
from .const import LOGGER
from .coordinator import RhombusCoordinator
from .data import RhombusConfigEntry
from .entity import RhombusDeviceEntity, async_add_camera_entities

PARALLEL_UPDATES = 0
FIRMWARE = UpdateEntityDescription(
    key="firmware",
    translation_key="firmware",
    device_class=UpdateDeviceClass.FIRMWARE,
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a Firmware entity to each camera."""
    data = entry.runtime_data

    def entities_for(uuid: str) -> list[UpdateEntity]:
        return [RhombusFirmwareUpdate(data.firmware, data.coordinator, uuid)]

    async_add_camera_entities(entry, async_add_entities, entities_for)


class RhombusFirmwareUpdate(RhombusDeviceEntity, UpdateEntity):
    """``camera/updateFirmware`` installs Rhombus's latest release."""

    _attr_supported_features = (
        UpdateEntityFeature.INSTALL | UpdateEntityFeature.PROGRESS
    )

    def __init__(
        self, firmware: FirmwareTracker, coordinator: RhombusCoordinator, uuid: str
    ) -> None:
        """Attach to the camera; versions arrive with the first read."""
        super().__init__(coordinator, uuid, FIRMWARE)
        self.firmware = firmware

    @property
    def available(self) -> bool:
        """Available once the firmware was read."""
        return super().available and self.camera_uuid in self.firmware.states

    @property
    def installed_version(self) -> str | None:
        """The camera's firmware."""
        state = self.firmware.states.get(self.camera_uuid)
        return state.installed if state else None

    @property
    def latest_version(self) -> str | None:
        """Rhombus's latest firmware for it (the installed one if unknown)."""
        state = self.firmware.states.get(self.camera_uuid)
        return (state.latest or state.installed) if state else None

    @property
    def in_progress(self) -> bool:
        """Rhombus reports an update under way."""
        state = self.firmware.states.get(self.camera_uuid)
        return bool(state and state.in_progress)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """How many releases behind, as Rhombus counts."""
        state = self.firmware.states.get(self.camera_uuid)
        return {"versions_behind": state.versions_behind if state else None}

    async def async_added_to_hass(self) -> None:
        """Read now and hourly while enabled."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.firmware.async_track(self.camera_uuid, self.async_write_ha_state)
        )

    async def async_install(
        self,
        version: str | None,  # noqa: ARG002 - Rhombus installs its latest only
        backup: bool,  # noqa: ARG002, FBT001 - the entity's signature
        **kwargs: Any,  # noqa: ARG002
    ) -> None:
        """Start the update; Rhombus refusals become translated errors."""
        camera = self.coordinator.data.get(self.camera_uuid)
        name = camera.name if camera else self.camera_uuid
        who = await async_describe_admin(
            self.hass, self._context, f"install firmware on {name}"
        )
        LOGGER.info("Installing firmware on camera %s, asked by %s", name, who)
        await self.firmware.async_install(self.camera_uuid, name)
