"""The capability registry: one typed list, complete, and cheap to import."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from detente import capabilities
from detente.cli import _build, app

SRC = Path(__file__).resolve().parents[1] / "src" / "detente"
HEAVY = {"numpy", "scipy", "sklearn", "fastapi", "starlette", "weasyprint", "jieba", "pydantic"}


def _modules_after(code: str) -> list[str]:
    """The modules loaded by a fresh interpreter after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.splitlines()[-1])


def test_importing_the_registry_imports_only_the_standard_library() -> None:
    loaded = _modules_after("import detente.capabilities")
    ours = {m for m in loaded if m.startswith("detente")}
    assert ours == {"detente", "detente.capabilities"}
    assert not {m.split(".")[0] for m in loaded} & (HEAVY | {"sqlalchemy", "typer"})


def test_help_lists_every_command_without_importing_any_capability() -> None:
    loaded = _modules_after(
        "from typer.testing import CliRunner\nfrom detente.cli import app\n"
        "result = CliRunner().invoke(app, ['--help'])\nassert result.exit_code == 0")
    assert not {m.split(".")[0] for m in loaded} & HEAVY
    assert not [m for m in loaded if m.startswith("detente.cli.") and m != "detente.cli._common"]
    listing = CliRunner().invoke(app, ["--help"]).output
    for name in capabilities.commands():
        assert f" {name} " in listing


def test_registry_help_is_the_help_of_the_command_it_loads() -> None:
    for name, entry in capabilities.commands().items():
        built = _build(entry)
        assert built.name == name or built.name is None
        assert " ".join((built.help or "").split()).startswith(entry.help), name


def test_a_command_module_takes_its_help_line_from_the_registry() -> None:
    """The registry's line is written once: no command module has it as a string (a help= or
    a docstring) again; it passes ``command_help(name)`` to Typer instead."""
    lines = {" ".join(entry.help.split()): name for name, entry in capabilities.commands().items()}
    again = []
    for path in sorted((SRC / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = " ".join(node.value.split())
                again += [f"{path.name}:{node.lineno} ({lines[line]})" for line in lines
                          if line in text]
    assert again == [], "use detente.capabilities.command_help(name) there"


def _defines(path: Path, name: str) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, (ast.FunctionDef, ast.Assign)) and (
        getattr(node, "name", None) == name
        or any(getattr(t, "id", None) == name for t in getattr(node, "targets", [])))
        for node in tree.body)


def test_every_cli_module_and_route_module_is_in_the_registry() -> None:
    registered_cli = {entry.register().__module__ for entry in capabilities.commands().values()}
    cli_modules = {f"detente.cli.{p.stem}" for p in (SRC / "cli").glob("*.py")
                   if _defines(p, "register")}
    assert cli_modules == registered_cli
    routers = {id(r.router) for r in capabilities.routes()}
    for path in (SRC / "web" / "routes").glob("*.py"):
        if _defines(path, "router"):
            module = importlib.import_module(f"detente.web.routes.{path.stem}")
            assert id(module.router) in routers, f"{path.name} is not in CAPABILITIES"


def test_every_model_module_is_imported_by_the_models_package() -> None:
    tree = ast.parse((SRC / "store" / "models" / "__init__.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module == "detente.store.models" for alias in node.names}
    assert imported == {p.stem for p in (SRC / "store" / "models").glob("*.py")
                        if p.stem != "__init__"}


def test_navigation_and_demo_follow_the_registry_order() -> None:
    from detente.web.navigation import NAV_ITEMS

    assert NAV_ITEMS[0] == ("/", "Events") and len(NAV_ITEMS) == len(capabilities.navigation())
    names = [name for name, _loader in capabilities.demo_loaders()]
    assert names[0] == "forum" and set(names) == {
        c.name for c in capabilities.CAPABILITIES if c.demo is not None}
