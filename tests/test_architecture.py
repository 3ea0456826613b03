"""Dependencies point inward: the engine imports nothing of ours, services never import the web
or the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "detente"
SERVICES = ["consensus", "store", "forum", "deliberation", "states", "knowledge", "reports",
            "runtime"]


def _imports(package: str) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in (SRC / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((str(path.relative_to(SRC)), node.module))
            elif isinstance(node, ast.Import):
                found.update((str(path.relative_to(SRC)), alias.name) for alias in node.names)
    return found


def test_consensus_engine_imports_only_numerical_libraries() -> None:
    allowed_ours = {"detente.consensus", "detente.errors"}
    offending = sorted(
        (where, module) for where, module in _imports("consensus")
        if (module.startswith("detente") and not any(
            module == a or module.startswith(a + ".") for a in allowed_ours))
        or module.split(".")[0] in {"sqlalchemy", "fastapi", "starlette", "typer", "jinja2"}
    )
    assert offending == []


@pytest.mark.parametrize("package", SERVICES)
def test_services_never_import_web_or_cli(package: str) -> None:
    if not (SRC / package).is_dir():
        pytest.skip(f"{package} not present")
    offending = sorted(
        (where, module) for where, module in _imports(package)
        if module.startswith(("detente.web", "detente.cli"))
    )
    assert offending == []
