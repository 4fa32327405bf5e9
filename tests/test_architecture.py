"""The direction of the imports between the apps: scenes on projects, projects on accounts, never back;
the cross-cutting animatic_vision package on no domain app; the engines on no Django at all."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Which packages each package may not import (its own tests excepted: they build data of every kind).
FORBIDDEN = {
    "accounts": {"projects", "scenes", "animatic"},
    "projects": {"scenes", "animatic"},
    "scenes": {"animatic"},
    "animatic_vision": {"accounts", "projects", "scenes", "animatic"},
    "story": {"django", "rest_framework", "accounts", "projects", "scenes", "animatic", "animatic_vision"},
    "render": {"django", "rest_framework", "accounts", "projects", "scenes", "animatic", "animatic_vision"},
    "providers": {"django", "rest_framework", "accounts", "projects", "scenes", "animatic", "animatic_vision"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_only_what_lies_below_it(package):
    offending = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts
    }
    assert {name: found for name, found in offending.items() if found} == {}
