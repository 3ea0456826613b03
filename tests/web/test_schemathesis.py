"""Property-based fuzzing of the JSON API against its own OpenAPI schema (schemathesis):
no generated request, valid or not, makes the server answer 500, on SQLite and PostgreSQL.

Every operation of ``/openapi.json`` is called first with schemathesis's boundary cases (each
bound and just past it, wrong types, missing values), then with generated path, query and body
values,
as a logged-in organizer with the CSRF token and as a participant with a bearer token, over
the full demo data. The budget is fixed (``EXAMPLES`` per operation, derandomised) so that
CI time stays predictable; ``DETENTE_FUZZ_EXAMPLES`` raises it for a longer local run.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.config import GenerationConfig
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from detente.settings import Settings
from tests.conftest import CSRF_PATTERN, IN_CI, ORGANIZER_PASSWORD, POSTGRES_URL

EXAMPLES = int(os.environ.get("DETENTE_FUZZ_EXAMPLES", "25"))
#: Boundary cases per operation (schemathesis's coverage phase), before the random ones.
COVERAGE_CASES = 150


def _database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'fuzz.db'}"
        return
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception:
        admin.dispose()
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI and does not answer at {POSTGRES_URL}")
        pytest.skip("PostgreSQL server not available")
    name = f"detente_fuzz_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                                marks=pytest.mark.postgres)])
def fuzz_target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[dict[str, Any]]:
    """The app over the full demo on one backend, an organizer's cookies and CSRF token and
    a participant's bearer token."""
    from detente.accounts import create_user
    from detente.deliberation import get_deliberation, join
    from detente.demo import load_demo
    from detente.store import create_db_engine, session_scope, upgrade
    from detente.web.app import create_app

    folder = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr("detente.web.routes.deliberation_api.RECOMPUTE_IN_PROCESS", False)
    for url in _database(request.param, folder):
        engine = create_db_engine(url)
        upgrade(engine)
        load_demo(engine)
        with session_scope(engine) as db:
            create_user(db, "organizer", ORGANIZER_PASSWORD, organizer=True)
            token = join(db, get_deliberation(db, 1)).token
        engine.dispose()
        app = create_app(Settings(database_url=url, secret_key="fuzz-secret-key-0123456789ab",
                                  media_dir=str(folder / "media"),
                                  vote_rate_limit="100000/60",
                                  address_rate_limit="1000000/60"))
        # No lifespan here: schemathesis drives the app on event loops of its own; the vote
        # writer and the recompute start on first use.
        client = TestClient(app)
        page = client.get("/login")
        csrf = CSRF_PATTERN.search(page.text).group(1)  # type: ignore[union-attr]
        response = client.post("/login", data={"username": "organizer",
                                               "password": ORGANIZER_PASSWORD,
                                               "csrf_token": csrf}, follow_redirects=False)
        assert response.status_code == 303
        csrf = CSRF_PATTERN.search(client.get("/").text).group(1)  # type: ignore[union-attr]
        yield {"app": app, "cookies": dict(client.cookies), "csrf": csrf, "token": token}
        state = getattr(app.state, "deliberation", None)
        if state is not None:
            state.writer.stop()
    monkeypatch.undo()


@pytest.fixture(scope="module")
def api_schema(fuzz_target: dict[str, Any]) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_target["app"])


def _call(case: schemathesis.Case, target: dict[str, Any]) -> str | None:
    """Send ``case`` as the organizer (and participant); a description if it answers 500."""
    headers = {"x-csrf-token": target["csrf"]}
    if not (case.headers or {}).get("Authorization"):
        headers["Authorization"] = f"Bearer {target['token']}"
    response = case.call(headers=headers, cookies=target["cookies"])
    target["calls"] = target.get("calls", 0) + 1
    if response.status_code < 500:
        return None
    return (f"{case.method} {case.formatted_path} -> {response.status_code}: "
            f"{case.as_curl_command()}\n{response.text[:300]}")


def _boundaries(schema: schemathesis.BaseSchema, operation: Any, target: dict[str, Any]
                ) -> str | None:
    """schemathesis's coverage cases: each bound, just past it, wrong types, missing values."""
    cases = schema.iter_coverage_cases(operation, generation_modes=list(
        schemathesis.GenerationMode), generation_config=GenerationConfig())
    for case in itertools.islice(cases, COVERAGE_CASES):
        failure = _call(case, target)
        if failure:
            return failure
    return None


def _fuzz(operation: Any, mode: schemathesis.GenerationMode, target: dict[str, Any]
          ) -> str | None:
    """The first generated request of ``operation`` that answers 500, as a curl command."""
    found: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    def run(case: schemathesis.Case) -> None:
        failure = _call(case, target)
        if failure and not found:
            found.append(failure)

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid (an operation without parameters)
        assert mode == schemathesis.GenerationMode.NEGATIVE
    return found[0] if found else None


def test_no_generated_request_makes_a_500(fuzz_target: dict[str, Any],
                                          api_schema: schemathesis.BaseSchema) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20, "the schema lost its operations"
    failures = []
    for operation in operations:
        failure = _boundaries(api_schema, operation, fuzz_target)
        if failure:
            failures.append(failure)
        for mode in schemathesis.GenerationMode:
            failure = _fuzz(operation, mode, fuzz_target)
            if failure:
                failures.append(failure)
    assert failures == [], "\n\n".join(failures)
    assert fuzz_target["calls"] >= 2 * len(operations)
