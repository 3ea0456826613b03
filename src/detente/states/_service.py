"""What the state-position pages, the API and the CLI ask for, one function per question.

Each function takes a database session and what the user chose (states already resolved to
ISO3 codes by :func:`detente.states.resolve_state`, or given as typed: these functions resolve
them), runs every query itself and returns plain data. The heavy ones (the bloc analysis, ideal
points over many sessions) go through :mod:`detente.states._cache`, so that a page gets either
the result or a :class:`~detente.states._cache.Pending` at once.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from detente.errors import InputError, NotFoundError
from detente.i18n import gettext as _
from detente.states._agreement import agreement_over_time, lineage
from detente.states._analysis import analyze
from detente.states._cache import Pending, cached
from detente.states._countries import country_name, name_sort_key
from detente.states._ideal import ideal_points
from detente.states._lookup import resolve_state, resolve_states
from detente.states._select import CODES, Selection, load_votes, session_year
from detente.states._standing import InstrumentStandings, instrument_standings
from detente.states._text import roll_call_title
from detente.store.models.states import Instrument, RollCall, state_votes

__all__ = [
    "ANALYSIS_IN_BACKGROUND_FROM",
    "IDEAL_POINTS_IN_BACKGROUND_FROM",
    "InstrumentView",
    "alignment",
    "cached_analysis",
    "cached_ideal_points",
    "chinese_titles",
    "chosen_states",
    "follow_successors",
    "get_instrument",
    "ideal_points_by_session",
    "list_instruments",
    "list_roll_calls",
    "list_roll_calls_with_counts",
    "roll_call_count",
    "roll_call_detail",
    "voting_states",
]

#: From this many roll calls on, a page's analysis is computed in the background (all roll
#: calls of the 1946-2019 history take about 9 s on a quiet machine; 300 take well under 1 s).
ANALYSIS_IN_BACKGROUND_FROM = 300
#: From this many sessions on, ideal points are computed in the background.
IDEAL_POINTS_IN_BACKGROUND_FROM = 8


def roll_call_count(db: DbSession, selection: Selection) -> int:
    """How many roll calls ``selection`` chooses."""
    return int(db.scalar(select(func.count()).select_from(selection.query().subquery())) or 0)


def cached_analysis(db: DbSession, selection: Selection, convention: str = "half", *,
                    background: bool = True) -> dict[str, Any] | Pending:
    """The bloc analysis of ``selection`` (:func:`detente.states.analyze`), cached.

    With ``background`` a large selection not yet computed gives a :class:`Pending`.
    """
    size = roll_call_count(db, selection)
    return cached(db, "analysis", {"selection": selection.describe(), "convention": convention},
                  lambda session: analyze(session, selection, convention=convention),
                  size=size, background_from=ANALYSIS_IN_BACKGROUND_FROM if background else None)


def ideal_points_by_session(db: DbSession, start: int | None = None, end: int | None = None,
                            abstain: str = "missing", min_votes: int = 5) -> dict[str, Any]:
    """One-dimensional ideal points of every session in the range (EM binary IRT).

    Returns
    -------
    dict
        ``{"sessions": [{"session", "year", "roll_calls", "correlation_with_first_dimension",
        "points": {ISO3: x}}], "abstain", "min_votes"}``, sessions in order.
    """
    data = load_votes(db, Selection(start=start, end=end))
    sessions = sorted({s["session"] for s in data.statements if s["session"] is not None})
    rows = []
    for session in sessions:
        columns = [j for j, s in enumerate(data.statements) if s["session"] == session]
        part = data.subset(np.array(columns))
        points = ideal_points(part.codes, part.states, abstain=abstain, min_votes=min_votes)
        correlation = points.correlation_with_pca()
        rows.append({"session": session, "year": session_year(session),
                     "roll_calls": len(columns),
                     "correlation_with_first_dimension": None if np.isnan(correlation)
                     else round(correlation, 4),
                     "points": points.as_dict()})
    return {"sessions": rows, "abstain": abstain, "min_votes": min_votes}


def follow_successors(sessions: list[dict[str, Any]],
                      states: list[str]) -> list[dict[str, Any]]:
    """Sessions whose ``points`` give each of ``states`` its predecessor's point where it has
    none of its own (Russia through the Soviet Union, Serbia through Yugoslavia...)."""
    rows = []
    for row in sessions:
        points = dict(row["points"])
        for code in states:
            if code not in points:
                found = next((p for p in lineage(code)[1:] if p in row["points"]), None)
                if found is not None:
                    points[code] = row["points"][found]
        rows.append({**row, "points": points})
    return rows


def _session_range(start: int | None, end: int | None) -> tuple[int | None, int | None]:
    def session(value: int | None) -> int | None:
        return None if value is None else value - 1945 if value >= 1945 else value

    return session(start), session(end)


def cached_ideal_points(db: DbSession, start: int | None = None, end: int | None = None,
                        abstain: str = "missing", min_votes: int = 5, *,
                        background: bool = True) -> dict[str, Any] | Pending:
    """:func:`ideal_points_by_session`, cached; many sessions are computed in the background."""
    if abstain not in ("missing", "no"):
        raise InputError(_("abstain must be 'missing' or 'no', not %(value)r") % {"value": abstain},
                         location="abstain")
    first, last = _session_range(start, end)
    query = select(func.count(func.distinct(RollCall.session)))
    if first is not None:
        query = query.where(RollCall.session >= first)
    if last is not None:
        query = query.where(RollCall.session <= last)
    size = int(db.scalar(query) or 0)
    return cached(db, "ideal-points", {"from": start, "to": end, "abstain": abstain,
                                       "min_votes": min_votes},
                  lambda session: ideal_points_by_session(session, start, end, abstain,
                                                          min_votes),
                  size=size,
                  background_from=IDEAL_POINTS_IN_BACKGROUND_FROM if background else None)


def alignment(db: DbSession, a: str, b: str, start: int | None = None, end: int | None = None,
              convention: str = "half", succession: bool = True) -> dict[str, Any]:
    """Two states' agreement per session; ``a`` and ``b`` as typed (code or name).

    Returns
    -------
    dict
        ``{"a", "b" (ISO3), "series": [{"session", "year", "agreement", "roll_calls",
        "thin"[, "joint"]}], "missing": [[first, last], ...]}``: ``missing`` are the runs of
        sessions, between the series' first and last, of which no roll call is stored
        (75-77, 2020-2022, with the shipped data).

    Raises
    ------
    InputError
        For an unknown state (the message suggests close matches).
    """
    code_a, code_b = resolve_state(a, field="a"), resolve_state(b, field="b")
    data = load_votes(db, Selection(start=start, end=end), lineage(code_a) + lineage(code_b))
    series = (agreement_over_time(data, code_a, code_b, convention, succession)
              if data.states else [])
    missing: list[list[int]] = []
    if series:
        first, last = series[0]["session"], series[-1]["session"]
        stored = set(db.scalars(select(RollCall.session).distinct()
                                .where(RollCall.session.between(first, last))))
        for session in range(first, last + 1):
            if session in stored:
                continue
            if missing and missing[-1][1] == session - 1:
                missing[-1][1] = session
            else:
                missing.append([session, session])
    return {"a": code_a, "b": code_b, "series": series, "missing": missing}


def voting_states(db: DbSession) -> list[str]:
    """Every state with a recorded vote, sorted by name in the interface language."""
    codes = db.scalars(select(state_votes.c.state).distinct()).all()
    return sorted(codes, key=name_sort_key)


def _roll_call_out(rc: RollCall) -> dict[str, Any]:
    return {"id": rc.id, "key": rc.key, "source": rc.source, "session": rc.session,
            "date": rc.date.isoformat() if rc.date else None, "resolution": rc.resolution,
            "title": roll_call_title(rc.title, rc.description), "description": rc.description,
            "issues": rc.issues.split(),
            "amendment": rc.amendment, "paragraph": rc.paragraph, "url": rc.url}


def list_roll_calls(db: DbSession, selection: Selection, limit: int = 100,
                    offset: int = 0) -> list[dict[str, Any]]:
    """Roll calls that ``selection`` chooses, in date order, one page at a time."""
    return [_roll_call_out(rc)
            for rc in db.scalars(selection.query().limit(limit).offset(offset))]


@cache
def _shipped_chinese_titles() -> dict[str, str]:
    """UN symbol -> Chinese title, for the resolutions whose roll calls are shipped."""
    text = resources.files("detente").joinpath("data/states/un_titles_zh.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["symbol"]: row["title_zh"] for row in rows}


def chinese_titles(db: DbSession) -> dict[str, str]:
    """UN symbol -> the Chinese title of the resolution or draft (from the instruments and the
    shipped list), for roll calls whose own title is in English only."""
    titles = dict(_shipped_chinese_titles())
    titles.update(db.execute(select(Instrument.symbol, Instrument.title_zh).where(
        Instrument.symbol != "", Instrument.title_zh != "")).all())
    return titles


def list_roll_calls_with_counts(db: DbSession, selection: Selection) -> list[dict[str, Any]]:
    """Every roll call (and instrument) ``selection`` chooses, in date order, with how many
    states voted yes, no, abstained, were absent, not members or did not endorse."""
    data = load_votes(db, selection)
    fields = ("key", "kind", "session", "date", "resolution", "title", "amendment",
              "paragraph", "url")
    return [{**{k: meta[k] for k in fields},
             **{name: int(np.sum(data.codes[:, j] == code)) for name, code in CODES.items()}}
            for j, meta in enumerate(data.statements)]


def roll_call_detail(db: DbSession, roll_call_id: int) -> dict[str, Any]:
    """One roll call with every state's vote, states sorted by name in the interface language.

    Raises
    ------
    NotFoundError
        When there is no such roll call.
    """
    rc = db.get(RollCall, roll_call_id)
    if rc is None:
        raise NotFoundError(_("no roll call %(id)s") % {"id": roll_call_id})
    rows = db.execute(select(state_votes.c.state, state_votes.c.vote)
                      .where(state_votes.c.roll_call_id == rc.id)).all()
    votes = [{"state": s, "name": country_name(s), "vote": v}
             for s, v in sorted(rows, key=lambda r: name_sort_key(r[0]))]
    title_zh = chinese_titles(db).get(rc.resolution or "", "")
    return {**_roll_call_out(rc), "title_zh": title_zh, "votes": votes}


@dataclass(frozen=True, slots=True)
class InstrumentView:
    """An instrument and every UN member state's standing on it."""

    item: Instrument
    standings: InstrumentStandings


def list_instruments(db: DbSession) -> list[InstrumentView]:
    """Every AI instrument (by date) with every member state's standing."""
    items = db.scalars(select(Instrument).order_by(Instrument.date, Instrument.slug)).all()
    return [InstrumentView(item, instrument_standings(db, item)) for item in items]


def get_instrument(db: DbSession, slug: str) -> InstrumentView:
    """One instrument with every member state's standing.

    Raises
    ------
    NotFoundError
        When there is no instrument ``slug``.
    """
    item = db.scalar(select(Instrument).where(Instrument.slug == slug))
    if item is None:
        raise NotFoundError(_("no instrument %(slug)r") % {"slug": slug})
    return InstrumentView(item, instrument_standings(db, item))


def chosen_states(texts: list[str] | str | None, *, field: str = "states") -> list[str]:
    """States typed by a person (codes or names, comma-separated), as ISO3 codes."""
    if not texts:
        return []
    return resolve_states([texts] if isinstance(texts, str) else texts, field=field)

