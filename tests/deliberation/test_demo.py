"""The demo deliberation: simulated, labelled, grouped and idempotent."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from detente.deliberation import DEMO_STATEMENTS, load_demo_deliberation, stored_result
from detente.store import session_scope
from detente.store.models.deliberation import Deliberation, DeliberationVote


def test_demo_deliberation_is_simulated_grouped_and_idempotent(sqlite_engine: Engine) -> None:
    load_demo_deliberation(sqlite_engine)
    with session_scope(sqlite_engine) as db:
        votes = db.scalar(select(func.count()).select_from(DeliberationVote))
    assert "already present" in load_demo_deliberation(sqlite_engine)
    with session_scope(sqlite_engine) as db:
        (d,) = db.scalars(select(Deliberation)).all()
        assert d.is_simulated and "SIMULATED" in d.description
        assert d.session.position == 2
        assert len(d.statements) == len(DEMO_STATEMENTS) >= 20
        assert all(s.text_local for s in d.statements)
        assert db.scalar(select(func.count()).select_from(DeliberationVote)) == votes
        result = stored_result(db, d.id)
        assert result is not None and result.result["k"] >= 2
