"""``detente --help`` stays quick: neither importing the CLI nor asking any command for its help
imports the heavy libraries or the services (docs/performance.md, "The command line").

Not a timed test: it checks what a fresh interpreter has imported, which does not depend on how
busy the machine is.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT

#: Packages that the help must never import (each costs from 30 ms to over a second).
HEAVY = (
    "numpy", "scipy", "sklearn", "pandas", "sqlalchemy", "alembic", "jinja2", "weasyprint",
    "fastapi", "starlette", "uvicorn", "pydantic", "PIL", "yaml", "babel", "rich", "redis",
    "psycopg", "qrcode", "docx", "pypdf", "markdown_it",
)
#: detente's services and engine: a command imports them when it runs, never for its help.
SERVICES = (
    "detente.consensus", "detente.web", "detente.store", "detente.states", "detente.knowledge",
    "detente.reports", "detente.forum", "detente.deliberation", "detente.accounts",
    "detente.charts", "detente.runtime", "detente.inputs", "detente.demo",
)

_REPORT = """
import json, sys
heavy = json.loads(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules
                        if any(m == h or m.startswith(h + ".") for h in heavy))))
"""


def _imported_after(code: str) -> list[str]:
    """The heavy modules in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    completed = subprocess.run(
        [sys.executable, "-c", code + _REPORT, json.dumps([*HEAVY, *SERVICES])],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_importing_the_cli_imports_no_heavy_module() -> None:
    assert _imported_after("import detente.cli\n") == []


def test_no_help_of_any_command_imports_a_heavy_module() -> None:
    code = """
import contextlib, io, sys
from detente.cli import app, walk_commands
from typer.main import get_command
command = get_command(app)
for path, _found in walk_commands():
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            command.main([*path, "--help"], prog_name="detente", standalone_mode=True)
        except SystemExit as exc:
            assert exc.code in (0, None), (path, exc.code)
"""
    assert _imported_after(code) == []


def test_the_help_in_chinese_imports_no_heavy_module_but_the_catalogs() -> None:
    code = """
import contextlib, io, os
os.environ["DETENTE_LANG"] = "zh"
from detente.cli import app
from typer.main import get_command
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        get_command(app).main(["kb", "search", "--help"], prog_name="detente")
    except SystemExit:
        pass
assert "用法" in out.getvalue(), out.getvalue()
"""
    assert [m for m in _imported_after(code) if not m.startswith("babel")] == []
