"""State positions pages (/states) and their JSON API (/api/states/...).

Everything here reads public data (UN roll calls, published endorsements), so no page needs a
log-in; nothing is written from the web (imports go through ``detente states``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from detente.errors import InputError, NotFoundError
from detente.states import (
    CONVENTIONS,
    TOPICS,
    Selection,
    agreement_over_time,
    analyze,
    country_name,
    ideal_points,
    lineage,
    load_votes,
)
from detente.states._charts import (
    agreement_heatmap,
    alignment_chart,
    bloc_indexes,
    bloc_map,
    heatmap_states,
)
from detente.store.models.states import Instrument, InstrumentPosition, RollCall, state_votes
from detente.web.deps import get_db
from detente.web.templating import render

router = APIRouter()

_TOPIC_LABELS = {"ai": "AI and security", "arms-control": "Arms control and disarmament",
                 "nuclear": "Nuclear weapons", "human-rights": "Human rights",
                 "colonialism": "Colonialism", "palestine": "Palestinian conflict",
                 "development": "Economic development"}
_CONVENTION_LABELS = {"half": "count as half agreement", "abstain-as-no": "count as no",
                      "exclude-abstain": "leave out"}
_VOTE_LABELS = {"yes": "Yes", "no": "No", "abstain": "Abstain", "absent": "Absent",
                "non_member": "Not a member"}


def _selection(topic: str | None, keyword: str | None, start: int | None, end: int | None,
               issue: str | None = None, roll_calls: str | None = None) -> Selection:
    chosen = tuple(r.strip() for r in (roll_calls or "").split(",") if r.strip())
    return Selection(topic=topic or None, keyword=keyword or None, issue=issue or None,
                     start=start, end=end, roll_calls=chosen)


def _int_or_none(value: str | None, field: str) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise InputError(f"{field} must be a year or a session number", location=field) from None


# --- pages ----------------------------------------------------------------------------------


@router.get("/states", response_class=HTMLResponse, include_in_schema=False)
def states_page(request: Request, topic: str | None = "ai", keyword: str | None = None,
                start: str | None = Query(None, alias="from"),
                end: str | None = Query(None, alias="to"),
                db: DbSession = Depends(get_db)) -> HTMLResponse:
    """Blocs of states on the chosen roll calls: map, heatmap, consensus and divisive votes."""
    selection = _selection(topic, keyword, _int_or_none(start, "from"), _int_or_none(end, "to"))
    context: dict[str, Any] = {"selection": selection, "topics": list(TOPICS),
                               "topic_labels": _TOPIC_LABELS,
                               "instruments": _instruments(db), "result": None}
    try:
        result = analyze(db, selection)
    except NotFoundError:
        return render(request, "states/index.html", context)
    statements = {s["key"]: s for s in result["roll_calls"]}
    shown = heatmap_states(result)
    context.update(result=result, statements=statements, bloc_map=bloc_map(result),
                   blocs=bloc_indexes(result), heatmap=agreement_heatmap(result, shown),
                   heat_shown=len(shown), heat_total=len(result["agreement"]["states"]),
                   name=country_name)
    return render(request, "states/index.html", context)


@router.get("/states/alignment", response_class=HTMLResponse, include_in_schema=False)
def alignment_page(request: Request, a: str = "USA", b: str = "RUS",
                   start: str | None = Query(None, alias="from"),
                   end: str | None = Query(None, alias="to"),
                   convention: str = "half",
                   db: DbSession = Depends(get_db)) -> HTMLResponse:
    """Two states' agreement per session as a line chart, with a form to choose them."""
    a, b = a.upper()[:3], b.upper()[:3]
    data = load_votes(db, Selection(start=_int_or_none(start, "from"),
                                    end=_int_or_none(end, "to")), lineage(a) + lineage(b))
    series = agreement_over_time(data, a, b, convention) if data.states else []
    voters = db.scalars(select(state_votes.c.state).distinct()).all()
    options = sorted(((code, country_name(code)) for code in voters), key=lambda o: o[1])
    return render(request, "states/alignment.html", {
        "a": a, "b": b, "start": start or "", "end": end or "", "convention": convention,
        "conventions": CONVENTIONS, "series": series, "chart": alignment_chart(series, a, b),
        "options": options, "name": country_name, "convention_labels": _CONVENTION_LABELS})


