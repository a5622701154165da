"""One momentary unlock of an access-controlled door, logged with who asked.

The lock entity's open (and unlock) and the deprecated Unlock button share it:
one REST call, never retried (a second try could open the door twice), and a
translated error when Rhombus does not confirm it.
"""

from __future__ import annotations

from homeassistant.exceptions import HomeAssistantError

from ..aiorhombus import AccessControlledDoor, RhombusError, RhombusUnlockError
from ..const import DOMAIN, LOGGER
from .entity import RhombusSiteEntity


def door_name(entity: RhombusSiteEntity) -> str:
    """The door's name as the latest list gives it (its uuid when gone)."""
    door = entity.device
    return str(door.name) if door is not None else entity.device_uuid


def can_unlock_remotely(door: AccessControlledDoor) -> bool:
    """A door with a lock relay whose remote unlock is enabled (unknown: not)."""
    return door.remote_unlock_enabled is True and bool(door.relay_components)


async def async_unlock_door(entity: RhombusSiteEntity, who: str) -> None:
    """Unlock once for ``who``; a refusal raises and leaves every state as it was."""
    name = door_name(entity)
    LOGGER.warning("Unlocking %s, asked by %s", name, who)
    try:
        await entity.coordinator.client.unlock_door(entity.device_uuid)
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
    await entity.coordinator.async_request_refresh()
