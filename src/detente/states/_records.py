"""What the states pages, API and CLI read: roll calls, instruments, positions, the states
page's analysis, two states' alignment and one session's ideal points. One function each, so
that the web and the CLI build no query of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from detente.errors import NotFoundError
from detente.states._agreement import agreement_over_time, lineage
from detente.states._analysis import analyze
from detente.states._countries import country_name
from detente.states._ideal import ideal_points
from detente.states._select import Selection, load_votes
from detente.store.models.states import Instrument, InstrumentPosition, RollCall, state_votes

__all__ = [
    "Alignment",
    "InstrumentRecord",
    "Overview",
    "PositionRecord",
    "RollCallRecord",
    "StateVote",
    "alignment",
    "get_instrument",
    "get_roll_call",
    "list_instruments",
    "list_roll_calls",
    "overview",
    "session_ideal_points",
    "voting_states",
]


@dataclass(frozen=True)
class StateVote:
    """How one state voted on a roll call."""

    state: str
    name: str
    vote: str


@dataclass(frozen=True)
class RollCallRecord:
    """A roll call as pages and the API show it; ``votes`` only for a single roll call."""

    id: int
    key: str
    source: str
    session: int
    date: str | None
    resolution: str | None
    title: str
    description: str
    issues: list[str]
    amendment: bool
    paragraph: bool
    url: str | None
    votes: list[StateVote] | None = None


@dataclass(frozen=True)
class PositionRecord:
    """A state's recorded position on an instrument, with its source."""

    state: str
    name: str
    position: str
    source_url: str | None
    note: str


@dataclass(frozen=True)
class InstrumentRecord:
    """An AI instrument; ``positions`` only for a single instrument."""

    id: str
    title: str
    kind: str
    date: str
    body: str
    totals: str
    source_url: str | None
    n_positions: int
    positions: list[PositionRecord] | None = None


@dataclass(frozen=True)
class Overview:
    """The states page: the analysis of a selection (None when no vote matches) and the
    instruments."""

    result: dict[str, Any] | None
    instruments: list[InstrumentRecord] = field(default_factory=list)


@dataclass(frozen=True)
class Alignment:
    """Two states' agreement per session, and every state that ever voted (code, name)."""

    series: list[dict[str, Any]]
    states: list[tuple[str, str]]


def _roll_call(rc: RollCall, votes: list[StateVote] | None = None) -> RollCallRecord:
    return RollCallRecord(id=rc.id, key=rc.key, source=rc.source, session=rc.session,
                          date=rc.date.isoformat() if rc.date else None,
                          resolution=rc.resolution, title=rc.title,
                          description=rc.description, issues=rc.issues.split(),
                          amendment=rc.amendment, paragraph=rc.paragraph, url=rc.url,
                          votes=votes)


def get_roll_call(db: DbSession, roll_call_id: int) -> RollCallRecord:
    """One roll call with every state's vote (states by name)."""
    rc = db.get(RollCall, roll_call_id)
    if rc is None:
        raise NotFoundError(f"no roll call {roll_call_id}")
    rows = db.execute(select(state_votes.c.state, state_votes.c.vote)
                      .where(state_votes.c.roll_call_id == rc.id))
    votes = [StateVote(state=s, name=country_name(s), vote=v) for s, v in rows]
    return _roll_call(rc, sorted(votes, key=lambda v: v.name))


def list_roll_calls(db: DbSession, selection: Selection, *, limit: int = 100,
                    offset: int = 0) -> list[RollCallRecord]:
    """Roll calls matching ``selection``, in date order."""
    return [_roll_call(rc)
            for rc in db.scalars(selection.query().limit(limit).offset(offset))]


def list_instruments(db: DbSession) -> list[InstrumentRecord]:
    """Every AI instrument by date, with its number of recorded positions."""
    counts: dict[int, int] = {
        instrument: n for instrument, n in db.execute(
            select(InstrumentPosition.instrument_id, func.count())
            .group_by(InstrumentPosition.instrument_id))}
    items = db.scalars(select(Instrument).order_by(Instrument.date, Instrument.slug))
    return [InstrumentRecord(id=i.slug, title=i.title, kind=i.kind, date=i.date, body=i.body,
                             totals=i.totals, source_url=i.source_url,
                             n_positions=counts.get(i.id, 0))
            for i in items]


def get_instrument(db: DbSession, slug: str) -> InstrumentRecord:
    """One instrument with every recorded position and its source."""
    item = db.scalar(select(Instrument).where(Instrument.slug == slug))
    if item is None:
        raise NotFoundError(f"no instrument {slug!r}")
    positions = [PositionRecord(state=p.state, name=country_name(p.state), position=p.position,
                                source_url=p.source_url, note=p.note) for p in item.positions]
    return InstrumentRecord(id=item.slug, title=item.title, kind=item.kind, date=item.date,
                            body=item.body, totals=item.totals, source_url=item.source_url,
                            n_positions=len(positions), positions=positions)


def overview(db: DbSession, selection: Selection, convention: str = "half") -> Overview:
    """The analysis of ``selection`` (None when no recorded vote matches) and the
    instruments."""
    try:
        result: dict[str, Any] | None = analyze(db, selection, convention=convention)
    except NotFoundError:
        result = None
    return Overview(result, list_instruments(db))


def voting_states(db: DbSession) -> list[tuple[str, str]]:
    """(code, name) of every state with a recorded vote, by name."""
    codes = db.scalars(select(state_votes.c.state).distinct()).all()
    return sorted(((code, country_name(code)) for code in codes), key=lambda o: o[1])


def alignment(db: DbSession, a: str, b: str, *, start: int | None = None,
              end: int | None = None, convention: str = "half",
              succession: bool = True) -> Alignment:
    """Per-session agreement of states ``a`` and ``b`` (ISO3) between ``start`` and ``end``
    (sessions below 1945, years otherwise), and the states one may choose from."""
    data = load_votes(db, Selection(start=start, end=end), lineage(a) + lineage(b))
    series = agreement_over_time(data, a, b, convention, succession) if data.states else []
    return Alignment(series, voting_states(db))


def session_ideal_points(db: DbSession, session: int, abstain: str = "missing") -> \
        dict[str, Any]:
    """One-dimensional ideal points of one session (EM binary IRT; USA positive), with the
    correlation of the estimate with the first principal dimension."""
    data = load_votes(db, Selection(start=session, end=session))
    if not data.states:
        raise NotFoundError(f"no recorded votes in session {session}")
    points = ideal_points(data.codes, data.states, abstain=abstain)
    correlation = points.correlation_with_pca()
    return {"session": session, "roll_calls": len(data.statements),
            "points": points.as_dict(), "iterations": points.iterations,
            "correlation_with_first_dimension": None if np.isnan(correlation)
            else round(correlation, 4)}
