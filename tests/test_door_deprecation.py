"""The doors' Unlock button and Lock sensor: replaced by the lock, kept one release."""

from __future__ import annotations

import logging
from unittest.mock import patch

from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.rhombus.const import DOMAIN
from simulator import RhombusSimulator

from .helpers import entry_for, setup_entry, state_of
from .site_helpers import site_uuid

REPLACED = (("button", "unlock"), ("binary_sensor", "lock"))


def pre_register(
    hass: HomeAssistant, entry: MockConfigEntry, uuid: str, domain: str, key: str
) -> str:
    """An entity made by an earlier release (enabled), before this one starts."""
    entry.add_to_hass(hass)
    return (
        er.async_get(hass)
        .async_get_or_create(domain, DOMAIN, f"{uuid}_{key}", config_entry=entry)
        .entity_id
    )


async def test_new_doors_get_the_old_entities_disabled(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    sim = site_simulator
    entry = await setup_entry(hass, sim, entry_for(sim))
    registry = er.async_get(hass)
    for name in ("Main Entrance", "Side Door"):
        for domain, key in REPLACED:
            unique_id = f"{site_uuid(sim, name)}_{key}"
            entity_id = registry.async_get_entity_id(domain, DOMAIN, unique_id)
            assert entity_id is not None, unique_id
            found = registry.async_get(entity_id)
            assert found is not None
            assert found.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert (
        ir.async_get(hass).async_get_issue(
            DOMAIN, f"deprecated_door_entities_{entry.entry_id}"
        )
        is None
    )


async def test_existing_entities_keep_working(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An upgrade keeps an enabled button and sensor; the button still unlocks."""
    sim = site_simulator
    entry = entry_for(sim)
    door = site_uuid(sim, "Main Entrance")
    button = pre_register(hass, entry, door, "button", "unlock")
    sensor = pre_register(hass, entry, door, "binary_sensor", "lock")
    caplog.set_level(logging.WARNING, "custom_components.rhombus")
    await setup_entry(hass, sim, entry)
    assert state_of(hass, sensor) == "off"  # locked
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": button},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    assert sim.unlocked_doors == [door]
    who = f"user {hass_admin_user.name}"
    assert f"Unlocking Main Entrance, asked by {who}" in caplog.text


async def test_the_old_button_cannot_bypass_a_door_code(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    hass_admin_user: MockUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With a door code, the button (which cannot ask for it) opens nothing."""
    sim = site_simulator
    entry = entry_for(sim, door_code="4711")
    door = site_uuid(sim, "Main Entrance")
    button = pre_register(hass, entry, door, "button", "unlock")
    caplog.set_level(logging.WARNING, "custom_components.rhombus")
    await setup_entry(hass, sim, entry)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": button},
            blocking=True,
            context=Context(user_id=hass_admin_user.id),
        )
    assert err.value.translation_key == "door_code_use_lock"
    assert sim.unlocked_doors == []
    assert sim.calls("/api/accesscontrol/unlockAccessControlledDoor") == 0
    assert "Refused to unlock Main Entrance for user" in caplog.text
    assert "4711" not in caplog.text


async def test_the_repair_lists_what_still_uses_them(
    hass: HomeAssistant, site_simulator: RhombusSimulator
) -> None:
    """An automation pressing the old button: a repair naming it, gone once edited."""
    sim = site_simulator
    entry = entry_for(sim)
    door = site_uuid(sim, "Main Entrance")
    button = pre_register(hass, entry, door, "button", "unlock")
    sensor = pre_register(hass, entry, door, "binary_sensor", "lock")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "id": "cleaners",
                    "alias": "Let the cleaners in",
                    "trigger": {"platform": "event", "event_type": "cleaners"},
                    "action": {
                        "action": "button.press",
                        "target": {"entity_id": button},
                    },
                },
                {  # YAML without an id: no page to link to
                    "alias": "Door left open",
                    "trigger": {"platform": "state", "entity_id": sensor},
                    "action": {
                        "action": "logbook.log",
                        "data": {"name": "door", "message": "open"},
                    },
                },
            ]
        },
    )
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "door_check": {
                    "alias": "Door check",
                    "sequence": [
                        {"condition": "state", "entity_id": sensor, "state": "on"}
                    ],
                }
            }
        },
    )
    await setup_entry(hass, sim, entry)
    issue_id = f"deprecated_door_entities_{entry.entry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert not issue.is_fixable
    assert issue.translation_key == "deprecated_door_entities"
    assert issue.learn_more_url
    assert issue.translation_placeholders == {
        "title": "Acme HQ",
        "items": (
            f"- Door left open (automation.door_left_open) uses `{sensor}`\n"
            f"- [Door check](/config/script/edit/door_check) uses `{sensor}`\n"
            f"- [Let the cleaners in](/config/automation/edit/cleaners)"
            f" uses `{button}`"
        ),
    }

    # The automation is edited (an edit reloads automations): it goes from the list.
    with patch(
        "homeassistant.config.load_yaml_config_file", autospec=True, return_value={}
    ):
        await hass.services.async_call("automation", "reload", blocking=True)
    await hass.async_block_till_done()
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert "cleaners" not in issue.translation_placeholders["items"]

    # The script too; the next check (here the next automation reload) finds
    # nothing left: the repair goes.
    with patch(
        "homeassistant.config.load_yaml_config_file", autospec=True, return_value={}
    ):
        await hass.services.async_call("script", "reload", blocking=True)
        await hass.services.async_call("automation", "reload", blocking=True)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
