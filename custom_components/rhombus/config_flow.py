"""Config flow: an API key in the UI, checked against Rhombus before it is saved."""

from __future__ import annotations

from collections.abc import Mapping
import ipaddress
from typing import Any
from urllib.parse import urlsplit

from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_API_KEY
from homeassistant.core import callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .aiorhombus import (
    REGION_EU,
    REGION_US,
    REGIONS,
    Org,
    RhombusAuthError,
    RhombusConnectionError,
    RhombusRestClient,
)
from .const import (
    CONF_ADVANCED,
    CONF_MEDIA_URL,
    CONF_REGION,
    CONF_REST_URL,
    CONF_WEBSOCKET_URL,
    DOMAIN,
    LOGGER,
)
from .migration import pending_choices
from .options_flow import RhombusOptionsFlow
from .settings import endpoints_from

_URL_FIELDS = {
    CONF_REST_URL: ("http://", "https://"),
    CONF_WEBSOCKET_URL: ("ws://", "wss://"),
    CONF_MEDIA_URL: ("http://", "https://"),
}
# Schemes that would carry the API key in clear: allowed only to this machine.
_CLEARTEXT = ("http://", "ws://")
# The endpoint hints show the US URLs; hassfest wants URLs out of the strings.
_URL_EXAMPLES = {
    "rest_url_example": REGIONS[REGION_US].rest_url,
    "websocket_url_example": REGIONS[REGION_US].websocket_url,
    "media_url_example": REGIONS[REGION_US].media_url,
}
_KEY_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))


def _account_schema(defaults: Mapping[str, Any]) -> vol.Schema:
    """Key, region and the collapsed endpoint overrides, prefilled from ``defaults``."""
    url = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
    advanced = vol.Schema(
        {
            vol.Optional(
                field, description={"suggested_value": defaults.get(field)}
            ): url
            for field in _URL_FIELDS
        }
    )
    return vol.Schema(
        {
            vol.Required(CONF_API_KEY): _KEY_SELECTOR,
            vol.Required(
                CONF_REGION, default=defaults.get(CONF_REGION, REGION_US)
            ): SelectSelector(
                SelectSelectorConfig(
                    options=[REGION_US, REGION_EU], translation_key=CONF_REGION
                )
            ),
            vol.Required(CONF_ADVANCED): section(advanced, {"collapsed": True}),
        }
    )


def _entry_data(user_input: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Flatten the form into entry data; report URL fields with a wrong scheme."""
    data: dict[str, Any] = {
        CONF_API_KEY: user_input[CONF_API_KEY].strip(),
        CONF_REGION: user_input.get(CONF_REGION, REGION_US),
    }
    errors: dict[str, str] = {}
    for field, schemes in _URL_FIELDS.items():
        value = (user_input.get(CONF_ADVANCED, {}).get(field) or "").strip()
        if not value:
            continue
        if not value.lower().startswith(schemes):
            errors[CONF_ADVANCED] = "invalid_url"
        elif value.lower().startswith(_CLEARTEXT) and not _is_loopback(value):
            errors[CONF_ADVANCED] = "insecure_url"
        data[field] = value
    return data, errors


def _is_loopback(url: str) -> bool:
    """Whether ``url`` names this machine (127.0.0.0/8, ::1 or localhost)."""
    try:
        host = urlsplit(url).hostname
    except ValueError:  # a malformed IPv6 literal
        return False
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class RhombusConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Rhombus account; reauthenticate or reconfigure it later."""

    VERSION = 2

    @staticmethod
    @callback
    def async_get_options_flow(
        config_entry: ConfigEntry,  # noqa: ARG004 - the flow reads self.config_entry
    ) -> RhombusOptionsFlow:
        """The options flow (options_flow.py)."""
        return RhombusOptionsFlow()

    async def _validate(
        self, data: Mapping[str, Any], errors: dict[str, str]
    ) -> Org | None:
        """Ask Rhombus which org the key belongs to; fill ``errors`` on failure."""
        rest = RhombusRestClient(
            async_get_clientsession(self.hass),
            data[CONF_API_KEY],
            endpoints_from(data).rest_url,
        )
        try:
            return await rest.get_org()
        except RhombusAuthError:
            errors["base"] = "invalid_auth"
        except RhombusConnectionError:
            errors["base"] = "cannot_connect"
        except Exception:  # noqa: BLE001 - any surprise becomes "unknown", logged
            LOGGER.exception("Unexpected error validating the Rhombus API key")
            errors["base"] = "unknown"
        return None

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the API key, region and optional endpoint overrides."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = _entry_data(user_input)
            if not errors and (org := await self._validate(data, errors)):
                await self.async_set_unique_id(org.uuid)
                self._abort_if_unique_id_configured()
                return self.async_create_entry(title=org.name, data=data)
        return self.async_show_form(
            step_id="user",
            data_schema=_account_schema(_form_defaults(user_input)),
            errors=errors,
            description_placeholders=_URL_EXAMPLES,
        )

    async def async_step_reauth(
        self,
        entry_data: Mapping[str, Any],  # noqa: ARG002 - HA passes the old data
    ) -> ConfigFlowResult:
        """Start reauthentication when Rhombus refuses the stored key."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a new key for the same organisation."""
        errors: dict[str, str] = {}
        entry = self._get_reauth_entry()
        if user_input is not None:
            data = {**entry.data, CONF_API_KEY: user_input[CONF_API_KEY].strip()}
            if org := await self._validate(data, errors):
                await self.async_set_unique_id(org.uuid)
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_API_KEY: data[CONF_API_KEY]}
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_API_KEY): _KEY_SELECTOR}),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the key, region or endpoints of the same organisation."""
        errors: dict[str, str] = {}
        entry = self._get_reconfigure_entry()
        if user_input is not None:
            data, errors = _entry_data(user_input)
            if not errors and (org := await self._validate(data, errors)):
                await self.async_set_unique_id(org.uuid)
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                # Version 1's choices, if not applied yet, stay (migration.py).
                data |= pending_choices(entry.data)
                return self.async_update_reload_and_abort(entry, data=data)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=_account_schema(_form_defaults(user_input or entry.data)),
            errors=errors,
            description_placeholders=_URL_EXAMPLES,
        )


def _form_defaults(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Prefill a redisplayed form, flat or sectioned, without the key."""
    if not values:
        return {}
    defaults = {k: v for k, v in values.items() if k != CONF_API_KEY}
    defaults.update(values.get(CONF_ADVANCED) or {})
    return defaults
