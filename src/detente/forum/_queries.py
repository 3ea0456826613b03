"""Reading forum records: lists and look-ups used by the CLI, the web app and reports."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from detente.errors import NotFoundError
from detente.i18n import gettext as _
from detente.store.models.forum import Event, Participation, Person, Session

__all__ = ["get_event", "get_session", "list_events"]

_EVENT_LOAD = (
    selectinload(Event.host),
    selectinload(Event.institutions),
    selectinload(Event.closing_speaker).selectinload(Person.affiliation),
    selectinload(Event.sessions).selectinload(Session.chair).selectinload(Person.affiliation),
    selectinload(Event.sessions).selectinload(Session.themes),
    selectinload(Event.participations).selectinload(Participation.person),
)


def list_events(db: DbSession) -> list[Event]:
    """Every event, newest first."""
    return list(db.scalars(select(Event).options(*_EVENT_LOAD).order_by(Event.date.desc(),
                                                                        Event.slug)))


def get_event(db: DbSession, key: str | int) -> Event:
    """An event by slug or numeric id.

    Raises
    ------
    NotFoundError
        When there is no such event.
    """
    query = select(Event).options(*_EVENT_LOAD)
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        query = query.where(Event.id == int(key))
    else:
        query = query.where(Event.slug == key)
    event = db.scalar(query)
    if event is None:
        raise NotFoundError(_("no event %(key)r") % {"key": key})
    return event


def get_session(db: DbSession, event_key: str | int, position: int) -> Session:
    """Session number ``position`` (1-based) of an event."""
    event = get_event(db, event_key)
    for session in event.sessions:
        if session.position == position:
            return session
    raise NotFoundError(_("event %(event)r has no session %(position)s")
                        % {"event": event.slug, "position": position})
