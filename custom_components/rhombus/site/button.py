"""The Unlock button of an access-controlled door: one momentary unlock.

Deprecated by the door's lock entity (`lock.py`): created disabled for new
doors, kept for one release for the automations that still press it.
"""

from __future__ import annotations

from collections.abc import Iterator

from homeassistant.components.button import ButtonEntity
from homeassistant.core import callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..actor import async_describe_actor
from ..aiorhombus import SiteDevice, SiteKind
from ..const import DOMAIN, LOGGER
from ..data import RhombusConfigEntry
from ..settings import door_code
from .coordinator import SiteCoordinator
from .entity import RhombusSiteEntity, async_add_site_entities
from .event_descriptions import UNLOCK_BUTTON
from .unlock import async_unlock_door, door_name


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
