"""Under CI=true a skip fails the run, with the reason; outside CI it stays a skip."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

PROBE = '''
import pytest

def test_needs_something_absent():
    pytest.importorskip("a_module_that_does_not_exist")

@pytest.mark.xfail(reason="known", strict=True)
def test_expected_failure():
    assert False
'''


def _run(tmp_path: Path, ci: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    conftest = Path(__file__).with_name("conftest.py")
    (tmp_path / "conftest.py").write_text(conftest.read_text(encoding="utf-8"), "utf-8")
    env = {**os.environ, "CI": ci}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA",
         str(tmp_path)], capture_output=True, text=True, env=env, cwd=tmp_path, check=False)


def test_skips_fail_under_ci_with_the_reason(tmp_path: Path) -> None:
    result = _run(tmp_path, "true")
    assert result.returncode != 0
    assert "skipped under CI=true" in result.stdout
    assert "a_module_that_does_not_exist" in result.stdout
    assert "1 xfailed" in result.stdout  # an expected failure is not a skip


def test_skips_stay_skips_outside_ci(tmp_path: Path) -> None:
    result = _run(tmp_path, "")
    assert "skipped under CI=true" not in result.stdout
    assert result.returncode == 0 and "1 skipped, 1 xfailed" in result.stdout


# --- types ------------------------------------------------------------------------------------

ROOT = Path(__file__).parents[1]


def _commands(script: str) -> list[str]:
    """The lines of a shell script that run something (comments and blank lines left out)."""
    return [line.strip() for line in script.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_ci_runs_mypy_on_src_after_ruff_and_before_the_tests() -> None:
    commands = _commands((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert "set -euo pipefail" in commands  # a failing command fails the run
    ruff = next(i for i, c in enumerate(commands) if c.startswith("ruff check"))
    mypy = commands.index("mypy src")
    pytest_run = commands.index("pytest")
    assert ruff < mypy < pytest_run


def test_mypy_requires_annotations_everywhere_and_checks_every_body() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    for option in ("disallow_untyped_defs", "disallow_incomplete_defs", "check_untyped_defs",
                   "warn_unused_ignores"):
        assert config.get(option) is True, option
    assert "ignore-without-code" in config.get("enable_error_code", [])
    engine_stricter = False
    for override in config.get("overrides", []):
        modules = override["module"]
        modules = [modules] if isinstance(modules, str) else modules
        if "detente.consensus" in modules:  # the engine may only be stricter
            assert override == {"module": modules, "disallow_any_generics": True}
            engine_stricter = True
            continue
        # Other overrides may only say that a third-party library ships no types.
        assert set(override) <= {"module", "ignore_missing_imports"}, override
        assert not any(m.startswith("detente") for m in modules), override
    assert engine_stricter


_IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")


def test_every_type_ignore_names_its_error_codes_and_gives_a_reason() -> None:
    unexplained = []
    for path in sorted((ROOT / "src").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            found = _IGNORE.search(line)
            if found is None:
                continue
            reason_after = found["rest"].strip().startswith("#")
            reason_above = number > 1 and lines[number - 2].strip().startswith("#")
            if not found["codes"] or not (reason_after or reason_above):
                unexplained.append(f"{path.relative_to(ROOT)}:{number}")
    assert not unexplained, "a type: ignore needs [codes] and a reason comment"
