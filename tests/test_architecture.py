"""Arrows point one way: cli/addin -> services -> templates|validators|xlsx -> core."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ABOVE_CORE = (
    "kinerja.templates",
    "kinerja.validators",
    "kinerja.xlsx",
    "kinerja.services",
    "kinerja.cli",
    "kinerja.addin",
    "kinerja.report",
    "kinerja.ledger",
    "kinerja.walkthrough",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_core_imports_nothing_above_it():
    offenders = {
        p.name: sorted(m for m in imported_modules(p) if m.startswith(ABOVE_CORE))
        for p in (ROOT / "src" / "kinerja" / "core").glob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_validators_and_templates_do_not_reach_up_into_services_or_cli():
    upward = ("kinerja.services", "kinerja.cli", "kinerja.addin", "kinerja.report")
    for folder in ("validators", "templates"):
        for p in (ROOT / folder).rglob("*.py"):
            assert not [m for m in imported_modules(p) if m.startswith(upward)], p
