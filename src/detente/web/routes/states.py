"""State positions pages (/states) and their JSON API (/api/states/...).

Everything here reads public data (UN roll calls, published endorsements), so no page needs a
log-in; nothing is written from the web (imports go through ``detente states``). Each handler
parses its input, calls one function of :mod:`detente.states` and renders; states are accepted
as ISO2 or ISO3 codes or as English or Chinese names.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session as DbSession

from detente.errors import InputError, NotFoundError
from detente.i18n import gettext as _
from detente.states import (
    CONVENTIONS,
    THIN_BELOW,
    TOPICS,
    InstrumentView,
    Pending,
    Selection,
    Standing,
    agreement_heatmap,
    alignment,
    alignment_chart,
    alignment_notes,
    basis_phrase,
    bloc_indexes,
    bloc_instrument_phrase,
    bloc_map,
    bloc_tally,
    cached_analysis,
    cached_ideal_points,
    chinese_titles,
    chosen_states,
    country_name,
    follow_successors,
    fragile_note,
    get_instrument,
    has_state_data,
    heatmap_states,
    ideal_points_chart,
    instrument_date,
    instrument_headline,
    instrument_kind,
    instrument_title,
    list_instruments,
    list_roll_calls,
    name_sort_key,
    part_label,
    range_words,
    roll_call_detail,
    standing_label,
    tally_phrases,
    vote_phrase,
    voting_states,
)
from detente.web.deps import get_db
from detente.web.edge import MAX_ID, MAX_YEAR, Id
from detente.web.offload import run_cpu
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
#: Seconds before a page whose analysis is being computed reloads itself.
REFRESH_SECONDS = 3
_DEFAULT_IDEAL_STATES = "USA, CHN, RUS, GBR, FRA, IND"


def _selection(topic: str | None, keyword: str | None, start: int | None, end: int | None,
               issue: str | None = None, roll_calls: str | None = None,
               whole_texts: bool = False) -> Selection:
    chosen = tuple(r.strip() for r in (roll_calls or "").split(",") if r.strip())
    return Selection(topic=topic or None, keyword=keyword or None, issue=issue or None,
                     start=start, end=end, roll_calls=chosen, whole_texts=whole_texts)


def _int_or_none(value: str | None, field: str) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise InputError(_("%(field)s must be a year or a session number") % {"field": field},
                         location=field) from None


def _words() -> dict[str, Any]:
    """The helpers every states template uses to put data into words."""
    return {"name": country_name, "kind_of": instrument_kind,
            "title_of": instrument_title, "date_of": instrument_date,
            "headline": lambda view: instrument_headline(view.item, view.standings),
            "standing_label": standing_label, "vote_phrase": vote_phrase,
            "bloc_instrument_phrase": bloc_instrument_phrase, "sort_by_name": _sort_by_name,
            "part_label": part_label}


def _sort_by_name(codes: list[str]) -> list[str]:
    return sorted(codes, key=name_sort_key)


# --- pages ----------------------------------------------------------------------------------


@router.get("/states", response_class=HTMLResponse, include_in_schema=False)
def states_page(request: Request, topic: str | None = "ai", keyword: str | None = None,
                start: str | None = Query(None, alias="from"),
                end: str | None = Query(None, alias="to"),
                highlight: str | None = None, whole_texts: bool = False,
                db: DbSession = Depends(get_db)) -> HTMLResponse:
    """Blocs of states on the chosen roll calls: map, heatmap, consensus and divisive votes."""
    selection = _selection(topic, keyword, _int_or_none(start, "from"), _int_or_none(end, "to"),
                           whole_texts=whole_texts)
    context: dict[str, Any] = {
        "selection": selection, "topics": list(TOPICS), "topic_labels": _TOPIC_LABELS,
        "instruments": list_instruments(db), "result": None, "pending": None,
        "highlight": highlight or "", "highlight_error": None, "refresh": None,
        "empty_range": None, **_words()}
    context["zh_titles"] = chinese_titles(db)
    picked: list[str] = []
    try:
        picked = chosen_states(highlight, field="highlight")
    except InputError as exc:
        context["highlight_error"] = exc.message
    try:
        result = cached_analysis(db, selection)
    except NotFoundError:
        # Votes are stored but none in the selection (a range before the first AI vote, say):
        # say so, rather than ask the user to import what is there.
        if has_state_data(db):
            context["empty_range"] = (range_words(selection.start, selection.end)
                                      if selection.has_range() else "")
        return render(request, "states/index.html", context)
    if isinstance(result, Pending):
        context.update(pending=result, refresh=REFRESH_SECONDS)
        return render(request, "states/index.html", context)
    statements = {s["key"]: s for s in result["roll_calls"]}
    shown = heatmap_states(result)
    tally = bloc_tally(result)
    blocs = bloc_indexes(result)
    placed = [{"code": p["participant"], "name": country_name(p["participant"]),
               "bloc": blocs.get(str(p.get("group")))}
              for p in result.get("projection", []) if p.get("x") is not None]
    context.update(
        result=result, statements=statements, bloc_map=bloc_map(result, picked),
        placed=sorted(placed, key=lambda p: name_sort_key(p["code"])), picked=picked,
        heatmap=agreement_heatmap(result, shown), heat_shown=len(shown),
        heat_total=tally.voted, tally=tally, tally_phrases=tally_phrases(tally), blocs=blocs,
        basis=basis_phrase(result, context["zh_titles"]), fragile=fragile_note(result),
        bloc_facts={b["id"]: b for b in result.get("blocs", [])},
        bloc_instruments=_bloc_instruments(result, context["instruments"]),
        without_vote=[v for v in context["instruments"] if v.item.basis == "without-vote"]
        if selection.with_instruments() else [])
    return render(request, "states/index.html", context)


def _bloc_instruments(result: dict[str, Any],
                      views: list[InstrumentView]) -> dict[int, list[tuple[Any, ...]]]:
    """Per bloc, the AI instruments on which a member's standing is known (endorsed, voted
    no or abstained), with the bloc's counts; those analysed as roll calls are left out."""
    by_slug = {view.item.slug: view for view in views}
    out: dict[int, list[tuple[Any, ...]]] = {g["id"]: [] for g in result.get("groups", [])}
    for summary in result.get("instruments", []):
        if summary["roll_call"] is not None:
            continue
        view = by_slug[summary["id"]]
        for bloc in summary["blocs"]:
            counts = bloc["counts"]
            if counts["endorsed"] or counts["voted_no"] or counts["abstained"]:
                # The analysis computed who declined and how many endorsements are inferred.
                out[bloc["id"]].append((view, counts, bloc["size"], bloc["declined"],
                                        bloc["inferred"]))
    return out


