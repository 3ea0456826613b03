"""Consensus results: computing them from the votes, storing the snapshot, reading it back.

The result is the ``detente consensus`` JSON (see docs/consensus.md) with participants named
by their pseudonymous public ids and statements by their ids, plus ``computed_at`` and
``vote_count``. Rejected statements are passed to the engine as moderated out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session as DbSession

from detente.errors import DetenteError
from detente.store import session_scope
from detente.store.base import utcnow
from detente.store.models.deliberation import (
    DeliberationParticipant,
    DeliberationResult,
    DeliberationStatement,
    DeliberationVote,
)

__all__ = [
    "MIN_PARTICIPANTS",
    "StoredResult",
    "compute_result",
    "live_vote_count",
    "recompute",
    "store_result",
    "stored_result",
]

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
            matrix, moderated_out=[s for s in rejected if s in present])
    except DetenteError:
        return None
    data = result.to_json()
    data["vote_count"] = len(values)
    return data


def store_result(db: DbSession, deliberation_id: int, data: dict[str, Any]) -> StoredResult:
    """Replace the deliberation's stored snapshot with ``data``."""
    data = dict(data)
    vote_count = int(data.pop("vote_count", data.get("votes", 0)) or 0)
    row = db.scalar(select(DeliberationResult)
                    .where(DeliberationResult.deliberation_id == deliberation_id))
    now = utcnow()
    if row is None:
        row = DeliberationResult(deliberation_id=deliberation_id)
        db.add(row)
    row.result = data
    row.computed_at = now
    row.vote_count = vote_count
    db.flush()
    return StoredResult(data, now, vote_count)


def recompute(engine: Engine, deliberation_id: int) -> StoredResult | None:
    """Compute and store the result in its own transaction; None when not enough votes."""
    with session_scope(engine) as db:
        data = compute_result(db, deliberation_id)
        if data is None:
            return None
        return store_result(db, deliberation_id, data)


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
