"""Print the Python requirements a real `hass` run needs that are not installed.

scripts/develop and scripts/smoke start hass with --skip-pip, so everything the
integrations it sets up need must be installed first. This walks the manifests
of those integrations (the configured ones, Home Assistant's defaults and
`rhombus`) through their dependencies and prints each unmet pin, one a line,
ready for `pip install`. With --pins-only it prints every pin it found instead;
with --install it installs the unmet ones (scripts/develop and scripts/smoke).
"""

from __future__ import annotations

import argparse
import ast
from importlib import metadata, util
import json
from pathlib import Path
import subprocess
import sys

from packaging.requirements import InvalidRequirement, Requirement

from scripts import REPO_ROOT

CONFIGURED = ("frontend", "config", "http", "history", "logbook", "logger")


def _homeassistant_dir() -> Path:
    spec = util.find_spec("homeassistant")
    if spec is None or spec.origin is None:
        raise SystemExit("homeassistant is not installed in this Python")
    return Path(spec.origin).parent


def _always_set_up() -> set[str]:
    """Read bootstrap's default and core integration sets without importing it.

    Importing homeassistant.bootstrap pre-imports half of Home Assistant (seconds).
    """
    tree = ast.parse((_homeassistant_dir() / "bootstrap.py").read_text())
    domains: set[str] = set()
    wanted = {"DEFAULT_INTEGRATIONS", "CORE_INTEGRATIONS"}
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        target = node.targets[0]
        if isinstance(target, ast.Name) and target.id in wanted:
            try:
                domains |= set(ast.literal_eval(node.value))
            except ValueError:  # not a plain literal in this release
                domains.clear()
                break
    if not domains:
        from homeassistant import bootstrap  # noqa: PLC0415 - the slow fallback

        domains = bootstrap.DEFAULT_INTEGRATIONS | bootstrap.CORE_INTEGRATIONS
    return domains


def _manifest(domain: str) -> dict[str, object] | None:
    for root in (
        REPO_ROOT / "custom_components",
        _homeassistant_dir() / "components",
    ):
        path = root / domain / "manifest.json"
        if path.is_file():
            manifest: dict[str, object] = json.loads(path.read_text())
            return manifest
    return None


def _as_list(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def integration_requirements() -> list[str]:
    """Return the pins of every integration a develop/smoke hass sets up."""
    pending = [*CONFIGURED, *sorted(_always_set_up()), "rhombus"]
    seen: set[str] = set()
    pins: list[str] = []
    while pending:
        domain = pending.pop()
        if domain in seen:
            continue
        seen.add(domain)
        if (manifest := _manifest(domain)) is None:
            continue
        pending.extend(_as_list(manifest.get("dependencies")))
        pins.extend(
            pin for pin in _as_list(manifest.get("requirements")) if pin not in pins
        )
    return sorted(pins)


def is_satisfied(pin: str) -> bool:
    """Tell whether an installed distribution meets one requirement line."""
    try:
        requirement = Requirement(pin)
    except InvalidRequirement:
        return False
    try:
        version = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        return False
    return requirement.specifier.contains(version, prereleases=True)


def main() -> None:
    """Print the unmet (or, with --pins-only, all) requirement lines."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pins-only", action="store_true")
    parser.add_argument("--install", action="store_true")
    args = parser.parse_args()
    pins = integration_requirements()
    if args.pins_only:
        print("\n".join(pins))
        return
    missing = [pin for pin in pins if not is_satisfied(pin)]
    if not args.install:
        print(*missing, sep="\n")
    elif missing:
        # requirements_develop.txt is stale (Home Assistant was bumped): follow
        # the manifests, which are what hass itself would install.
        print(f"installing what Home Assistant's manifests pin: {' '.join(missing)}")
        print("(requirements_develop.txt should be updated to match)")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", *missing], check=True
        )


if __name__ == "__main__":
    main()
