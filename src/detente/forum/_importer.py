"""Import a forum file into the store as one transaction.

Records are matched by their ``id`` (slug): importing the same file twice changes nothing, and
importing an edited file updates what changed. Every reference is checked before anything is
written; any error leaves the database as it was.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from detente.errors import ImportFormatError
from detente.forum._schema import EventSpec, ForumFile
from detente.forum._yaml import format_loc, line_of, load_yaml_with_lines
from detente.store import session_scope
from detente.store.models.forum import (
    AttributionPolicy,
    Event,
    Institution,
    Participation,
    Person,
    Role,
    Session,
    Theme,
)

__all__ = ["ImportSummary", "import_forum_file", "parse_forum_file"]


@dataclass
class ImportSummary:
    """What an import did, per kind of record."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    events: list[str] = field(default_factory=list)

    def describe(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        parts = [
            f"{kind}: {self.created[kind]} new, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged"
            for kind in kinds
        ]
        return "; ".join(parts) or "nothing to import"


def parse_forum_file(path: Path) -> ForumFile:
    """Read and validate a forum file; errors name the file, line and field."""
    data, node = load_yaml_with_lines(path)
    if data is None:
        raise ImportFormatError("the file is empty", location=str(path))
    if not isinstance(data, dict):
        raise ImportFormatError("expected a mapping at the top level", location=str(path))
    try:
        forum = ForumFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        line = line_of(node, loc)
        where = f"{path}:{line}" if line else str(path)
        message = first["msg"]
        if first["type"] == "extra_forbidden":
            message = "unknown field"
        raise ImportFormatError(f"{format_loc(loc)}: {message}", location=where) from exc
    _check_unique_ids(forum, path, node)
    return forum


def _check_unique_ids(forum: ForumFile, path: Path, node: Any) -> None:
    for section in ("institutions", "people", "themes", "events"):
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(forum, section)):
            if item.id in seen:
                line = line_of(node, (section, index, "id"))
                raise ImportFormatError(
                    f"{section}[{index}].id: duplicate id {item.id!r} "
                    f"(first at {section}[{seen[item.id]}])",
                    location=f"{path}:{line}",
                )
            seen[item.id] = index


class _Resolver:
    """Finds referenced records in the file being imported or in the database."""

    def __init__(self, db: DbSession, path: Path, node: Any) -> None:
        self.db = db
        self.path = path
        self.node = node

    def get(self, model: type, slug: str | None, loc: tuple[str | int, ...]) -> Any:
        if slug is None:
            return None
        record = self.db.scalar(select(model).where(model.slug == slug))
        if record is None:
            line = line_of(self.node, loc)
            kind = model.__tablename__.rstrip("s").replace("people", "person")
            if model is Person:
                kind = "person"
            raise ImportFormatError(
                f"{format_loc(loc)}: no {kind} with id {slug!r}",
                location=f"{self.path}:{line}" if line else str(self.path),
            )
        return record


def _upsert(db: DbSession, model: type, slug: str, values: dict[str, Any],
            summary: ImportSummary, kind: str) -> Any:
    record = db.scalar(select(model).where(model.slug == slug))
    if record is None:
        record = model(slug=slug, **values)
        db.add(record)
        summary.created[kind] += 1
        return record
    changed = False
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    (summary.updated if changed else summary.unchanged)[kind] += 1
    return record


def import_forum_file(engine: Engine, path: Path) -> ImportSummary:
    """Validate ``path`` and write its records in one transaction.

    Raises
    ------
    ImportFormatError
        On any invalid content; nothing is written then.
    """
    forum = parse_forum_file(path)
    _, node = load_yaml_with_lines(path)
    summary = ImportSummary()
    try:
        with session_scope(engine) as db:
            _import(db, forum, _Resolver(db, path, node), summary)
    except IntegrityError as exc:
        raise ImportFormatError(
            f"conflicts with records already stored: {exc.orig}", location=str(path)
        ) from exc
    return summary


def _import(db: DbSession, forum: ForumFile, resolve: _Resolver, summary: ImportSummary) -> None:
    for spec in forum.institutions:
        _upsert(db, Institution, spec.id, spec.model_dump(exclude={"id"}), summary, "institutions")
    db.flush()
    for index, spec in enumerate(forum.people):
        affiliation = resolve.get(Institution, spec.affiliation, ("people", index, "affiliation"))
        values = spec.model_dump(exclude={"id", "affiliation"})
        values["affiliation"] = affiliation
        _upsert(db, Person, spec.id, values, summary, "people")
    for spec in forum.themes:
        _upsert(db, Theme, spec.id, spec.model_dump(exclude={"id"}), summary, "themes")
    db.flush()
    for index, spec in enumerate(forum.events):
        _import_event(db, spec, index, resolve, summary)
        summary.events.append(spec.id)


