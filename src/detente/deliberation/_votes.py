"""The vote path: lean SQL Core writes, group commit, and a cache of who may vote on what.

A vote is one row per (participant, statement) in ``deliberation_votes`` (upserted) plus one
row in ``deliberation_vote_history``. :class:`VoteWriter` owns a thread that takes every
pending vote from a queue, writes them all in one transaction, commits, and only then answers
each waiting request: under load many votes share one commit ("group commit"), and no request
is answered before its vote is durable.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Insert, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from detente.deliberation._service import hash_token
from detente.errors import InputError, NotFoundError, PermissionDeniedError
from detente.i18n import gettext as _
from detente.runtime import Event, EventBus
from detente.store import busy_error, is_busy_error
from detente.store.base import utcnow
from detente.store.models.deliberation import (
    Deliberation,
    DeliberationParticipant,
    DeliberationStatement,
    DeliberationVote,
    DeliberationVoteHistory,
)

__all__ = ["Acting", "VoteCache", "VoteRow", "VoteWriter", "check_vote_value", "record_votes"]

log = logging.getLogger(__name__)

VOTES = DeliberationVote.__table__
HISTORY = DeliberationVoteHistory.__table__
PARTICIPANTS = DeliberationParticipant.__table__
STATEMENTS = DeliberationStatement.__table__
DELIBERATIONS = Deliberation.__table__


@dataclass(frozen=True)
class VoteRow:
    """One vote to record."""

    deliberation_id: int
    participant_id: int
    statement_id: int
    value: int
    voted_at: datetime


@dataclass(frozen=True)
class Acting:
    """The participant a token acts for."""

    participant_id: int
    deliberation_id: int
    public_id: str


def _upsert(connection: Connection) -> Insert:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(VOTES)
    return statement.on_conflict_do_update(
        index_elements=[VOTES.c.participant_id, VOTES.c.statement_id],
        set_={"value": statement.excluded.value, "voted_at": statement.excluded.voted_at},
    )


def record_votes(connection: Connection, rows: Sequence[VoteRow]) -> None:
    """Upsert current votes and append history for ``rows`` (in order) on ``connection``.

    The caller commits. Within one call the last vote on a (participant, statement) pair wins.
    """
    if not rows:
        return
    history = [r.__dict__ for r in rows]
    latest: dict[tuple[int, int], dict[str, Any]] = {}
    for row in history:
        latest[(row["participant_id"], row["statement_id"])] = row
    connection.execute(_upsert(connection), list(latest.values()))
    connection.execute(insert(HISTORY), history)


def check_vote_value(value: object) -> int:
    """1, -1 or 0, else an InputError."""
    if isinstance(value, bool) or value not in (1, -1, 0):
        raise InputError(_("vote must be 1 (agree), -1 (disagree) or 0 (pass)"), location="vote")
    return int(value)


class VoteCache:
    """Token hashes and open statements, cached so that a vote needs no read from the database.

    Token lookups are cached for good (a token's participant never changes). The set of
    statements open for voting per deliberation is cached for at most ``ttl`` seconds and
    dropped at once when the event bus says that the deliberation's statements or status
    changed, in this process or any other (``statements`` and ``status`` events). While the
    bus cannot promise to deliver other processes' events (Redis unreachable), nothing is
    cached: every check reads the database.
    """

    def __init__(self, engine: Engine, ttl: float = 2.0, bus: EventBus | None = None) -> None:
        self.engine = engine
        self.ttl = ttl
        self.bus = bus
        self._tokens: dict[str, Acting] = {}
        self._open: dict[int, tuple[float, frozenset[int]]] = {}
        self._generation = 0  # bumped by every invalidation
        self._lock = threading.Lock()
        if bus is not None:
            bus.add_listener(self._on_event)

    def _on_event(self, event: Event) -> None:
        if event.kind in ("statements", "status"):
            self.forget(event.deliberation_id)
        elif event.kind == "resync":
            self.forget()

    def cached(self, token: str | None) -> Acting | None:
        """The participant of a token already seen, without touching the database."""
        return self._tokens.get(hash_token(token)) if token else None

    def acting(self, token: str | None) -> Acting | None:
        """The participant this secret token acts for, or None."""
        if not token:
            return None
        digest = hash_token(token)
        found = self._tokens.get(digest)
        if found is not None:
            return found
        with self.engine.connect() as connection:
            row = connection.execute(
                select(PARTICIPANTS.c.id, PARTICIPANTS.c.deliberation_id, PARTICIPANTS.c.public_id)
                .where(PARTICIPANTS.c.token_hash == digest)).first()
        if row is None:
            return None
        found = Acting(row.id, row.deliberation_id, row.public_id)
        with self._lock:
            if len(self._tokens) > 200_000:
                self._tokens.clear()
            self._tokens[digest] = found
        return found

    def _may_cache(self) -> bool:
        return self.bus is None or self.bus.healthy

    def open_statements(self, deliberation_id: int) -> frozenset[int]:
        """Ids of accepted statements of an open deliberation (empty when not open)."""
        cached = self._open.get(deliberation_id)
        now = time.monotonic()
        if cached is not None and now - cached[0] < self.ttl and self._may_cache():
            return cached[1]
        generation = self._generation
        with self.engine.connect() as connection:
            status = connection.scalar(select(DELIBERATIONS.c.status)
                                       .where(DELIBERATIONS.c.id == deliberation_id))
            ids: frozenset[int] = frozenset()
            if status == "open":
                ids = frozenset(connection.scalars(
                    select(STATEMENTS.c.id).where(STATEMENTS.c.deliberation_id == deliberation_id,
                                                  STATEMENTS.c.moderation == "accepted")))
        with self._lock:
            # An invalidation that arrived while we read may describe a change our read
            # missed: then the set is used for this check only, never kept.
            if generation == self._generation and self._may_cache():
                self._open[deliberation_id] = (now, ids)
        return ids

    def forget(self, deliberation_id: int | None = None) -> None:
        """Drop cached statement sets (after moderation, closing or reopening)."""
        with self._lock:
            self._generation += 1
            if deliberation_id is None:
                self._open.clear()
            else:
                self._open.pop(deliberation_id, None)

    def check_vote(self, acting: Acting, deliberation_id: int, statement_id: object,
                   value: object) -> VoteRow:
        """A VoteRow for a valid vote, else a NotFound/Permission/InputError."""
        if acting.deliberation_id != deliberation_id:
            raise PermissionDeniedError(_("this token belongs to another deliberation"))
        if isinstance(statement_id, bool) or not isinstance(statement_id, int):
            raise InputError(_("statement must be a statement id"), location="statement")
        vote = check_vote_value(value)
        if statement_id not in self.open_statements(deliberation_id):
            if not self.open_statements(deliberation_id):
                raise PermissionDeniedError(_("this deliberation is not open for votes"))
            raise NotFoundError(_("no statement %(id)s open for votes here") % {"id": statement_id})
        return VoteRow(deliberation_id, acting.participant_id, statement_id, vote, utcnow())


class VoteWriter:
    """A background thread that commits queued votes in batches (group commit).

    Parameters
    ----------
    engine : Engine
    on_commit : callable, optional
        Called with the set of deliberation ids whose votes were just committed (used to
        schedule the background recompute).
    max_batch : int
        Most votes in one transaction.
    """

    def __init__(self, engine: Engine, on_commit: Callable[[set[int]], None] | None = None,
                 max_batch: int = 2000) -> None:
        self.engine = engine
        self.on_commit = on_commit
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.batches = 0
        self.votes = 0

    def start(self) -> None:
        """Start the writer thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="vote-writer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Write what is queued, then stop the thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
            self._thread = None

    async def submit(self, row: VoteRow) -> None:
        """Queue a vote and wait until it is committed (raises what the commit raised)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        self._queue.put((row, loop, future))
        await future

    def submit_sync(self, rows: Iterable[VoteRow]) -> None:
        """Write votes from synchronous code (tests, demo, CLI) in one transaction."""
        with self.engine.begin() as connection:
            record_votes(connection, list(rows))

    def _take_batch(self) -> tuple[list, bool]:
        first = self._queue.get()
        if first is None:
            return [], True
        batch = [first]
        stop = False
        while len(batch) < self.max_batch:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                stop = True
                break
            batch.append(item)
        return batch, stop

    def _run(self) -> None:
        while True:
            batch, stop = self._take_batch()
            if batch:
                try:
                    self._write(batch)
                except Exception:  # never leave requests waiting on a dead thread
                    log.exception("vote writer failed on a batch")
                    for _row, loop, future in batch:
                        loop.call_soon_threadsafe(_resolve, future, RuntimeError("vote lost"))
            if stop:
                return

    def _write(self, batch: list) -> None:
        errors = self._commit(batch)
        self.batches += 1
        self.votes += sum(1 for error in errors if error is None)
        for (_row, loop, future), error in zip(batch, errors, strict=True):
            loop.call_soon_threadsafe(_resolve, future, error)
        committed = {row.deliberation_id for (row, _l, _f), e in zip(batch, errors, strict=True)
                     if e is None}
        if committed and self.on_commit is not None:
            try:
                self.on_commit(committed)
            except Exception:  # the writer must outlive any failure of its listener
                log.exception("vote commit listener failed")

    def _commit(self, batch: list) -> list[BaseException | None]:
        """Commit the batch in one transaction; if that fails, each vote on its own so that
        one bad vote (say, on a statement deleted meanwhile) fails alone."""
        try:
            with self.engine.begin() as connection:
                record_votes(connection, [row for row, _loop, _future in batch])
            return [None] * len(batch)
        except Exception as exc:
            if is_busy_error(exc):  # the lock failed, not a vote: all answer 503, retry later
                return [busy_error() for _ in batch]
            if len(batch) == 1:
                log.exception("vote failed")
                return [exc]
        return [self._commit([item])[0] for item in batch]


def _resolve(future: asyncio.Future, error: BaseException | None) -> None:
    if future.done():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)
