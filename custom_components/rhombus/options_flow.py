"""Options: hold time, whether every change fires, the door code, the pause length.

Which entities exist is not an option: every camera gets every kind, and the
user disables an entity (or a camera's whole device) in the entity registry.

The door code is a secret: the form never shows it back (empty keeps the
current one; a checkbox clears it), and it is never logged.

Saving reloads the entry, so a change takes effect at once without a restart.
The reload comes from Home Assistant's ``OptionsFlowWithReload`` where it
exists, else from :class:`_ReloadAfterSave`; there is no update listener,
which 2026.6 deprecated beside the reauth and reconfigure flows'
``async_update_reload_and_abort``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from homeassistant import config_entries
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.const import UnitOfTime
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .const import (
    CONF_ALL_EVENTS,
    CONF_CLEAR_DOOR_CODE,
    CONF_DOOR_CODE,
    CONF_HOLD_SECONDS,
    CONF_PAUSE_HOURS,
    MAX_HOLD_SECONDS,
    MAX_PAUSE_HOURS,
    MIN_DOOR_CODE_LENGTH,
    MIN_HOLD_SECONDS,
    MIN_PAUSE_HOURS,
)
from .settings import all_events, door_code, hold_seconds, pause_hours


class _ReloadAfterSave(OptionsFlow):
    """Home Assistant 2025.4, which lacks ``OptionsFlowWithReload``: reload here.

    The options are stored right after the flow returns its result, before the
    loop runs anything else; the reload is queued behind that, and only when
    they changed, as ``OptionsFlowWithReload`` does.
    """

    @callback
    def async_create_entry(self, **kwargs: Any) -> ConfigFlowResult:
        """Finish the flow and reload the entry once its options changed."""
        entry = self.config_entry
        before = dict(entry.options)

        @callback
        def reload_if_changed() -> None:
            if entry.options != before:
                self.hass.config_entries.async_schedule_reload(entry.entry_id)

        self.hass.loop.call_soon(reload_if_changed)
        return super().async_create_entry(**kwargs)


if TYPE_CHECKING:
    _ReloadingOptionsFlow = OptionsFlow
else:
    _ReloadingOptionsFlow = getattr(
        config_entries, "OptionsFlowWithReload", _ReloadAfterSave
    )


def _options_schema(options: Mapping[str, Any]) -> vol.Schema:
    """The form, showing what is in force now."""
    return vol.Schema(
        {
            vol.Required(
                CONF_HOLD_SECONDS, default=hold_seconds(options)
            ): NumberSelector(
                NumberSelectorConfig(
                    min=MIN_HOLD_SECONDS,
                    max=MAX_HOLD_SECONDS,
                    step=1,
                    unit_of_measurement=UnitOfTime.SECONDS,
                    mode=NumberSelectorMode.BOX,
                )
            ),
            vol.Required(
                CONF_ALL_EVENTS, default=all_events(options)
            ): BooleanSelector(),
            vol.Required(
                CONF_PAUSE_HOURS, default=pause_hours(options)
            ): NumberSelector(
                NumberSelectorConfig(
                    min=MIN_PAUSE_HOURS,
                    max=MAX_PAUSE_HOURS,
                    step=1,
                    unit_of_measurement=UnitOfTime.HOURS,
                    mode=NumberSelectorMode.BOX,
                )
            ),
            vol.Optional(CONF_DOOR_CODE): TextSelector(
                TextSelectorConfig(type=TextSelectorType.PASSWORD)
            ),
            vol.Optional(CONF_CLEAR_DOOR_CODE, default=False): BooleanSelector(),
        }
    )


def _door_code(
    user_input: Mapping[str, Any], current: str | None, errors: dict[str, str]
) -> str | None:
    """The code to store: a new one, the current one, or none when cleared."""
    if user_input.get(CONF_CLEAR_DOOR_CODE):
        return None
    new = str(user_input.get(CONF_DOOR_CODE) or "").strip()
    if not new:
        return current
    if len(new) < MIN_DOOR_CODE_LENGTH:
        errors[CONF_DOOR_CODE] = "door_code_too_short"
    return new


class RhombusOptionsFlow(_ReloadingOptionsFlow):
    """One form; the entry reloads when it is saved with changes."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the options, or store them."""
        options = self.config_entry.options
        errors: dict[str, str] = {}
        if user_input is not None:
            code = _door_code(user_input, door_code(options), errors)
            if not errors:
                data: dict[str, Any] = {
                    CONF_HOLD_SECONDS: int(user_input[CONF_HOLD_SECONDS]),
                    CONF_ALL_EVENTS: bool(user_input[CONF_ALL_EVENTS]),
                    CONF_PAUSE_HOURS: int(user_input[CONF_PAUSE_HOURS]),
                }
                if code is not None:
                    data[CONF_DOOR_CODE] = code
                return self.async_create_entry(data=data)
        return self.async_show_form(
            step_id="init", data_schema=_options_schema(options), errors=errors
        )
