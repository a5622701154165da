"""The Unlock button of an access-controlled door: one momentary unlock."""

from __future__ import annotations

from collections.abc import Iterator

from homeassistant.components.button import ButtonDeviceClass, ButtonEntity
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..actor import async_describe_actor
from ..aiorhombus import (
    RhombusDeviceAdminClient,
    RhombusError,
    RhombusUnlockError,
    SiteDevice,
    SiteKind,
)
from ..camera_config import async_restart
from ..const import DOMAIN, LOGGER
from ..data import RhombusConfigEntry
from .coordinator import SiteCoordinator
from .entity import RhombusSiteEntity, async_add_site_entities
from .event_descriptions import UNLOCK_BUTTON

# A restart interrupts the gateway's sensors: disabled until a user wants it.
GATEWAY_RESTART = EntityDescription(
    key="restart",
    translation_key="restart",
    device_class=ButtonDeviceClass.RESTART,
    entity_category=EntityCategory.CONFIG,
    entity_registry_enabled_default=False,
)
# climate/reboot (E50) and audiogateway/reboot (only in the 2025-08 MCP spec).
_ADMIN = RhombusDeviceAdminClient
_REBOOTS = {
    SiteKind.ENVIRONMENTAL_GATEWAY: _ADMIN.reboot_environmental_gateway,
    SiteKind.AUDIO_GATEWAY: _ADMIN.reboot_audio_gateway,
}


@callback
def async_setup_site_buttons(
    entry: RhombusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add an Unlock button to each door that may be unlocked remotely."""

    def entities_for(
        coordinator: SiteCoordinator, device: SiteDevice
    ) -> Iterator[ButtonEntity]:
        if coordinator.kind is SiteKind.ACCESS_CONTROL and UNLOCK_BUTTON.exists_fn(
            device
        ):
            yield RhombusUnlockButton(coordinator, device, UNLOCK_BUTTON)
        if coordinator.kind in _REBOOTS:
            yield RhombusGatewayRestart(coordinator, device, GATEWAY_RESTART)

    async_add_site_entities(entry, async_add_entities, entities_for)


class RhombusUnlockButton(RhombusSiteEntity, ButtonEntity):
    """Unlocks the door for its configured time; Rhombus relocks it."""

    async def async_press(self) -> None:
        """Unlock once; a refusal raises and leaves every state as it was."""
        door = self.device
        name = door.name if door is not None else self.device_uuid
        LOGGER.warning(
            "Unlocking %s, asked by %s",
            name,
            await async_describe_actor(self.hass, self._context),
        )
        try:
            await self.coordinator.client.unlock_door(self.device_uuid)
        except RhombusUnlockError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="unlock_failed",
                translation_placeholders={"door": name, "error": str(err.reason)},
            ) from err
        except RhombusError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="unlock_failed",
                translation_placeholders={"door": name, "error": str(err)},
            ) from err
        # The door's lock and position change: read them soon.
        await self.coordinator.async_request_refresh()


class RhombusGatewayRestart(RhombusSiteEntity, ButtonEntity):
    """Reboots an E50 or an audio gateway; ``DEVICE_OFFLINE`` raises."""

    async def async_press(self) -> None:
        """Send the reboot, logged with who asked."""
        device = self.device
        name = device.name if device is not None else self.device_uuid
        admin = self.coordinator.config_entry.runtime_data.admin
        reboot = _REBOOTS[self.coordinator.kind]
        await async_restart(
            self.hass, self._context, name, lambda: reboot(admin, self.device_uuid)
        )
