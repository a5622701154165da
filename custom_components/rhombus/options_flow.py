"""Options: how long a detection sensor stays on, and whether every change fires.

Which entities exist is not an option: every camera gets every kind, and the
user disables an entity (or a camera's whole device) in the entity registry.

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
)
import voluptuous as vol

from .const import (
    CONF_ALL_EVENTS,
    CONF_HOLD_SECONDS,
    MAX_HOLD_SECONDS,
    MIN_HOLD_SECONDS,
)
from .settings import all_events, hold_seconds


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
        }
    )


class RhombusOptionsFlow(_ReloadingOptionsFlow):
    """One form; the entry reloads when it is saved with changes."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the options, or store them."""
        if user_input is not None:
            return self.async_create_entry(
                data={
                    CONF_HOLD_SECONDS: int(user_input[CONF_HOLD_SECONDS]),
                    CONF_ALL_EVENTS: bool(user_input[CONF_ALL_EVENTS]),
                }
            )
        return self.async_show_form(
            step_id="init", data_schema=_options_schema(self.config_entry.options)
        )
