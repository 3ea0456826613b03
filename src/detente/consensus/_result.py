"""Typed, immutable results of a consensus fit and their JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._repness import VoteCounts

__all__ = [
    "ConsensusResult",
    "ConsensusStatement",
    "DivisiveStatement",
    "Group",
    "RepresentativeStatement",
]


def _py(value: Any) -> Any:
    """Plain Python scalar for JSON (numpy scalars unwrapped)."""
    return value.item() if isinstance(value, np.generic) else value


def _share(part: float, whole: float) -> float:
    return float(part) / float(whole) if whole else 0.0


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement that sets a group apart from the rest.

    ``repness`` is the ratio of the group's smoothed agree (or disagree) rate to the rest's,
    ``repness_test`` its two-proportion z score; ``direction`` says which side. Shares are
    raw fractions of the group members who voted on the statement (passes included).
    """

    statement: Any
    direction: str
    repness: float
    repness_test: float
    p_success: float
    p_test: float
    n_agree: int
    n_disagree: int
    n_pass: int

    @property
    def n_votes(self) -> int:
        """Group members who voted on the statement (passes included)."""
        return self.n_agree + self.n_disagree + self.n_pass

    def to_json(self) -> dict[str, Any]:
        n = self.n_votes
        return {
            "statement": _py(self.statement),
            "direction": self.direction,
            "repness": float(self.repness),
            "repness_test": float(self.repness_test),
            "agree_share": _share(self.n_agree, n),
            "disagree_share": _share(self.n_disagree, n),
            "pass_share": _share(self.n_pass, n),
            "n_votes": int(n),
            "n_agree": int(self.n_agree),
            "n_disagree": int(self.n_disagree),
            "n_pass": int(self.n_pass),
        }


@dataclass(frozen=True, eq=False)
class Group:
    """An opinion group: its members (participant ids) and representative statements."""

    id: int
    members: np.ndarray
    representative: tuple[RepresentativeStatement, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": int(self.id),
            "members": self.members.tolist(),
            "representative": [r.to_json() for r in self.representative],
        }


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement most participants agree (or disagree) with; ``score`` = p * z."""

    statement: Any
    direction: str
    n_agree: int
    n_disagree: int
    n_votes: int
    score: float

    def to_json(self) -> dict[str, Any]:
        return {
            "statement": _py(self.statement),
            "direction": self.direction,
            "agree_share": _share(self.n_agree, self.n_votes),
            "disagree_share": _share(self.n_disagree, self.n_votes),
            "n_votes": int(self.n_votes),
            "score": float(self.score),
        }


@dataclass(frozen=True)
class DivisiveStatement:
    """A statement on which the groups' agree shares differ significantly."""

    statement: Any
    divisiveness: float
    p_value: float
    group_agree_shares: dict[int, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "statement": _py(self.statement),
            "divisiveness": float(self.divisiveness),
            "p_value": float(self.p_value),
            "group_agree_shares": {str(g): float(s) for g, s in self.group_agree_shares.items()},
        }


@dataclass(frozen=True, eq=False)
class ConsensusResult:
    """Everything a consensus fit produces.

    Attributes
    ----------
    participant_ids, statement_ids : ndarray
        Ids as given, in matrix order.
    n_votes : int
        Seen cells (agree, disagree and pass) after de-duplication.
    k : int
        Number of groups (0 when nobody could be clustered).
    labels : ndarray of int64, shape (n_participants,)
        Group id per participant, -1 when unclustered (not "in the conversation").
    projection : ndarray of float64, shape (n_participants, 2)
        Polis 2-D opinion map coordinates.
    groups : tuple of Group
    consensus : tuple of ConsensusStatement
    divisive : tuple of DivisiveStatement
    overall : VoteCounts
        Counts over all participants, arrays of shape (1, n_statements).
    by_group : VoteCounts
        Counts over each group's members, arrays of shape (k, n_statements).
    group_informed : ndarray of float64, shape (n_statements,)
        Group-informed consensus (product of smoothed per-group agree rates); NaN when k = 0.
    moderated : ndarray of bool, shape (n_statements,)
    """

    participant_ids: np.ndarray
    statement_ids: np.ndarray
    n_votes: int
    k: int
    labels: np.ndarray
    projection: np.ndarray
    groups: tuple[Group, ...]
    consensus: tuple[ConsensusStatement, ...]
    divisive: tuple[DivisiveStatement, ...]
    overall: VoteCounts
    by_group: VoteCounts
    group_informed: np.ndarray
    moderated: np.ndarray

    @property
    def unclustered(self) -> np.ndarray:
        """Ids of participants not assigned to a group."""
        return self.participant_ids[self.labels < 0]

    def to_json(self) -> dict[str, Any]:
        """JSON-serialisable dict; the schema is documented in docs/consensus.md."""
        pids = self.participant_ids.tolist()
        sids = self.statement_ids.tolist()
        labels = self.labels.tolist()
        xy = self.projection.tolist()
        stats = []
        for j, sid in enumerate(sids):
            by_group = {
                str(g): {
                    "agree": int(self.by_group.agree[g, j]),
                    "disagree": int(self.by_group.disagree[g, j]),
                    "pass": int(self.by_group.passes[g, j]),
                }
                for g in range(self.k)
            }
            stats.append(
                {
                    "statement": sid,
                    "agree": int(self.overall.agree[0, j]),
                    "disagree": int(self.overall.disagree[0, j]),
                    "pass": int(self.overall.passes[0, j]),
                    "moderated": bool(self.moderated[j]),
                    "by_group": by_group,
                }
            )
        gic = []
        if self.k:
            keep = np.flatnonzero(~self.moderated)
            order = keep[np.argsort(-self.group_informed[keep], kind="stable")]
            gic = [
                {"statement": sids[j], "score": float(self.group_informed[j])}
                for j in order.tolist()
            ]
        return {
            "participants": len(pids),
            "statements": len(sids),
            "votes": int(self.n_votes),
            "k": int(self.k),
            "groups": [g.to_json() for g in self.groups],
            "consensus": [c.to_json() for c in self.consensus],
            "divisive": [d.to_json() for d in self.divisive],
            "unclustered": self.unclustered.tolist(),
            "projection": [
                {"participant": p, "x": pt[0], "y": pt[1], "group": (g if g >= 0 else None)}
                for p, pt, g in zip(pids, xy, labels, strict=True)
            ],
            "statement_stats": stats,
            "group_informed_consensus": gic,
        }
