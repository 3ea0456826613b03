"""The public view of an event: what pages, exports and reports may show.

Under the Chatham House rule a view is never attributed to a named person: chairs and the
list of participating institutions are public, but who said what is not. Every public output
goes through :func:`public_event`, so the rule is enforced in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from detente.store.models.forum import Event, Institution, Person, Role, Session, Theme

__all__ = [
    "PublicEvent",
    "PublicInstitution",
    "PublicPerson",
    "PublicSession",
    "PublicTheme",
    "public_event",
]


@dataclass(frozen=True)
class PublicInstitution:
    slug: str
    name: str
    short_name: str | None
    name_local: str | None


@dataclass(frozen=True)
class PublicPerson:
    slug: str
    name: str
    name_local: str | None
    title: str | None
    title_local: str | None
    affiliation: PublicInstitution | None


@dataclass(frozen=True)
class PublicTheme:
    slug: str
    name: str
    name_local: str | None


@dataclass(frozen=True)
class PublicSession:
    id: int
    position: int
    title: str
    title_local: str | None
    description: str | None
    description_local: str | None
    chair: PublicPerson | None
    themes: tuple[PublicTheme, ...]
    #: Speakers are listed only where the event allows attribution.
    speakers: tuple[PublicPerson, ...] = ()


@dataclass(frozen=True)
class PublicEvent:
    id: int
    slug: str
    title: str
    title_local: str | None
    date: dt.date
    end_date: dt.date | None
    venue: str | None
    venue_local: str | None
    description: str | None
    description_local: str | None
    languages: tuple[str, ...]
    chatham_house: bool
    host: PublicInstitution
    institutions: tuple[PublicInstitution, ...]
    sessions: tuple[PublicSession, ...]
    closing_remarks: str | None
    closing_remarks_local: str | None
    #: None under the Chatham House rule, whoever spoke.
    closing_speaker: PublicPerson | None
    organizers: tuple[PublicPerson, ...] = field(default=())

    @property
    def themes(self) -> tuple[PublicTheme, ...]:
        seen: dict[str, PublicTheme] = {}
        for session in self.sessions:
            for theme in session.themes:
                seen.setdefault(theme.slug, theme)
        return tuple(seen.values())


def _institution(record: Institution) -> PublicInstitution:
    return PublicInstitution(record.slug, record.name, record.short_name, record.name_local)


def _person(record: Person) -> PublicPerson:
    affiliation = _institution(record.affiliation) if record.affiliation else None
    return PublicPerson(
        record.slug, record.name, record.name_local, record.title, record.title_local,
        affiliation,
    )


def _theme(record: Theme) -> PublicTheme:
    return PublicTheme(record.slug, record.name, record.name_local)


def _session(record: Session, attributed: bool) -> PublicSession:
    speakers: tuple[PublicPerson, ...] = ()
    if attributed:
        speakers = tuple(
            _person(p.person)
            for p in record.event.participations
            if p.session_id == record.id and p.role == Role.SPEAKER
        )
    return PublicSession(
        id=record.id,
        position=record.position,
        title=record.title,
        title_local=record.title_local,
        description=record.description,
        description_local=record.description_local,
        chair=_person(record.chair) if record.chair else None,
        themes=tuple(_theme(t) for t in record.themes),
        speakers=speakers,
    )


def public_event(event: Event) -> PublicEvent:
    """What may be published about ``event`` under its attribution policy."""
    attributed = not event.is_chatham_house
    return PublicEvent(
        id=event.id,
        slug=event.slug,
        title=event.title,
        title_local=event.title_local,
        date=event.date,
        end_date=event.end_date,
        venue=event.venue,
        venue_local=event.venue_local,
        description=event.description,
        description_local=event.description_local,
        languages=tuple(event.language_list),
        chatham_house=event.is_chatham_house,
        host=_institution(event.host),
        institutions=tuple(_institution(i) for i in event.institutions),
        sessions=tuple(_session(s, attributed) for s in event.sessions),
        closing_remarks=event.closing_remarks,
        closing_remarks_local=event.closing_remarks_local,
        closing_speaker=(
            _person(event.closing_speaker) if attributed and event.closing_speaker else None
        ),
        organizers=tuple(
            _person(p.person) for p in event.participations if p.role == Role.ORGANIZER
        ),
    )
