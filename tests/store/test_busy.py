"""A write that finds SQLite locked by another writer waits a bounded time, then fails cleanly:
DatabaseBusyError in services and the CLI, 503 with Retry-After on the web, never a 500."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from detente.errors import DatabaseBusyError
from detente.forum import DEMO_EVENT_SLUG
from detente.store import import_lock, retry_when_busy, session_scope, write_batches
from detente.store.models.forum import Theme


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("detente.store.db.BUSY_TIMEOUT", 0.2)


def _hold_write_lock(path: str, seconds: float) -> Iterator[None]:
    """Another connection holds SQLite's write lock for ``seconds``."""
    other = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(seconds, other.rollback)
    release.start()
    try:
        yield
    finally:
        release.cancel()
        if other.in_transaction:
            other.rollback()
        other.close()


def _db_path(engine: Engine) -> str:
    assert engine.url.database
    return engine.url.database


def test_a_locked_database_raises_database_busy_not_operational_error(
        short_busy_timeout: None, sqlite_url: str) -> None:
    from detente.store import create_db_engine, upgrade

    engine = create_db_engine(sqlite_url)
    upgrade(engine)
    for _ in _hold_write_lock(_db_path(engine), 5):
        started = time.perf_counter()
        with pytest.raises(DatabaseBusyError) as caught, session_scope(engine) as db:
            db.add(Theme(slug="t", name="T"))
        assert time.perf_counter() - started < 3
        assert caught.value.status_code == 503 and caught.value.retry_after >= 1


def test_retry_when_busy_succeeds_once_the_lock_is_released(
        short_busy_timeout: None, sqlite_url: str) -> None:
    from detente.store import create_db_engine, upgrade

    engine = create_db_engine(sqlite_url)
    upgrade(engine)

    def write() -> None:
        with session_scope(engine) as db:
            db.add(Theme(slug="t", name="T"))

    for _ in _hold_write_lock(_db_path(engine), 0.5):
        retry_when_busy(write, attempts=5, pause=0.2)
    with session_scope(engine) as db:
        assert db.scalar(text("select count(*) from themes")) == 1


def test_web_write_on_a_locked_database_answers_503_with_retry_after(
        short_busy_timeout: None, client, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    from detente.deliberation import create_deliberation

    with session_scope(demo_engine) as db:
        deliberation_id = create_deliberation(db, DEMO_EVENT_SLUG, 2, "Is the lock handled?").id
    for _ in _hold_write_lock(_db_path(demo_engine), 10):
        response = client.post(f"/api/deliberations/{deliberation_id}/participants")
        assert response.status_code == 503, response.text
        assert int(response.headers["Retry-After"]) >= 1
        assert "busy" in response.json()["detail"]
        zh = client.post(f"/api/deliberations/{deliberation_id}/participants",
                         headers={"Accept-Language": "zh-CN"})
        assert zh.status_code == 503 and "数据库正忙" in zh.json()["detail"]
    assert client.post(f"/api/deliberations/{deliberation_id}/participants").status_code == 201


def test_batches_let_another_writer_in_between(sqlite_engine: Engine) -> None:
    """A large SQLite import commits in slices; a concurrent write waits one slice, not all."""
    waits: list[float] = []
    done = threading.Event()

    def other_writer() -> None:
        while not done.is_set():
            started = time.perf_counter()
            with session_scope(sqlite_engine) as db:
                db.execute(text("update themes set name = name where 0"))
                db.execute(text("insert into themes (slug, name, created_at) "
                                "values (:s, 'x', '2026-01-01')"), {"s": f"w{len(waits)}"})
            waits.append(time.perf_counter() - started)
            time.sleep(0.005)

    thread = threading.Thread(target=other_writer)
    with write_batches(sqlite_engine, rows=100_000) as batches:
        assert not batches.atomic
        thread.start()
        deadline = time.perf_counter() + 1.5
        number = 0
        while time.perf_counter() < deadline:
            batches.connection().execute(
                text("insert into institutions (slug, name, created_at) "
                     "values (:s, 'x', '2026-01-01')"), {"s": f"i{number}"})
            number += 1
    done.set()
    thread.join()
    assert batches.commits > 5
    assert len(waits) > 5 and max(waits) < 1.0, (len(waits), max(waits))


def test_small_plans_and_postgresql_are_one_transaction(sqlite_engine: Engine) -> None:
    with pytest.raises(RuntimeError), write_batches(sqlite_engine, rows=10) as batches:
        assert batches.atomic
        batches.connection().execute(text(
            "insert into institutions (slug, name, created_at) values ('a', 'A', '2026-01-01')"))
        raise RuntimeError("fail after the first write")
    with session_scope(sqlite_engine) as db:
        assert db.scalar(text("select count(*) from institutions")) == 0


def test_a_second_import_waits_then_stops_with_one_line(sqlite_engine: Engine) -> None:
    said: list[str] = []
    with import_lock(sqlite_engine, "forum import big.yaml"):
        started = time.perf_counter()
        with pytest.raises(Exception) as caught, import_lock(
                sqlite_engine, "forum import other.yaml", wait=0.5, on_wait=said.append):
            pass
        assert time.perf_counter() - started >= 0.5
    message = str(caught.value)
    assert "another import is running on this database: forum import big.yaml" in message
    assert "\n" not in message
    assert len(said) == 1 and "waiting for another import" in said[0]
    with import_lock(sqlite_engine, "after", wait=0):  # released
        pass


def test_the_lock_is_released_when_its_holder_dies(sqlite_engine: Engine, tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys, time; from detente.store import create_db_engine, import_lock\n"
            "e = create_db_engine(sys.argv[1])\n"
            "with import_lock(e, 'doomed import'):\n"
            "    print('held', flush=True); time.sleep(60)\n")
    url = sqlite_engine.url.render_as_string(hide_password=False)
    holder = subprocess.Popen([sys.executable, "-c", code, url], stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
    with pytest.raises(Exception, match="doomed import"), import_lock(sqlite_engine, "x", wait=0):
        pass
    holder.kill()
    holder.wait()
    with import_lock(sqlite_engine, "x", wait=2):
        pass


def test_a_vote_on_a_locked_database_answers_503_and_is_not_retried_vote_by_vote(
        short_busy_timeout: None, client, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    from detente.deliberation import create_deliberation, seed_statements

    with session_scope(demo_engine) as db:
        deliberation = create_deliberation(db, DEMO_EVENT_SLUG, 2, "Is the lock handled?")
        statement = seed_statements(db, deliberation, ["Humans decide on nuclear use."])[0]
        ids = deliberation.id, statement.id
    token = client.post(f"/api/deliberations/{ids[0]}/participants").json()["token"]
    for _ in _hold_write_lock(_db_path(demo_engine), 10):
        started = time.perf_counter()
        response = client.post(f"/api/deliberations/{ids[0]}/votes",
                               json={"statement": ids[1], "vote": 1},
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 503, response.text
        assert "Retry-After" in response.headers
        assert time.perf_counter() - started < 5
    response = client.post(f"/api/deliberations/{ids[0]}/votes",
                           json={"statement": ids[1], "vote": 1},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
