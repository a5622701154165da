"""hassfest and HACS rules, checked here because their GitHub actions cannot run.

Static checks read the integration's files; the runtime checks set the
integration up with every entity enabled and compare what it registers with
what translations/en.json, icons.json and services.yaml declare.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from PIL import Image
import pytest
import yaml

from custom_components.rhombus.const import DOMAIN
from simulator import RhombusSimulator

from .helpers import entry_for, setup_entry

ROOT = Path(__file__).parents[1]
INTEGRATION = ROOT / "custom_components" / DOMAIN
MANIFEST = json.loads((INTEGRATION / "manifest.json").read_text())
STRINGS = json.loads((INTEGRATION / "translations" / "en.json").read_text())
ICONS = json.loads((INTEGRATION / "icons.json").read_text())
SOURCES = {path.name: path.read_text() for path in INTEGRATION.glob("*.py")}
HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "hacs",
    "persistent_directory",
    "render_readme",
}


def flow_of(filename: str) -> str:
    return "options" if filename.startswith("options") else "config"


def literals(pattern: str) -> set[tuple[str, str]]:
    """(flow, literal) for each match of ``pattern`` in the integration's code."""
    return {
        (flow_of(name), match)
        for name, text in SOURCES.items()
        for match in re.findall(pattern, text)
    }


# --- manifest.json and hacs.json -------------------------------------------


def test_manifest_keys_and_values() -> None:
    keys = list(MANIFEST)
    assert keys[:2] == ["domain", "name"], "hassfest: domain, name first"
    assert keys[2:] == sorted(keys[2:]), "hassfest: then alphabetical"
    assert MANIFEST["domain"] == DOMAIN
    assert MANIFEST["name"] == "Rhombus"
    assert MANIFEST["config_flow"] is True
    assert MANIFEST["iot_class"] == "cloud_push"
    assert MANIFEST["integration_type"] == "hub"
    assert MANIFEST["requirements"] == []
    assert re.fullmatch(r"\d+\.\d+\.\d+", MANIFEST["version"])
    assert MANIFEST["documentation"].startswith("https://")
    assert MANIFEST["issue_tracker"].startswith("https://")
    assert MANIFEST["codeowners"]
    assert all(owner.startswith("@") for owner in MANIFEST["codeowners"])
    known = {
        "domain",
        "name",
        "after_dependencies",
        "codeowners",
        "config_flow",
        "dependencies",
        "documentation",
        "integration_type",
        "iot_class",
        "issue_tracker",
        "loggers",
        "quality_scale",
        "requirements",
        "version",
    }
    assert set(MANIFEST) <= known


def test_hacs_json() -> None:
    hacs = json.loads((ROOT / "hacs.json").read_text())
    assert set(hacs) <= HACS_KEYS, "HACS rejects unknown keys"
    assert hacs["name"] == "Rhombus"
    assert hacs["homeassistant"] == "2025.4.0"


def test_one_integration_and_no_strings_json() -> None:
    assert [
        p.name
        for p in (ROOT / "custom_components").iterdir()
        if p.is_dir() and not p.name.startswith("__")
    ] == [DOMAIN]
    assert not (INTEGRATION / "strings.json").exists()
    text = (INTEGRATION / "translations" / "en.json").read_text()
    assert "[%key:" not in text, "custom integrations ship literal text"


def test_brand_images() -> None:
    brand = INTEGRATION / "brand"
    with Image.open(brand / "icon.png") as icon:
        assert icon.size == (256, 256)
    if (brand / "icon@2x.png").exists():
        with Image.open(brand / "icon@2x.png") as icon:
            assert icon.size == (512, 512)
    with Image.open(brand / "logo.png") as logo:
        assert logo.size[1] in (128, 256)


# --- translations of flows, errors, aborts, exceptions, issues --------------


def test_every_form_step_is_translated() -> None:
    steps = literals(r'step_id="(\w+)"')
    assert ("config", "user") in steps
    for flow, step in steps:
        assert step in STRINGS[flow]["step"], f"{flow}.step.{step}"
        assert STRINGS[flow]["step"][step].get("title") or step == "user"


