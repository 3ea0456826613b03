"""Consensus results: computing them from the votes, storing the snapshot, reading it back.

The result is the ``detente consensus`` JSON (see docs/consensus.md) with participants named
by their pseudonymous public ids and statements by their ids, plus ``computed_at`` and
``vote_count``. Rejected statements are passed to the engine as moderated out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as DbSession

from detente.errors import DetenteError
from detente.store import session_scope
from detente.store.base import utcnow
from detente.store.models.deliberation import (
    Deliberation,
    DeliberationParticipant,
    DeliberationResult,
    DeliberationStatement,
    DeliberationVote,
    DeliberationVoteHistory,
)

__all__ = [
    "MIN_PARTICIPANTS",
    "Basis",
    "StoredResult",
    "compute_result",
    "current_basis",
    "live_vote_count",
    "recompute",
    "store_result",
    "stored_result",
]

#: What a snapshot was computed from: (deliberation revision, rows in its vote history).
#: Both only grow, so a later read never has a smaller basis than an earlier one.
Basis = tuple[int, int]

#: Fewer voters than this and no groups are computed: the page says "not enough votes yet".
MIN_PARTICIPANTS = 3


@dataclass
class StoredResult:
    """A stored snapshot: the result JSON, when it was computed and how many votes it covered."""

    result: dict[str, Any]
    computed_at: datetime
    vote_count: int
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The API form: the consensus JSON plus ``computed_at`` and ``vote_count``."""
        return {**self.result, "computed_at": self.computed_at.isoformat(),
                "vote_count": self.vote_count}


def _votes(db: DbSession, deliberation_id: int) -> tuple[list[str], list[int], list[int]]:
    rows = db.execute(
        select(DeliberationParticipant.public_id, DeliberationVote.statement_id,
               DeliberationVote.value)
        .join(DeliberationParticipant,
              DeliberationParticipant.id == DeliberationVote.participant_id)
        .where(DeliberationVote.deliberation_id == deliberation_id)
        .order_by(DeliberationVote.id)).all()
    return [r[0] for r in rows], [r[1] for r in rows], [int(r[2]) for r in rows]


def compute_result(db: DbSession, deliberation_id: int) -> dict[str, Any] | None:
    """Run the consensus engine on the deliberation's current votes.

    Returns None when fewer than :data:`MIN_PARTICIPANTS` participants voted or the engine
    finds the votes too few to work with.
    """
    from detente.consensus import Consensus, VoteMatrix

    participants, statements, values = _votes(db, deliberation_id)
    if len(set(participants)) < MIN_PARTICIPANTS:
        return None
    rejected = list(db.scalars(select(DeliberationStatement.id).where(
        DeliberationStatement.deliberation_id == deliberation_id,
        DeliberationStatement.moderation == "rejected")))
    matrix = VoteMatrix.from_long(participants, statements, values)
    present = set(statements)
    try:
        result = Consensus(random_state=0).fit(
            matrix, moderated_out=[s for s in rejected if s in present]).result_
    except DetenteError:
        return None
    data = result.to_json()
    data["vote_count"] = len(values)
    return data


def current_basis(db: DbSession, deliberation_id: int) -> Basis:
    """The deliberation's basis as this transaction sees it."""
    revision = db.scalar(select(Deliberation.revision)
                         .where(Deliberation.id == deliberation_id)) or 0
    votes = db.scalar(select(func.count()).select_from(DeliberationVoteHistory)
                      .where(DeliberationVoteHistory.deliberation_id == deliberation_id)) or 0
    return int(revision), int(votes)


def store_result(db: DbSession, deliberation_id: int, data: dict[str, Any],
                 basis: Basis | None = None) -> StoredResult | None:
    """Store ``data`` as the deliberation's snapshot unless a newer one is stored already.

    One ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` (no read-then-write race): the row is
    replaced only when the stored basis is not newer than ``basis`` (default: the basis this
    transaction sees, for callers that computed ``data`` in it). Returns the stored snapshot,
    or None when a newer one was already there.
    """
    data = dict(data)
    vote_count = int(data.pop("vote_count", data.get("votes", 0)) or 0)
    if basis is None:
        basis = current_basis(db, deliberation_id)
    now = utcnow()
    table = DeliberationResult.__table__
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(table).values(
        deliberation_id=deliberation_id, result=data, computed_at=now, vote_count=vote_count,
        basis_revision=basis[0], basis_votes=basis[1])
    new = insert.excluded
    statement = insert.on_conflict_do_update(
        index_elements=[table.c.deliberation_id],
        set_={"result": new.result, "computed_at": new.computed_at,
              "vote_count": new.vote_count, "basis_revision": new.basis_revision,
              "basis_votes": new.basis_votes},
        where=or_(table.c.basis_revision < new.basis_revision,
                  and_(table.c.basis_revision == new.basis_revision,
                       table.c.basis_votes <= new.basis_votes)),
    ).returning(table.c.id)
    stored = db.execute(statement).first()
    db.expire_all()  # an ORM copy of the row may be stale now
    if stored is None:
        return None
    return StoredResult(data, now, vote_count)


def _read_snapshot(engine: Engine, deliberation_id: int
                   ) -> tuple[dict[str, Any] | None, Basis]:
    """Compute from one consistent view of the votes: REPEATABLE READ on PostgreSQL; on
    SQLite (one process) the basis is read first, so it never claims more than was read."""
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with session_scope(engine) as db:
        basis = current_basis(db, deliberation_id)
        data = compute_result(db, deliberation_id)
    return data, basis


def recompute(engine: Engine, deliberation_id: int) -> StoredResult | None:
    """Compute the result and store it (guarded); None when there are not enough votes or a
    newer snapshot was stored meanwhile."""
    data, basis = _read_snapshot(engine, deliberation_id)
    if data is None:
        return None
    with session_scope(engine) as db:
        return store_result(db, deliberation_id, data, basis)


def stored_result(db: DbSession, deliberation_id: int) -> StoredResult | None:
    """The last stored snapshot, or None."""
    row = db.scalar(select(DeliberationResult)
                    .where(DeliberationResult.deliberation_id == deliberation_id))
    if row is None:
        return None
    computed_at = row.computed_at
    if computed_at.tzinfo is None:  # SQLite hands back naive datetimes; they are UTC
        computed_at = computed_at.replace(tzinfo=UTC)
    return StoredResult(dict(row.result), computed_at, row.vote_count)


def live_vote_count(db: DbSession, deliberation_id: int) -> int:
    """Votes currently standing (one per participant and statement)."""
    return db.scalar(select(func.count()).select_from(DeliberationVote)
                     .where(DeliberationVote.deliberation_id == deliberation_id)) or 0
