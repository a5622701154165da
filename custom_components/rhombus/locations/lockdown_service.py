"""Actions ``rhombus.activate_lockdown`` / ``rhombus.deactivate_lockdown``.

Admin-only (they lock a building), logged with who called them; the target
is a location's device, and ``plan`` (a name or uuid) picks one of its plans
instead of all of them.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
import voluptuous as vol

from ..const import DOMAIN
from ..data import RhombusConfigEntry
from ..services import async_register_admin_action

SERVICE_ACTIVATE_LOCKDOWN = "activate_lockdown"
SERVICE_DEACTIVATE_LOCKDOWN = "deactivate_lockdown"
ATTR_PLAN = "plan"

DEACTIVATE_SCHEMA = vol.Schema(
    {vol.Required(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string])}
)
ACTIVATE_SCHEMA = DEACTIVATE_SCHEMA.extend({vol.Optional(ATTR_PLAN): cv.string})


def _locations_of(
    hass: HomeAssistant, device_ids: list[str]
) -> list[tuple[RhombusConfigEntry, str, str]]:
    """Each named device's loaded entry, location uuid and location name."""
    registry = dr.async_get(hass)
    found: list[tuple[RhombusConfigEntry, str, str]] = []
    for device_id in device_ids:
        device = registry.async_get(device_id)
        match = None
        for entry in hass.config_entries.async_entries(DOMAIN) if device else ():
            # Not device.config_entries: 2026.8 deprecates it; this works on both.
            if device not in dr.async_entries_for_config_entry(
                registry, entry.entry_id
            ):
                continue
            if entry.state is not ConfigEntryState.LOADED:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="entry_not_loaded",
                    translation_placeholders={"title": entry.title},
                )
            data = entry.runtime_data
            for domain, uuid in device.identifiers if device else ():
                location = (data.locations.data or {}).get(uuid)
                if domain == DOMAIN and location is not None:
                    match = (entry, uuid, location.name)
        if match is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="lockdown_not_a_location"
            )
        found.append(match)
    return found


async def _set(call: ServiceCall, *, locked: bool) -> ServiceResponse:
    for entry, uuid, name in _locations_of(call.hass, call.data[ATTR_DEVICE_ID]):
        await entry.runtime_data.lockdown.async_set_locked_down(
            uuid, name, call.context, locked=locked, plan=call.data.get(ATTR_PLAN)
        )
    return None


async def _activate(call: ServiceCall) -> ServiceResponse:
    return await _set(call, locked=True)


async def _deactivate(call: ServiceCall) -> ServiceResponse:
    return await _set(call, locked=False)


@callback
def async_setup_lockdown_services(hass: HomeAssistant) -> None:
    """Register both actions (admin-only)."""
    async_register_admin_action(
        hass, SERVICE_ACTIVATE_LOCKDOWN, _activate, ACTIVATE_SCHEMA
    )
    async_register_admin_action(
        hass, SERVICE_DEACTIVATE_LOCKDOWN, _deactivate, DEACTIVATE_SCHEMA
    )
