"""Import a forum file: validate everything, plan every change, refuse deletions, then write.

Records are matched by their ``id`` (slug): importing the same file twice changes nothing, and
importing an edited file updates what changed. Sessions are matched by title, then by
position. The whole file is read, validated and turned into a plan before anything is
written; an import whose plan deletes a session (with its deliberations, participants and
votes) or a participation is refused unless ``prune`` is given. The plan is written through
:func:`detente.store.write_batches` under the database's import lock (docs/forum-format.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from detente.errors import ConflictError, ImportFormatError
from detente.forum._schema import EventSpec, ForumFile
from detente.forum._yaml import format_loc, line_of, read_forum_yaml
from detente.i18n import gettext as _
from detente.i18n import punct
from detente.inputs import DEFAULT_MAX_SIZE
from detente.store import Base, Batches, import_lock, write_batches
from detente.store.models.forum import (
    AttributionPolicy,
    Event,
    Institution,
    Participation,
    Person,
    Role,
    Session,
    Theme,
    event_institutions,
    session_themes,
)

__all__ = ["ImportSummary", "import_forum_file", "parse_forum_file"]

_CHUNK = 500
INSTITUTIONS: Table = Institution.__table__
PEOPLE: Table = Person.__table__
THEMES: Table = Theme.__table__
EVENTS: Table = Event.__table__
SESSIONS: Table = Session.__table__
PARTICIPATIONS: Table = Participation.__table__
KINDS = ("institutions", "people", "themes", "events", "sessions", "participations")


@dataclass
class ImportSummary:
    """What an import did (or, with ``dry_run``, would do), per kind of record."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    events: list[str] = field(default_factory=list)
    #: One line per record the import deletes (sessions with what depends on them, then
    #: participations); an import with any is refused without ``prune``.
    removals: list[str] = field(default_factory=list)
    dry_run: bool = False
    batches: int = 1

    def describe(self) -> str:
        """One line: counts per kind."""
        parts = []
        for kind in KINDS:
            counts = (self.created[kind], self.updated[kind], self.unchanged[kind],
                      self.removed[kind])
            if not any(counts):
                continue
            text = _("%(kind)s: %(new)d new, %(updated)d updated, %(unchanged)d unchanged") % {
                "kind": _label(kind), "new": counts[0], "updated": counts[1],
                "unchanged": counts[2]}
            if counts[3]:
                text += _(", %(removed)d removed") % {"removed": counts[3]}
            parts.append(text)
        return punct("semicolon").join(parts) or _("nothing to import")

    @property
    def changed(self) -> bool:
        """Whether the import writes anything."""
        return bool(+self.created or +self.updated or +self.removed)


def _label(word: str) -> str:
    """A kind of record or a role, in the interface language."""
    labels = {
        "institutions": _("institutions"), "people": _("people"), "themes": _("themes"),
        "events": _("events"), "sessions": _("sessions"), "participations": _("participations"),
        "institution": _("institution"), "person": _("person"), "theme": _("theme"),
        "organizer": _("organizer"), "chair": _("chair"), "speaker": _("speaker"),
        "participant": _("participant"),
    }
    return labels.get(word, word)


# --- reading ---------------------------------------------------------------------------------

_MESSAGES = {
    "extra_forbidden": "unknown field",
    "missing": "required field is missing",
    "string_type": "must be text",
    "list_type": "must be a list",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
    "dict_type": "must be a mapping of fields",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_too_short": "must not be empty",
    "string_pattern_mismatch": "not an id: use lower-case letters, digits, '.', '_' and '-'",
    "date_type": "must be a date (YYYY-MM-DD)",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "must be a date (YYYY-MM-DD)",
    "date_past": "must be a date (YYYY-MM-DD)",
}


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind in _MESSAGES:
        return _(_MESSAGES[kind])
    context = error.get("ctx") or {}
    if kind == "string_too_long":
        return _("longer than %(limit)d characters") % {"limit": context.get("max_length", 0)}
    if kind == "literal_error":
        return _("must be one of %(choices)s") % {"choices": context.get("expected", "")}
    if kind == "value_error" and "error" in context:
        return _(str(context["error"]))
    return str(error["msg"])


