"""The base of a camera control: state from `CameraControls`, verified writes."""

from __future__ import annotations

import logging

from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity import EntityDescription

from ..actor import async_describe_admin
from ..aiorhombus import ConfigValue
from ..const import LOGGER
from ..coordinator import RhombusCoordinator
from ..entity import RhombusDeviceEntity
from .descriptions import ControlDescription
from .manager import CameraControls


class RhombusControlEntity(RhombusDeviceEntity):
    """One camera control; unavailable until Rhombus reported its value."""

    entity_description: ControlDescription

    def __init__(
        self,
        controls: CameraControls,
        coordinator: RhombusCoordinator,
        camera_uuid: str,
        description: EntityDescription,
    ) -> None:
        """Attach to the camera's device and to the controls' state."""
        super().__init__(coordinator, camera_uuid, description)
        self.controls = controls

    @property
    def reported(self) -> ConfigValue | None:
        """The value Rhombus last reported."""
        return self.controls.value(self.camera_uuid, self.entity_description)

    @property
    def available(self) -> bool:
        """Available while the camera is listed and its value is known."""
        return super().available and self.reported is not None

    async def async_added_to_hass(self) -> None:
        """Keep the camera's config read while this control is enabled."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.controls.async_track(self.camera_uuid, self.async_write_ha_state)
        )

    async def _async_set(self, value: ConfigValue, shown: str) -> None:
        """Log who asks for what, write and verify, then log how it ended."""
        camera = self.coordinator.data.get(self.camera_uuid)
        name = str(self.name) if isinstance(self.name, str) else self.entity_id
        warn = self.entity_description.warn_off and shown == "off"
        who = await async_describe_admin(
            self.hass, self._context, f"change {name} of a camera"
        )
        camera_name = camera.name if camera else self.camera_uuid
        level = logging.WARNING if warn else logging.INFO
        LOGGER.log(
            level, "%s asks to set %s of camera %s to %s", who, name, camera_name, shown
        )
        try:
            await self.controls.async_write(
                self.camera_uuid, self.entity_description, value, name
            )
        except HomeAssistantError as err:
            LOGGER.warning(
                "Could not set %s of camera %s to %s for %s: %s",
                name,
                camera_name,
                shown,
                who,
                err,
            )
            raise
        LOGGER.log(
            level,
            "%s of camera %s set to %s, asked by %s",
            name,
            camera_name,
            shown,
            who,
        )
