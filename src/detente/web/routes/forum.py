"""Forum pages (home, event, session) and the forum JSON API.

Everything shown goes through :func:`detente.forum.visible_event` (the public view, without
record texts held by the attribution policy), so the Chatham House rule
holds on every page and in every API response.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session as DbSession

from detente.accounts import User
from detente.deliberation import list_deliberations
from detente.errors import ConflictError, InputError, NotFoundError
from detente.forum import (
    ATTRIBUTION_POLICIES,
    EventChanges,
    PublicEvent,
    PublicSession,
    SessionChanges,
    chair_choices,
    edit_event,
    get_event,
    list_events,
    visible_event,
)
from detente.i18n import gettext as _
from detente.reports import event_hub
from detente.web.deps import get_db
from detente.web.edge import Id
from detente.web.security import csrf_token, current_user, require_organizer, verify_csrf
from detente.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, db: DbSession = Depends(get_db)) -> HTMLResponse:
    """Events, newest first."""
    events = [visible_event(db, e) for e in list_events(db)]
    return render(request, "forum/home.html", {"events": events})


@router.get("/events/{slug}", response_class=HTMLResponse, include_in_schema=False)
def event_page(slug: str, request: Request, db: DbSession = Depends(get_db),
               user: User | None = Depends(current_user)) -> HTMLResponse:
    """One event as the hub: its sessions with their deliberations, photos, the news item,
    proposals and the report; for organizers, the actions on each of them."""
    organizer = user is not None and user.is_organizer
    hub = event_hub(db, slug, organizer=organizer)
    if organizer:
        csrf_token(request)
    return render(request, "forum/event.html", {"event": hub.event, "hub": hub})


def _event_form(request: Request, db: DbSession, slug: str, changes: EventChanges | None,
                error: str | None = None, error_field: str | None = None,
                confirm: bool = False, status_code: int = 200) -> HTMLResponse:
    """The event form: the record's values, or what the organizer sent when it was refused."""
    event = get_event(db, slug)
    if changes is None:
        changes = EventChanges(
            title=event.title, title_local=event.title_local or "",
            date=event.date.isoformat(),
            end_date=event.end_date.isoformat() if event.end_date else "",
            venue=event.venue or "", venue_local=event.venue_local or "",
            description=event.description or "",
            description_local=event.description_local or "",
            attribution_policy=event.attribution_policy.value,
            sessions=tuple(SessionChanges(s.position, s.title, s.title_local or "",
                                          s.chair.slug if s.chair else "")
                           for s in event.sessions))
    csrf_token(request)
    return render(request, "forum/event_edit.html", {
        "event": event, "form": changes, "error": error, "error_field": error_field,
        "confirm": confirm, "people": chair_choices(db, event),
        "policies": ATTRIBUTION_POLICIES}, status_code=status_code)


@router.get("/events/{slug}/edit", response_class=HTMLResponse, include_in_schema=False)
def event_edit_form(slug: str, request: Request, db: DbSession = Depends(get_db),
                    user: User = Depends(require_organizer)) -> HTMLResponse:
    """Edit the event's record: its name, dates, place, description, attribution policy and
    sessions (title and chair; add one; remove one, confirmed when it holds data)."""
    return _event_form(request, db, slug, None)


@router.post("/events/{slug}/edit", dependencies=[Depends(verify_csrf)],
             include_in_schema=False)
def event_edit(slug: str, request: Request, db: DbSession = Depends(get_db),
               user: User = Depends(require_organizer), title: str = Form(""),
               title_zh: str = Form(""), date: str = Form(""), end_date: str = Form(""),
               venue: str = Form(""), venue_zh: str = Form(""), description: str = Form(""),
               description_zh: str = Form(""), attribution_policy: str = Form(""),
               session_position: list[str] = Form([]), session_title: list[str] = Form([]),
               session_title_zh: list[str] = Form([]), session_chair: list[str] = Form([]),
               remove: list[str] = Form([]), confirm: str = Form("")) -> Response:
    """Save the event (audited as ``event.edit``). A refused form comes back as sent, naming
    the field; removing a session that holds data needs the confirmation ticked."""
    rows = tuple(
        SessionChanges(int(position) if position.isdigit() else None, title_,
                       title_zh_, chair, remove=bool(position) and position in remove)
        for position, title_, title_zh_, chair in zip(
            session_position, session_title, session_title_zh, session_chair, strict=False))
    changes = EventChanges(title=title, title_local=title_zh, date=date, end_date=end_date,
                           venue=venue, venue_local=venue_zh, description=description,
                           description_local=description_zh,
                           attribution_policy=attribution_policy, sessions=rows)
    try:
        edit_event(db, slug, changes, user=user, confirm_removals=bool(confirm))
    except (InputError, ConflictError) as exc:
        db.rollback()
        return _event_form(request, db, slug, changes, exc.message, exc.location,
                           confirm=isinstance(exc, ConflictError), status_code=400)
    return RedirectResponse(f"/events/{slug}", status_code=303)


@router.get("/events/{slug}/sessions/{position}", response_class=HTMLResponse,
            include_in_schema=False)
def session_page(slug: str, position: Id, request: Request,
                 db: DbSession = Depends(get_db)) -> HTMLResponse:
    """One session of an event."""
    event = visible_event(db, get_event(db, slug))
    session = _find_session(event, position)
    deliberations = [
        d for d in list_deliberations(db) if d.session_id == session.id
    ]
    return render(request, "forum/session.html",
                  {"event": event, "session": session, "deliberations": deliberations})


def _find_session(event: PublicEvent, position: int) -> PublicSession:
    for session in event.sessions:
        if session.position == position:
            return session
    raise NotFoundError(_("event %(event)r has no session %(position)s")
                        % {"event": event.slug, "position": position})


# --- JSON API: the public view itself, so that the API shows exactly what pages may show ---


@router.get("/api/events", response_model=list[PublicEvent], tags=["forum"])
def api_events(db: DbSession = Depends(get_db)) -> list[PublicEvent]:
    """Every event, newest first, with its sessions (Chatham House rule applied)."""
    return [visible_event(db, e) for e in list_events(db)]


@router.get("/api/events/{slug}", response_model=PublicEvent, tags=["forum"])
def api_event(slug: str, db: DbSession = Depends(get_db)) -> PublicEvent:
    """One event with its sessions, chairs, themes and institutions (Chatham House applied)."""
    return visible_event(db, get_event(db, slug))