def test_every_error_and_abort_is_translated() -> None:
    errors = literals(r'errors\[[^\]]+\] = "(\w+)"')
    aborts = literals(r'reason="(\w+)"')
    implicit = {("config", "already_configured")}
    if "async_step_reauth" in SOURCES["config_flow.py"]:
        implicit.add(("config", "reauth_successful"))
    if "async_step_reconfigure" in SOURCES["config_flow.py"]:
        implicit.add(("config", "reconfigure_successful"))
    assert errors
    for flow, key in errors:
        assert key in STRINGS[flow]["error"], f"{flow}.error.{key}"
    for flow, key in aborts | implicit:
        assert key in STRINGS[flow]["abort"], f"{flow}.abort.{key}"


def test_every_exception_and_issue_is_translated() -> None:
    used = {
        key
        for text in SOURCES.values()
        for call in re.findall(r"translation_domain=DOMAIN[^)]*?\)", text, re.DOTALL)
        for key in re.findall(r'translation_key="(\w+)"', call)
    }
    issues = {
        key
        for text in SOURCES.values()
        for call in re.findall(r"async_create_issue\([^)]*\)", text, re.DOTALL)
        for key in re.findall(r'translation_key="(\w+)"', call)
    }
    assert used, "exceptions raised to the user are translated"
    for key in used - issues:
        assert STRINGS["exceptions"][key]["message"], f"exceptions.{key}"
    for key in issues:
        assert STRINGS["issues"][key]["title"], f"issues.{key}"


def test_selector_translations_cover_their_options() -> None:
    for key in re.findall(
        r'translation_key=(?:CONF_REGION|"(\w+)")', SOURCES["config_flow.py"]
    ):
        assert (key or "region") in STRINGS["selector"]


def test_icons_match_translations() -> None:
    for platform, keys in ICONS.get("entity", {}).items():
        for key in keys:
            assert key in STRINGS["entity"][platform], (
                f"icon for unknown {platform}.{key}"
            )
    for service in ICONS.get("services", {}):
        assert service in STRINGS.get("services", {})


# --- what the integration registers at runtime ------------------------------


@pytest.fixture
async def everything(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    entity_registry_enabled_by_default: None,
) -> list[er.RegistryEntry]:
    entry = await setup_entry(hass, simulator, entry_for(simulator))
    return er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)


async def test_every_entity_is_named_by_translation_and_has_an_icon(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    everything: list[er.RegistryEntry],
) -> None:
    assert everything
    for entity in everything:
        key = entity.translation_key
        assert key, f"{entity.entity_id} has no translation_key"
        names = STRINGS["entity"][entity.domain]
        assert names[key]["name"], f"entity.{entity.domain}.{key}.name"
        assert (
            key in ICONS["entity"].get(entity.domain, {})
            or entity.original_device_class
        ), f"{entity.entity_id}: an icon or a device class gives it a look"
        owners = [*simulator.cameras, simulator.org_uuid]
        assert any(entity.unique_id.startswith(f"{uuid}_") for uuid in owners), (
            f"{entity.unique_id}: per-camera ids start with the camera uuid"
        )
        state = hass.states.get(entity.entity_id)
        types: list[str] = (state.attributes.get("event_types") or []) if state else []
        for event_type in types:
            translated = names[key]["state_attributes"]["event_type"]["state"]
            assert event_type in translated, f"event type {event_type}"


async def test_services_match_yaml_and_translations(
    hass: HomeAssistant, everything: list[er.RegistryEntry]
) -> None:
    registered = set(hass.services.async_services().get(DOMAIN, {}))
    path = INTEGRATION / "services.yaml"
    declared: dict[str, Any] = yaml.safe_load(path.read_text()) if path.exists() else {}
    assert registered == set(declared or {})
    for service, spec in (declared or {}).items():
        text = STRINGS["services"][service]
        assert text["name"]
        assert text["description"]
        for field in (spec or {}).get("fields", {}):
            assert text["fields"][field]["name"], f"services.{service}.fields.{field}"