def _import_event(db: DbSession, spec: EventSpec, index: int, resolve: _Resolver,
                  summary: ImportSummary) -> None:
    loc = ("events", index)
    closing = spec.closing_remarks
    values: dict[str, Any] = {
        "title": spec.title,
        "title_local": spec.title_local,
        "host": resolve.get(Institution, spec.host, (*loc, "host")),
        "date": spec.date,
        "end_date": spec.end_date,
        "venue": spec.venue,
        "venue_local": spec.venue_local,
        "description": spec.description,
        "description_local": spec.description_local,
        "languages": ",".join(spec.languages),
        "attribution_policy": AttributionPolicy(spec.attribution),
        "closing_remarks": closing.text if closing else None,
        "closing_remarks_local": closing.text_local if closing else None,
        "closing_speaker": resolve.get(
            Person, closing.speaker if closing else None, (*loc, "closing_remarks", "speaker")
        ),
        "institutions": [
            resolve.get(Institution, slug, (*loc, "institutions", i))
            for i, slug in enumerate(spec.institutions)
        ],
    }
    before = _event_fingerprint(db.scalar(select(Event).where(Event.slug == spec.id)))
    event = _upsert(db, Event, spec.id, values, summary, "events")
    db.flush()
    _import_sessions(db, event, spec, loc, resolve)
    _import_participations(db, event, spec, loc, resolve)
    db.flush()
    after = _event_fingerprint(event)
    if before is not None and before != after and summary.unchanged["events"]:
        summary.unchanged["events"] -= 1
        summary.updated["events"] += 1


def _event_fingerprint(event: Event | None) -> tuple | None:
    """Sessions and participations of an event, to tell whether an import changed them."""
    if event is None:
        return None
    sessions = tuple(
        (s.position, s.title, s.title_local, s.chair_id, s.description, s.description_local,
         tuple(sorted(t.id for t in s.themes)))
        for s in event.sessions
    )
    people = tuple(sorted((p.person_id, p.role.value, p.session_id or 0)
                          for p in event.participations))
    return sessions, people


def _import_sessions(db: DbSession, event: Event, spec: EventSpec, loc: tuple,
                     resolve: _Resolver) -> None:
    existing = {session.position: session for session in event.sessions}
    for position, session_spec in enumerate(spec.sessions, start=1):
        session_loc = (*loc, "sessions", position - 1)
        values = {
            "title": session_spec.title,
            "title_local": session_spec.title_local,
            "chair": resolve.get(Person, session_spec.chair, (*session_loc, "chair")),
            "description": session_spec.description,
            "description_local": session_spec.description_local,
            "themes": [
                resolve.get(Theme, slug, (*session_loc, "themes", i))
                for i, slug in enumerate(session_spec.themes)
            ],
        }
        session = existing.pop(position, None)
        if session is None:
            event.sessions.append(Session(position=position, **values))
        else:
            for name, value in values.items():
                if getattr(session, name) != value:
                    setattr(session, name, value)
    for stale in existing.values():
        event.sessions.remove(stale)


def _import_participations(db: DbSession, event: Event, spec: EventSpec, loc: tuple,
                           resolve: _Resolver) -> None:
    db.flush()
    wanted: set[tuple[int, str, int | None]] = set()
    for i, participant in enumerate(spec.participants):
        person = resolve.get(Person, participant.person, (*loc, "participants", i, "person"))
        wanted.add((person.id, participant.role, None))
    for session in event.sessions:
        if session.chair is not None:
            wanted.add((session.chair.id, Role.CHAIR.value, session.id))
        session_spec = spec.sessions[session.position - 1]
        for i, slug in enumerate(session_spec.speakers):
            speaker_loc = (*loc, "sessions", session.position - 1, "speakers", i)
            person = resolve.get(Person, slug, speaker_loc)
            wanted.add((person.id, Role.SPEAKER.value, session.id))
    current = {(p.person_id, p.role.value, p.session_id): p for p in event.participations}
    for key, participation in current.items():
        if key not in wanted:
            event.participations.remove(participation)
    for person_id, role, session_id in sorted(wanted - set(current), key=str):
        event.participations.append(
            Participation(person_id=person_id, role=Role(role), session_id=session_id)
        )
