"""Buttons: unlock an access-controlled door; restart a camera or a gateway."""

from __future__ import annotations

from homeassistant.components.button import ButtonDeviceClass, ButtonEntity
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aiorhombus import RhombusDeviceAdminClient
from .camera_config import async_restart
from .coordinator import RhombusCoordinator
from .data import RhombusConfigEntry
from .entity import RhombusDeviceEntity, async_add_camera_entities
from .site.button import async_setup_site_buttons

# Each press is one REST call of its own; presses of two doors need not wait.
PARALLEL_UPDATES = 0
# A restart interrupts recording: nobody should press it by accident.
RESTART = EntityDescription(
    key="restart",
    translation_key="restart",
    device_class=ButtonDeviceClass.RESTART,
    entity_category=EntityCategory.CONFIG,
    entity_registry_enabled_default=False,
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: RhombusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add Unlock to doors, Restart to cameras and gateways."""
    async_setup_site_buttons(entry, async_add_entities)
    data = entry.runtime_data

    def entities_for(uuid: str) -> list[ButtonEntity]:
        return [RhombusCameraRestart(data.admin, data.coordinator, uuid)]

    async_add_camera_entities(entry, async_add_entities, entities_for)


class RhombusCameraRestart(RhombusDeviceEntity, ButtonEntity):
    """``camera/reboot``: offline or refused cameras raise a translated error."""

    def __init__(
        self,
        admin: RhombusDeviceAdminClient,
        coordinator: RhombusCoordinator,
        uuid: str,
    ) -> None:
        """Attach to the camera's device."""
        super().__init__(coordinator, uuid, RESTART)
        self.admin = admin

    async def async_press(self) -> None:
        """Send the reboot, logged with who asked."""
        camera = self.coordinator.data.get(self.camera_uuid)
        name = f"camera {camera.name if camera else self.camera_uuid}"
        await async_restart(
            self.hass,
            self._context,
            name,
            lambda: self.admin.reboot_camera(self.camera_uuid),
        )
