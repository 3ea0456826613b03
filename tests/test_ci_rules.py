"""Under CI=true a skip fails the run, with the reason; outside CI it stays a skip."""

from __future__ import annotations

import os
import subprocess
import sys
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
