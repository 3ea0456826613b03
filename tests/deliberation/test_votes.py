"""The vote path on both backends: upsert, history, group commit, cached checks."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from detente.deliberation import VoteCache, VoteRow, VoteWriter, record_votes, statements_of
from detente.errors import InputError, NotFoundError, PermissionDeniedError
from detente.store import session_scope
from detente.store.base import utcnow
from detente.store.models.deliberation import DeliberationVote, DeliberationVoteHistory

from .conftest import join_many, make_deliberation, run_async


def _statement_ids(engine: Engine, deliberation_id: int) -> list[int]:
    with session_scope(engine) as db:
        return [s.id for s in statements_of(db, deliberation_id)]


def test_a_later_vote_replaces_the_current_one_and_both_stay_in_history(
        forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    (pid, _token), = join_many(forum_engine, d, 1)
    sid = _statement_ids(forum_engine, d)[0]
    for value in (1, -1):
        with forum_engine.begin() as connection:
            record_votes(connection, [VoteRow(d, pid, sid, value, utcnow())])
    with session_scope(forum_engine) as db:
        assert list(db.scalars(select(DeliberationVote.value))) == [-1]
        history = list(db.scalars(select(DeliberationVoteHistory.value)
                                  .order_by(DeliberationVoteHistory.id)))
        assert history == [1, -1]


def test_database_allows_one_current_vote_per_participant_and_statement(
        forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    (pid, _token), = join_many(forum_engine, d, 1)
    sid = _statement_ids(forum_engine, d)[0]
    row = {"deliberation_id": d, "participant_id": pid, "statement_id": sid, "value": 1,
           "voted_at": utcnow()}
    with pytest.raises(IntegrityError), forum_engine.begin() as connection:
        connection.execute(insert(DeliberationVote.__table__), [row, row])


def test_same_pair_twice_in_one_batch_keeps_the_last(forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    (pid, _token), = join_many(forum_engine, d, 1)
    sid = _statement_ids(forum_engine, d)[0]
    with forum_engine.begin() as connection:
        record_votes(connection, [VoteRow(d, pid, sid, 1, utcnow()),
                                  VoteRow(d, pid, sid, 0, utcnow())])
    with session_scope(forum_engine) as db:
        assert list(db.scalars(select(DeliberationVote.value))) == [0]


def test_writer_commits_concurrent_votes_in_batches_before_answering(
        forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    participants = join_many(forum_engine, d, 20)
    statements = _statement_ids(forum_engine, d)
    committed: list[set[int]] = []
    writer = VoteWriter(forum_engine, on_commit=committed.append)
    writer.start()

    async def vote_all() -> None:
        await asyncio.gather(*(writer.submit(VoteRow(d, pid, sid, 1, utcnow()))
                               for pid, _t in participants for sid in statements))

    try:
        run_async(vote_all)
    finally:
        writer.stop()
    with session_scope(forum_engine) as db:
        count = db.scalar(select(func.count()).select_from(DeliberationVote))
    assert count == len(participants) * len(statements)
    assert writer.batches < count  # several votes shared a commit
    assert committed and all(ids == {d} for ids in committed)


def test_cache_checks_token_deliberation_statement_and_value(forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    other = make_deliberation(forum_engine, seeds=["Another deliberation's statement."])
    (_pid, token), = join_many(forum_engine, d, 1)
    cache = VoteCache(forum_engine)
    acting = cache.acting(token)
    assert acting is not None and acting.deliberation_id == d
    assert cache.acting("not-a-token") is None
    sid = _statement_ids(forum_engine, d)[0]
    assert cache.check_vote(acting, d, sid, -1).value == -1
    with pytest.raises(PermissionDeniedError):
        cache.check_vote(acting, other, sid, 1)
    with pytest.raises(InputError):
        cache.check_vote(acting, d, sid, 2)
    with pytest.raises(NotFoundError):
        cache.check_vote(acting, d, _statement_ids(forum_engine, other)[0], 1)


def test_cache_refuses_votes_once_the_deliberation_closes(forum_engine: Engine) -> None:
    from detente.deliberation import get_deliberation, set_status

    d = make_deliberation(forum_engine)
    (_pid, token), = join_many(forum_engine, d, 1)
    cache = VoteCache(forum_engine)
    acting = cache.acting(token)
    sid = _statement_ids(forum_engine, d)[0]
    cache.check_vote(acting, d, sid, 1)
    with session_scope(forum_engine) as db:
        set_status(db, get_deliberation(db, d), "closed", None)
    cache.forget(d)
    with pytest.raises(PermissionDeniedError, match="not open"):
        cache.check_vote(acting, d, sid, 1)


def test_one_bad_vote_fails_alone_and_the_rest_of_its_batch_commits(
        forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    people = join_many(forum_engine, d, 3)
    sid = _statement_ids(forum_engine, d)[0]
    writer = VoteWriter(forum_engine)
    rows = [VoteRow(d, pid, sid, 1, utcnow()) for pid, _t in people]
    rows.insert(1, VoteRow(d, people[0][0], 10_000_000, 1, utcnow()))  # no such statement

    async def scenario() -> list:
        loop = asyncio.get_running_loop()
        futures = [loop.create_future() for _ in rows]
        writer._write([(row, loop, future) for row, future in zip(rows, futures, strict=True)])
        await asyncio.sleep(0)
        return [f.exception() for f in futures]

    outcomes = run_async(scenario)
    assert [e is None for e in outcomes] == [True, False, True, True]
    with session_scope(forum_engine) as db:
        assert db.scalar(select(func.count()).select_from(DeliberationVote)) == 3


def test_a_rejected_statement_takes_no_vote_on_another_worker_within_100_ms(
        sqlite_url: str, sqlite_engine: Engine, redis_url: str, redis_prefix: str,
        tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two apps (two workers) on one database share invalidation through Redis: moderation
    on one drops the other's cached open statements long before its 2 s expiry."""
    import time

    from fastapi.testclient import TestClient

    from detente.accounts import create_user
    from detente.forum import load_demo_forum
    from detente.settings import Settings
    from detente.web.app import create_app
    from tests.conftest import CSRF_PATTERN

    load_demo_forum(sqlite_engine)
    d = make_deliberation(sqlite_engine)
    first, second = _statement_ids(sqlite_engine, d)[:2]
    (_pid, token), = join_many(sqlite_engine, d, 1)
    with session_scope(sqlite_engine) as db:
        create_user(db, "organizer", "a long enough password", organizer=True)

    def make_app():  # type: ignore[no-untyped-def]
        return create_app(Settings(database_url=sqlite_url, secret_key="k" * 32,
                                   media_dir=str(tmp_path), redis_url=redis_url,
                                   redis_prefix=redis_prefix))

    bearer = {"Authorization": f"Bearer {token}"}
    with TestClient(make_app()) as worker_a, TestClient(make_app()) as worker_b:
        assert worker_b.post(f"/api/deliberations/{d}/votes", headers=bearer,
                             json={"statement": first, "vote": 1}).status_code == 201
        csrf = CSRF_PATTERN.search(worker_a.get("/login").text).group(1)  # type: ignore[union-attr]
        worker_a.post("/login", data={"username": "organizer",
                                      "password": "a long enough password", "csrf_token": csrf})
        csrf = CSRF_PATTERN.search(  # type: ignore[union-attr]
            worker_a.get(f"/deliberations/{d}/manage").text).group(1)
        moderated = worker_a.post(f"/deliberations/{d}/moderate/{second}",
                                  data={"decision": "rejected", "csrf_token": csrf},
                                  follow_redirects=False)
        assert moderated.status_code == 303
        time.sleep(0.1)
        refused = worker_b.post(f"/api/deliberations/{d}/votes", headers=bearer,
                                json={"statement": second, "vote": 1})
        assert refused.status_code == 404
