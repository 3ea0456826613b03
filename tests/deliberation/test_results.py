"""Results: computed from votes, stored as a snapshot, recomputed in the background."""

from __future__ import annotations

import asyncio
import random

from sqlalchemy import Engine

from detente.deliberation import (
    Recomputer,
    VoteRow,
    compute_result,
    recompute,
    record_votes,
    statements_of,
    stored_result,
)
from detente.store import session_scope
from detente.store.base import utcnow

from .conftest import join_many, make_deliberation, run_async


def two_camps(engine: Engine, d: int, n: int = 20) -> dict[int, str]:
    """``n`` participants in two opposite camps; returns participant id -> public id."""
    from detente.store.models.deliberation import DeliberationParticipant

    people = join_many(engine, d, n)
    rng = random.Random(3)
    with session_scope(engine) as db:
        ids = [s.id for s in statements_of(db, d)]
        rows = []
        for index, (pid, _token) in enumerate(people):
            camp = 1 if index % 2 else -1
            for position, sid in enumerate(ids):
                lean = camp if position % 2 else -camp
                value = lean if rng.random() < 0.9 else 0
                rows.append(VoteRow(d, pid, sid, value, utcnow()))
        record_votes(db.connection(), rows)
        return {p.id: p.public_id for p in db.query(DeliberationParticipant)}


def test_too_few_voters_give_no_result(forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    (pid, _t), = join_many(forum_engine, d, 1)
    with session_scope(forum_engine) as db:
        sid = statements_of(db, d)[0].id
        record_votes(db.connection(), [VoteRow(d, pid, sid, 1, utcnow())])
        assert compute_result(db, d) is None
    assert recompute(forum_engine, d) is None


def test_two_camps_give_two_groups_named_by_public_ids(forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    public = two_camps(forum_engine, d)
    stored = recompute(forum_engine, d)
    assert stored is not None and stored.vote_count > 0
    assert stored.result["k"] == 2
    members = {m for g in stored.result["groups"] for m in g["members"]}
    assert members == set(public.values())
    with session_scope(forum_engine) as db:
        again = stored_result(db, d)
    assert again is not None and again.to_json()["computed_at"].endswith("+00:00")


def test_recomputer_waits_for_the_delay_then_runs_once(sqlite_engine: Engine) -> None:
    calls: list[int] = []
    recomputer = Recomputer(sqlite_engine, delay=0.2, compute=lambda _e, d: calls.append(d))

    async def scenario() -> None:
        recomputer.mark({5})
        recomputer.mark({5})
        assert await recomputer.run_due() == 0  # too early
        await asyncio.sleep(0.25)
        assert await recomputer.run_due() == 1
        assert await recomputer.run_due() == 0

    run_async(scenario)
    assert calls == [5]


def test_default_recomputer_computes_in_a_worker_process(sqlite_engine: Engine) -> None:
    from detente.forum import load_demo_forum

    load_demo_forum(sqlite_engine)
    d = make_deliberation(sqlite_engine)
    two_camps(sqlite_engine, d, 10)
    recomputer = Recomputer(sqlite_engine, delay=0.0)

    async def scenario() -> None:
        recomputer.mark({d})
        try:
            assert await recomputer.run_due() == 1
        finally:
            await recomputer.stop()

    run_async(scenario)
    assert recomputer.runs == 1 and recomputer.compute is None
    with session_scope(sqlite_engine) as db:
        assert stored_result(db, d) is not None


def test_an_older_snapshot_never_replaces_a_newer_one(forum_engine: Engine) -> None:
    from detente.deliberation import current_basis, moderate, store_result
    from detente.store.models.deliberation import DeliberationStatement

    d = make_deliberation(forum_engine)
    two_camps(forum_engine, d, 6)
    with session_scope(forum_engine) as db:
        old_basis = current_basis(db, d)
        old = compute_result(db, d)
    with session_scope(forum_engine) as db:  # results change without a vote
        statement = db.get(DeliberationStatement, statements_of(db, d)[0].id)
        moderate(db, statement, "rejected", None)
    newer = recompute(forum_engine, d)
    assert newer is not None
    with session_scope(forum_engine) as db:
        assert current_basis(db, d)[0] == old_basis[0] + 1
        assert store_result(db, d, dict(old or {}), old_basis) is None  # refused: older
        kept = stored_result(db, d)
    assert kept is not None and kept.computed_at == newer.computed_at
    with session_scope(forum_engine) as db:  # the same basis again may refresh it
        assert store_result(db, d, {"votes": 1, "k": 0}, current_basis(db, d)) is not None


def test_two_first_results_at_once_store_one_row(forum_engine: Engine) -> None:
    import threading

    from sqlalchemy import func, select

    from detente.store.models.deliberation import DeliberationResult

    d = make_deliberation(forum_engine)
    two_camps(forum_engine, d, 6)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            recompute(forum_engine, d)
        except BaseException as exc:  # pragma: no cover - the failure being tested
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with session_scope(forum_engine) as db:
        assert db.scalar(select(func.count()).select_from(DeliberationResult)
                         .where(DeliberationResult.deliberation_id == d)) == 1
