"""Restart a camera or a gateway, logged with who asked."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from ..actor import async_describe_admin
from ..aiorhombus import RhombusCommandError, RhombusError
from ..const import DOMAIN, LOGGER

# Refusals (camera/reboot statuses, DEVICE_OFFLINE of the gateways) → keys.
_REFUSALS = {
    "FAILED_CAMERA_OFFLINE": "restart_offline",
    "DEVICE_OFFLINE": "restart_offline",
    "FAILED_CAMERA_NOT_AUTHORIZED": "restart_not_authorized",
}


async def async_restart(
    hass: HomeAssistant,
    context: Context | None,
    name: str,
    reboot: Callable[[], Awaitable[None]],
) -> None:
    """Send the reboot; a refusal or an error raises a translated error."""
    who = await async_describe_admin(hass, context, f"restart {name}")
    LOGGER.info("Restarting %s, asked by %s", name, who)
    try:
        await reboot()
    except RhombusCommandError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=_REFUSALS.get(err.status, "restart_failed"),
            translation_placeholders={"device": name, "error": err.status},
        ) from err
    except RhombusError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="restart_failed",
            translation_placeholders={"device": name, "error": str(err)},
        ) from err
