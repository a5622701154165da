"""Who an action's log line names: a user, an automation, a script."""

from __future__ import annotations

from homeassistant.core import Context, HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockUser

from custom_components.rhombus.actor import async_describe_actor


async def test_a_user_is_named(hass: HomeAssistant, hass_admin_user: MockUser) -> None:
    """A call made by a logged-in user names that user."""
    context = Context(user_id=hass_admin_user.id)
    assert await async_describe_actor(hass, context) == "user Mock User"


async def test_an_unknown_user_is_named_by_id(hass: HomeAssistant) -> None:
    """A user id that no longer exists is still shown, not hidden."""
    assert await async_describe_actor(hass, Context(user_id="abc")) == "user abc"


async def test_no_context_is_home_assistant(hass: HomeAssistant) -> None:
    """An action Home Assistant itself starts names Home Assistant."""
    assert await async_describe_actor(hass, None) == "Home Assistant"


async def test_an_automation_and_a_script_are_named(hass: HomeAssistant) -> None:
    """A real automation and a real script calling an action are named by name."""
    seen: list[str] = []

    async def record(call: ServiceCall) -> None:
        seen.append(await async_describe_actor(hass, call.context))

    hass.services.async_register("test", "record", record)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Front door at night",
                "trigger": {"platform": "event", "event_type": "go"},
                "action": {"action": "test.record"},
            }
        },
    )
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "lobby": {
                    "alias": "Lobby check",
                    "sequence": [{"action": "test.record"}],
                }
            }
        },
    )
    hass.bus.async_fire("go")
    await hass.async_block_till_done()
    await hass.services.async_call("script", "lobby", blocking=True)
    await hass.async_block_till_done()
    assert seen == ["automation Front door at night", "script Lobby check"]


async def test_an_unmatched_context_is_a_fallback(hass: HomeAssistant) -> None:
    """A context without a user or a runner says so instead of guessing."""
    assert await async_describe_actor(hass, Context()) == "an automation or script"
