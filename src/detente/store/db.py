"""Engines, sessions and schema upgrades.

The database URL comes from ``DETENTE_DATABASE_URL`` (see :mod:`detente.settings`); SQLite is
the embedded default and is opened in WAL mode with foreign keys enforced. PostgreSQL works
through the same URL (``postgresql+psycopg://...``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from detente.errors import DatabaseError
from detente.settings import load_settings

__all__ = ["create_db_engine", "database_url", "is_current", "session_scope", "upgrade"]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def database_url(url: str | None = None) -> str:
    """The URL to use: ``url`` if given, else the configured one."""
    return url or load_settings().database_url


def _enable_sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_db_engine(url: str | None = None, **kwargs: object) -> Engine:
    """Create an engine for ``url``; SQLite gets WAL mode and enforced foreign keys.

    Raises
    ------
    DatabaseError
        When the URL is malformed or names a driver that is not installed.
    """
    resolved = database_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {resolved!r}") from exc
    options: dict[str, object] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        options["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        options["pool_pre_ping"] = True
    options.update(kwargs)
    try:
        engine = create_engine(parsed, **options)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"cannot open database {resolved!r}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_pragmas)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back if it raises.

    Every import and every write in detente runs inside one of these, so a failure changes
    nothing.
    """
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision of every branch.

    Raises
    ------
    DatabaseError
        When the database cannot be reached or written.
    """
    try:
        command.upgrade(_alembic_config(engine), "heads")
    except OperationalError as exc:
        raise DatabaseError(f"cannot open database {engine.url!r}: {exc.orig}") from exc
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot upgrade database {engine.url!r}: {exc}") from exc


def is_current(engine: Engine) -> bool:
    """Whether every revision of every branch is applied.

    Branches depend on the forum base rather than descend from it, so the base stays a head of
    the script while the database records only the branch tips; a head counts as applied when it
    is a current revision or an ancestor (or dependency) of one.
    """
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(engine))
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        current = MigrationContext.configure(connection).get_current_heads()
    applied = {
        revision.revision
        for head in current
        for revision in script.iterate_revisions(head, "base")
    }
    return set(script.get_heads()) <= applied
