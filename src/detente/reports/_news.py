"""News items: the publishable page of an event, composed from its records.

The text is composed from :func:`detente.forum.public_event` only, so the Chatham House rule
holds: chairs are named as chairs, organizers as organizers, and no view is attributed. An
organizer may replace the title, lead or body of either language; an edited field is kept as
written (and checked for attributions under the rule), an empty one falls back to the composed
text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from detente.accounts import audit
from detente.errors import ConflictError, InputError, NotFoundError
from detente.forum import (
    Hold,
    PublicEvent,
    Text,
    attribution_guard,
    get_event,
    guarded_event,
    public_event,
)
from detente.forum._public import PublicPerson, PublicSession
from detente.i18n import gettext as _
from detente.inputs import text_field
from detente.store.models.auth import User
from detente.store.models.forum import Event
from detente.store.models.publications import MediaItem, MediaKind, NewsItem, Proposal

from ._media import ShownMedia, list_media, shown_media
from ._proposals import public_proposals

#: Longest organizer-written news title (the ``news_items.title`` column).
_NEWS_TITLE_MAX = 300

__all__ = [
    "NewsView",
    "Paragraph",
    "create_news",
    "edit_news",
    "get_news",
    "list_news",
    "neighbours",
    "news_texts",
    "news_view",
    "publish_news",
]

_ORDINALS_EN = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                "ninth", "tenth")
_NUMERALS_ZH = "一二三四五六七八九十"
_NUMBERS_EN = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_FIELDS = ("title", "lead", "body")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a news body; ``session`` places that session's photos after it."""

    text: str
    session: int | None = None


@dataclass(frozen=True)
class NewsView:
    """A news item in one language, ready to render."""

    slug: str
    language: str
    title: str
    lead: str
    paragraphs: tuple[Paragraph, ...]
    published_on: dt.date | None
    event: PublicEvent
    photos: tuple[MediaItem | ShownMedia, ...]
    documents: tuple[MediaItem | ShownMedia, ...]
    proposals: tuple[Proposal, ...]
    edited: frozenset[str] = field(default_factory=frozenset)
    has_chinese: bool = False
    #: Texts of the item held under the Chatham House rule (shown only to organizers).
    held: tuple[Hold, ...] = ()

    @property
    def date(self) -> dt.date:
        """The date the item is dated by: its publication date, else the event's."""
        return self.published_on or self.event.date

    def photos_after(self, session: int | None) -> list[MediaItem | ShownMedia]:
        """Photos of one session (``None``: photos of the event as a whole)."""
        wanted = None if session is None else next(
            (s.id for s in self.event.sessions if s.position == session), -1)
        return [p for p in self.photos if p.session_id == wanted]


def _ordinal(position: int, language: str) -> str:
    if language == "zh":
        return f"第{_NUMERALS_ZH[position - 1] if position <= 10 else position}单元"
    word = _ORDINALS_EN[position - 1] if position <= 10 else f"{position}th"
    return f"The {word} session"


def _person_en(person: PublicPerson) -> str:
    return f"{person.name} ({person.title})" if person.title else person.name


def _person_zh(person: PublicPerson) -> str:
    name = person.name_local or person.name
    title = person.title_local or person.title
    return f"{name}（{title}）" if title else name