@router.get("/states/roll-calls/{roll_call_id}", response_class=HTMLResponse,
            include_in_schema=False)
def roll_call_page(roll_call_id: int, request: Request,
                   db: DbSession = Depends(get_db)) -> HTMLResponse:
    """How each state voted on one roll call, with the record it comes from."""
    detail = _roll_call_detail(db, roll_call_id)
    return render(request, "states/roll_call.html", {
        "rc": detail, "labels": _VOTE_LABELS, "name": country_name})


@router.get("/states/instruments/{slug}", response_class=HTMLResponse, include_in_schema=False)
def instrument_page(slug: str, request: Request,
                    db: DbSession = Depends(get_db)) -> HTMLResponse:
    """One AI instrument and the positions recorded for it, each with its source."""
    item = db.scalar(select(Instrument).where(Instrument.slug == slug))
    if item is None:
        raise NotFoundError(f"no instrument {slug!r}")
    return render(request, "states/instrument.html", {"item": item, "name": country_name})


# --- JSON API -------------------------------------------------------------------------------


class AgreementPoint(BaseModel):
    session: int
    year: int
    agreement: float
    roll_calls: int


class VoteOut(BaseModel):
    state: str
    name: str
    vote: str


class RollCallOut(BaseModel):
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
    votes: list[VoteOut] | None = None


class PositionOut(BaseModel):
    state: str
    name: str
    position: str
    source_url: str | None
    note: str


class InstrumentOut(BaseModel):
    id: str
    title: str
    kind: str
    date: str
    body: str
    totals: str
    source_url: str | None
    n_positions: int
    positions: list[PositionOut] | None = None


def _roll_call_out(rc: RollCall) -> RollCallOut:
    return RollCallOut(id=rc.id, key=rc.key, source=rc.source, session=rc.session,
                       date=rc.date.isoformat() if rc.date else None, resolution=rc.resolution,
                       title=rc.title, description=rc.description, issues=rc.issues.split(),
                       amendment=rc.amendment, paragraph=rc.paragraph, url=rc.url)


def _roll_call_detail(db: DbSession, roll_call_id: int) -> RollCallOut:
    rc = db.get(RollCall, roll_call_id)
    if rc is None:
        raise NotFoundError(f"no roll call {roll_call_id}")
    out = _roll_call_out(rc)
    rows = db.execute(select(state_votes.c.state, state_votes.c.vote)
                      .where(state_votes.c.roll_call_id == rc.id))
    votes = [VoteOut(state=s, name=country_name(s), vote=v) for s, v in rows]
    out.votes = sorted(votes, key=lambda v: v.name)
    return out


def _instruments(db: DbSession) -> list[InstrumentOut]:
    counts = dict(db.execute(select(InstrumentPosition.instrument_id, func.count())
                             .group_by(InstrumentPosition.instrument_id)).all())
    items = db.scalars(select(Instrument).order_by(Instrument.date, Instrument.slug))
    return [InstrumentOut(id=i.slug, title=i.title, kind=i.kind, date=i.date, body=i.body,
                          totals=i.totals, source_url=i.source_url,
                          n_positions=counts.get(i.id, 0))
            for i in items]


