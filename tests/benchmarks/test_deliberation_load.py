"""The SIGKILL durability check of benchmarks/deliberation_load.py, in CI: the server is killed
under load and every vote it acknowledged must be in the database after a restart."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

pytestmark = [pytest.mark.slow]


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_no_acknowledged_vote_is_lost_when_the_server_is_killed(backend: str, request) -> None:  # type: ignore[no-untyped-def]
    if backend == "postgresql":
        request.getfixturevalue("postgres_template")  # fails under CI without PostgreSQL
    completed = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / "deliberation_load.py"), "--backend",
         backend, "--participants", "60", "--statements", "40", "--connections", "8",
         "--duration", "3", "--json"], capture_output=True, text=True, timeout=600,
        cwd=REPO_ROOT)
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout[completed.stdout.index("["):])[0]
    assert result["acknowledged"] > 100
    assert result["missing"] == 0
    assert result["votes_after_restart"] > 0