@router.get("/states/alignment", response_class=HTMLResponse, include_in_schema=False)
def alignment_page(request: Request, a: str = "USA", b: str = "RUS",
                   start: str | None = Query(None, alias="from"),
                   end: str | None = Query(None, alias="to"),
                   convention: str = "half", thin: bool = False,
                   db: DbSession = Depends(get_db)) -> HTMLResponse:
    """Two states' agreement per session as a line chart, with a form to choose them; sessions
    of fewer than five joint roll calls are flagged, and drawn only with ``thin``."""
    context: dict[str, Any] = {
        "a": a, "b": b, "start": start or "", "end": end or "", "convention": convention,
        "conventions": CONVENTIONS, "series": [], "chart": None, "error": None,
        "options": voting_states(db), "convention_labels": _CONVENTION_LABELS, "pair": None,
        "thin": thin, "notes": [], "thin_below": THIN_BELOW, **_words()}
    try:
        found = alignment(db, a, b, _int_or_none(start, "from"), _int_or_none(end, "to"),
                          convention)
    except InputError as exc:
        context["error"] = exc.message
        return render(request, "states/alignment.html", context, status_code=400)
    series = found["series"]
    drawn = thin or any(not row["thin"] for row in series)
    context.update(series=series, pair=(found["a"], found["b"]),
                   chart=alignment_chart(series, found["a"], found["b"], thin=thin)
                   if drawn else None,
                   notes=alignment_notes(series, found["missing"], chinese_titles(db)))
    return render(request, "states/alignment.html", context)


@router.get("/states/ideal-points", response_class=HTMLResponse, include_in_schema=False)
def ideal_points_page(request: Request, states: str = _DEFAULT_IDEAL_STATES,
                      start: str | None = Query(None, alias="from"),
                      end: str | None = Query(None, alias="to"),
                      abstain: str = "missing",
                      db: DbSession = Depends(get_db)) -> HTMLResponse:
    """Chosen states' ideal points session by session, as a line chart and a table."""
    context: dict[str, Any] = {
        "states": states, "start": start or "", "end": end or "", "abstain": abstain,
        "codes": [], "chart": None, "sessions": [], "shown": [], "error": None, "pending": None,
        "refresh": None, "options": voting_states(db), **_words()}
    try:
        codes = chosen_states(states)
        result = cached_ideal_points(db, _int_or_none(start, "from"), _int_or_none(end, "to"),
                                     abstain)
    except InputError as exc:
        context["error"] = exc.message
        return render(request, "states/ideal_points.html", context, status_code=400)
    context["codes"] = codes
    if isinstance(result, Pending):
        context.update(pending=result, refresh=REFRESH_SECONDS)
    else:
        sessions = [s for s in follow_successors(result["sessions"], codes)
                    if any(c in s["points"] for c in codes)]
        context.update(sessions=sessions, chart=ideal_points_chart(sessions, codes) if sessions
                       else None, shown=[c for c in codes
                                         if any(c in row["points"] for row in sessions)])
    return render(request, "states/ideal_points.html", context)