def parse_forum_file(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> ForumFile:
    """Read and validate a forum file; errors name the file, line and field."""
    return _parse(Path(path), max_size)[0]


def _parse(path: Path, max_size: int) -> tuple[ForumFile, str]:
    data, text = read_forum_yaml(path, max_size)
    if data is None:
        raise ImportFormatError(_("the file is empty"), location=str(path))
    if not isinstance(data, dict):
        raise ImportFormatError(_("expected a mapping at the top level"), location=str(path))
    try:
        forum = ForumFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = tuple(first["loc"])
        line = line_of(text, loc)
        where = f"{path}:{line}" if line else str(path)
        raise ImportFormatError(f"{format_loc(loc)}: {_message(first)}", location=where) from None
    _check_unique_ids(forum, path, text)
    _check_withheld(forum, path, text)
    return forum, text


def _check_unique_ids(forum: ForumFile, path: Path, text: str) -> None:
    for section in ("institutions", "people", "themes", "events"):
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(forum, section)):
            if item.id in seen:
                line = line_of(text, (section, index, "id"))
                raise ImportFormatError(
                    _("%(field)s: duplicate id %(id)r (first at %(first)s)") % {
                        "field": f"{section}[{index}].id", "id": item.id,
                        "first": f"{section}[{seen[item.id]}]"},
                    location=f"{path}:{line}")
            seen[item.id] = index


def _check_withheld(forum: ForumFile, path: Path, text: str) -> None:
    """A file that says its attributions are withheld must not name any."""
    for index, spec in enumerate(forum.events):
        if not spec.attributions_withheld:
            continue
        loc: tuple[str | int, ...] | None = None
        for s_index, session in enumerate(spec.sessions):
            if session.speakers:
                loc = ("events", index, "sessions", s_index, "speakers")
        if spec.closing_remarks is not None and spec.closing_remarks.speaker:
            loc = ("events", index, "closing_remarks", "speaker")
        for p_index, participant in enumerate(spec.participants):
            if participant.role != "organizer":
                loc = ("events", index, "participants", p_index, "role")
        if loc is not None:
            raise ImportFormatError(
                _("%(field)s: this event's attributions are withheld (attributions_withheld: "
                  "true), so the file cannot name speakers or participants other than "
                  "organizers") % {"field": format_loc(loc)},
                location=f"{path}:{line_of(text, loc)}")


# --- planning --------------------------------------------------------------------------------


_NEW = "new"


@dataclass
class _Records:
    """Creations and updates of one simple kind (institutions, people or themes)."""

    table: Table
    new: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)  # with "slug"


@dataclass
class _SessionPlan:
    existing: int | None
    values: dict[str, Any]  # title, title_local, chair (slug), description, description_local
    themes: list[str]
    speakers: list[str]


@dataclass
class _EventPlan:
    slug: str
    existing: int | None
    values: dict[str, Any]
    institutions: list[str]
    sessions: list[_SessionPlan]
    removed_sessions: list[int]
    participations: set[tuple[str, str, Any]]  # (person slug, role, session key)
    removed_participations: list[int]
    changed: bool = False


@dataclass
class _Plan:
    records: dict[str, _Records]
    events: list[_EventPlan]
    summary: ImportSummary

    @property
    def rows(self) -> int:
        count = sum(len(r.new) + len(r.changed) for r in self.records.values())
        for event in self.events:
            count += 1 + len(event.sessions) + len(event.participations)
        return count


