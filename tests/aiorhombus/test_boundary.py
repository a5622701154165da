"""The protocol client stays a standalone library."""

from __future__ import annotations

import ast
from pathlib import Path

CLIENT = Path(__file__).parents[2] / "custom_components" / "rhombus" / "aiorhombus"


def test_client_never_imports_homeassistant() -> None:
    files = sorted(CLIENT.glob("*.py"))
    assert len(files) >= 6
    offenders = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] == "homeassistant"
            ]
    assert offenders == []


def test_client_uses_only_relative_imports_of_itself() -> None:
    for path in CLIENT.glob("*.py"):
        assert "custom_components" not in path.read_text(), path.name
