"""How imports write while the server keeps answering: one import at a time, short transactions.

- :func:`import_lock` — one import at a time per database. On SQLite a lock file beside the
  database (``detente.db.import-lock``, released by the operating system if the process dies);
  on PostgreSQL a session advisory lock. A second import waits for the first (saying so once)
  up to ``wait`` seconds, then stops with one line naming the import that holds the lock.
- :func:`write_batches` — the transaction(s) an import writes in. Everything an import writes
  is validated and planned before the first write, so what is left to fail is the database
  itself. On PostgreSQL, and on SQLite when the plan holds at most :data:`ATOMIC_ROWS` rows,
  the import is one transaction. A larger plan on SQLite is written in transactions of about
  :data:`SLICE_SECONDS` each, with a pause between them, so that the server's writes (votes,
  joins, edits) get the lock in between instead of waiting for the whole import; if the
  process is killed part-way, the batches already committed stay, and running the same import
  again completes it.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from detente.errors import ConflictError
from detente.i18n import gettext as _
from detente.store.db import busy_error, is_busy_error, retry_when_busy

try:  # POSIX; elsewhere imports are not serialised on SQLite
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]  # the module is absent on this platform

__all__ = ["ATOMIC_ROWS", "SLICE_SECONDS", "Batches", "import_lock", "write_batches"]

#: Plans of at most this many rows are written in one transaction on SQLite too.
ATOMIC_ROWS = 5_000
#: Longest an SQLite import transaction holds the write lock before committing.
SLICE_SECONDS = 0.04
#: Pause after each committed batch, as a share of the batch's duration (at least 10 ms).
PAUSE_SHARE = 1.0
_ADVISORY_KEY = 0x64E7E47E  # "detente import", as a 32-bit advisory lock key


class Batches:
    """The open transaction of an import; :meth:`connection` may commit and start a new one.

    Call :meth:`connection` before each small unit of work (a few hundred rows): on SQLite with
    ``atomic`` false it commits the transaction once it has lasted :data:`SLICE_SECONDS`,
    pauses, and begins the next one.
    """

    def __init__(self, engine: Engine, atomic: bool) -> None:
        self.engine = engine
        self.atomic = atomic
        self.commits = 0
        self._connection: Connection | None = None
        self._started = 0.0
        self._sqlite = engine.dialect.name == "sqlite"

    def connection(self) -> Connection:
        """The connection to write the next unit of work on."""
        if self._connection is None:
            self._begin()
        elif not self.atomic and time.monotonic() - self._started >= SLICE_SECONDS:
            self._commit()
            elapsed = time.monotonic() - self._started
            time.sleep(max(0.01, elapsed * PAUSE_SHARE))
            self._begin()
        assert self._connection is not None
        return self._connection

    def _begin(self) -> None:
        def begin() -> Connection:
            connection = self.engine.connect()
            try:
                if self._sqlite:  # take the write lock now, waiting the busy timeout for it
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                else:
                    connection.begin()
            except BaseException:
                connection.close()
                raise
            return connection

        self._connection = retry_when_busy(begin)
        self._started = time.monotonic()

    def _commit(self) -> None:
        assert self._connection is not None
        try:
            self._connection.commit()
        except OperationalError as exc:
            self._connection.rollback()
            if is_busy_error(exc):
                raise busy_error() from exc
            raise
        finally:
            self._connection.close()
            self._connection = None
        self.commits += 1

    def _finish(self, failed: bool) -> None:
        if self._connection is None:
            return
        if failed:
            try:
                self._connection.rollback()
            finally:
                self._connection.close()
                self._connection = None
        else:
            self._commit()


@contextmanager
def write_batches(engine: Engine, rows: int) -> Iterator[Batches]:
    """The transactions for an import that plans to write about ``rows`` rows.

    One transaction on PostgreSQL and for small plans; bounded batches for a large plan on
    SQLite (see the module docstring). On an exception the open transaction is rolled back.
    """
    atomic = engine.dialect.name != "sqlite" or rows <= ATOMIC_ROWS
    batches = Batches(engine, atomic)
    try:
        yield batches
    except BaseException:
        batches._finish(failed=True)
        raise
    batches._finish(failed=False)


def _sqlite_file(engine: Engine) -> Path | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:"):
        return None
    return Path(database)


@contextmanager
def import_lock(engine: Engine, what: str, *, wait: float = 600.0,
                on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the database's import lock while the block runs.

    ``what`` describes this import for anyone waiting (``"forum import big.yaml"``). When
    another import holds the lock, ``on_wait`` is called once with a line saying which, and
    the call waits up to ``wait`` seconds.

    Raises
    ------
    ConflictError
        When the lock is still held after ``wait`` seconds; the message names the holder.
    """
    label = f"{what} (pid {os.getpid()} on {socket.gethostname()}, since " \
            f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC)"
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, label, wait, on_wait):
            yield
        return
    path = _sqlite_file(engine)
    if path is None or fcntl is None:
        yield
        return
    with _file_lock(path.with_name(path.name + ".import-lock"), label, wait, on_wait):
        yield


def _waited_too_long(holder: str, wait: float) -> ConflictError:
    return ConflictError(
        _("another import is running on this database: %(holder)s; it did not finish within "
          "%(wait)d s, try again when it has") % {"holder": holder or "?", "wait": wait})


@contextmanager
def _file_lock(path: Path, label: str, wait: float,
               on_wait: Callable[[str], None] | None) -> Iterator[None]:
    handle: IO[str] = path.open("a+", encoding="utf-8")
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip()
                if time.monotonic() >= deadline:
                    raise _waited_too_long(holder, wait) from None
                if not told and on_wait is not None:
                    on_wait(_("waiting for another import to finish: %(holder)s")
                            % {"holder": holder or "?"})
                    told = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(label)
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


@contextmanager
def _advisory_lock(engine: Engine, label: str, wait: float,
                   on_wait: Callable[[str], None] | None) -> Iterator[None]:
    with engine.connect() as connection:
        connection.execute(text("SELECT set_config('application_name', :label, false)"),
                           {"label": f"detente {label}"[:63]})
        connection.commit()
        deadline = time.monotonic() + wait
        told = False
        while not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                    {"key": _ADVISORY_KEY}):
            connection.commit()
            holder = _advisory_holder(connection)
            if time.monotonic() >= deadline:
                raise _waited_too_long(holder, wait)
            if not told and on_wait is not None:
                on_wait(_("waiting for another import to finish: %(holder)s")
                        % {"holder": holder or "?"})
                told = True
            time.sleep(0.2)
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_KEY})
            connection.commit()


def _advisory_holder(connection: Connection) -> str:
    row: Any = connection.execute(text(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.objid = :key AND l.granted"),
        {"key": _ADVISORY_KEY}).first()
    connection.commit()
    return str(row[0]).removeprefix("detente ") if row else ""
