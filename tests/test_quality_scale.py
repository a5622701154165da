"""quality_scale.yaml: every rule, a valid status, and some claims checked.

hassfest skips this file for custom integrations, so its shape is checked
here, along with the claims a test can check cheaply.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
import yaml

from custom_components.rhombus import PLATFORMS
from custom_components.rhombus.const import DOMAIN
from simulator import RhombusSimulator

from .helpers import entry_for, setup_entry

INTEGRATION = Path(__file__).parents[1] / "custom_components" / DOMAIN
RULES: dict[str, Any] = yaml.safe_load(
    (INTEGRATION / "quality_scale.yaml").read_text()
)["rules"]

TIERS = {
    "bronze": [
        "action-setup",
        "appropriate-polling",
        "brands",
        "common-modules",
        "config-flow-test-coverage",
        "config-flow",
        "dependency-transparency",
        "docs-actions",
        "docs-conditions",
        "docs-high-level-description",
        "docs-installation-instructions",
        "docs-removal-instructions",
        "docs-triggers",
        "entity-event-setup",
        "entity-unique-id",
        "has-entity-name",
        "runtime-data",
        "test-before-configure",
        "test-before-setup",
        "unique-config-entry",
    ],
    "silver": [
        "action-exceptions",
        "config-entry-unloading",
        "docs-configuration-parameters",
        "docs-installation-parameters",
        "entity-unavailable",
        "integration-owner",
        "log-when-unavailable",
        "parallel-updates",
        "reauthentication-flow",
        "test-coverage",
    ],
    "gold": [
        "devices",
        "diagnostics",
        "discovery-update-info",
        "discovery",
        "docs-data-update",
        "docs-examples",
        "docs-known-limitations",
        "docs-supported-devices",
        "docs-supported-functions",
        "docs-troubleshooting",
        "docs-use-cases",
        "dynamic-devices",
        "entity-category",
        "entity-device-class",
        "entity-disabled-by-default",
        "entity-translations",
        "exception-translations",
        "icon-translations",
        "reconfiguration-flow",
        "repair-issues",
        "stale-devices",
    ],
    "platinum": ["async-dependency", "inject-websession", "strict-typing"],
}


def status(rule: str) -> str:
    value = RULES[rule]
    return value if isinstance(value, str) else value["status"]


def test_every_rule_once_with_a_valid_status() -> None:
    expected = [rule for rules in TIERS.values() for rule in rules]
    assert len(expected) == 54
    assert sorted(RULES) == sorted(expected)
    for rule, value in RULES.items():
        # Platinum: every rule is met or does not apply.
        assert status(rule) in ("done", "exempt"), rule
        if status(rule) == "exempt":
            assert isinstance(value, dict), rule
            assert value.get("comment"), f"{rule}: an exemption says why"


def test_claimed_files_exist() -> None:
    assert status("brands") == "done"
    assert (INTEGRATION / "brand" / "icon.png").is_file()
    assert status("common-modules") == "done"
    assert (INTEGRATION / "coordinator.py").is_file()
    assert (INTEGRATION / "entity.py").is_file()
    assert status("icon-translations") == "done"
    assert (INTEGRATION / "icons.json").is_file()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_parallel_updates_on_every_platform(platform: str) -> None:
    module = importlib.import_module(f"custom_components.{DOMAIN}.{platform}")
    assert module.PARALLEL_UPDATES == 0


async def test_entities_as_claimed(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    entity_registry_enabled_by_default: None,
) -> None:
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert entities
    for entity in entities:
        assert entity.has_entity_name, entity.entity_id
        assert entity.translation_key, entity.entity_id
        assert entity.unique_id, entity.entity_id
        if entity.translation_key in ("connectivity", "event_stream"):
            assert entity.entity_category == "diagnostic"
            assert entity.original_device_class == "connectivity"