def _chunks(items: list[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _existing(connection: Connection, table: Table, slugs: Iterable[str],
              columns: list[Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    wanted = sorted(set(slugs))
    for chunk in _chunks(wanted):
        query = select(table.c.id, table.c.slug, *columns).where(table.c.slug.in_(chunk))
        if table is PEOPLE:
            query = select(PEOPLE.c.id, PEOPLE.c.slug, *columns).select_from(
                PEOPLE.outerjoin(INSTITUTIONS, PEOPLE.c.affiliation_id == INSTITUTIONS.c.id)
            ).where(PEOPLE.c.slug.in_(chunk))
        for row in connection.execute(query).mappings():
            found[row["slug"]] = dict(row)
    return found


class _Refs:
    """Which slugs exist, in the file or the database, to check every reference."""

    def __init__(self, connection: Connection, forum: ForumFile, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        wanted: dict[str, set[str]] = {"institution": set(), "person": set(), "theme": set()}
        for person in forum.people:
            if person.affiliation:
                wanted["institution"].add(person.affiliation)
        for event in forum.events:
            wanted["institution"].update([event.host, *event.institutions])
            wanted["person"].update(p.person for p in event.participants)
            if event.closing_remarks and event.closing_remarks.speaker:
                wanted["person"].add(event.closing_remarks.speaker)
            for session in event.sessions:
                if session.chair:
                    wanted["person"].add(session.chair)
                wanted["person"].update(session.speakers)
                wanted["theme"].update(session.themes)
        tables = {"institution": INSTITUTIONS, "person": PEOPLE, "theme": THEMES}
        in_file = {"institution": {i.id for i in forum.institutions},
                   "person": {p.id for p in forum.people}, "theme": {t.id for t in forum.themes}}
        self.known: dict[str, set[str]] = {}
        for kind, table in tables.items():
            missing = wanted[kind] - in_file[kind]
            stored: set[str] = set()
            for chunk in _chunks(sorted(missing)):
                stored.update(connection.scalars(select(table.c.slug)
                                                 .where(table.c.slug.in_(chunk))))
            self.known[kind] = in_file[kind] | stored

    def check(self, kind: str, slug: str | None, loc: tuple[str | int, ...]) -> str | None:
        if slug is None or slug in self.known[kind]:
            return slug
        line = line_of(self.text, loc)
        raise ImportFormatError(
            _("%(field)s: no %(kind)s with id %(id)r") % {
                "field": format_loc(loc), "kind": _label(kind), "id": slug},
            location=f"{self.path}:{line}" if line else str(self.path))


def _plan(connection: Connection, forum: ForumFile, path: Path, text: str) -> _Plan:
    summary = ImportSummary()
    refs = _Refs(connection, forum, path, text)
    records = {
        "institutions": _plan_records(
            connection, INSTITUTIONS, "institutions",
            [(s.id, s.model_dump(exclude={"id"})) for s in forum.institutions], summary),
        "people": _plan_records(
            connection, PEOPLE, "people",
            [(s.id, {**s.model_dump(exclude={"id", "affiliation"}),
                     "affiliation": refs.check("institution", s.affiliation,
                                               ("people", i, "affiliation"))})
             for i, s in enumerate(forum.people)], summary),
        "themes": _plan_records(
            connection, THEMES, "themes",
            [(s.id, s.model_dump(exclude={"id"})) for s in forum.themes], summary),
    }
    events = [_plan_event(connection, spec, index, refs, summary)
              for index, spec in enumerate(forum.events)]
    return _Plan(records, events, summary)


def _plan_records(connection: Connection, table: Table, kind: str,
                  specs: list[tuple[str, dict[str, Any]]], summary: ImportSummary) -> _Records:
    plan = _Records(table)
    if not specs:
        return plan
    names = list(specs[0][1])
    columns = [(INSTITUTIONS.c.slug.label("affiliation") if name == "affiliation"
                else table.c[name]) for name in names]
    stored = _existing(connection, table, (slug for slug, _v in specs), columns)
    for slug, values in specs:
        current = stored.get(slug)
        if current is None:
            plan.new.append({"slug": slug, **values})
            summary.created[kind] += 1
        elif any(current[name] != value for name, value in values.items()):
            plan.changed.append({"slug": slug, **values})
            summary.updated[kind] += 1
        else:
            summary.unchanged[kind] += 1
    return plan


def _event_values(spec: EventSpec, loc: tuple[str | int, ...], refs: _Refs) -> dict[str, Any]:
    closing = spec.closing_remarks
    speaker: str | None = None
    if closing is not None:
        speaker = refs.check("person", closing.speaker, (*loc, "closing_remarks", "speaker"))
    return {
        "title": spec.title, "title_local": spec.title_local,
        "host": refs.check("institution", spec.host, (*loc, "host")),
        "date": spec.date, "end_date": spec.end_date,
        "venue": spec.venue, "venue_local": spec.venue_local,
        "description": spec.description, "description_local": spec.description_local,
        "languages": ",".join(spec.languages),
        "attribution_policy": AttributionPolicy(spec.attribution).value,
        "closing_remarks": closing.text if closing else None,
        "closing_remarks_local": closing.text_local if closing else None,
        "closing_speaker": speaker,
    }


_SESSION_FIELDS = ("title", "title_local", "chair", "description", "description_local")


def _stored_event(connection: Connection, event_id: int) -> dict[str, Any]:
    host = INSTITUTIONS.alias("host")
    speaker = PEOPLE.alias("speaker")
    row = connection.execute(
        select(EVENTS, host.c.slug.label("host"), speaker.c.slug.label("closing_speaker"))
        .select_from(EVENTS.join(host, EVENTS.c.host_id == host.c.id)
                     .outerjoin(speaker, EVENTS.c.closing_speaker_id == speaker.c.id))
        .where(EVENTS.c.id == event_id)).mappings().one()
    institutions = list(connection.scalars(
        select(INSTITUTIONS.c.slug).select_from(event_institutions.join(
            INSTITUTIONS, event_institutions.c.institution_id == INSTITUTIONS.c.id))
        .where(event_institutions.c.event_id == event_id)
        .order_by(event_institutions.c.position)))
    chair = PEOPLE.alias("chair")
    sessions = [dict(r) for r in connection.execute(
        select(SESSIONS.c.id, SESSIONS.c.position, SESSIONS.c.title, SESSIONS.c.title_local,
               chair.c.slug.label("chair"), SESSIONS.c.description, SESSIONS.c.description_local)
        .select_from(SESSIONS.outerjoin(chair, SESSIONS.c.chair_id == chair.c.id))
        .where(SESSIONS.c.event_id == event_id).order_by(SESSIONS.c.position)).mappings()]
    themes: dict[int, list[str]] = {}
    for session_id, slug in connection.execute(
            select(session_themes.c.session_id, THEMES.c.slug)
            .select_from(session_themes.join(THEMES, session_themes.c.theme_id == THEMES.c.id))
            .join(SESSIONS, SESSIONS.c.id == session_themes.c.session_id)
            .where(SESSIONS.c.event_id == event_id)):
        themes.setdefault(session_id, []).append(slug)
    participations = [
        (pid, slug, getattr(role, "value", role), sid) for pid, slug, role, sid in
        connection.execute(select(PARTICIPATIONS.c.id, PEOPLE.c.slug, PARTICIPATIONS.c.role,
                                  PARTICIPATIONS.c.session_id)
                           .join(PEOPLE, PEOPLE.c.id == PARTICIPATIONS.c.person_id)
                           .where(PARTICIPATIONS.c.event_id == event_id))]
    return {"row": dict(row), "institutions": institutions, "sessions": sessions,
            "themes": {k: sorted(v) for k, v in themes.items()},
            "participations": participations}


def _match_sessions(spec: EventSpec, stored: list[dict[str, Any]]) -> list[int | None]:
    """The stored session each session of the file updates: same title first, then the same
    position among those left; None for a new session."""
    by_title: dict[str, list[dict[str, Any]]] = {}
    for row in stored:
        by_title.setdefault(row["title"], []).append(row)
    matched: list[int | None] = [None] * len(spec.sessions)
    taken: set[int] = set()
    for index, session in enumerate(spec.sessions):
        candidates = by_title.get(session.title) or []
        if len(candidates) == 1 and candidates[0]["id"] not in taken:
            matched[index] = candidates[0]["id"]
            taken.add(candidates[0]["id"])
    left = {s["position"]: s["id"] for s in stored if s["id"] not in taken}
    for index in range(len(spec.sessions)):
        if matched[index] is None and index + 1 in left:
            matched[index] = left.pop(index + 1)
    return matched


def _plan_event(connection: Connection, spec: EventSpec, index: int, refs: _Refs,
                summary: ImportSummary) -> _EventPlan:
    loc: tuple[str | int, ...] = ("events", index)
    values = _event_values(spec, loc, refs)
    institutions = list(dict.fromkeys(
        refs.check("institution", slug, (*loc, "institutions", i)) or ""
        for i, slug in enumerate(spec.institutions)))
    sessions = []
    for s_index, session in enumerate(spec.sessions):
        s_loc = (*loc, "sessions", s_index)
        sessions.append(_SessionPlan(None, {
            "title": session.title, "title_local": session.title_local,
            "chair": refs.check("person", session.chair, (*s_loc, "chair")),
            "description": session.description, "description_local": session.description_local,
        }, sorted({refs.check("theme", slug, (*s_loc, "themes", i)) or ""
                   for i, slug in enumerate(session.themes)}),
            [refs.check("person", slug, (*s_loc, "speakers", i)) or ""
             for i, slug in enumerate(session.speakers)]))
    participants = [refs.check("person", p.person, (*loc, "participants", i, "person")) or ""
                    for i, p in enumerate(spec.participants)]
    event_id = connection.scalar(select(EVENTS.c.id).where(EVENTS.c.slug == spec.id))
    stored = _stored_event(connection, event_id) if event_id is not None else None
    removed_sessions: list[int] = []
    if stored is not None:
        for session_plan, match in zip(sessions, _match_sessions(spec, stored["sessions"]),
                                       strict=True):
            session_plan.existing = match
        kept = {s.existing for s in sessions}
        removed_sessions = [s["id"] for s in stored["sessions"] if s["id"] not in kept]
        if spec.attributions_withheld:
            values["closing_speaker"] = (stored["row"]["closing_speaker"]
                                         if spec.closing_remarks is not None else None)
    wanted: set[tuple[str, str, Any]] = {
        (slug, p.role, None) for slug, p in zip(participants, spec.participants, strict=True)}
    for s_index, session_plan in enumerate(sessions):
        key = session_plan.existing if session_plan.existing is not None else (_NEW, s_index)
        if session_plan.values["chair"]:
            wanted.add((session_plan.values["chair"], Role.CHAIR.value, key))
        wanted.update((slug, Role.SPEAKER.value, key) for slug in session_plan.speakers)
    removed_participations: list[int] = []
    if stored is not None:
        gone = set(removed_sessions)
        for participation_id, slug, role, session_id in stored["participations"]:
            if session_id in gone:
                continue  # goes with its session
            if (slug, role, session_id) in wanted:
                continue
            if spec.attributions_withheld and (role == Role.SPEAKER.value or (
                    session_id is None and role != Role.ORGANIZER.value)):
                wanted.add((slug, role, session_id))  # withheld from the file: kept
                continue
            removed_participations.append(participation_id)
    plan = _EventPlan(spec.id, event_id, values, institutions, sessions, removed_sessions,
                      wanted, removed_participations)
    _count_event(plan, stored, summary)
    return plan


def _count_event(plan: _EventPlan, stored: dict[str, Any] | None,
                 summary: ImportSummary) -> None:
    summary.events.append(plan.slug)
    if stored is None:
        summary.created["events"] += 1
        summary.created["sessions"] += len(plan.sessions)
        summary.created["participations"] += len(plan.participations)
        plan.changed = True
        return
    row = stored["row"]
    changed = any(row[name] != value for name, value in plan.values.items())
    changed |= stored["institutions"] != plan.institutions
    by_id = {s["id"]: s for s in stored["sessions"]}
    for position, session in enumerate(plan.sessions, start=1):
        if session.existing is None:
            summary.created["sessions"] += 1
            changed = True
            continue
        current = by_id[session.existing]
        differs = (current["position"] != position
                   or any(current[n] != session.values[n] for n in _SESSION_FIELDS)
                   or stored["themes"].get(session.existing, []) != session.themes)
        (summary.updated if differs else summary.unchanged)["sessions"] += 1
        changed |= differs
    current_keys = {(slug, role, sid) for _pid, slug, role, sid in stored["participations"]
                    if sid not in set(plan.removed_sessions)}
    new_participations = len(plan.participations - current_keys)
    summary.created["participations"] += new_participations
    summary.unchanged["participations"] += len(plan.participations & current_keys)
    summary.removed["sessions"] += len(plan.removed_sessions)
    summary.removed["participations"] += len(plan.removed_participations)
    changed |= bool(new_participations or plan.removed_sessions or plan.removed_participations)
    plan.changed = changed
    (summary.updated if changed else summary.unchanged)["events"] += 1


def _describe_removals(connection: Connection, plan: _Plan) -> list[str]:
    """One line per deleted session (with what depends on it) and per deleted participation."""
    lines = []
    for event in plan.events:
        for session_id, position, title in connection.execute(
                select(SESSIONS.c.id, SESSIONS.c.position, SESSIONS.c.title)
                .where(SESSIONS.c.id.in_(event.removed_sessions or [-1]))
                .order_by(SESSIONS.c.position)):
            dependents = _dependents(connection, "sessions", [session_id])
            text = _("event %(event)s: session %(position)d %(title)r") % {
                "event": event.slug, "position": position, "title": title}
            if dependents:
                text += " " + _("with %(what)s") % {"what": dependents}
            lines.append(text)
        for slug, role, position in connection.execute(
                select(PEOPLE.c.slug, PARTICIPATIONS.c.role, SESSIONS.c.position)
                .select_from(PARTICIPATIONS.join(PEOPLE, PEOPLE.c.id == PARTICIPATIONS.c.person_id)
                             .outerjoin(SESSIONS, SESSIONS.c.id == PARTICIPATIONS.c.session_id))
                .where(PARTICIPATIONS.c.id.in_(event.removed_participations or [-1]))
                .order_by(PEOPLE.c.slug)):
            where = (_("session %(position)d") % {"position": position}
                     if position is not None else _("the event"))
            lines.append(_("event %(event)s: participant %(person)s (%(role)s, %(where)s)") % {
                "event": event.slug, "person": slug, "role": _label(role), "where": where})
    return lines


#: Tables whose rows are deleted with a session, and below them, with a deliberation.
_CASCADES = {
    "sessions": ("deliberations",),
    "deliberations": ("deliberation_participants", "deliberation_statements",
                      "deliberation_votes"),
}


def _dependents(connection: Connection, table: str, ids: list[int]) -> str:
    """``deliberation 3 (60 participants, 25 statements, 1,278 votes)`` for sessions ``ids``."""
    parts = []
    tables = Base.metadata.tables
    if table == "sessions" and "deliberations" in tables:
        deliberations = tables["deliberations"]
        for deliberation_id in connection.scalars(
                select(deliberations.c.id).where(deliberations.c.session_id.in_(ids))
                .order_by(deliberations.c.id)):
            counts = []
            for name, label in (("deliberation_participants", _("participants")),
                                ("deliberation_statements", _("statements")),
                                ("deliberation_votes", _("votes"))):
                child = tables[name]
                number = connection.scalar(select(func.count()).select_from(child).where(
                    child.c.deliberation_id == deliberation_id)) or 0
                counts.append(f"{number:,} {label}")
            parts.append(_("deliberation %(id)d (%(counts)s)") % {
                "id": deliberation_id, "counts": ", ".join(counts)})
    return "; ".join(parts)


# --- writing ---------------------------------------------------------------------------------


def _ids(connection: Connection, table: Table, slugs: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted({s for s in slugs if s})):
        found.update(connection.execute(select(table.c.slug, table.c.id)
                                        .where(table.c.slug.in_(chunk))).all())
    return found


def _write(batches: Batches, plan: _Plan) -> None:
    affiliations: dict[str, int] = {}
    for kind in ("institutions", "people", "themes"):
        records = plan.records[kind]
        if kind == "people":
            slugs = {r["affiliation"] for r in records.new + records.changed if r["affiliation"]}
            for chunk in _chunks(sorted(slugs)):
                affiliations.update(_ids(batches.connection(), INSTITUTIONS, chunk))
        for chunk in _chunks(records.new):
            rows = [_resolved(row, affiliations) for row in chunk]
            batches.connection().execute(insert(records.table), rows)
        for chunk in _chunks(records.changed):
            connection = batches.connection()
            for row in chunk:
                row = _resolved(row, affiliations)
                slug = row.pop("slug")
                connection.execute(update(records.table).where(records.table.c.slug == slug)
                                   .values(**row))
    person_ids: dict[str, int] = {}
    for event in plan.events:
        if event.changed:
            _write_event(batches, event, person_ids)


def _resolved(row: dict[str, Any], affiliations: dict[str, int]) -> dict[str, Any]:
    row = dict(row)
    if "affiliation" in row:
        slug = row.pop("affiliation")
        row["affiliation_id"] = affiliations[slug] if slug else None
    return row


def _write_event(batches: Batches, plan: _EventPlan, person_cache: dict[str, int]) -> None:
    connection = batches.connection()
    people = {slug for slug, _role, _key in plan.participations}
    people.update(s.values["chair"] for s in plan.sessions if s.values["chair"])
    if plan.values["closing_speaker"]:
        people.add(plan.values["closing_speaker"])
    missing = people - set(person_cache)
    for chunk in _chunks(sorted(missing)):
        person_cache.update(_ids(batches.connection(), PEOPLE, chunk))
    connection = batches.connection()
    institutions = _ids(connection, INSTITUTIONS, [plan.values["host"], *plan.institutions])
    values = dict(plan.values)
    values["host_id"] = institutions[values.pop("host")]
    speaker = values.pop("closing_speaker")
    values["closing_speaker_id"] = person_cache[speaker] if speaker else None
    if plan.existing is None:
        event_id = connection.execute(insert(EVENTS).values(slug=plan.slug, **values)
                                      .returning(EVENTS.c.id)).scalar_one()
    else:
        event_id = plan.existing
        connection.execute(update(EVENTS).where(EVENTS.c.id == event_id).values(**values))
    connection.execute(delete(event_institutions).where(
        event_institutions.c.event_id == event_id))
    if plan.institutions:
        connection.execute(insert(event_institutions), [
            {"event_id": event_id, "institution_id": institutions[slug], "position": position}
            for position, slug in enumerate(dict.fromkeys(plan.institutions))])
    session_ids = _write_sessions(batches, event_id, plan, person_cache)
    _write_participations(batches, event_id, plan, session_ids, person_cache)


def _write_sessions(batches: Batches, event_id: int, plan: _EventPlan,
                    person_cache: dict[str, int]) -> list[int]:
    connection = batches.connection()
    if plan.removed_sessions:
        connection.execute(delete(SESSIONS).where(SESSIONS.c.id.in_(plan.removed_sessions)))
    kept = [s.existing for s in plan.sessions if s.existing is not None]
    if kept:  # free the positions first: (event, position) is unique
        connection.execute(update(SESSIONS).where(SESSIONS.c.id.in_(kept))
                           .values(position=-SESSIONS.c.id))
    themes = _ids(connection, THEMES, {t for s in plan.sessions for t in s.themes})
    ids = []
    for position, session in enumerate(plan.sessions, start=1):
        connection = batches.connection()
        values = {name: value for name, value in session.values.items() if name != "chair"}
        chair = session.values["chair"]
        values["chair_id"] = person_cache[chair] if chair else None
        if session.existing is None:
            session_id = connection.execute(
                insert(SESSIONS).values(event_id=event_id, position=position, **values)
                .returning(SESSIONS.c.id)).scalar_one()
        else:
            session_id = session.existing
            connection.execute(update(SESSIONS).where(SESSIONS.c.id == session_id)
                               .values(position=position, **values))
        connection.execute(delete(session_themes).where(
            session_themes.c.session_id == session_id))
        if session.themes:
            connection.execute(insert(session_themes), [
                {"session_id": session_id, "theme_id": themes[slug]} for slug in session.themes])
        ids.append(session_id)
    return ids


def _write_participations(batches: Batches, event_id: int, plan: _EventPlan, session_ids: list[int],
                          person_cache: dict[str, int]) -> None:
    connection = batches.connection()
    for chunk in _chunks(plan.removed_participations):
        connection.execute(delete(PARTICIPATIONS).where(PARTICIPATIONS.c.id.in_(chunk)))
    current = {
        (person_id, role, session_id) for person_id, role, session_id in connection.execute(
            select(PARTICIPATIONS.c.person_id, PARTICIPATIONS.c.role, PARTICIPATIONS.c.session_id)
            .where(PARTICIPATIONS.c.event_id == event_id))}
    rows = []
    for slug, role, key in plan.participations:
        session_id = session_ids[key[1]] if isinstance(key, tuple) else key
        wanted = (person_cache[slug], role, session_id)
        if wanted not in current:
            current.add(wanted)
            rows.append({"event_id": event_id, "person_id": wanted[0], "role": role,
                         "session_id": session_id})
    rows.sort(key=lambda r: (r["person_id"], r["role"], r["session_id"] or 0))
    for chunk in _chunks(rows):
        batches.connection().execute(insert(PARTICIPATIONS), chunk)


# --- the import ------------------------------------------------------------------------------


def import_forum_file(
    engine: Engine,
    path: Path,
    *,
    prune: bool = False,
    dry_run: bool = False,
    max_size: int = DEFAULT_MAX_SIZE,
    confirm: Callable[[ImportSummary], bool] | None = None,
    wait: float = 600.0,
    on_wait: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Validate ``path``, plan its changes and write them (docs/forum-format.md).

    Parameters
    ----------
    prune : bool
        Allow the import to delete sessions (with their deliberations) and participations that
        the file no longer lists; without it such an import is refused.
    dry_run : bool
        Plan only: the summary says what the import would do; nothing is written.
    max_size : int
        Largest file read, in bytes.
    confirm : callable, optional
        With ``prune``, called with the summary (its ``removals`` listed) before anything is
        deleted; the import stops, writing nothing, when it returns False.
    wait, on_wait
        How long to wait for another import of the same database, and what to call (once,
        with one line) when waiting (see :func:`detente.store.import_lock`).

    Raises
    ------
    ImportFormatError
        On any invalid content; nothing is written then.
    ConflictError
        When the import would delete records and ``prune`` is not given, when ``confirm``
        declines, or when another import holds the lock past ``wait``.
    """
    path = Path(path)
    forum, text = _parse(path, max_size)
    if dry_run:
        with engine.connect() as connection:
            return _planned(connection, forum, path, text, dry_run=True)
    with import_lock(engine, f"forum import {path.name}", wait=wait, on_wait=on_wait):
        with engine.connect() as connection:
            plan = _planned_plan(connection, forum, path, text)
        summary = plan.summary
        if summary.removals and not prune:
            raise ConflictError(_refusal(summary), location=str(path))
        if summary.removals and confirm is not None and not confirm(summary):
            raise ConflictError(_("nothing imported: the deletions were not confirmed"),
                                location=str(path))
        if not summary.changed:
            return summary
        try:
            with write_batches(engine, plan.rows) as batches:
                _write(batches, plan)
        except IntegrityError as exc:
            raise ConflictError(_("conflicts with records changed while importing: %(error)s")
                                % {"error": exc.orig}, location=str(path)) from exc
        summary.batches = max(1, batches.commits)
        return summary


def _planned_plan(connection: Connection, forum: ForumFile, path: Path, text: str) -> _Plan:
    plan = _plan(connection, forum, path, text)
    summary = plan.summary
    summary.removals = _describe_removals(connection, plan)
    for name in ("created", "updated", "unchanged", "removed"):  # drop the zero counts
        setattr(summary, name, +getattr(summary, name))
    return plan


def _planned(connection: Connection, forum: ForumFile, path: Path, text: str, *,
             dry_run: bool) -> ImportSummary:
    summary = _planned_plan(connection, forum, path, text).summary
    summary.dry_run = dry_run
    return summary


def _refusal(summary: ImportSummary) -> str:
    shown = summary.removals[:5]
    more = len(summary.removals) - len(shown)
    listed = "; ".join(shown) + (_("; and %(n)d more") % {"n": more} if more else "")
    return _("this import would delete %(listed)s. Nothing was imported: give --prune to "
             "delete them (--dry-run lists every change)") % {"listed": listed}
