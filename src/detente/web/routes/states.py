"""State positions pages (/states) and their JSON API (/api/states/...).

Everything here reads public data (UN roll calls, published endorsements), so no page needs a
log-in; nothing is written from the web (imports go through ``detente states``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session as DbSession

from detente.errors import InputError
from detente.states import (
    CONVENTIONS,
    TOPICS,
    InstrumentRecord,
    RollCallRecord,
    Selection,
    alignment,
    analyze,
    country_name,
    get_instrument,
    get_roll_call,
    list_instruments,
    list_roll_calls,
    overview,
    session_ideal_points,
)
from detente.states._charts import (
    agreement_heatmap,
    alignment_chart,
    bloc_indexes,
    bloc_map,
    heatmap_states,
)
from detente.web.deps import get_db
from detente.web.edge import MAX_ID, MAX_YEAR, Id
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
    found = overview(db, selection)
    context: dict[str, Any] = {"selection": selection, "topics": list(TOPICS),
                               "topic_labels": _TOPIC_LABELS,
                               "instruments": found.instruments, "result": None}
    result = found.result
    if result is None:
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
    found = alignment(db, a, b, start=_int_or_none(start, "from"), end=_int_or_none(end, "to"),
                      convention=convention)
    series, options = found.series, found.states
    return render(request, "states/alignment.html", {
        "a": a, "b": b, "start": start or "", "end": end or "", "convention": convention,
        "conventions": CONVENTIONS, "series": series, "chart": alignment_chart(series, a, b),
        "options": options, "name": country_name, "convention_labels": _CONVENTION_LABELS})


@router.get("/states/roll-calls/{roll_call_id}", response_class=HTMLResponse,
            include_in_schema=False)
def roll_call_page(roll_call_id: Id, request: Request,
                   db: DbSession = Depends(get_db)) -> HTMLResponse:
    """How each state voted on one roll call, with the record it comes from."""
    return render(request, "states/roll_call.html", {
        "rc": get_roll_call(db, roll_call_id), "labels": _VOTE_LABELS, "name": country_name})


@router.get("/states/instruments/{slug}", response_class=HTMLResponse, include_in_schema=False)
def instrument_page(slug: str, request: Request,
                    db: DbSession = Depends(get_db)) -> HTMLResponse:
    """One AI instrument and the positions recorded for it, each with its source."""
    return render(request, "states/instrument.html",
                  {"item": get_instrument(db, slug), "name": country_name})


# --- JSON API -------------------------------------------------------------------------------


class AgreementPoint(BaseModel):
    session: int
    year: int
    agreement: float
    roll_calls: int


@router.get("/api/states/analysis", tags=["states"])
def api_analysis(topic: str | None = None, keyword: str | None = None,
                 issue: str | None = None,
                 start: int | None = Query(None, alias="from", ge=1, le=MAX_YEAR,
                                           description="First session (< 1945) or year."),
                 end: int | None = Query(None, alias="to", ge=1, le=MAX_YEAR,
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
def api_agreement(a: str, b: str,
                  start: int | None = Query(None, alias="from", ge=1, le=MAX_YEAR),
                  end: int | None = Query(None, alias="to", ge=1, le=MAX_YEAR),
                  convention: str = "half",
                  succession: bool = True,
                  db: DbSession = Depends(get_db)) -> list[dict[str, Any]]:
    """Per-session agreement of two states (ISO3 codes) over every recorded roll call."""
    return alignment(db, a.upper(), b.upper(), start=start, end=end, convention=convention,
                     succession=succession).series


@router.get("/api/states/ideal-points", tags=["states"])
def api_ideal_points(session: Annotated[int, Query(ge=1, le=MAX_YEAR)],
                     abstain: str = "missing",
                     db: DbSession = Depends(get_db)) -> dict[str, Any]:
    """One-dimensional ideal points of one session (EM binary IRT; USA positive)."""
    return session_ideal_points(db, session, abstain)


@router.get("/api/states/roll-calls", tags=["states"], response_model=list[RollCallRecord])
def api_roll_calls(topic: str | None = None, keyword: str | None = None,
                   issue: str | None = None,
                   start: int | None = Query(None, alias="from", ge=1, le=MAX_YEAR),
                   end: int | None = Query(None, alias="to", ge=1, le=MAX_YEAR),
                   limit: int = Query(100, ge=1, le=1000),
                   offset: int = Query(0, ge=0, le=MAX_ID),
                   db: DbSession = Depends(get_db)) -> list[RollCallRecord]:
    """Roll calls matching a selection, in date order."""
    return list_roll_calls(db, _selection(topic, keyword, start, end, issue), limit=limit,
                           offset=offset)


@router.get("/api/states/roll-calls/{roll_call_id}", tags=["states"],
            response_model=RollCallRecord)
def api_roll_call(roll_call_id: Id, db: DbSession = Depends(get_db)) -> RollCallRecord:
    """One roll call with every state's vote."""
    return get_roll_call(db, roll_call_id)


@router.get("/api/states/instruments", tags=["states"],
            response_model=list[InstrumentRecord])
def api_instruments(db: DbSession = Depends(get_db)) -> list[InstrumentRecord]:
    """AI instruments (resolutions, declarations, conventions)."""
    return list_instruments(db)


@router.get("/api/states/instruments/{slug}", tags=["states"], response_model=InstrumentRecord)
def api_instrument(slug: str, db: DbSession = Depends(get_db)) -> InstrumentRecord:
    """One instrument with every recorded position and its source."""
    return get_instrument(db, slug)
