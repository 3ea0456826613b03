"""Opening databases and transactions."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from detente.errors import DatabaseError
from detente.store import create_db_engine, session_scope, upgrade
from detente.store.models.forum import Institution


def test_session_scope_rolls_back_on_error(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as db:
        db.add(Institution(slug="x", name="X"))
        db.flush()
        raise RuntimeError("boom")
    with session_scope(engine) as db:
        assert db.scalar(select(func.count()).select_from(Institution)) == 0


def test_session_scope_commits(engine: Engine) -> None:
    with session_scope(engine) as db:
        db.add(Institution(slug="x", name="X", name_local="某研究院"))
    with session_scope(engine) as db:
        stored = db.scalar(select(Institution))
        assert stored is not None
        assert stored.name_local == "某研究院"


def test_unopenable_sqlite_path_is_a_database_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_db_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
    with pytest.raises(DatabaseError, match="cannot open database"):
        upgrade(engine)


def test_malformed_url_is_a_database_error() -> None:
    with pytest.raises(DatabaseError, match="not a database URL"):
        create_db_engine("not a url at all")


def test_unknown_driver_is_a_database_error() -> None:
    with pytest.raises(DatabaseError):
        create_db_engine("nosuchdb+nodriver://x/y")
