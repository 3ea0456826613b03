"""The next-statement policy: accepted only, never voted, few votes first, then separating."""

from __future__ import annotations

from sqlalchemy import Engine

from detente.deliberation import (
    VoteRow,
    get_deliberation,
    moderate,
    next_statement,
    priority,
    record_votes,
    statements_of,
    store_result,
)
from detente.store import session_scope
from detente.store.base import utcnow

from .conftest import join_many, make_deliberation


def test_priority_matches_the_polis_formula() -> None:
    # A=3, D=1, S=5 (P=1), E=0.5: importance = (1 - 2/7) * 1.5 * 4/7
    importance = (1 - 2 / 7) * 1.5 * (4 / 7)
    expected = (importance * (1 + 8 * 2 ** (-1))) ** 2
    assert abs(priority(3, 1, 5, 0.5) - expected) < 1e-12


def test_priority_prefers_unseen_and_separating_statements() -> None:
    assert priority(0, 0, 0, 0.0) > priority(10, 10, 20, 0.0)
    assert priority(10, 10, 20, 2.0) > priority(10, 10, 20, 0.0)
    assert priority(5, 5, 20, 0.0) < priority(10, 10, 20, 0.0)  # mostly passed ranks low


def test_next_statement_is_never_one_already_voted_and_ends_with_none(
        forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    (pid, _token), = join_many(forum_engine, d, 1)
    seen = []
    for _ in range(10):
        with session_scope(forum_engine) as db:
            statement = next_statement(db, d, pid)
            if statement is None:
                break
            assert statement.id not in seen
            seen.append(statement.id)
            record_votes(db.connection(), [VoteRow(d, pid, statement.id, 1, utcnow())])
    assert len(seen) == 6


def test_next_statement_skips_pending_and_rejected(forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine, seeds=["First statement to be rejected.",
                                               "Second statement that stays."])
    (pid, _token), = join_many(forum_engine, d, 1)
    with session_scope(forum_engine) as db:
        first, second = statements_of(db, d)
        moderate(db, first, "rejected", None)
    with session_scope(forum_engine) as db:
        assert next_statement(db, d, pid).id == second.id


def test_statements_with_fewer_votes_come_first(forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    people = join_many(forum_engine, d, 4)
    with session_scope(forum_engine) as db:
        ids = [s.id for s in statements_of(db, d)]
        # Everyone but the last participant voted on the first three statements.
        record_votes(db.connection(), [VoteRow(d, pid, sid, 1, utcnow())
                                       for pid, _t in people[:3] for sid in ids[:3]])
    with session_scope(forum_engine) as db:
        assert next_statement(db, d, people[3][0]).id == ids[3]


def test_last_result_makes_the_statement_that_separates_groups_come_first(
        forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    (pid, _token), = join_many(forum_engine, d, 1)
    with session_scope(forum_engine) as db:
        ids = [s.id for s in statements_of(db, d)]
        same = {"0": {"agree": 5, "disagree": 0, "pass": 0},
                "1": {"agree": 5, "disagree": 0, "pass": 0}}
        split = {"0": {"agree": 5, "disagree": 0, "pass": 0},
                 "1": {"agree": 0, "disagree": 5, "pass": 0}}
        stats = [{"statement": sid, "by_group": split if sid == ids[4] else same} for sid in ids]
        get_deliberation(db, d)
        store_result(db, d, {"statement_stats": stats, "votes": 60})
    with session_scope(forum_engine) as db:
        assert next_statement(db, d, pid).id == ids[4]
