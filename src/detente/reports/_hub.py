"""The event as a hub: everything an event page shows, for visitors and for organizers.

One service function per page (:func:`event_hub`): the sessions with their deliberations,
photos, the news item, proposals and whether the report is public. Visitors see what the
attribution policy allows; an event is *published* once its news item is, and from then on
its report is public too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from detente import deliberation
from detente.forum import (
    Hold,
    PublicEvent,
    PublicSession,
    attribution_guard,
    get_event,
    guarded_event,
    public_event,
)
from detente.store.models.forum import Event
from detente.store.models.publications import MediaItem, MediaKind, NewsItem, Proposal

from ._media import ShownMedia, list_media, shown_media
from ._proposals import list_proposals, public_proposals

__all__ = ["EventHub", "HubDeliberation", "HubSession", "event_hub", "event_news",
           "is_published"]


@dataclass(frozen=True)
class HubDeliberation:
    """A deliberation as the event page lists it (no participant is ever named)."""

    id: int
    question: str
    question_local: str | None
    status: str
    participants: int
    votes: int
    #: Statements waiting for moderation (counted for organizers only; 0 for visitors).
    pending: int


@dataclass(frozen=True)
class HubSession:
    """One session of the event with its deliberations."""

    session: PublicSession
    deliberations: tuple[HubDeliberation, ...]


@dataclass(frozen=True)
class EventHub:
    """The event page: the public view of the event and what hangs off it."""

    event: PublicEvent
    sessions: tuple[HubSession, ...]
    photos: tuple[MediaItem | ShownMedia, ...]
    news: NewsItem | None
    proposals: tuple[Proposal, ...]
    #: The news item is published: the event and its report are public.
    published: bool
    organizer: bool
    #: Organizer-written texts held under the Chatham House rule (organizers only).
    held: tuple[Hold, ...] = ()

    @property
    def report_available(self) -> bool:
        """Whether the page links the report: organizers always, visitors once published."""
        return self.organizer or self.published


def event_news(db: DbSession, event: Event) -> NewsItem | None:
    """The news item of ``event`` (published or draft), if it has one."""
    return db.scalar(select(NewsItem).where(NewsItem.event_id == event.id))


def is_published(db: DbSession, event_key: str | int) -> bool:
    """Whether the event is published: its news item has a publication date."""
    item = event_news(db, get_event(db, event_key))
    return item is not None and item.published_on is not None


def event_hub(db: DbSession, slug: str, *, organizer: bool = False) -> EventHub:
    """What the page of the event ``slug`` shows; ``organizer`` adds drafts, held texts and
    moderation counts.

    Raises
    ------
    NotFoundError
        When there is no such event.
    """
    record = get_event(db, slug)
    guard = attribution_guard(db, record)
    shown, held = guarded_event(guard, public_event(record))
    session_ids = {s.id: s.position for s in record.sessions}
    by_session: dict[int, list[HubDeliberation]] = {}
    for item in sorted(deliberation.list_deliberations(db, include_drafts=organizer),
                       key=lambda d: d.id):
        if item.session_id not in session_ids:
            continue
        counts = deliberation.statement_counts(db, item.id)
        by_session.setdefault(session_ids[item.session_id], []).append(HubDeliberation(
            id=item.id, question=item.question, question_local=item.question_local,
            status=item.status, participants=int(counts.get("voters", 0)),
            votes=int(counts.get("votes", 0)),
            pending=int(counts.get("pending", 0)) if organizer else 0))
    sessions = tuple(HubSession(s, tuple(by_session.get(s.position, ())))
                     for s in shown.sessions)
    images = list_media(db, record, MediaKind.IMAGE)
    photos: tuple[MediaItem | ShownMedia, ...] = (
        tuple(images) if organizer else tuple(shown_media(guard, images)))
    news = event_news(db, record)
    published = news is not None and news.published_on is not None
    proposals = tuple(list_proposals(db, record) if organizer
                      else public_proposals(db, record))
    return EventHub(
        event=shown, sessions=sessions, photos=photos,
        news=news if (organizer or published) else None, proposals=proposals,
        published=published, organizer=organizer, held=tuple(held) if organizer else ())
