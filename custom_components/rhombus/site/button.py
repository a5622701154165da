"""Site buttons: a door's Unlock (deprecated) and a gateway's Restart.

The Unlock button is deprecated by the door's lock entity (`lock.py`):
created disabled for new doors, kept for one release for the automations that
still press it. E50 and audio gateways get a Restart, disabled by default.
"""

from __future__ import annotations

from collections.abc import Iterator

from homeassistant.components.button import ButtonDeviceClass, ButtonEntity
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..actor import async_describe_actor
from ..aiorhombus import RhombusDeviceAdminClient, SiteDevice, SiteKind
from ..camera_config import async_restart
from ..const import DOMAIN, LOGGER
from ..data import RhombusConfigEntry
from ..settings import door_code
from .coordinator import SiteCoordinator
from .entity import RhombusSiteEntity, async_add_site_entities
from .event_descriptions import UNLOCK_BUTTON
from .unlock import async_unlock_door, door_name

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
        """Unlock once; a refusal raises and leaves every state as it was.

        A button cannot ask for a code: with a door code set, only the lock
        opens the door, so the code cannot be bypassed through the button.
        """
        who = await async_describe_actor(self.hass, self._context)
        if door_code(self.coordinator.config_entry.options) is not None:
            LOGGER.warning(
                "Refused to unlock %s for %s: the door has a code, use its lock",
                door_name(self),
                who,
            )
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="door_code_use_lock",
                translation_placeholders={"door": door_name(self)},
            )
        await async_unlock_door(self, who)


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
