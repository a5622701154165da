"""Options: which detections get sensors, which cameras, hold time, all events.

Saving reloads the entry, so a change takes effect at once without a restart:
the sensors of kinds or cameras left out leave the registries and the new
hold time and event filter apply. The reload comes from Home Assistant's
``OptionsFlowWithReload`` where it exists, else from :class:`_ReloadAfterSave`;
there is no update listener, which 2026.6 deprecated beside the reauth and
reconfigure flows' ``async_update_reload_and_abort``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from homeassistant import config_entries
from homeassistant.config_entries import ConfigEntryState, ConfigFlowResult, OptionsFlow
from homeassistant.const import UnitOfTime
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import voluptuous as vol

from .aiorhombus import Camera
from .const import (
    CONF_ALL_EVENTS,
    CONF_CAMERAS,
    CONF_DETECTIONS,
    CONF_HOLD_SECONDS,
    MAX_HOLD_SECONDS,
    MIN_HOLD_SECONDS,
)
from .data import RhombusConfigEntry
from .detections import DEFAULT_KINDS, DetectionKind
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


def _options_schema(
    options: Mapping[str, Any], cameras: Mapping[str, Camera]
) -> vol.Schema:
    """The form, showing what is in force now (the six default kinds at first)."""
    chosen = options.get(CONF_DETECTIONS)
    kinds = list(chosen) if chosen is not None else [str(k) for k in DEFAULT_KINDS]
    # A camera removed from Rhombus since it was allowed is no choice any more.
    allowed = [uuid for uuid in options.get(CONF_CAMERAS) or () if uuid in cameras]
    by_name = sorted(cameras.values(), key=lambda camera: camera.name.casefold())
    return vol.Schema(
        {
            vol.Optional(
                CONF_DETECTIONS, description={"suggested_value": kinds}
            ): SelectSelector(
                SelectSelectorConfig(
                    options=[str(kind) for kind in DetectionKind],
                    multiple=True,
                    mode=SelectSelectorMode.LIST,
                    translation_key=CONF_DETECTIONS,
                )
            ),
            vol.Optional(
                CONF_CAMERAS, description={"suggested_value": allowed}
            ): SelectSelector(
                SelectSelectorConfig(
                    options=[
                        SelectOptionDict(value=camera.uuid, label=camera.name)
                        for camera in by_name
                    ],
                    multiple=True,
                    mode=SelectSelectorMode.DROPDOWN,
                )
            ),
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
        entry: RhombusConfigEntry = self.config_entry
        if entry.state is not ConfigEntryState.LOADED:
            # The camera list comes from the running entry.
            return self.async_abort(reason="not_loaded")
        if user_input is not None:
            chosen = set(user_input.get(CONF_DETECTIONS, ()))
            return self.async_create_entry(
                data={
                    CONF_DETECTIONS: [str(k) for k in DetectionKind if k in chosen],
                    CONF_CAMERAS: list(user_input.get(CONF_CAMERAS, ())),
                    CONF_HOLD_SECONDS: int(user_input[CONF_HOLD_SECONDS]),
                    CONF_ALL_EVENTS: bool(user_input[CONF_ALL_EVENTS]),
                }
            )
        return self.async_show_form(
            step_id="init",
            data_schema=_options_schema(
                entry.options, entry.runtime_data.coordinator.data
            ),
        )
