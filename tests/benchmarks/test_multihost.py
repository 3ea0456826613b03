"""The reference deployment, for real: two hosts of two web workers, two job workers, HAProxy,
PostgreSQL and Redis, with participants voting through the proxy (benchmarks/multihost.py).

Slow (about a minute, more on a busy machine). Needs PostgreSQL, redis-server and haproxy:
skipped where one is absent, a failure under CI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI, REPO_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _require(binary: str) -> None:
    if shutil.which(binary) is None and not Path(f"/usr/sbin/{binary}").exists():
        if IN_CI:
            pytest.fail(f"{binary} is required in CI (.ci/run installs it)")
        pytest.skip(f"{binary} is not installed")


def test_reference_deployment_passes_every_check(postgres_template: str, tmp_path: Path
                                                 ) -> None:
    _require("haproxy")
    _require("redis-server")
    out = tmp_path / "report.json"
    completed = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / "multihost.py"), "--participants", "120",
         "--statements", "30", "--duration", "8", "--json", str(out)],
        capture_output=True, text=True, timeout=900, cwd=REPO_ROOT)
    assert out.exists(), completed.stdout[-3000:] + completed.stderr[-3000:]
    report = json.loads(out.read_text())
    failed = [name for name, ok in report["checks"].items() if not ok]
    assert failed == [], completed.stdout[-4000:]
    assert len(report["checks"]) == 8
    assert report["durability"]["acknowledged"] > 0
    assert report["job_worker_kill"]["killed"].startswith("jobs-")
    assert completed.returncode == 0
