"""The dependency rules of docs/architecture.md, read from its table and enforced on every
import of every module: absolute, relative and function-local.

The checker is tested on a small tree of violating code (``test_the_checker_finds_...``), so
that a rule that silently stopped matching would fail here too.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
DOC = REPO / "docs" / "architecture.md"

#: What web and cli may take from SQLAlchemy and the store: types and the transaction boundary.
BOUNDARY_IMPORTS = {"sqlalchemy": {"Engine"}, "sqlalchemy.orm": {"Session"},
                    "detente.store": {"session_scope", "create_db_engine", "upgrade"}}
QUERY_METHODS = {"execute", "scalar", "scalars", "query"}
OUTER = {"web", "cli"}


# --- reading the rules ----------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One row of the table: what a top-level module may import."""

    module: str
    ours: frozenset[str]
    ours_local_only: bool
    third_party: frozenset[str] | None  # None: any declared dependency
    third_party_types_only: bool


def _names(cell: str) -> set[str]:
    return set(re.findall(r"`([\w.]+)`", cell))


def read_rules(doc: Path) -> dict[str, Rule]:
    """The table of ``doc`` whose header starts ``| module | owns | may import of ours``."""
    rows = [line for line in doc.read_text(encoding="utf-8").splitlines()
            if line.startswith("| `")]
    rules: dict[str, Rule] = {}
    for line in rows:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4:
            continue
        (module,) = _names(cells[0])
        ours_cell, third_cell = cells[2], cells[3]
        if "everything" in ours_cell:
            ours = {"*"}
        elif "every module above" in ours_cell:
            ours = set(rules) | _names(ours_cell)
        else:
            ours = _names(ours_cell)
        if third_cell.startswith("any"):
            third: frozenset[str] | None = None
        elif third_cell.startswith("none"):
            third = frozenset()
        else:
            third = frozenset(_names(third_cell))
        rules[module] = Rule(module, frozenset(ours), "inside functions only" in ours_cell,
                             third, "TYPE_CHECKING" in third_cell)
    return rules


