"""The organizer's dashboard, shown after log-in: one service function for the page.

Events (published or not), open deliberations with the statements waiting for moderation,
drafts waiting to be published (news items and proposals) and the recent audit entries in
words, in the current language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from detente import deliberation, i18n
from detente.deliberation import AuditLine, audit_line, describe_deliberation_entry
from detente.forum import list_events
from detente.store.models.auth import AuditEntry, User
from detente.store.models.forum import Event
from detente.store.models.publications import (
    MediaItem,
    NewsItem,
    Proposal,
    ProposalStatus,
)

from ._hub import HubDeliberation

__all__ = ["Dashboard", "DashboardEvent", "describe_audit_entry", "organizer_dashboard"]

#: Audit entries the dashboard shows, newest first.
RECENT_ENTRIES = 15


@dataclass(frozen=True)
class DashboardEvent:
    """An event as the dashboard lists it."""

    slug: str
    title: str
    title_local: str | None
    date: dt.date
    published_on: dt.date | None
    has_news: bool


@dataclass(frozen=True)
class Dashboard:
    """What the organizer's dashboard shows."""

    events: tuple[DashboardEvent, ...]
    open_deliberations: tuple[HubDeliberation, ...]
    draft_news: tuple[NewsItem, ...]
    draft_proposals: tuple[Proposal, ...]
    recent: tuple[AuditLine, ...]

    @property
    def pending(self) -> int:
        """Statements waiting for moderation in all open deliberations."""
        return sum(d.pending for d in self.open_deliberations)


def _event_title(event: Event | None) -> str:
    if event is None:
        return "—"
    return i18n.pick(event.title, event.title_local) or event.title


def _reason(detail: str | None) -> str:
    text = (detail or "").removeprefix("reason: ")
    return text.split("; held:", 1)[0].strip()


def describe_audit_entry(db: DbSession, entry: AuditEntry) -> str | None:
    """``entry`` in words, in the current language (``None`` for an action without words)."""
    found = describe_deliberation_entry(db, entry)
    if found is not None:
        return found
    _ = i18n.gettext
    kind, _sep, key = entry.target.partition(":")
    action = entry.action
    if kind == "news":
        news = db.scalar(select(NewsItem).where(NewsItem.slug == key))
        event = _event_title(news.event if news else None)
        texts = {
            "news.create": _("Wrote the news item of “%(e)s”"),
            "news.edit": _("Edited the news item of “%(e)s”"),
            "news.publish": _("Published the news item of “%(e)s”"),
            "news.withdraw": _("Withdrew the news item of “%(e)s”"),
        }
        return texts[action] % {"e": event} if action in texts else None
    if kind == "proposal":
        proposal = db.get(Proposal, int(key)) if key.isdigit() else None
        title = deliberation.short_quote(i18n.pick(proposal.title, proposal.title_local)
                                   if proposal else entry.detail)
        texts = {
            "proposal.create": _("Drafted the proposal “%(p)s”"),
            "proposal.update": _("Edited the proposal “%(p)s”"),
            "proposal.evidence.add": _("Linked evidence to the proposal “%(p)s”"),
            "proposal.evidence.remove": _("Removed evidence from the proposal “%(p)s”"),
        }
        return texts[action] % {"p": title} if action in texts else None
    if kind == "media":
        media = db.scalar(select(MediaItem).where(MediaItem.token == key))
        name = media.original_name if media else ""
        event = _event_title(media.event if media else None)
        if action == "media.add":
            return _("Uploaded “%(f)s” to “%(e)s”") % {"f": name, "e": event}
        if action == "media.edit":
            return _("Edited the caption of “%(f)s”") % {"f": name}
        if action == "media.delete":
            return _("Removed a file from “%(e)s”") % {
                "e": _event_title(db.scalar(select(Event).where(Event.slug == entry.detail)))}
        return None
    if kind == "event" and action == "event.edit":
        return _("Edited the event “%(e)s”") % {
            "e": _event_title(db.scalar(select(Event).where(Event.slug == key)))}
    if action == "user.login":
        return _("Logged in")
    if action == "user.create":
        user = db.get(User, int(key)) if key.isdigit() else None
        return _("Created the account “%(u)s”") % {"u": user.username if user else key}
    if action == "attribution.override":
        return _("Published held text anyway, for this reason: %(r)s") % {
            "r": deliberation.short_quote(_reason(entry.detail))}
    return None


def organizer_dashboard(db: DbSession) -> Dashboard:
    """What the organizer's dashboard shows, in the current language."""
    news = {item.event_id: item for item in db.scalars(select(NewsItem))}
    events = tuple(
        DashboardEvent(slug=e.slug, title=e.title, title_local=e.title_local, date=e.date,
                       published_on=news[e.id].published_on if e.id in news else None,
                       has_news=e.id in news)
        for e in list_events(db))
    open_ones = []
    for item in deliberation.list_deliberations(db):
        if item.status != "open":
            continue
        counts = deliberation.statement_counts(db, item.id)
        open_ones.append(HubDeliberation(
            id=item.id, question=item.question, question_local=item.question_local,
            status=item.status, participants=int(counts.get("voters", 0)),
            votes=int(counts.get("votes", 0)), pending=int(counts.get("pending", 0))))
    drafts = tuple(sorted((n for n in news.values() if n.published_on is None),
                          key=lambda n: n.id))
    proposals = tuple(db.scalars(select(Proposal).where(Proposal.status == ProposalStatus.DRAFT)
                                 .order_by(Proposal.id.desc())))
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action != "user.login")
                         .order_by(AuditEntry.id.desc()).limit(RECENT_ENTRIES))
    recent = tuple(audit_line(e, describe_audit_entry(db, e)) for e in entries)
    return Dashboard(events=events, open_deliberations=tuple(open_ones), draft_news=drafts,
                     draft_proposals=proposals, recent=recent)
