"""Fixtures for deliberation tests: a forum with a session, deliberations, logged-in organizers."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from detente.deliberation import create_deliberation, join, seed_statements
from detente.forum import DEMO_EVENT_SLUG
from detente.store import session_scope
from tests.conftest import CSRF_PATTERN as CSRF
from tests.conftest import run_async  # noqa: F401 - the deliberation tests import it from here

SEEDS = [
    "Nuclear launch decisions must stay with humans.",
    "Lethal autonomous weapons should be banned by treaty.",
    "Norms of responsible use beat a ban on autonomous weapons.",
    "Military AI raises the risk of accidental escalation.",
    "Frontier models need testing for bioweapon uplift before release.",
    "Verification of limits on military AI is impossible.",
]


@pytest.fixture(autouse=True)
def recompute_in_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps in tests recompute in a thread: no worker process per app (one test checks it)."""
    monkeypatch.setattr("detente.web.routes.deliberation_api.RECOMPUTE_IN_PROCESS", False)


@pytest.fixture
def forum_engine(engine: Engine) -> Engine:
    """An upgraded database (both backends) holding the demo forum."""
    from detente.forum import load_demo_forum

    load_demo_forum(engine)
    return engine


def make_deliberation(engine: Engine, *, seeds: list[str] | None = None, **options: object) -> int:
    """Create an open deliberation on session 2 of the demo forum with seed statements."""
    with session_scope(engine) as db:
        deliberation = create_deliberation(db, DEMO_EVENT_SLUG, 2, "Where are the red lines?",
                                           **options)  # type: ignore[arg-type]
        seed_statements(db, deliberation, SEEDS if seeds is None else seeds)
        return deliberation.id


def join_many(engine: Engine, deliberation_id: int, n: int) -> list[tuple[int, str]]:
    """(participant id, token) for ``n`` new participants."""
    from detente.deliberation import get_deliberation

    out = []
    with session_scope(engine) as db:
        deliberation = get_deliberation(db, deliberation_id)
        for _ in range(n):
            joined = join(db, deliberation)
            out.append((joined.participant.id, joined.token))
    return out




def make_client(settings, **overrides):  # type: ignore[no-untyped-def]
    """A TestClient context over ``settings`` with some settings replaced."""
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from detente.web.app import create_app

    return TestClient(create_app(replace(settings, **overrides)))


@pytest.fixture
def fast_client(settings, demo_engine: Engine):  # type: ignore[no-untyped-def]
    """A client whose results recompute 50 ms after votes (demo forum loaded)."""
    with make_client(settings, recompute_delay=0.05) as client:
        yield client


def join_web(client, deliberation_id: int) -> str:  # type: ignore[no-untyped-def]
    """Join through the plain form; returns the CSRF token of the session."""
    page = client.get(f"/deliberations/{deliberation_id}")
    token = CSRF.search(page.text).group(1)
    response = client.post(f"/deliberations/{deliberation_id}/join",
                           data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    return token