@router.get("/api/states/analysis", tags=["states"])
def api_analysis(topic: str | None = None, keyword: str | None = None,
                 issue: str | None = None,
                 start: int | None = Query(None, alias="from",
                                           description="First session (< 1945) or year."),
                 end: int | None = Query(None, alias="to",
                                         description="Last session (< 1945) or year."),
                 roll_calls: str | None = Query(None, description="Comma-separated keys, "
                                                "ids or resolution symbols."),
                 convention: str = "half",
                 db: DbSession = Depends(get_db)) -> dict[str, Any]:
    """Blocs, consensus and divisive roll calls, ideal points and agreement (``detente
    consensus``'s JSON schema with states as members by ISO3 code; see docs/states.md)."""
    return analyze(db, _selection(topic, keyword, start, end, issue, roll_calls),
                   convention=convention)


@router.get("/api/states/agreement", tags=["states"], response_model=list[AgreementPoint])
def api_agreement(a: str, b: str, start: int | None = Query(None, alias="from"),
                  end: int | None = Query(None, alias="to"), convention: str = "half",
                  succession: bool = True,
                  db: DbSession = Depends(get_db)) -> list[dict[str, Any]]:
    """Per-session agreement of two states (ISO3 codes) over every recorded roll call."""
    a, b = a.upper(), b.upper()
    data = load_votes(db, Selection(start=start, end=end), lineage(a) + lineage(b))
    return agreement_over_time(data, a, b, convention, succession)


@router.get("/api/states/ideal-points", tags=["states"])
def api_ideal_points(session: int, abstain: str = "missing",
                     db: DbSession = Depends(get_db)) -> dict[str, Any]:
    """One-dimensional ideal points of one session (EM binary IRT; USA positive)."""
    data = load_votes(db, Selection(start=session, end=session))
    if not data.states:
        raise NotFoundError(f"no recorded votes in session {session}")
    points = ideal_points(data.codes, data.states, abstain=abstain)
    correlation = points.correlation_with_pca()
    return {"session": session, "roll_calls": len(data.statements),
            "points": points.as_dict(), "iterations": points.iterations,
            "correlation_with_first_dimension": None if np.isnan(correlation)
            else round(correlation, 4)}


@router.get("/api/states/roll-calls", tags=["states"], response_model=list[RollCallOut])
def api_roll_calls(topic: str | None = None, keyword: str | None = None,
                   issue: str | None = None,
                   start: int | None = Query(None, alias="from"),
                   end: int | None = Query(None, alias="to"),
                   limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0),
                   db: DbSession = Depends(get_db)) -> list[RollCallOut]:
    """Roll calls matching a selection, in date order."""
    query = _selection(topic, keyword, start, end, issue).query().limit(limit).offset(offset)
    return [_roll_call_out(rc) for rc in db.scalars(query)]


@router.get("/api/states/roll-calls/{roll_call_id}", tags=["states"],
            response_model=RollCallOut)
def api_roll_call(roll_call_id: int, db: DbSession = Depends(get_db)) -> RollCallOut:
    """One roll call with every state's vote."""
    return _roll_call_detail(db, roll_call_id)


@router.get("/api/states/instruments", tags=["states"], response_model=list[InstrumentOut])
def api_instruments(db: DbSession = Depends(get_db)) -> list[InstrumentOut]:
    """AI instruments (resolutions, declarations, conventions)."""
    return _instruments(db)


@router.get("/api/states/instruments/{slug}", tags=["states"], response_model=InstrumentOut)
def api_instrument(slug: str, db: DbSession = Depends(get_db)) -> InstrumentOut:
    """One instrument with every recorded position and its source."""
    item = db.scalar(select(Instrument).where(Instrument.slug == slug))
    if item is None:
        raise NotFoundError(f"no instrument {slug!r}")
    return InstrumentOut(id=item.slug, title=item.title, kind=item.kind, date=item.date,
                         body=item.body, totals=item.totals, source_url=item.source_url,
                         n_positions=len(item.positions),
                         positions=[PositionOut(state=p.state, name=country_name(p.state),
                                                position=p.position, source_url=p.source_url,
                                                note=p.note) for p in item.positions])
