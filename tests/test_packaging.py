"""hassfest and HACS rules, checked here because their GitHub actions cannot run.

Static checks read the integration's files; the runtime checks set the
integration up with every entity enabled and compare what it registers with
what translations/en.json, icons.json and services.yaml declare.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import string
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from PIL import Image
import pytest
import yaml

from custom_components.rhombus.config_flow import _URL_EXAMPLES
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
        owners = [
            *simulator.cameras,
            simulator.org_uuid,
            *simulator.locations.locations,
        ]
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


# --- hassfest's translation and icon schemas (script/hassfest) ---------------

# Any scheme followed by a host, or a bare www. host: hassfest's own list of
# schemes lacks ws/wss, ours has them (a wss:// URL is a URL all the same).
URL = re.compile(
    r"((ftp|ftps|scp|http|https|ws|wss|mqtt|mqtts|socket|socks5)://|www\.)"
    r"[a-z0-9]+([-.][a-z0-9]+)*\.[a-z]{2,5}(:[0-9]{1,5})?(/.*)?",
    re.IGNORECASE,
)
TRANSLATION_KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9_-]+(?<![_-])$")
HTML = re.compile(r"<[a-z][\s\S]*>", re.IGNORECASE)
FLOW_KEYS = {"step", "error", "abort", "progress", "create_entry", "initiate_flow"}
STEP_KEYS = {
    "title",
    "description",
    "data",
    "data_description",
    "menu_options",
    "menu_option_descriptions",
    "submit",
    "sections",
}
SECTION_KEYS = {"data", "data_description", "description", "name"}
TOP_KEYS = {
    "title",
    "config",
    "options",
    "selector",
    "entity",
    "device",
    "exceptions",
    "issues",
    "services",
    "common",
    "device_automation",
    "system_health",
}


def strings_of(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every (dotted path, string) in a translation tree."""
    if isinstance(node, dict):
        return [
            pair
            for key, value in node.items()
            for pair in strings_of(value, f"{path}.{key}" if path else key)
        ]
    return [(path, node)]


@pytest.mark.parametrize(("path", "text"), strings_of(STRINGS))
def test_translation_string_rules(path: str, text: str) -> None:
    """Each string: text, no HTML, no URL, trimmed, sane placeholders."""
    assert isinstance(text, str), path
    assert not URL.search(text), f"{path}: URLs go in description placeholders"
    assert not HTML.search(text), f"{path}: no HTML"
    assert text == text.strip(), f"{path}: leading or trailing space"
    assert not re.search(r"'\{\w+\}'", text), f"{path}: quoted placeholder"
    assert not re.search(r"(.+\[%)|(%\].+)", text), f"{path}: combined reference"
    for _, name, _, _ in string.Formatter().parse(text):
        if name:
            assert name.isidentifier(), f"{path}: placeholder {name!r}"
            # Entity states and attribute names take no placeholders.
            assert ".state." not in f".{path}." or not path.startswith("entity."), path


def test_translation_tree_shape() -> None:
    """Only the keys hassfest's schema knows, and valid translation keys."""
    assert set(STRINGS) <= TOP_KEYS
    for flow in ("config", "options"):
        assert set(STRINGS.get(flow, {})) <= FLOW_KEYS, flow
        assert "title" not in STRINGS.get(flow, {}), f"{flow}.title was removed"
        for step_id, step in STRINGS.get(flow, {}).get("step", {}).items():
            where = f"{flow}.step.{step_id}"
            assert set(step) <= STEP_KEYS, where
            # Each data_description describes a field of the same step.
            assert set(step.get("data_description", {})) <= set(step.get("data", {}))
            for name, sec in step.get("sections", {}).items():
                assert set(sec) <= SECTION_KEYS, f"{where}.sections.{name}"
                assert set(sec.get("data_description", {})) <= set(sec.get("data", {}))
    for platform, entities in STRINGS.get("entity", {}).items():
        for key, entity in entities.items():
            assert TRANSLATION_KEY.match(key), f"entity.{platform}.{key}"
            assert set(entity) <= {"name", "state", "state_attributes"}
            for state in entity.get("state", {}):
                assert TRANSLATION_KEY.match(state), f"entity.{platform}.{key}"
            for attr, spec in entity.get("state_attributes", {}).items():
                assert TRANSLATION_KEY.match(attr)
                assert set(spec) <= {"name", "state"}
                assert all(TRANSLATION_KEY.match(s) for s in spec.get("state", {}))
    for key, issue in STRINGS.get("issues", {}).items():
        assert issue["title"], key
        assert ("description" in issue) != ("fix_flow" in issue), key
    for key, service in STRINGS.get("services", {}).items():
        assert TRANSLATION_KEY.match(key)
        assert {"name", "description"} <= set(service), key
        for field, spec in service.get("fields", {}).items():
            assert TRANSLATION_KEY.match(field)
            assert (
                {"name", "description"}
                <= set(spec)
                <= {
                    "name",
                    "description",
                    "example",
                }
            )
    for selector in STRINGS.get("selector", {}).values():
        for options in selector.values():
            assert all(TRANSLATION_KEY.match(key) for key in options)


def test_flow_placeholders_are_passed() -> None:
    """Every {placeholder} in the endpoint hints is one the config flow passes."""
    wanted = {
        name
        for path, text in strings_of(STRINGS.get("config", {}))
        if ".advanced." in path
        for _, name, _, _ in string.Formatter().parse(text)
        if name
    }
    assert wanted == set(_URL_EXAMPLES)
    assert all(URL.match(url) for url in _URL_EXAMPLES.values())
    assert SOURCES["config_flow.py"].count("description_placeholders=_URL") == 2


def test_icon_file_schema() -> None:
    """icons.json: mdi: icons only, valid keys, the shape hassfest requires."""
    assert set(ICONS) <= {"entity", "services"}
    assert "entity" in ICONS

    def icon(value: Any) -> bool:
        return (
            isinstance(value, str)
            and value.startswith("mdi:")
            and not HTML.search(value)
        )

    for platform, entities in ICONS["entity"].items():
        for key, spec in entities.items():
            assert TRANSLATION_KEY.match(key), f"{platform}.{key}"
            assert set(spec) <= {"default", "state", "state_attributes"}
            assert "default" not in spec or icon(spec["default"])
            for state, value in spec.get("state", {}).items():
                assert TRANSLATION_KEY.match(state)
                assert icon(value)
            for attr, sub in spec.get("state_attributes", {}).items():
                assert TRANSLATION_KEY.match(attr)
                assert set(sub) <= {"default", "state"}
                for state, value in sub.get("state", {}).items():
                    assert TRANSLATION_KEY.match(state)
                    assert icon(value)
    for service, spec in ICONS.get("services", {}).items():
        assert TRANSLATION_KEY.match(service)
        # Newest HA: {"service": icon, "sections": {...}}; older: a bare icon.
        if isinstance(spec, dict):
            assert set(spec) <= {"service", "sections"}
            assert icon(spec["service"])
        else:
            assert icon(spec)
