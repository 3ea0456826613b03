"""Export an event in the forum file format, as YAML or JSON.

The export is itself importable, and importing it changes nothing. Under the Chatham House
rule it leaves out who gave the closing remarks, who spoke in which session and participants
other than organizers, unless the organizer asks for an internal archive with
``include_attributions``; such an export says ``attributions_withheld: true``, and importing it
keeps the attributions already stored instead of deleting them.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import yaml

from detente.store.models.forum import Event, Person, Role

__all__ = ["event_document", "export_event"]


def _drop_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v not in (None, [], {})}


def _person_entry(person: Person) -> dict[str, Any]:
    return _drop_empty({
        "id": person.slug,
        "name": person.name,
        "name_local": person.name_local,
        "title": person.title,
        "title_local": person.title_local,
        "affiliation": person.affiliation.slug if person.affiliation else None,
    })


def event_document(event: Event, *, include_attributions: bool = False) -> dict[str, Any]:
    """The event as a ``detente-forum/1`` document (a plain dict)."""
    attributed = include_attributions or not event.is_chatham_house
    people: dict[str, Person] = {}
    institutions = {event.host.slug: event.host}
    institutions.update({i.slug: i for i in event.institutions})

    def keep(person: Person | None) -> str | None:
        if person is None:
            return None
        people[person.slug] = person
        if person.affiliation:
            institutions[person.affiliation.slug] = person.affiliation
        return person.slug

    sessions = []
    for session in event.sessions:
        speakers = [
            keep(p.person) for p in event.participations
            if attributed and p.session_id == session.id and p.role == Role.SPEAKER
        ]
        sessions.append(_drop_empty({
            "title": session.title,
            "title_local": session.title_local,
            "chair": keep(session.chair),
            "themes": [t.slug for t in session.themes],
            "description": session.description,
            "description_local": session.description_local,
            "speakers": sorted(s for s in speakers if s),
        }))
    participants = [
        {"person": keep(p.person), "role": p.role.value}
        for p in sorted(event.participations, key=lambda p: (p.role.value, p.person.slug))
        if p.session_id is None and (attributed or p.role == Role.ORGANIZER)
    ]
    closing = None
    if event.closing_remarks:
        closing = _drop_empty({
            "speaker": keep(event.closing_speaker) if attributed else None,
            "text": event.closing_remarks,
            "text_local": event.closing_remarks_local,
        })
    themes = {t.slug: t for s in event.sessions for t in s.themes}
    event_entry = _drop_empty({
        "id": event.slug,
        "title": event.title,
        "title_local": event.title_local,
        "host": event.host.slug,
        "date": event.date.isoformat(),
        "end_date": event.end_date.isoformat() if event.end_date else None,
        "venue": event.venue,
        "venue_local": event.venue_local,
        "description": event.description,
        "description_local": event.description_local,
        "languages": event.language_list,
        "attribution": event.attribution_policy.value,
        "institutions": [i.slug for i in event.institutions],
        "participants": participants,
        "sessions": sessions,
        "closing_remarks": closing,
        "attributions_withheld": True if not attributed else None,
    })
    return {
        "format": "detente-forum/1",
        "institutions": [
            _drop_empty({
                "id": i.slug, "name": i.name, "short_name": i.short_name,
                "name_local": i.name_local, "country": i.country, "url": i.url,
            })
            for i in sorted(institutions.values(), key=lambda i: i.slug)
        ],
        "people": [_person_entry(p) for p in sorted(people.values(), key=lambda p: p.slug)],
        "themes": [
            _drop_empty({"id": t.slug, "name": t.name, "name_local": t.name_local,
                         "description": t.description})
            for t in sorted(themes.values(), key=lambda t: t.slug)
        ],
        "events": [event_entry],
    }


def export_event(event: Event, fmt: Literal["yaml", "json"], *,
                 include_attributions: bool = False) -> str:
    """The event as YAML or JSON text."""
    document = event_document(event, include_attributions=include_attributions)
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
