"""Actions: ``rhombus.dismiss_alert``, and how every account-changing action registers.

Registered once in ``async_setup`` (not per entry), so the action exists, and
explains itself, even while no account is loaded.

An action that changes the account or the building is admin-only
(`async_register_admin_action`): Home Assistant's own
``async_register_admin_service`` does the same check, but on 2025.4 it cannot
return a response (``save_clip`` does).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import VolSchemaType
import voluptuous as vol

from .actor import async_describe_admin
from .aiorhombus import (
    RhombusApiError,
    RhombusAuthError,
    RhombusError,
)
from .const import DOMAIN, LOGGER
from .data import RhombusConfigEntry

SERVICE_DISMISS_ALERT = "dismiss_alert"
ATTR_ALERT_UUID = "alert_uuid"
ATTR_CONFIG_ENTRY_ID = "config_entry_id"

DISMISS_ALERT_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_ALERT_UUID): cv.string,
        vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
    }
)


type ActionHandler = Callable[[ServiceCall], Awaitable[ServiceResponse]]


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    async_register_admin_action(
        hass, SERVICE_DISMISS_ALERT, _dismiss_alert, DISMISS_ALERT_SCHEMA
    )


@callback
def async_register_admin_action(
    hass: HomeAssistant,
    service: str,
    handler: ActionHandler,
    schema: VolSchemaType,
    supports_response: SupportsResponse = SupportsResponse.NONE,
) -> None:
    """Register ``rhombus.<service>`` for administrators, logging who calls it.

    A call without a user (an automation, a script) is allowed, as Home
    Assistant's admin services allow it: whoever wrote it was an admin.
    """

    async def admin_only(call: ServiceCall) -> ServiceResponse:
        who = await async_describe_admin(hass, call.context, f"call {DOMAIN}.{service}")
        LOGGER.info("%s.%s called by %s", DOMAIN, service, who)
        return await handler(call)

    hass.services.async_register(
        DOMAIN,
        service,
        admin_only,
        schema=schema,
        supports_response=supports_response,
    )


def _entry_for(hass: HomeAssistant, entry_id: str | None) -> RhombusConfigEntry:
    """The entry the call names, or the only one there is."""
    if entry_id is None:
        entries = hass.config_entries.async_entries(
            DOMAIN, include_ignore=False, include_disabled=False
        )
        if not entries:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="no_entries"
            )
        if len(entries) > 1:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="entry_required"
            )
        entry: RhombusConfigEntry = entries[0]
    else:
        found = hass.config_entries.async_get_entry(entry_id)
        if found is None or found.domain != DOMAIN:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="entry_not_found",
                translation_placeholders={"entry_id": entry_id},
            )
        entry = found
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"title": entry.title},
        )
    return entry


async def _dismiss_alert(call: ServiceCall) -> ServiceResponse:
    """Dismiss one alert in the account the call names (or the only account)."""
    entry = _entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    alert_uuid: str = call.data[ATTR_ALERT_UUID]
    placeholders = {"alert_uuid": alert_uuid}
    try:
        await entry.runtime_data.rest.dismiss_policy_alert(alert_uuid)
    except RhombusAuthError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="dismiss_auth_failed",
            translation_placeholders=placeholders,
        ) from err
    except RhombusApiError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="dismiss_unknown_alert",
            translation_placeholders={**placeholders, "error": str(err)},
        ) from err
    except RhombusError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="dismiss_cannot_connect",
            translation_placeholders={**placeholders, "error": str(err)},
        ) from err
    return None