def declared_import_names(pyproject: Path) -> set[str]:
    """Import names of the runtime dependencies declared in ``pyproject``."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    wanted = {re.split(r"[\[<>=!~; ]", d, maxsplit=1)[0].lower().replace("_", "-")
              for d in project["dependencies"]}
    return {name for name, dists in packages_distributions().items()
            if any(d.lower().replace("_", "-") in wanted for d in dists)}


def optional_import_names(pyproject: Path) -> set[str]:
    """Import names of the packages of ``pyproject``'s optional features (its extras other
    than the developers' ``test`` and ``bench``), which detente may import only inside a
    function, so that it runs without them."""
    extras = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"].get(
        "optional-dependencies", {}
    )
    wanted = {re.split(r"[\[<>=!~; ]", d, maxsplit=1)[0].lower().replace("_", "-")
              for name, deps in extras.items() if name not in {"test", "bench"} for d in deps}
    return {name for name, dists in packages_distributions().items()
            if any(d.lower().replace("_", "-") in wanted for d in dists)}


# --- reading the imports ----------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    """One imported module (``from m import a, b`` gives ``m`` with names, or ``m.a`` where
    ``a`` is a submodule)."""

    path: str
    line: int
    module: str
    names: tuple[str, ...]
    local: bool
    type_checking: bool


def _module_name(root: Path, path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def _is_module(root: Path, dotted: str) -> bool:
    base = root.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


class _Walker(ast.NodeVisitor):
    def __init__(self, root: Path, path: Path) -> None:
        self.root, self.path = root, path
        self.module, self.is_package = _module_name(root, path)
        self.depth = 0
        self.type_checking = 0
        self.found: list[Import] = []
        self.calls: list[tuple[int, str]] = []

    def _add(self, line: int, module: str, names: tuple[str, ...]) -> None:
        self.found.append(Import(str(self.path.relative_to(self.root)), line, module, names,
                                 self.depth > 0, self.type_checking > 0))

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_If(self, node: ast.If) -> None:
        guarded = "TYPE_CHECKING" in ast.unparse(node.test)
        self.type_checking += guarded
        for child in node.body:
            self.visit(child)
        self.type_checking -= guarded
        for child in node.orelse:
            self.visit(child)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(node.lineno, alias.name, ())

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.module.split(".")
            if not self.is_package:
                base = base[:-1]
            base = base[: len(base) - (node.level - 1)]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        plain = []
        for alias in node.names:
            dotted = f"{module}.{alias.name}"
            if _is_module(self.root, dotted):
                self._add(node.lineno, dotted, ())
            else:
                plain.append(alias.name)
        if plain:
            self._add(node.lineno, module, tuple(plain))

    def visit_Call(self, node: ast.Call) -> None:
        name = ast.unparse(node.func)
        if name in {"importlib.import_module", "import_module", "__import__"}:
            self.calls.append((node.lineno, f"import by computed name: {name}(...)"))
        if isinstance(node.func, ast.Attribute) and node.func.attr in QUERY_METHODS:
            self.calls.append((node.lineno, f"query: .{node.func.attr}(...)"))
        self.generic_visit(node)


def walk(root: Path, package: str = "detente") -> Iterator[_Walker]:
    """One walker per module of ``package`` under ``root`` (the folder holding it)."""
    for path in sorted((root / package).rglob("*.py")):
        walker = _Walker(root, path)
        walker.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        yield walker


def _owner(module: str) -> str | None:
    """The top-level module of ours that ``module`` belongs to (None: not ours)."""
    parts = module.split(".")
    if parts[0] != "detente":
        return None
    return parts[1] if len(parts) > 1 else "detente"


def violations(
    root: Path, rules: dict[str, Rule], declared: set[str], optional: set[str] | None = None
) -> list[str]:
    """Every import (and call) under ``root/detente`` that the rules do not allow."""
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    found: list[str] = []
    for walker in walk(root):
        owner = _owner(walker.module)
        if owner is None or owner == "detente":
            continue
        rule = rules.get(owner)
        if rule is None:
            found.append(f"{walker.module}: detente.{owner} has no row in the table")
            continue
        for lineno, what in walker.calls:
            if what.startswith("query") and owner not in OUTER:
                continue
            found.append(f"{walker.path.relative_to(root)}:{lineno}: {what}")
        for imp in walker.found:
            where = f"{imp.path}:{imp.line}: {owner} imports {imp.module}"
            target = _owner(imp.module)
            if target is not None:
                if target in (owner, "detente"):
                    continue
                if "*" not in rule.ours and target not in rule.ours:
                    found.append(where)
                elif rule.ours_local_only and not imp.local and not imp.type_checking:
                    found.append(where + " outside a function")
            else:
                top = imp.module.split(".")[0]
                if top in stdlib or (imp.type_checking and rule.third_party_types_only):
                    pass
                elif rule.third_party is None:
                    if top in (optional or set()) - declared:
                        if not imp.local:
                            found.append(where + " (an optional extra's, outside a function)")
                    elif top not in declared:
                        found.append(where + " (not a declared dependency)")
                elif top not in rule.third_party:
                    found.append(where)
            if owner in OUTER:
                found.extend(_boundary(imp, where))
                if target not in (None, owner) and _private(imp.module):
                    found.append(where + " (a private module of another package)")
    return found


def _private(module: str) -> bool:
    """Whether ``module`` is, or is inside, a ``_``-prefixed module (not ``__init__``)."""
    return any(part.startswith("_") and not part.startswith("__")
               for part in module.split(".")[1:])


def _boundary(imp: Import, where: str) -> list[str]:
    """Web and CLI take only types and the transaction boundary from SQLAlchemy and the
    store."""
    if imp.module.startswith("detente.store.") or (
            imp.module.startswith("sqlalchemy") and imp.module not in BOUNDARY_IMPORTS):
        return [where + " (no query outside a service)"]
    allowed = BOUNDARY_IMPORTS.get(imp.module)
    if allowed is not None and (not imp.names or set(imp.names) - allowed):
        return [where + f" {', '.join(imp.names) or '(whole module)'} (no query outside a "
                        "service)"]
    return []


# --- the tests --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rules() -> dict[str, Rule]:
    return read_rules(DOC)


def test_the_table_has_a_row_for_every_top_level_module(rules: dict[str, Rule]) -> None:
    present = {p.stem for p in (SRC / "detente").iterdir()
               if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()}
    assert present == set(rules), "add a row to docs/architecture.md for each new module"


def test_the_table_states_the_engine_and_the_service_rules(rules: dict[str, Rule]) -> None:
    # The engine's only imports of ours: the exception tree and the dependency-free CSV writer.
    assert rules["consensus"].ours == {"errors", "safecsv"}
    assert rules["consensus"].third_party == {"numpy", "scipy", "sklearn", "threadpoolctl"}
    services = ["consensus", "store", "accounts", "forum", "deliberation", "states",
                "knowledge", "reports", "charts", "runtime"]
    assert all(not ({"web", "cli", "capabilities"} & rules[s].ours) for s in services)


def test_every_import_follows_the_table(rules: dict[str, Rule]) -> None:
    declared = declared_import_names(REPO / "pyproject.toml")
    optional = optional_import_names(REPO / "pyproject.toml")
    assert violations(SRC, rules, declared, optional) == []


VIOLATING = {
    "detente/__init__.py": "",
    "detente/errors.py": "",
    "detente/consensus/__init__.py": "from ._fit import fit\n",
    "detente/consensus/_fit.py": (
        "import numpy as np\n"
        "from ..web import app\n"                         # relative import of the web
        "def fit():\n"
        "    import fastapi\n"                             # function-local, forbidden library
        "    from detente.store.models import forum\n"     # function-local, forbidden package
        "    return np, app, fastapi, forum\n"),
    "detente/store/__init__.py": "def session_scope(): ...\n",
    "detente/store/models/__init__.py": "",
    "detente/store/models/forum.py": "",
    "detente/web/__init__.py": "",
    "detente/web/app.py": "app = None\n",
    "detente/web/routes/__init__.py": "",
    "detente/web/_helpers.py": "",
    "detente/cli/__init__.py": "from detente.cli._common import x\n",   # allowed: its own
    "detente/cli/kb.py": (
        "from detente.web import _helpers\n"             # the web's private module
        "from detente.consensus import fit\n"            # allowed: the package
        "def run():\n"
        "    from detente.consensus._fit import fit\n"   # a private module of another package
        "    from detente.consensus import _fit\n"       # the same, as a name
        "    return fit, _fit\n"),
    "detente/web/routes/forum.py": (
        "import importlib\n"
        "from sqlalchemy import select\n"                  # a query builder in a route
        "from detente.store import session_scope\n"        # allowed: the boundary
        "from detente.store.models.forum import Event\n"   # models in a route
        "def page(db, name):\n"
        "    importlib.import_module(f'detente.{name}')\n"  # import by computed name
        "    return db.scalars(select(Event))\n"),          # a query in a route
    "detente/capabilities.py": (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from fastapi import APIRouter\n"              # allowed: types only
        "from detente.web.app import app\n"                # ours at module level
        "def routes():\n"
        "    from detente.web.routes import forum\n"       # allowed: inside a function
        "    return forum\n"),
    "detente/newthing.py": "",                             # no row in the table
    "detente/knowledge/__init__.py": "",
    "detente/knowledge/_meaning.py": (
        "import extra_model\n"                             # an optional extra's, at the top
        "def encode():\n"
        "    import extra_model\n"                         # allowed: inside a function
        "    return extra_model\n"),
}


def test_the_checker_finds_each_kind_of_violation(tmp_path: Path,
                                                  rules: dict[str, Rule]) -> None:
    for name, code in VIOLATING.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code, encoding="utf-8")
    found = "\n".join(
        violations(tmp_path, rules, {"numpy", "sqlalchemy", "fastapi"}, {"extra_model"})
    )
    expected = [
        r"_fit.py:2: consensus imports detente.web.app$",
        r"_fit.py:4: consensus imports fastapi$",
        r"_fit.py:5: consensus imports detente.store.models.forum$",
        r"routes/forum.py:2: web imports sqlalchemy select \(no query",
        r"routes/forum.py:4: web imports detente.store.models.forum \(no query",
        r"routes/forum.py:6: import by computed name: importlib.import_module",
        r"routes/forum.py:7: query: .scalars",
        r"capabilities.py:4: capabilities imports detente.web.app outside a function",
        r"cli/kb.py:1: cli imports detente.web._helpers \(a private module of another",
        r"cli/kb.py:4: cli imports detente.consensus._fit \(a private module of another",
        r"cli/kb.py:5: cli imports detente.consensus._fit \(a private module of another",
        r"detente.newthing: detente.newthing has no row in the table",
        r"_meaning.py:1: knowledge imports extra_model \(an optional extra's, outside a function",
    ]
    for pattern in expected:
        assert re.search(pattern, found, re.M), f"not found: {pattern}\n{found}"
    assert "routes/forum.py:3" not in found and "capabilities.py:3" not in found
    assert "capabilities.py:6" not in found and "_fit.py:1" not in found
    assert "_meaning.py:3" not in found
    assert len(found.splitlines()) == len(expected), found