@router.get("/states/roll-calls/{roll_call_id}", response_class=HTMLResponse,
            include_in_schema=False)
def roll_call_page(roll_call_id: Id, request: Request,
                   db: DbSession = Depends(get_db)) -> HTMLResponse:
    """How each state voted on one roll call, with the record it comes from."""
    return render(request, "states/roll_call.html", {
        "rc": roll_call_detail(db, roll_call_id), "labels": _VOTE_LABELS, **_words()})


@router.get("/states/instruments/{slug}", response_class=HTMLResponse, include_in_schema=False)
def instrument_page(slug: str, request: Request,
                    db: DbSession = Depends(get_db)) -> HTMLResponse:
    """One AI instrument and every UN member state's standing on it, with the sources."""
    view = get_instrument(db, slug)
    groups: dict[str, list[Any]] = {standing.value: [] for standing in Standing}
    for entry in sorted(view.standings.members.values(), key=lambda s: name_sort_key(s.state)):
        groups[entry.standing.value].append(entry)
    groups = {key: entries for key, entries in groups.items() if entries}
    named = sorted([s for s in view.standings.members.values() if s.named]
                   + view.standings.others, key=lambda s: name_sort_key(s.state))
    return render(request, "states/instrument.html", {
        "view": view, "item": view.item, "groups": groups, "named": named, **_words()})


# --- JSON API -------------------------------------------------------------------------------


class JointRollCall(BaseModel):
    key: str
    resolution: str | None
    title: str


class AgreementPoint(BaseModel):
    session: int
    year: int
    agreement: float
    roll_calls: int
    thin: bool = False
    joint: list[JointRollCall] | None = None


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
    title_zh: str = ""
    votes: list[VoteOut] | None = None


class PositionOut(BaseModel):
    state: str
    name: str
    position: str
    source_url: str | None
    note: str
    note_zh: str = ""
    evidence: str = ""  # "", "inferred" (no source names the state) or "one-source"


class StandingOut(BaseModel):
    state: str
    name: str
    standing: str
    named: bool
    source_url: str | None
    evidence: str = ""


class InstrumentOut(BaseModel):
    id: str
    symbol: str | None
    title: str
    title_zh: str
    title_zh_status: str
    kind: str
    date: str
    date_note: str
    body: str
    basis: str
    open_to: str
    record: str
    totals: str
    source_url: str | None
    n_positions: int
    member_states: int
    standings: dict[str, int]
    named: int  # member states a source names (an inferred standing is not named)
    inferred: int  # member states whose standing no source names, inferred from a role
    summary: str  # who took part, in words, in the language asked for
    positions: list[PositionOut] | None = None
    members: list[StandingOut] | None = None


def _instrument_out(view: InstrumentView, detail: bool = False) -> InstrumentOut:
    item = view.item
    out = InstrumentOut(
        id=item.slug, symbol=item.symbol or None, title=item.title, title_zh=item.title_zh,
        title_zh_status=item.title_zh_status, kind=item.kind, date=item.date,
        date_note=item.date_note, body=item.body, basis=item.basis, open_to=item.open_to,
        record=item.record, totals=item.totals, source_url=item.source_url,
        n_positions=len(item.positions), member_states=view.standings.total,
        standings=view.standings.counts(), named=view.standings.named(),
        inferred=len(view.standings.resting_on("inferred")),
        summary=instrument_headline(item, view.standings))
    if detail:
        out.positions = [PositionOut(state=p.state, name=country_name(p.state),
                                     position=p.position, source_url=p.source_url, note=p.note,
                                     note_zh=p.note_zh, evidence=p.evidence)
                         for p in item.positions]
        out.members = [StandingOut(state=s.state, name=country_name(s.state),
                                   standing=s.standing.value, named=s.named,
                                   source_url=s.source_url, evidence=s.evidence)
                       for s in view.standings.members.values()]
    return out


