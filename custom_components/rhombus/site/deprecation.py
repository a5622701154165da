"""The doors' Unlock buttons and Lock sensors, replaced by the lock entity.

They stay for one release (created disabled for new doors). While an
automation or a script still uses one, a repair lists them, the way core
integrations deprecate entities; it goes once none does. It is checked at
setup, once Home Assistant has started (automations load after us), and
whenever automations are reloaded (an edit in the UI reloads them).
"""

from __future__ import annotations

from typing import Final

from homeassistant.components.automation import (
    EVENT_AUTOMATION_RELOADED,
    automations_with_entity,
)
from homeassistant.components.script import scripts_with_entity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.start import async_at_started

from ..const import DOMAIN
from ..data import RhombusConfigEntry

ISSUE: Final = "deprecated_door_entities"
# (domain, unique-id suffix) of each replaced entity.
_REPLACED: Final = (("button", "_unlock"), ("binary_sensor", "_lock"))
LEARN_MORE_URL: Final = "https://github.com/rhombus-ha/rhombus/blob/main/docs/security.md#doors-and-who-may-act"


def issue_id(entry: RhombusConfigEntry) -> str:
    """One repair per account."""
    return f"{ISSUE}_{entry.entry_id}"


@callback
def async_watch_deprecated_door_entities(
    hass: HomeAssistant, entry: RhombusConfigEntry
) -> None:
    """Check now, once started, and at each automation reload; stop at unload."""

    @callback
    def check(_: object = None) -> None:
        async_check_deprecated_door_entities(hass, entry)

    check()
    entry.async_on_unload(async_at_started(hass, check))
    entry.async_on_unload(hass.bus.async_listen(EVENT_AUTOMATION_RELOADED, check))
    entry.async_on_unload(lambda: ir.async_delete_issue(hass, DOMAIN, issue_id(entry)))


@callback
def async_check_deprecated_door_entities(
    hass: HomeAssistant, entry: RhombusConfigEntry
) -> None:
    """Create the repair while anything uses a replaced entity; else delete it."""
    registry = er.async_get(hass)
    uses: set[str] = set()
    for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
        if not any(
            entity.domain == domain and entity.unique_id.endswith(suffix)
            for domain, suffix in _REPLACED
        ):
            continue
        for kind, users in (
            ("automation", automations_with_entity(hass, entity.entity_id)),
            ("script", scripts_with_entity(hass, entity.entity_id)),
        ):
            uses.update(
                _describe(hass, registry, kind, user, entity.entity_id)
                for user in users
            )
    if not uses:
        ir.async_delete_issue(hass, DOMAIN, issue_id(entry))
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(entry),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        learn_more_url=LEARN_MORE_URL,
        translation_key=ISSUE,
        translation_placeholders={
            "title": entry.title,
            "items": "\n".join(sorted(uses)),
        },
    )


def _describe(
    hass: HomeAssistant,
    registry: er.EntityRegistry,
    kind: str,
    user_id: str,
    entity_id: str,
) -> str:
    """``- [name](/config/<kind>/edit/<id>) uses <entity>``, a link where possible."""
    item = registry.async_get(user_id)
    state = hass.states.get(user_id)
    name = (item and (item.name or item.original_name)) or (
        state.name if state else user_id
    )
    if item is not None and item.unique_id:
        return f"- [{name}](/config/{kind}/edit/{item.unique_id}) uses `{entity_id}`"
    return f"- {name} ({user_id}) uses `{entity_id}`"
