"""The schema: migrations create exactly the models, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from detente.store import create_db_engine, upgrade
from detente.store.db import is_current
from detente.store.models import metadata


def test_upgrade_creates_every_model_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables


def _is_model_or_own_table(name: str | None, type_: str, _parent: object) -> bool:
    """Leave out full-text search internals that only the migrations know.

    They are backend-specific: FTS5 virtual tables and their shadow tables on SQLite, a
    generated ``search_vector`` column with its GIN index on PostgreSQL.
    """
    if type_ == "table" and name in metadata.tables:
        return True
    return not ("_fts" in (name or "") or name == "search_vector")


def test_migrations_match_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_name": _is_model_or_own_table},
        )
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_upgrade_twice_changes_nothing(engine: Engine) -> None:
    upgrade(engine)
    assert is_current(engine)


def test_fresh_database_is_not_current(sqlite_url: str) -> None:
    engine = create_db_engine(sqlite_url)
    assert not is_current(engine)
    upgrade(engine)
    assert is_current(engine)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