@router.get("/api/states/analysis", tags=["states"])
async def api_analysis(request: Request, topic: str | None = None,
                       keyword: str | None = None, issue: str | None = None,
                       start: int | None = Query(None, alias="from", ge=1, le=MAX_YEAR,
                                                 description="First session (< 1945) or "
                                                 "year."),
                       end: int | None = Query(None, alias="to", ge=1, le=MAX_YEAR,
                                               description="Last session (< 1945) or year."),
                       roll_calls: str | None = Query(None, description="Comma-separated "
                                                      "keys, ids or resolution symbols."),
                       whole_texts: bool = Query(False, description="Leave out the votes on "
                                                 "a paragraph or an amendment."),
                       convention: str = "half",
                       db: DbSession = Depends(get_db)) -> dict[str, Any]:
    """Blocs, consensus and divisive roll calls, ideal points and agreement (``detente
    consensus``'s JSON schema with states as members by ISO3 code; see docs/states.md)."""
    # A whole-history analysis takes seconds: computed in the CPU pool, off the event loop.
    result = await run_cpu(request, cached_analysis, db,
                           _selection(topic, keyword, start, end, issue, roll_calls,
                                      whole_texts),
                           convention, background=False)
    assert not isinstance(result, Pending)  # computed in the request when not in background
    return result


@router.get("/api/states/agreement", tags=["states"], response_model=list[AgreementPoint])
async def api_agreement(request: Request,
                        a: str = Query(..., description="A state: ISO2 or ISO3 code, or a "
                                       "name."),
                        b: str = Query(..., description="Another state, likewise."),
                        start: int | None = Query(None, alias="from", ge=1, le=MAX_YEAR),
                        end: int | None = Query(None, alias="to", ge=1, le=MAX_YEAR),
                        convention: str = "half",
                        succession: bool = True,
                        db: DbSession = Depends(get_db)) -> list[dict[str, Any]]:
    """Per-session agreement of two states over every recorded roll call."""
    found = await run_cpu(request, alignment, db, a, b, start, end, convention, succession)
    series: list[dict[str, Any]] = found["series"]
    return series


@router.get("/api/states/ideal-points", tags=["states"])
async def api_ideal_points(request: Request,
                           session: Annotated[int, Query(ge=1, le=MAX_YEAR)],
                           abstain: str = "missing",
                           db: DbSession = Depends(get_db)) -> dict[str, Any]:
    """One-dimensional ideal points of one session (EM binary IRT; USA positive)."""
    result = await run_cpu(request, cached_ideal_points, db, session, session, abstain,
                           background=False)
    assert not isinstance(result, Pending)
    if not result["sessions"]:
        raise NotFoundError(_("no recorded votes in session %(session)s") % {"session": session})
    found = result["sessions"][0]
    return {"session": session, "roll_calls": found["roll_calls"], "points": found["points"],
            "correlation_with_first_dimension": found["correlation_with_first_dimension"]}


@router.get("/api/states/roll-calls", tags=["states"], response_model=list[RollCallOut])
def api_roll_calls(topic: str | None = None, keyword: str | None = None,
                   issue: str | None = None,
                   start: int | None = Query(None, alias="from", ge=1, le=MAX_YEAR),
                   end: int | None = Query(None, alias="to", ge=1, le=MAX_YEAR),
                   limit: int = Query(100, ge=1, le=1000),
                   offset: int = Query(0, ge=0, le=MAX_ID),
                   whole_texts: bool = Query(False, description="Leave out the votes on a "
                                             "paragraph or an amendment."),
                   db: DbSession = Depends(get_db)) -> list[dict[str, Any]]:
    """Roll calls matching a selection, in date order."""
    return list_roll_calls(db, _selection(topic, keyword, start, end, issue,
                                          whole_texts=whole_texts), limit, offset)


@router.get("/api/states/roll-calls/{roll_call_id}", tags=["states"],
            response_model=RollCallOut)
def api_roll_call(roll_call_id: Id, db: DbSession = Depends(get_db)) -> dict[str, Any]:
    """One roll call with every state's vote."""
    return roll_call_detail(db, roll_call_id)


@router.get("/api/states/instruments", tags=["states"], response_model=list[InstrumentOut])
def api_instruments(db: DbSession = Depends(get_db)) -> list[InstrumentOut]:
    """AI instruments (resolutions, declarations, conventions) with how many of the UN member
    states hold each standing (endorsed, not endorsed, voted no, abstained, absent, unknown)."""
    return [_instrument_out(view) for view in list_instruments(db)]


@router.get("/api/states/instruments/{slug}", tags=["states"], response_model=InstrumentOut)
def api_instrument(slug: str, db: DbSession = Depends(get_db)) -> InstrumentOut:
    """One instrument with every recorded position and every member state's standing."""
    return _instrument_out(get_instrument(db, slug), detail=True)
