"""Who asked for an action (the name a log line gives), and admins only.

Every change to the account or the building is logged with who made it. A
user's call (the UI, a voice assistant acting for them, an admin's action
call) carries their user id; an automation or a script runs with a context of
its own, which its entity's state carries too, so the name is found there.
"""

from __future__ import annotations

from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import Unauthorized, UnknownUser

from .const import LOGGER

# The domains whose runs call our actions with a context of their own.
_RUNNERS = ("automation", "script")


async def async_describe_actor(hass: HomeAssistant, context: Context | None) -> str:
    """``user <name>``, ``automation <name>``, ``script <name>`` or a fallback."""
    if context is None:
        return "Home Assistant"
    if context.user_id is not None:
        user = await hass.auth.async_get_user(context.user_id)
        name = user.name if user is not None and user.name else context.user_id
        return f"user {name}"
    for domain in _RUNNERS:
        for state in hass.states.async_all(domain):
            if state.context.id == context.id:
                return f"{domain} {state.name}"
    return "an automation or script"


async def async_describe_admin(
    hass: HomeAssistant, context: Context | None, what: str
) -> str:
    """Who asked for ``what``; a user who is not an administrator is refused.

    For entities whose action changes the Rhombus account or the building
    (camera controls, restarts, firmware, alert pauses, lockdown, talk-down),
    as for the integration's admin-only actions: a call without a user (an
    automation, a script) is allowed, since an administrator wrote it. The door
    lock and the alarm panel are not here: their code or PIN guards them.
    """
    who = await async_describe_actor(hass, context)
    if context is None or context.user_id is None:
        return who
    user = await hass.auth.async_get_user(context.user_id)
    if user is None:
        raise UnknownUser(context=context, user_id=context.user_id)
    if not user.is_admin:
        LOGGER.warning("Refused to %s for %s: not an administrator", what, who)
        raise Unauthorized(context=context, user_id=context.user_id)
    return who
