"""The live session mode: what the room's projector and the participants' phones read, and the
"counts changed" announcements that keep them current.

- :func:`live_counts`: participants who joined, voters, votes, statements open for votes;
- :func:`live_board`: everything the projector shows — status, counts, the stored opinion map
  and the statements that the room agrees on or divides over (accepted statements only);
- :func:`waiting_statements`: how many statements a participant has not voted on yet;
- :class:`ActivityNotifier`: announces ``counts`` events on the event bus after votes are
  committed or someone joins, at most every ``interval`` seconds per deliberation and process.

Nothing here names a person: participants are counted, never listed, and the map's points are
anonymous (docs/deliberations.md, "Live session mode").
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from detente.deliberation._results import stored_result
from detente.deliberation._service import get_deliberation
from detente.deliberation._views import ResultsView, StatementLine, results_view
from detente.runtime import Event, EventBus
from detente.store.models.deliberation import (
    Deliberation,
    DeliberationParticipant,
    DeliberationStatement,
    DeliberationVote,
)

__all__ = [
    "ActivityNotifier",
    "LiveBoard",
    "LiveCounts",
    "live_board",
    "live_counts",
    "waiting_statements",
]

log = logging.getLogger(__name__)

#: Statements the projector lists under "the room agrees" and "the room is divided".
CONSENSUS_SHOWN = 3
DIVISIVE_SHOWN = 1


@dataclass(frozen=True)
class LiveCounts:
    """Aggregate counts, nothing per person.

    ``participants`` joined (an invitation not yet used does not count), ``voters`` voted at
    least once, ``votes`` stand (one per participant and statement), ``statements`` are open
    for votes (accepted), ``pending`` wait for moderation.
    """

    participants: int
    voters: int
    votes: int
    statements: int
    pending: int

    def as_dict(self) -> dict[str, int]:
        return {"participants": self.participants, "voters": self.voters, "votes": self.votes,
                "statements": self.statements, "pending": self.pending}


def live_counts(db: DbSession, deliberation_id: int) -> LiveCounts:
    """The deliberation's counts as this transaction sees them."""
    participants = db.scalar(
        select(func.count()).select_from(DeliberationParticipant).where(
            DeliberationParticipant.deliberation_id == deliberation_id,
            DeliberationParticipant.invite_hash.is_(None))) or 0
    voters, votes = db.execute(
        select(func.count(func.distinct(DeliberationVote.participant_id)), func.count())
        .where(DeliberationVote.deliberation_id == deliberation_id)).one()
    by_state: dict[str, int] = {str(state): int(n) for state, n in db.execute(
        select(DeliberationStatement.moderation, func.count())
        .where(DeliberationStatement.deliberation_id == deliberation_id)
        .group_by(DeliberationStatement.moderation))}
    return LiveCounts(int(participants), int(voters or 0), int(votes or 0),
                      int(by_state.get("accepted", 0)), int(by_state.get("pending", 0)))


@dataclass
class LiveBoard:
    """What the projector shows of one deliberation.

    ``results`` is the results page's view of the stored snapshot (``available`` False before
    enough votes); ``consensus`` and ``divisive`` are its first statements that are still
    accepted (a statement rejected after the snapshot is not shown).
    """

    deliberation: Deliberation
    status: str
    counts: LiveCounts
    results: ResultsView
    consensus: list[StatementLine] = field(default_factory=list)
    divisive: list[StatementLine] = field(default_factory=list)


def live_board(db: DbSession, deliberation_id: int) -> LiveBoard:
    """The projector's board for deliberation ``deliberation_id``."""
    deliberation = get_deliberation(db, deliberation_id)
    view = results_view(db, deliberation, stored_result(db, deliberation_id), None)
    accepted = set(db.scalars(select(DeliberationStatement.id).where(
        DeliberationStatement.deliberation_id == deliberation_id,
        DeliberationStatement.moderation == "accepted")))
    return LiveBoard(
        deliberation=deliberation, status=deliberation.status,
        counts=live_counts(db, deliberation_id), results=view,
        consensus=[s for s in view.consensus if s.id in accepted][:CONSENSUS_SHOWN],
        divisive=[s for s in view.divisive if s.id in accepted][:DIVISIVE_SHOWN])


def waiting_statements(db: DbSession, deliberation_id: int,
                       participant_id: int | None) -> int:
    """Accepted statements that ``participant_id`` has not voted on (all of them for a visitor
    who has not joined)."""
    query = select(func.count()).select_from(DeliberationStatement).where(
        DeliberationStatement.deliberation_id == deliberation_id,
        DeliberationStatement.moderation == "accepted")
    if participant_id is not None:
        voted = select(DeliberationVote.statement_id).where(
            DeliberationVote.participant_id == participant_id)
        query = query.where(DeliberationStatement.id.not_in(voted))
    return int(db.scalar(query) or 0)


class ActivityNotifier:
    """Announce ``counts`` events: votes committed, a participant joined.

    :meth:`mark` is cheap and thread-safe (the vote writer calls it after each commit). A
    daemon thread publishes one event per marked deliberation, then waits ``interval``
    seconds before publishing again, so a stream of votes costs at most one event per
    deliberation per ``interval`` from each process, and the last votes of a burst are always
    announced.
    """

    def __init__(self, bus: EventBus, interval: float = 0.5) -> None:
        self.bus = bus
        self.interval = interval
        self._pending: dict[int, str] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.published = 0

    def mark(self, deliberation_ids: Iterable[int], change: str = "votes") -> None:
        """Announce soon that these deliberations' counts changed."""
        with self._lock:
            for deliberation_id in deliberation_ids:
                self._pending[deliberation_id] = change
            if self._thread is None and not self._stopping.is_set():
                self._thread = threading.Thread(target=self._run, name="detente-counts",
                                                daemon=True)
                self._thread.start()
        self._wake.set()

    def mark_after_commit(self, db: DbSession, deliberation_id: int,
                          change: str = "joined") -> None:
        """:meth:`mark` once ``db``'s transaction commits (never if it rolls back)."""
        if not db.in_transaction():
            self.mark([deliberation_id], change)
            return

        rolled_back = threading.Event()

        def after_commit(_session: DbSession) -> None:
            if not rolled_back.is_set():
                self.mark([deliberation_id], change)

        def after_rollback(_session: DbSession, previous: object) -> None:
            # Rolled back (not just a savepoint): a later commit of the session must not tell.
            if not getattr(previous, "nested", False):
                rolled_back.set()

        sa_event.listen(db, "after_commit", after_commit, once=True)
        sa_event.listen(db, "after_soft_rollback", after_rollback, once=True)

    def flush(self) -> int:
        """Publish what is marked now; returns how many events were sent."""
        with self._lock:
            due, self._pending = self._pending, {}
        for deliberation_id, change in due.items():
            try:
                self.bus.publish(Event("counts", deliberation_id, {"change": change}))
                self.published += 1
            except Exception:  # publish never raises by contract; be safe in the thread
                log.exception("could not announce the counts of %s", deliberation_id)
        return len(due)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait()
            self._wake.clear()
            if self.flush():
                self._stopping.wait(self.interval)

    def stop(self) -> None:
        """Publish what is still marked and stop the thread."""
        self._stopping.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=2)
        with contextlib.suppress(Exception):
            self.flush()
