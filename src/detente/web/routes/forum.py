"""Forum pages (home, event, session) and the forum JSON API.

Everything shown goes through :func:`detente.forum.visible_event` (the public view, without
record texts held by the attribution policy), so the Chatham House rule
holds on every page and in every API response.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session as DbSession

from detente.accounts import User
from detente.deliberation import list_deliberations
from detente.errors import NotFoundError
from detente.forum import PublicEvent, PublicSession, get_event, list_events, visible_event
from detente.reports import event_hub
from detente.web.deps import get_db
from detente.web.edge import Id
from detente.web.security import csrf_token, current_user
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
    raise NotFoundError(f"event {event.slug!r} has no session {position}")


# --- JSON API: the public view itself, so that the API shows exactly what pages may show ---


@router.get("/api/events", response_model=list[PublicEvent], tags=["forum"])
def api_events(db: DbSession = Depends(get_db)) -> list[PublicEvent]:
    """Every event, newest first, with its sessions (Chatham House rule applied)."""
    return [visible_event(db, e) for e in list_events(db)]


@router.get("/api/events/{slug}", response_model=PublicEvent, tags=["forum"])
def api_event(slug: str, db: DbSession = Depends(get_db)) -> PublicEvent:
    """One event with its sessions, chairs, themes and institutions (Chatham House applied)."""
    return visible_event(db, get_event(db, slug))
