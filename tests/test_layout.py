"""The integration's shape: the client's public surface, no cycles, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

INTEGRATION = Path(__file__).parents[1] / "custom_components" / "rhombus"
PACKAGE = "custom_components.rhombus"
# "Around 300 lines": a little slack, so a docstring does not force a split.
MAX_LINES = 320


def module_name(path: Path) -> str:
    parts = path.relative_to(INTEGRATION).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


MODULES = {module_name(path): path for path in sorted(INTEGRATION.rglob("*.py"))}


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def runtime_imports(path: Path) -> set[str]:
    """The modules ``path`` imports when it runs (``TYPE_CHECKING`` blocks left out)."""
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.ImportFrom):
                target = _absolute(path, node)
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.If):
                if "TYPE_CHECKING" not in ast.unparse(node.test):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)

    visit(ast.parse(path.read_text()).body)
    return {module for module in found if module in MODULES}


def every_import(path: Path) -> set[str]:
    """Every module ``path`` names in an import, at run time or for typing."""
    return {
        _absolute(path, node)
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom)
    }


def test_the_integration_uses_only_the_clients_public_surface() -> None:
    """Outside aiorhombus, nothing reaches into its modules: only its package."""
    offenders = [
        f"{name} imports {target}"
        for name, path in MODULES.items()
        if not name.startswith(f"{PACKAGE}.aiorhombus")
        for target in every_import(path)
        if target.startswith(f"{PACKAGE}.aiorhombus.")
    ]
    assert offenders == []


def test_no_import_cycle_at_run_time() -> None:
    graph = {name: runtime_imports(path) - {name} for name, path in MODULES.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            # A package's __init__ importing its own modules is no cycle of ours.
            if target.startswith(f"{node}.") or node.startswith(f"{target}."):
                continue
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                walk(target)
        path.pop()
        state[node] = 2

    for name in graph:
        if name not in state:
            walk(name)
    assert cycles == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_small(name: str) -> None:
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"
