"""Which statement a participant sees next.

Policy (documented in docs/deliberations.md): only accepted statements of an open
deliberation, never one the participant already voted on. Among the rest, the highest Polis
priority (consensus-math.md section 9) computed from the last stored result's per-group counts:

* A, D, S = agree, disagree and all votes (passes included) on the statement summed over the
  groups of the last result; P = S - A - D.
* importance = (1 - (P+1)/(S+2)) * (E+1) * (A+1)/(S+2)
* priority = (importance * (1 + 8 * 2^(-S/5)))^2

so statements with few votes come first (the ``8 * 2^(-S/5)`` boost) and, among those with
votes, the ones that separate the groups (E) and are not mostly passed. Polis's E is the
statement's extremity in the PCA projection, which the stored result does not carry; we use the
spread between groups instead: E = max over groups of (agree - disagree)/n minus the minimum
of the same, from 0 (all groups alike) to 2 (groups opposite). A statement absent from the
last result (new, or no result yet) has S = 0. Ties go to the statement with fewer live
votes, then to the older one.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from detente.store.models.deliberation import (
    DeliberationResult,
    DeliberationStatement,
    DeliberationVote,
)

__all__ = ["next_statement", "priority", "statement_priorities"]


def priority(agree: int, disagree: int, seen: int, extremity: float) -> float:
    """Polis comment priority (consensus-math.md section 9) for one statement."""
    passes = seen - agree - disagree
    importance = (1 - (passes + 1) / (seen + 2)) * (extremity + 1) * (agree + 1) / (seen + 2)
    return float((importance * (1 + 8 * 2 ** (-seen / 5))) ** 2)


def _group_stats(result: dict[str, Any] | None) -> dict[int, tuple[int, int, int, float]]:
    """statement id -> (A, D, S, E) from a stored result's per-group counts."""
    stats: dict[int, tuple[int, int, int, float]] = {}
    if not result:
        return stats
    for entry in result.get("statement_stats", []):
        by_group = entry.get("by_group") or {}
        agree = disagree = seen = 0
        leanings = []
        for counts in by_group.values():
            a, d, p = int(counts.get("agree", 0)), int(counts.get("disagree", 0)), int(
                counts.get("pass", 0))
            agree, disagree, seen = agree + a, disagree + d, seen + a + d + p
            if a + d + p:
                leanings.append((a - d) / (a + d + p))
        extremity = (max(leanings) - min(leanings)) if len(leanings) > 1 else 0.0
        try:
            stats[int(entry["statement"])] = (agree, disagree, seen, extremity)
        except (KeyError, TypeError, ValueError):
            continue
    return stats


#: (deliberation id, computed_at of its snapshot) -> per-statement stats; parsing a large
#: snapshot costs more than the rest of the choice, and a snapshot changes every few seconds.
_STATS_CACHE: dict[tuple[int, Any], dict[int, tuple[int, int, int, float]]] = {}


def _snapshot_stats(db: DbSession, deliberation_id: int) -> dict[int, tuple[int, int, int, float]]:
    computed_at = db.scalar(select(DeliberationResult.computed_at)
                            .where(DeliberationResult.deliberation_id == deliberation_id))
    if computed_at is None:
        return {}
    key = (deliberation_id, computed_at)
    stats = _STATS_CACHE.get(key)
    if stats is None:
        stored = db.scalar(select(DeliberationResult.result)
                           .where(DeliberationResult.deliberation_id == deliberation_id))
        stats = _group_stats(stored)
        if len(_STATS_CACHE) > 1000:
            _STATS_CACHE.clear()
        _STATS_CACHE[key] = stats
    return stats


def statement_priorities(db: DbSession, deliberation_id: int) -> dict[int, float]:
    """Priority of every accepted statement of the deliberation."""
    stats = _snapshot_stats(db, deliberation_id)
    ids = db.scalars(select(DeliberationStatement.id).where(
        DeliberationStatement.deliberation_id == deliberation_id,
        DeliberationStatement.moderation == "accepted"))
    return {sid: priority(*stats.get(sid, (0, 0, 0, 0.0))) for sid in ids}


def next_statement(db: DbSession, deliberation_id: int, participant_id: int,
                   exclude: Collection[int] = ()) -> DeliberationStatement | None:
    """The next statement for this participant, or None when none is left (see module doc);
    statements in ``exclude`` (held under the attribution policy) are passed over."""
    priorities = statement_priorities(db, deliberation_id)
    if not priorities:
        return None
    voted = set(db.scalars(select(DeliberationVote.statement_id)
                           .where(DeliberationVote.participant_id == participant_id)))
    candidates = [sid for sid in priorities if sid not in voted and sid not in exclude]
    if not candidates:
        return None
    top = max(priorities[sid] for sid in candidates)
    tied = [sid for sid in candidates if priorities[sid] >= top * (1 - 1e-12)]
    live: dict[int, int] = {}
    if len(tied) > 1:  # count live votes only where they break a tie
        live = dict(db.execute(
            select(DeliberationVote.statement_id, func.count())
            .where(DeliberationVote.statement_id.in_(tied))
            .group_by(DeliberationVote.statement_id)).all())
    best = min(tied, key=lambda sid: (live.get(sid, 0), sid))
    return db.get(DeliberationStatement, best)
