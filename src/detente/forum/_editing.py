"""Edit an event's record from the web: its fields and its sessions, audited.

The same rule as the forum import (docs/forum-format.md): nothing that holds data is deleted
silently. Removing a session deletes its deliberations (with their participants, statements
and votes) and its participations; such a removal is refused, naming what it would delete,
unless the caller confirms it. Sessions keep their numbers (a removed one leaves a gap, a new
one comes last), so links to a session (``EVENT#POSITION`` evidence, session pages) never move
to another session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from detente.accounts import audit
from detente.errors import ConflictError, InputError
from detente.i18n import gettext as _
from detente.i18n import ngettext, pick, punct
from detente.inputs import text_field
from detente.store import Base
from detente.store.models.auth import User
from detente.store.models.forum import AttributionPolicy, Event, Person, Session

from ._queries import get_event

__all__ = ["ATTRIBUTION_POLICIES", "EventChanges", "SessionChanges", "chair_choices",
           "describe_removals", "edit_event"]

_TITLE_MAX = 300
#: The attribution policies an event may have, as the event form offers them.
ATTRIBUTION_POLICIES = tuple(policy.value for policy in AttributionPolicy)


@dataclass(frozen=True)
class SessionChanges:
    """One session row of the event form: ``position`` None for a new session."""

    position: int | None
    title: str = ""
    title_local: str = ""
    chair: str = ""
    remove: bool = False


@dataclass(frozen=True)
class EventChanges:
    """The event form as sent: every field as text (checked by :func:`edit_event`)."""

    title: str
    title_local: str = ""
    date: str = ""
    end_date: str = ""
    venue: str = ""
    venue_local: str = ""
    description: str = ""
    description_local: str = ""
    attribution_policy: str = AttributionPolicy.CHATHAM_HOUSE.value
    sessions: tuple[SessionChanges, ...] = ()


def _text(value: str, field: str, *, required: bool = False,
          limit: int | None = _TITLE_MAX) -> str | None:
    """A one-line field up to ``limit`` characters, or (``limit=None``) free text."""
    return text_field(value, field, required=required, limit=limit, one_line=limit is not None)


def _date(value: str, field: str, *, required: bool) -> dt.date | None:
    if not value.strip():
        if required:
            raise InputError(_("must not be empty"), location=field)
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(_("must be a date (YYYY-MM-DD)"), location=field) from None


def chair_choices(db: DbSession, event: Event) -> list[Person]:
    """Who may chair a session of ``event``: its participants and its current chairs, by
    name."""
    people = {p.person.id: p.person for p in event.participations}
    people.update((s.chair.id, s.chair) for s in event.sessions if s.chair is not None)
    return sorted(people.values(), key=lambda p: p.name.casefold())


def _count(db: DbSession, table: str, column: str, value: int) -> int:
    tables = Base.metadata.tables
    if table not in tables:
        return 0
    found = tables[table]
    return int(db.scalar(select(func.count()).select_from(found)
                         .where(found.c[column] == value)) or 0)


def describe_removals(db: DbSession, sessions: list[Session]) -> list[str]:
    """One line per session, in words, saying what removing it deletes (deliberations with
    their participants, statements and votes; participations) and what only loses its session
    (photos, proposals). Sessions without data are not listed."""
    lines = []
    tables = Base.metadata.tables
    for session in sessions:
        parts = []
        if "deliberations" in tables:
            deliberations = tables["deliberations"]
            for deliberation_id, question, question_local in db.execute(
                    select(deliberations.c.id, deliberations.c.question,
                           deliberations.c.question_local)
                    .where(deliberations.c.session_id == session.id)
                    .order_by(deliberations.c.id)):
                parts.append(_("the deliberation “%(q)s” (participants: %(p)d, statements: "
                               "%(s)d, votes: %(v)d)") % {
                    "q": pick(question, question_local),
                    "p": _count(db, "deliberation_participants", "deliberation_id",
                                deliberation_id),
                    "s": _count(db, "deliberation_statements", "deliberation_id",
                                deliberation_id),
                    "v": _count(db, "deliberation_votes", "deliberation_id", deliberation_id)})
        taking_part = _count(db, "participations", "session_id", session.id)
        if taking_part:
            parts.append(ngettext("%(n)d participation", "%(n)d participations", taking_part)
                         % {"n": taking_part})
        unlinked = (_count(db, "media_items", "session_id", session.id)
                    + _count(db, "proposals", "session_id", session.id))
        if unlinked:
            parts.append(ngettext("%(n)d photo, document or proposal loses its session",
                                  "%(n)d photos, documents or proposals lose their session",
                                  unlinked) % {"n": unlinked})
        if parts:
            lines.append(_("Session %(num)d “%(title)s”: %(what)s") % {
                "num": session.position, "title": pick(session.title, session.title_local),
                "what": punct("semicolon").join(parts)})
    return lines


def _chairs(db: DbSession, rows: tuple[SessionChanges, ...]) -> dict[str, Person]:
    slugs = {row.chair for row in rows if row.chair and not row.remove}
    found = {p.slug: p for p in db.scalars(select(Person).where(Person.slug.in_(slugs)))}
    for index, row in enumerate(rows):
        if row.chair and not row.remove and row.chair not in found:
            raise InputError(_("no such person"), location=f"sessions[{index}].chair")
    return found


def edit_event(db: DbSession, slug: str, changes: EventChanges, *, user: User | None,
               confirm_removals: bool = False) -> list[str]:
    """Apply ``changes`` to event ``slug``; return what changed, in words (also written to
    the audit log as ``event.edit``; nothing is written when nothing changed).

    Raises
    ------
    InputError
        Naming the field (``title``, ``date``, ``sessions[2].title`` …) of the first value
        that is not valid; nothing is changed.
    ConflictError
        When a session to remove holds data and ``confirm_removals`` is not given; the message
        says what would be deleted; nothing is changed.
    NotFoundError
        When there is no such event.
    """
    event = get_event(db, slug)
    values: dict[str, object] = {
        "title": _text(changes.title, "title", required=True),
        "title_local": _text(changes.title_local, "title_local"),
        "date": _date(changes.date, "date", required=True),
        "end_date": _date(changes.end_date, "end_date", required=False),
        "venue": _text(changes.venue, "venue"),
        "venue_local": _text(changes.venue_local, "venue_local"),
        "description": _text(changes.description, "description", limit=None),
        "description_local": _text(changes.description_local, "description_local",
                                   limit=None),
    }
    end, start = values["end_date"], values["date"]
    if isinstance(end, dt.date) and isinstance(start, dt.date) and end < start:
        raise InputError(_("the last day comes before the first"), location="end_date")
    try:
        values["attribution_policy"] = AttributionPolicy(changes.attribution_policy)
    except ValueError:
        raise InputError(_("choose one of the listed policies"),
                         location="attribution_policy") from None
    existing = {s.position: s for s in event.sessions}
    rows = changes.sessions
    for index, row in enumerate(rows):
        if row.position is not None and row.position not in existing:
            raise InputError(_("the event has no session %(num)d") % {"num": row.position},
                             location=f"sessions[{index}]")
        if not row.remove and (row.position is not None or row.title.strip()
                               or row.title_local.strip()):
            _text(row.title, f"sessions[{index}].title", required=True)
            _text(row.title_local, f"sessions[{index}].title_local")
    chairs = _chairs(db, rows)
    removed = [existing[row.position] for row in rows
               if row.remove and row.position is not None]
    with_data = describe_removals(db, removed)
    if with_data and not confirm_removals:
        raise ConflictError(_("Removing these sessions would delete data: %(what)s. Nothing "
                              "was changed; tick the confirmation to delete them.")
                            % {"what": punct("semicolon").join(with_data)}, location="sessions")

    said: list[str] = []
    for name, value in values.items():
        if getattr(event, name) != value:
            setattr(event, name, value)
            said.append(name)
    next_position = max(existing, default=0) + 1
    for row in rows:
        if row.remove:
            continue
        chair = chairs.get(row.chair) if row.chair else None
        fields = {"title": _text(row.title, "title"), "title_local": _text(row.title_local, "")}
        if row.position is None:
            if not fields["title"]:
                continue
            event.sessions.append(Session(position=next_position, chair=chair, **fields))
            said.append(f"session {next_position} added")
            next_position += 1
            continue
        session = existing[row.position]
        changed = [k for k, v in fields.items() if getattr(session, k) != v]
        if (session.chair.id if session.chair else None) != (chair.id if chair else None):
            changed.append("chair")
        for key in fields:
            setattr(session, key, fields[key])
        session.chair = chair
        if changed:
            said.append(f"session {row.position}: {', '.join(changed)}")
    for session in removed:
        said.append(f"session {session.position} removed")
        event.sessions.remove(session)
        db.delete(session)
    if said:
        db.flush()
        audit(db, user, "event.edit", f"event:{event.slug}", "; ".join(said))
    return said

