"""Who asked for an action: the name a WARNING or INFO line gives for it.

Every change to the account or the building is logged with who made it. A
user's call (the UI, a voice assistant acting for them, an admin's action
call) carries their user id; an automation or a script runs with a context of
its own, which its entity's state carries too, so the name is found there.
"""

from __future__ import annotations

from homeassistant.core import Context, HomeAssistant

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