def _join_en(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _format_date_en(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def compose_title(event: PublicEvent, language: str) -> str:
    """The composed headline: who hosted what."""
    if language == "zh":
        host = event.host.name_local or event.host.name
        return f"{host}举办{event.title_local or event.title}"
    host = event.host.short_name or event.host.name
    return f"{host} Hosts {event.title}"


def compose_lead(event: PublicEvent, language: str) -> str:
    """The composed lead: when, who hosted, who took part, how it was organised."""
    sessions = [s for s in event.sessions]
    if language == "zh":
        host = event.host.name_local or event.host.name
        venue = f"（{event.venue_local}）" if event.venue_local else ""
        text = (f"{event.date.year}年{event.date.month}月{event.date.day}日，{host}举办"
                f"{event.title_local or event.title}{venue}。")
        names = [i.name_local or i.name for i in event.institutions]
        if names:
            text += f"来自{'、'.join(names)}等机构的专家学者参加论坛。"
        if sessions:
            titles = "；".join(f"“{s.title_local or s.title}”" for s in sessions)
            text += f"论坛设{len(sessions)}个单元：{titles}。"
        return text
    host = event.host.name + (f" ({event.host.short_name})" if event.host.short_name else "")
    venue = f" at {event.venue}" if event.venue else ""
    text = f"On {_format_date_en(event.date)}, the {host} hosted the {event.title}{venue}."
    names = [i.name for i in event.institutions]
    if names:
        text += f" Experts from {_join_en(names)} took part."
    if sessions:
        count = len(sessions)
        titles = "; ".join(f"“{s.title}”" for s in sessions)
        number = _NUMBERS_EN[count] if count < len(_NUMBERS_EN) else str(count)
        noun = "session" if count == 1 else "sessions"
        text += f" The discussions were organised in {number} {noun}: {titles}."
    return text


def _session_paragraph(session: PublicSession, language: str) -> str:
    ordinal = _ordinal(session.position, language)
    if language == "zh":
        text = f"{ordinal}“{session.title_local or session.title}”"
        text += f"由{_person_zh(session.chair)}主持。" if session.chair else "。"
        themes = "、".join(t.name_local or t.name for t in session.themes)
        if themes:
            text += f"议题：{themes}。"
        if session.description_local:
            text += f"与会专家讨论了以下问题：{session.description_local}"
        return text
    text = f"{ordinal}, “{session.title}”"
    text += f", was chaired by {_person_en(session.chair)}." if session.chair else "."
    themes = "; ".join(t.name for t in session.themes)
    if themes:
        text += f" Themes: {themes}."
    if session.description:
        text += f" The discussion covered the following. {session.description}"
    return text


def compose_paragraphs(event: PublicEvent, proposals: list[Proposal],
                       language: str) -> tuple[Paragraph, ...]:
    """The composed body: one paragraph per session, the closing remarks, the proposals."""
    zh = language == "zh"
    paragraphs = [Paragraph(_session_paragraph(s, language), s.position) for s in event.sessions]
    remarks = (event.closing_remarks_local or event.closing_remarks) if zh \
        else (event.closing_remarks or event.closing_remarks_local)
    if remarks:
        if event.closing_speaker is not None:  # only where the event allows attribution
            who = _person_zh(event.closing_speaker) if zh else _person_en(event.closing_speaker)
            intro = f"{who}致闭幕辞：" if zh else f"Closing remarks by {who}: "
        else:
            intro = "闭幕环节：" if zh else "Closing remarks: "
        paragraphs.append(Paragraph(intro + remarks))
    if proposals:
        if zh:
            items = "；".join(f"“{p.title_local or p.title}”" for p in proposals)
            paragraphs.append(Paragraph(f"论坛提出了{len(proposals)}项治理建议：{items}。"))
        else:
            items = "; ".join(f"“{p.title}”" for p in proposals)
            noun = "proposal" if len(proposals) == 1 else "proposals"
            paragraphs.append(Paragraph(
                f"The forum put forward {len(proposals)} governance {noun}: {items}."))
    return tuple(paragraphs)


def _split(text: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(p.strip()) for p in text.replace("\r\n", "\n").split("\n\n")
                 if p.strip())


def get_news(db: DbSession, slug: str) -> NewsItem:
    """A news item by slug (or by its event's slug)."""
    item = db.scalar(select(NewsItem).where(NewsItem.slug == slug))
    if item is None:
        item = db.scalar(select(NewsItem).join(Event).where(Event.slug == slug))
    if item is None:
        raise NotFoundError(_("no news item %(slug)r") % {"slug": slug})
    return item


def _order_key(item: NewsItem) -> tuple[dt.date, dt.date, int]:
    return (item.published_on or item.event.date, item.event.date, item.id)


def list_news(db: DbSession, *, include_drafts: bool = False) -> list[NewsItem]:
    """News items in date order, oldest first (drafts only when asked)."""
    query = select(NewsItem).options(selectinload(NewsItem.event))
    if not include_drafts:
        query = query.where(NewsItem.published_on.is_not(None))
    return sorted(db.scalars(query), key=_order_key)


def neighbours(db: DbSession, item: NewsItem) -> tuple[NewsItem | None, NewsItem | None]:
    """The published items just before and just after ``item`` in date order."""
    items = list_news(db)
    keys = [_order_key(i) for i in items]
    key = _order_key(item)
    earlier = [i for i, k in zip(items, keys, strict=True) if k < key]
    later = [i for i, k in zip(items, keys, strict=True) if k > key]
    return (earlier[-1] if earlier else None, later[0] if later else None)


def create_news(db: DbSession, event_key: str | int, *, slug: str | None = None,
                user: User | None = None) -> NewsItem:
    """Create the (draft) news item of an event; its text is composed until edited.

    Raises
    ------
    ConflictError
        When the event already has a news item or the slug is taken.
    """
    event = get_event(db, event_key)
    if db.scalar(select(NewsItem).where(NewsItem.event_id == event.id)) is not None:
        raise ConflictError(_("event %(event)r already has a news item") % {"event": event.slug})
    slug = (slug or event.slug).strip()
    if not slug or not all(c.isalnum() or c in "-_" for c in slug) or not slug.isascii():
        raise InputError(_("use ASCII letters, digits, - and _"), location="slug")
    if db.scalar(select(NewsItem).where(NewsItem.slug == slug)) is not None:
        raise ConflictError(_("news item %(slug)r exists") % {"slug": slug})
    item = NewsItem(event=event, slug=slug, updated_by_id=user.id if user else None)
    db.add(item)
    db.flush()
    audit(db, user, "news.create", f"news:{item.slug}")
    return item


def news_texts(item: NewsItem, **values: str | None) -> list[Text]:
    """The stored texts of ``item`` (or the given ``values``, e.g. ``body_local=...``) as the
    attribution policy checks them."""
    texts = []
    for name in _FIELDS:
        for suffix, language in (("", "en"), ("_local", "zh")):
            key = name + suffix
            value = values[key] if key in values else getattr(item, key)
            texts.append(Text(f"news:{item.id}:{key}", name, value, language))
    return texts


def publish_news(db: DbSession, item: NewsItem, on: dt.date | None, *,
                 user: User | None = None, override_reason: str | None = None) -> NewsItem:
    """Publish ``item`` dated ``on`` (``None`` withdraws it to draft).

    Raises
    ------
    AttributionHeld
        When a text of the item is held under the Chatham House rule (it became an
        attribution after it was saved) and no ``override_reason`` is given.
    """
    if on is not None:
        attribution_guard(db, item.event).enforce(news_texts(item), reason=override_reason,
                                                  user=user)
    item.published_on = on
    item.updated_by_id = user.id if user else item.updated_by_id
    db.flush()
    audit(db, user, "news.publish" if on else "news.withdraw", f"news:{item.slug}",
          on.isoformat() if on else None)
    return item


def edit_news(db: DbSession, item: NewsItem, language: str, *, title: str | None = None,
              lead: str | None = None, body: str | None = None,
              user: User | None = None, override_reason: str | None = None) -> NewsItem:
    """Keep an organizer's text for one language; "" returns a field to the composed text.

    Raises
    ------
    InputError
        For an unknown language.
    AttributionHeld
        Under the Chatham House rule, for text that names or identifies a participant and
        attributes a view or a speech to them, unless ``override_reason`` says why it may be
        published (the override is audited). Nothing is stored then.
    """
    if language not in ("en", "zh"):
        raise InputError(_("use en or zh"), location="lang")
    suffix = "_local" if language == "zh" else ""
    if title is not None:  # refused here, not by the column (PostgreSQL would fail the request)
        text_field(title, "title" + suffix, limit=_NEWS_TITLE_MAX)
    given = {name + suffix: value for name, value in (("title", title), ("lead", lead),
                                                      ("body", body)) if value is not None}
    attribution_guard(db, item.event).enforce(
        [t for t in news_texts(item, **given) if t.target.rsplit(":", 1)[1] in given],
        reason=override_reason, user=user)
    changed = []
    for name, value in given.items():
        setattr(item, name, value.strip() or None)
        changed.append(name)
    item.updated_by_id = user.id if user else item.updated_by_id
    db.flush()
    if changed:
        audit(db, user, "news.edit", f"news:{item.slug}", ", ".join(changed))
    return item


def news_view(db: DbSession, item: NewsItem, language: str, *,
              guarded: bool = True) -> NewsView:
    """``item`` in ``language``: edited text where kept, composed text elsewhere.

    With ``guarded`` (what visitors see), an edited field held under the Chatham House rule
    gives way to the composed text, held captions are left out, and proposals with held text
    are not listed; ``held`` names what was held. ``guarded=False`` shows the stored text (the
    edit form).
    """
    event = get_event(db, item.event_id)
    guard = attribution_guard(db, event)
    public, _record_holds = guarded_event(guard, public_event(event))
    proposals = public_proposals(db, event)
    zh = language == "zh"
    suffix = "_local" if zh else ""
    held = tuple(guard.review(news_texts(item)))
    held_here = {h.target.rsplit(":", 1)[1] for h in held} if guarded else set()
    stored = {f: getattr(item, f + suffix) for f in _FIELDS
              if getattr(item, f + suffix) and f + suffix not in held_here}
    edited = frozenset(stored)
    title = stored.get("title") or compose_title(public, language)
    lead = stored.get("lead") or compose_lead(public, language)
    body = stored.get("body")
    paragraphs = _split(body) if body else compose_paragraphs(public, proposals, language)
    media: list[MediaItem | ShownMedia] = list(list_media(db, event))
    if guarded:
        media = list(shown_media(guard, list_media(db, event)))
    return NewsView(
        slug=item.slug, language=language, title=title, lead=lead, paragraphs=paragraphs,
        published_on=item.published_on, event=public,
        photos=tuple(m for m in media if m.kind == MediaKind.IMAGE),
        documents=tuple(m for m in media if m.kind == MediaKind.DOCUMENT),
        proposals=tuple(proposals), edited=edited,
        has_chinese=bool(public.title_local or item.title_local or item.lead_local),
        held=held,
    )
