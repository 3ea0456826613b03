"""Engines, sessions and schema upgrades.

The database URL comes from ``DETENTE_DATABASE_URL`` (see :mod:`detente.settings`); SQLite is
the embedded default and is opened in WAL mode with foreign keys enforced. PostgreSQL works
through the same URL (``postgresql+psycopg://...``).

SQLite allows one writer at a time. A write waits up to :data:`BUSY_TIMEOUT` seconds for the
lock (SQLite's busy timeout); past that :func:`session_scope` raises
:class:`~detente.errors.DatabaseBusyError` (the web app answers 503 with ``Retry-After``), and
work that can simply be run again is retried by :func:`retry_when_busy`. Imports write through
:func:`write_batches` (short transactions on SQLite, so that the server's writes interleave)
while holding :func:`import_lock` (one import at a time per database); see
:mod:`detente.store._batches`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from detente.errors import DatabaseBusyError, DatabaseError
from detente.i18n import gettext as _
from detente.settings import load_settings

__all__ = [
    "BUSY_TIMEOUT",
    "create_db_engine",
    "database_url",
    "is_busy_error",
    "is_current",
    "retry_when_busy",
    "session_scope",
    "upgrade",
]

#: Seconds an SQLite write waits for another connection's write to finish before giving up.
BUSY_TIMEOUT = 5.0

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
T = TypeVar("T")


def database_url(url: str | None = None) -> str:
    """The URL to use: ``url`` if given, else the configured one."""
    return url or load_settings().database_url


def _enable_sqlite_pragmas(dbapi_connection: DBAPIConnection,
                           _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
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
        raise DatabaseError(_("not a database URL: %(url)r") % {"url": resolved}) from exc
    options: dict[str, object] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        options["connect_args"] = {"check_same_thread": False, "timeout": BUSY_TIMEOUT}
    else:
        options["pool_pre_ping"] = True
    options.update(kwargs)
    try:
        engine = create_engine(parsed, **options)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(_("cannot open database %(url)r: %(reason)s")
                            % {"url": resolved, "reason": exc}) from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_pragmas)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back if it raises.

    Every write in detente runs inside one of these (or :func:`write_batches` for imports),
    so a failure changes nothing. A write that cannot get an SQLite database within
    :data:`BUSY_TIMEOUT` raises :class:`~detente.errors.DatabaseBusyError` (nothing of the
    block is written).
    """
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        if is_busy_error(exc):
            raise busy_error() from exc
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def is_busy_error(exc: BaseException) -> bool:
    """Whether ``exc`` says the database was locked by another writer (SQLite ``SQLITE_BUSY``
    or ``SQLITE_LOCKED``, PostgreSQL ``lock_not_available``)."""
    if isinstance(exc, DatabaseBusyError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc.orig).lower()
    return ("database is locked" in text or "database table is locked" in text
            or "database is busy" in text
            or getattr(exc.orig, "sqlstate", None) == "55P03")


def busy_error() -> DatabaseBusyError:
    """The error for a write that waited :data:`BUSY_TIMEOUT` in vain."""
    return DatabaseBusyError(
        _("the database is busy with another write (an import, say); "
          "try again in a few seconds"))


def retry_when_busy(work: Callable[[], T], attempts: int = 3, pause: float = 0.2) -> T:
    """Run ``work``; when it fails because the database is busy, run it again (``attempts``
    times in all, pausing ``pause``, then twice that, ...). ``work`` must have changed nothing
    when it fails (one transaction). The last failure is raised as DatabaseBusyError."""
    for attempt in range(attempts):
        try:
            return work()
        except (OperationalError, DatabaseBusyError) as exc:
            if not is_busy_error(exc):
                raise
            if attempt == attempts - 1:
                raise busy_error() from exc
            time.sleep(pause * (2 ** attempt))
    raise AssertionError("unreachable")  # pragma: no cover


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
        raise DatabaseError(_("cannot open database %(url)r: %(reason)s")
                            % {"url": engine.url, "reason": exc.orig}) from exc
    except SQLAlchemyError as exc:
        raise DatabaseError(_("cannot upgrade database %(url)r: %(reason)s")
                            % {"url": engine.url, "reason": exc}) from exc


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
