"""Blocs of states from the consensus engine, plus agreement and ideal points, as one JSON.

States are the engine's participants and roll calls its statements: yes = agree (1),
no = disagree (-1), abstain = pass (0); absent, non-member and unrecorded states are missing.
The JSON is ``detente consensus``'s schema (members are ISO3 codes, statements roll-call keys)
with ``roll_calls`` (metadata per statement), ``states`` (names), ``selection``,
``ideal_points`` and ``agreement`` (bloc-ordered matrix) added.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy.orm import Session as DbSession
from threadpoolctl import threadpool_limits

from detente.consensus import Consensus, VoteMatrix
from detente.errors import NotFoundError
from detente.states._agreement import agreement_matrix
from detente.states._countries import country
from detente.states._ideal import ideal_points
from detente.states._select import CODES, Selection, VoteData, load_votes

__all__ = ["analyze", "analyze_votes", "bloc_order"]

_ENGINE_VOTE = {CODES["yes"]: 1, CODES["no"]: -1, CODES["abstain"]: 0}


def analyze(db: DbSession, selection: Selection, *, convention: str = "half",
            random_state: int = 0) -> dict[str, Any]:
    """Load the chosen roll calls and analyse them (see :func:`analyze_votes`).

    Raises
    ------
    NotFoundError
        When the selection holds no vote.
    """
    data = load_votes(db, selection)
    if not data.statements or not data.states:
        raise NotFoundError("no recorded votes match this selection "
                            f"({_describe(selection)}); import votes first "
                            "(detente states import-unga)")
    result = analyze_votes(data, convention=convention, random_state=random_state)
    result["selection"] = selection.describe()
    return result


def _describe(selection: Selection) -> str:
    return ", ".join(f"{k}={v}" for k, v in selection.describe().items() if v) or "everything"


def analyze_votes(data: VoteData, *, convention: str = "half",
                  random_state: int = 0) -> dict[str, Any]:
    """Blocs, consensus and divisive roll calls, ideal points and agreement for ``data``.

    BLAS runs single-threaded here: the matrices are small (about 200 states), and on a busy
    two-core machine threaded BLAS made one session's analysis ten times slower.
    """
    with threadpool_limits(1, user_api="blas"):
        return _analyze_votes(data, convention, random_state)


def _analyze_votes(data: VoteData, convention: str, random_state: int) -> dict[str, Any]:
    """The guts of :func:`analyze_votes`.

    A state enters the clustering with votes on at least min(7, roll calls) statements, so
    that sparse endorsement lists do not keep states that voted on every roll call out.
    """
    rows, cols = np.nonzero(np.isin(data.codes, list(_ENGINE_VOTE)))
    matrix = VoteMatrix.from_long(
        [data.states[i] for i in rows],
        [data.statements[j]["key"] for j in cols],
        [_ENGINE_VOTE[int(v)] for v in data.codes[rows, cols]],
    )
    n_roll_calls = sum(1 for s in data.statements if s["kind"] == "roll_call")
    engine = Consensus(min_votes=max(1, min(7, n_roll_calls)), random_state=random_state)
    result = engine.fit(matrix).result_.to_json()
    order = {s["statement"]: i for i, s in enumerate(result["statement_stats"])}
    columns = sorted(range(len(data.statements)),
                     key=lambda j: (order.get(data.statements[j]["key"], len(order)), j))
    result["roll_calls"] = [data.statements[j] for j in columns]
    result["states"] = {
        code: {"name": found.name if found else code, "name_zh": found.name_zh if found else "",
               "historical": bool(found and found.historical)}
        for code in data.states for found in [country(code)]
    }
    result["vote_counts"] = _vote_counts(data, columns)
    points = ideal_points(data.codes, data.states)
    result["ideal_points"] = {
        "method": "binary IRT by EM (Imai, Lo & Olmsted 2016); abstain missing; USA positive",
        "points": points.as_dict(),
        "correlation_with_first_dimension": _round(points.correlation_with_pca()),
        "iterations": points.iterations, "converged": points.converged,
    }
    states = bloc_order(result, data.states)
    agreement, joint = agreement_matrix(data.codes, convention)
    position = {s: i for i, s in enumerate(data.states)}
    index = np.array([position[s] for s in states], dtype=np.int64)
    ordered = np.round(agreement[np.ix_(index, index)], 4)
    result["agreement"] = {
        "convention": convention, "states": states,
        "matrix": [[None if v != v else v for v in row] for row in ordered.tolist()],
        "joint_votes": joint[np.ix_(index, index)].tolist(),
    }
    return result


def _round(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 4)


def _vote_counts(data: VoteData, columns: list[int]) -> list[dict[str, Any]]:
    out = []
    for j in columns:
        meta, column = data.statements[j], data.codes[:, j]
        out.append({"statement": meta["key"],
                    **{name: int(np.sum(column == code)) for name, code in CODES.items()}})
    return out


def bloc_order(result: dict[str, Any], states: list[str]) -> list[str]:
    """States ordered by bloc (bloc by bloc, then unclustered), each bloc by its map x."""
    x = {p["participant"]: p["x"] for p in result.get("projection", [])}
    ordered: list[str] = []
    for group in result.get("groups", []):
        ordered += sorted(group["members"], key=lambda s: (x.get(s, 0.0), s))
    seen = set(ordered)
    ordered += [s for s in states if s not in seen]
    return ordered
