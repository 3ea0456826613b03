"""Forum pages (home, event, session) and the forum JSON API.

Everything shown goes through :func:`detente.forum.public_event`, so the Chatham House rule
holds on every page and in every API response.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session as DbSession

from detente.deliberation import list_deliberations
from detente.errors import NotFoundError
from detente.forum import PublicEvent, get_event, list_events, public_event
from detente.forum._public import PublicInstitution, PublicPerson, PublicSession
from detente.web.deps import get_db
from detente.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, db: DbSession = Depends(get_db)) -> HTMLResponse:
    """Events, newest first."""
    events = [public_event(e) for e in list_events(db)]
    return render(request, "forum/home.html", {"events": events})


@router.get("/events/{slug}", response_class=HTMLResponse, include_in_schema=False)
def event_page(slug: str, request: Request, db: DbSession = Depends(get_db)) -> HTMLResponse:
    """One event: its sessions with chairs and themes, and the institutions taking part."""
    event = public_event(get_event(db, slug))
    return render(request, "forum/event.html", {"event": event})


@router.get("/events/{slug}/sessions/{position}", response_class=HTMLResponse,
            include_in_schema=False)
def session_page(slug: str, position: int, request: Request,
                 db: DbSession = Depends(get_db)) -> HTMLResponse:
    """One session of an event."""
    event = public_event(get_event(db, slug))
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


# --- JSON API -------------------------------------------------------------------------------


class InstitutionOut(BaseModel):
    id: str
    name: str
    short_name: str | None
    name_local: str | None


class PersonOut(BaseModel):
    id: str
    name: str
    name_local: str | None
    title: str | None
    title_local: str | None
    affiliation: str | None


class SessionOut(BaseModel):
    id: int
    position: int
    title: str
    title_local: str | None
    description: str | None
    description_local: str | None
    chair: PersonOut | None
    themes: list[dict[str, Any]]


class EventSummaryOut(BaseModel):
    id: str
    title: str
    title_local: str | None
    date: str
    host: InstitutionOut
    attribution: str
    sessions: int


class EventOut(EventSummaryOut):
    venue: str | None
    description: str | None
    description_local: str | None
    languages: list[str]
    institutions: list[InstitutionOut]
    session_list: list[SessionOut]
    closing_remarks: str | None
    closing_remarks_local: str | None
    closing_speaker: PersonOut | None


def _institution_out(item: PublicInstitution) -> InstitutionOut:
    return InstitutionOut(id=item.slug, name=item.name, short_name=item.short_name,
                          name_local=item.name_local)


def _person_out(item: PublicPerson | None) -> PersonOut | None:
    if item is None:
        return None
    return PersonOut(id=item.slug, name=item.name, name_local=item.name_local, title=item.title,
                     title_local=item.title_local,
                     affiliation=item.affiliation.slug if item.affiliation else None)


def _summary(event: PublicEvent) -> dict[str, Any]:
    return {
        "id": event.slug, "title": event.title, "title_local": event.title_local,
        "date": event.date.isoformat(), "host": _institution_out(event.host),
        "attribution": "chatham_house" if event.chatham_house else "attributed",
        "sessions": len(event.sessions),
    }


@router.get("/api/events", response_model=list[EventSummaryOut], tags=["forum"])
def api_events(db: DbSession = Depends(get_db)) -> list[EventSummaryOut]:
    """Every event, newest first."""
    return [EventSummaryOut(**_summary(public_event(e))) for e in list_events(db)]


@router.get("/api/events/{slug}", response_model=EventOut, tags=["forum"])
def api_event(slug: str, db: DbSession = Depends(get_db)) -> EventOut:
    """One event with its sessions, chairs, themes and institutions (Chatham House applied)."""
    event = public_event(get_event(db, slug))
    return EventOut(
        **_summary(event),
        venue=event.venue,
        description=event.description,
        description_local=event.description_local,
        languages=list(event.languages),
        institutions=[_institution_out(i) for i in event.institutions],
        session_list=[
            SessionOut(
                id=s.id, position=s.position, title=s.title, title_local=s.title_local,
                description=s.description, description_local=s.description_local,
                chair=_person_out(s.chair),
                themes=[{"id": t.slug, "name": t.name, "name_local": t.name_local}
                        for t in s.themes],
            )
            for s in event.sessions
        ],
        closing_remarks=event.closing_remarks,
        closing_remarks_local=event.closing_remarks_local,
        closing_speaker=_person_out(event.closing_speaker),
    )
