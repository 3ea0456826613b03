"""Blocs of states from the consensus engine, plus agreement and ideal points, as one JSON.

States are the engine's participants and roll calls its statements: yes = agree (1),
no = disagree (-1), abstain = pass (0); absent, non-member and unrecorded states are missing.
The JSON is ``detente consensus``'s schema (members are ISO3 codes, statements roll-call keys)
with ``roll_calls`` (metadata per statement), ``states`` (names), ``selection``,
``ideal_points`` and ``agreement`` (bloc-ordered matrix) added, and what each bloc did:
``blocs`` (each bloc's representative roll calls with how its members voted, counted over the
whole bloc), ``counts`` on every consensus and divisive statement (over every state, and per
bloc), ``converge`` (the consensus statements on which a majority of every bloc voted the
same way: "where all converge"), ``tally`` (how many states voted, are in a bloc, voted too
rarely to be grouped, and which did not vote) and, for the AI topic, ``instruments`` (every
member state's standing on each AI instrument, overall and per bloc).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from threadpoolctl import threadpool_limits

from detente.consensus import Consensus, VoteMatrix
from detente.errors import NotFoundError
from detente.i18n import current_language
from detente.i18n import gettext as _
from detente.states._agreement import agreement_matrix
from detente.states._countries import country
from detente.states._ideal import ideal_points
from detente.states._select import CODES, Selection, VoteData, load_votes
from detente.states._standing import Standing, instrument_standings
from detente.states._tally import bloc_tally
from detente.store.models.states import Instrument, RollCall

__all__ = [
    "analyze",
    "analyze_votes",
    "bloc_order",
    "empty_selection_message",
    "has_state_data",
    "instrument_summaries",
    "range_words",
]

#: Engine votes: yes agree, no disagree; an abstention and not endorsing an instrument open to
#: all are passes (a choice not to join, not a vote against).
_ENGINE_VOTE = {CODES["yes"]: 1, CODES["no"]: -1, CODES["abstain"]: 0,
                CODES["not_endorsed"]: 0}


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
        raise NotFoundError(empty_selection_message(db, selection))
    result = analyze_votes(data, convention=convention, random_state=random_state)
    result["selection"] = selection.describe()
    if selection.with_instruments():
        result["instruments"] = instrument_summaries(db, result)
    return result


def instrument_summaries(db: DbSession, result: dict[str, Any]) -> list[dict[str, Any]]:
    """Every AI instrument with every UN member state's standing, counted overall and per bloc
    (``counts`` over the 193 member states, each bloc's over its members)."""
    analysed = {s["key"] for s in result.get("roll_calls", [])}
    out = []
    for item in db.scalars(select(Instrument).order_by(Instrument.date, Instrument.slug)):
        standings = instrument_standings(db, item)
        out.append({
            "id": item.slug, "symbol": item.symbol or None, "title": item.title,
            "title_zh": item.title_zh, "kind": item.kind, "date": item.date,
            "basis": item.basis, "open_to": item.open_to, "record": item.record,
            "total": standings.total, "counts": standings.counts(),
            "named": standings.named(), "inferred": len(standings.resting_on("inferred")),
            "roll_call": standings.roll_call_id,
            "in_analysis": f"instrument:{item.slug}" in analysed,
            "blocs": [{"id": g["id"], "size": len(g["members"]),
                       "counts": standings.counts(g["members"]),
                       "declined": standings.declined(g["members"]),
                       # Members counted as endorsing that no source names: an inferred
                       # "not endorsed" is no endorsement (see bloc_instrument_phrase).
                       "inferred": len(standings.resting_on("inferred", g["members"],
                                                            Standing.ENDORSED))}
                      for g in result.get("groups", [])],
        })
    return out


def _describe(selection: Selection) -> str:
    return ", ".join(f"{k}={v}" for k, v in selection.describe().items() if v) or "everything"


def has_state_data(db: DbSession) -> bool:
    """Whether any roll call or instrument is stored."""
    return (db.scalar(select(RollCall.id).limit(1)) is not None
            or db.scalar(select(Instrument.id).limit(1)) is not None)


def empty_selection_message(db: DbSession, selection: Selection) -> str:
    """Why ``selection`` holds no vote: nothing is loaded (import first), or nothing stored
    falls in its range, or nothing matches it."""
    if not has_state_data(db):
        return (_("no recorded votes match this selection (%(selection)s); import votes first "
                  "(detente states import-unga)") % {"selection": _describe(selection)})
    if selection.has_range():
        return (_("no roll call or instrument of this selection falls in %(range)s "
                  "(%(selection)s)") % {"range": range_words(selection.start, selection.end),
                                        "selection": _describe(selection)})
    return (_("no roll call or instrument matches this selection (%(selection)s)")
            % {"selection": _describe(selection)})


def range_words(start: int | None, end: int | None) -> str:
    """A range as a person reads it: "1990–1995", "from 1990", "to session 20" (Chinese:
    "1990年至1995年", "第20届")."""
    zh = current_language() == "zh"

    def one(value: int) -> str:
        if value < 1945:
            return _("session %(num)d") % {"num": value}
        return f"{value}年" if zh else str(value)

    if start is not None and end is not None:
        return one(start) if start == end else f"{one(start)}{'至' if zh else '–'}{one(end)}"
    if start is not None:
        return _("from %(start)s") % {"start": one(start)}
    return _("to %(end)s") % {"end": one(end)} if end is not None else ""


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
    _describe_blocs(result, data)
    result["tally"] = bloc_tally(result).as_json()
    return result


def _counts(data: VoteData, rows: np.ndarray, column: int) -> dict[str, int]:
    """How the states at ``rows`` stood on statement ``column``: every code, and unrecorded."""
    values = data.codes[rows, column]
    counts = {name: int(np.sum(values == code)) for name, code in CODES.items()}
    counts["unrecorded"] = int(np.sum(values == 0))
    return counts


def _describe_blocs(result: dict[str, Any], data: VoteData) -> None:
    """Add what each bloc did, counted over all its members (never over those who voted):
    ``blocs`` with each representative statement's counts; ``counts`` and per-bloc
    ``blocs`` on every consensus and divisive statement."""
    row = {s: i for i, s in enumerate(data.states)}
    column = {s["key"]: j for j, s in enumerate(data.statements)}
    groups = result.get("groups", [])
    rows = {g["id"]: np.array([row[m] for m in g["members"]], dtype=np.int64) for g in groups}
    everyone = np.arange(len(data.states))
    result["blocs"] = [
        {"id": g["id"], "size": len(g["members"]),
         "representative": [{"statement": r["statement"],
                             "counts": _counts(data, rows[g["id"]], column[r["statement"]])}
                            for r in g.get("representative", [])]}
        for g in groups]
    for entry in (*result.get("consensus", []), *result.get("divisive", [])):
        j = column[entry["statement"]]
        entry["counts"] = _counts(data, everyone, j)
        entry["blocs"] = [{"id": g["id"], "size": len(g["members"]),
                           "counts": _counts(data, rows[g["id"]], j)} for g in groups]
    result["converge"] = [entry["statement"] for entry in result.get("consensus", [])
                          if _every_bloc_agrees(entry)]


def _every_bloc_agrees(entry: dict[str, Any]) -> bool:
    """Whether a majority of the voting members of every bloc voted the consensus way (a
    statement on which the whole assembly leans one way can still split the blocs)."""
    side = "yes" if entry.get("direction", "agree") == "agree" else "no"
    for bloc in entry.get("blocs", []):
        counts = bloc["counts"]
        voting = counts["yes"] + counts["no"] + counts["abstain"] + counts["not_endorsed"]
        if voting == 0 or 2 * counts[side] <= voting:
            return False
    return True


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
