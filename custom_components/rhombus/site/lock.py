"""The lock of an access-controlled door: open is the momentary unlock.

Rhombus relocks a door by itself after its unlock time, so the lock entity
shows the lock relay's state and offers one action, the momentary unlock:
``open``, and ``unlock`` too (voice assistants and HA's lock card call unlock;
both do the same one call). ``lock`` is refused: there is nothing to lock.

With a door code in the options, the lock asks for it (``code_format``). A
missing or wrong code is refused before any REST call, logged and fired as
``rhombus_door_bad_code``; the code itself is never logged or fired.
"""

from __future__ import annotations

from collections.abc import Iterator
import hmac
from typing import Any, NoReturn

from homeassistant.components.lock import (
    LockEntity,
    LockEntityDescription,
    LockEntityFeature,
)
from homeassistant.const import ATTR_CODE, ATTR_ENTITY_ID
from homeassistant.core import callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..actor import async_describe_actor
from ..aiorhombus import AccessControlledDoor, LockState, SiteDevice
from ..code_guard import CodeGuard
from ..const import DOMAIN, EVENT_DOOR_BAD_CODE, LOGGER
from ..data import RhombusConfigEntry
from ..settings import door_code
from .coordinator import SiteCoordinator
from .entity import RhombusSiteEntity, async_add_site_entities
from .unlock import async_unlock_door, can_unlock_remotely, door_name

# The key names the lock's icons (its name is the door's, below).
DOOR_LOCK = LockEntityDescription(key="lock", translation_key="door")
# Any text: every attempt, even an empty one, reaches the check below, so a
# missing code is logged and fired like a wrong one (and the format says
# nothing about the code).
ANY_CODE = r"^.*$"


@callback
def async_setup_site_locks(
    entry: RhombusConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add a lock to each door that may be unlocked remotely."""
    guard = CodeGuard()  # one code opens every door: guesses count per account

    def entities_for(
        coordinator: SiteCoordinator, device: SiteDevice
    ) -> Iterator[LockEntity]:
        if isinstance(device, AccessControlledDoor) and can_unlock_remotely(device):
            yield RhombusDoorLock(coordinator, device, DOOR_LOCK, guard)

    async_add_site_entities(entry, async_add_entities, entities_for)


class RhombusDoorLock(RhombusSiteEntity, LockEntity):
    """A door Rhombus keeps locked; open unlocks it for its unlock time."""

    _attr_name = None  # the door's own name: the lock is what the door is
    _attr_supported_features = LockEntityFeature.OPEN

    def __init__(
        self,
        coordinator: SiteCoordinator,
        device: AccessControlledDoor,
        description: LockEntityDescription,
        guard: CodeGuard,
    ) -> None:
        """Bind to the door; ``guard`` counts the account's wrong codes."""
        super().__init__(coordinator, device, description)
        self._guard = guard

    @property
    def is_locked(self) -> bool | None:
        """The lock relay's state (None while Rhombus does not know it)."""
        door = self.device
        lock = door.lock if door is not None else None
        if lock is None or lock is LockState.UNKNOWN:
            return None
        return bool(lock is LockState.LOCKED)

    @property
    def code_format(self) -> str | None:
        """Ask for a code only when the options hold one."""
        return ANY_CODE if door_code(self.coordinator.config_entry.options) else None

    async def async_open(self, **kwargs: Any) -> None:
        """The momentary unlock, after the door code when one is set."""
        await self._async_momentary_unlock(kwargs.get(ATTR_CODE))

    async def async_unlock(self, **kwargs: Any) -> None:
        """The same momentary unlock: Rhombus has no unlock that stays."""
        await self._async_momentary_unlock(kwargs.get(ATTR_CODE))

    async def async_lock(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Refused: Rhombus relocks the door by itself."""
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="door_lock_not_supported",
            translation_placeholders={"door": door_name(self)},
        )

    async def _async_momentary_unlock(self, code: object) -> None:
        who = await async_describe_actor(self.hass, self._context)
        expected = door_code(self.coordinator.config_entry.options)
        if expected is not None:
            if wait := self._guard.wait():
                LOGGER.warning(
                    "Refused to unlock %s for %s: too many wrong door codes",
                    door_name(self),
                    who,
                )
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="door_code_locked_out",
                    translation_placeholders={
                        "door": door_name(self),
                        "seconds": str(round(wait)),
                    },
                )
            if not _same(code, expected):
                self._guard.wrong()
                self._refuse_code(who, missing=not code)
            self._guard.right()
        await async_unlock_door(self, who)

    def _refuse_code(self, who: str, *, missing: bool) -> NoReturn:
        name = door_name(self)
        LOGGER.warning(
            "Refused to unlock %s for %s: %s door code",
            name,
            who,
            "no" if missing else "a wrong",
        )
        self.hass.bus.async_fire(
            EVENT_DOOR_BAD_CODE,
            {
                ATTR_ENTITY_ID: self.entity_id,
                "door": name,
                "device_id": self.device_entry.id if self.device_entry else None,
                "who": who,
            },
            context=self._context,
        )
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="door_code_missing" if missing else "door_code_wrong",
            translation_placeholders={"door": name},
        )


def _same(code: object, expected: str) -> bool:
    """Compare in constant time, so the answer's timing says nothing."""
    return isinstance(code, str) and hmac.compare_digest(
        code.encode(), expected.encode()
    )
