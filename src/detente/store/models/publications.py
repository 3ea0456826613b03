"""Publications: governance proposals and their evidence, media files, and news items.

A proposal's evidence links are generic ``(kind, reference, note)`` rows so that a proposal can
point at records of capabilities that are built separately (deliberations, state positions,
the knowledge base) without foreign keys into their tables; :mod:`detente.reports` validates a
link against its target where that capability is installed.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from detente.store.base import Base, TimestampMixin, utcnow
from detente.store.models.auth import User
from detente.store.models.forum import Event, Session, Theme

__all__ = [
    "MediaItem",
    "MediaKind",
    "NewsItem",
    "Proposal",
    "ProposalEvidence",
    "ProposalStatus",
    "proposal_themes",
]


class ProposalStatus(enum.StrEnum):
    """Where a proposal stands: drafted, endorsed by the forum, published, taken up."""

    DRAFT = "draft"
    ENDORSED = "endorsed"
    PUBLISHED = "published"
    TAKEN_UP = "taken_up"


class MediaKind(enum.StrEnum):
    """An image (re-encoded into page sizes) or another document kept as uploaded."""

    IMAGE = "image"
    DOCUMENT = "document"


def _enum(kind: type[enum.StrEnum], name: str) -> Enum:
    return Enum(kind, name=name, native_enum=False, length=20,
                values_callable=lambda e: [m.value for m in e])


proposal_themes = Table(
    "proposal_themes",
    Base.metadata,
    Column("proposal_id", ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="RESTRICT"), primary_key=True),
)


class Proposal(TimestampMixin, Base):
    """A governance proposal that a forum put forward, with links to its evidence."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(300))
    title_local: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    text_local: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ProposalStatus] = mapped_column(_enum(ProposalStatus, "proposal_status"),
                                                   default=ProposalStatus.DRAFT)
    #: Written as an example (the demo), not put forward by a real forum.
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    onupdate=utcnow)

    event: Mapped[Event] = relationship()
    session: Mapped[Session | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=proposal_themes, order_by=Theme.slug)
    evidence: Mapped[list[ProposalEvidence]] = relationship(
        back_populates="proposal", order_by="ProposalEvidence.position",
        cascade="all, delete-orphan",
    )


class ProposalEvidence(Base):
    """One link from a proposal to what supports it: ``(kind, reference, note)``.

    ``label`` keeps a readable name of the target, captured when the link was made, so that the
    link still reads well after the target changes or is removed.
    """

    __tablename__ = "proposal_evidence"
    __table_args__ = (UniqueConstraint("proposal_id", "kind", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"),
                                             index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(300))
    label: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)

    proposal: Mapped[Proposal] = relationship(back_populates="evidence")


class MediaItem(TimestampMixin, Base):
    """A photo or document attached to an event (optionally to one session).

    Files live under ``settings.media_dir`` named by ``token`` (random), never by the uploaded
    name; ``content_type`` is what detente decided from the decoded content, and it is the only
    type the file is ever served with.
    """

    __tablename__ = "media_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL")
    )
    kind: Mapped[MediaKind] = mapped_column(_enum(MediaKind, "media_kind"))
    original_name: Mapped[str] = mapped_column(String(255))
    extension: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    #: "jpeg" or "png": the format of the re-encoded sizes of an image.
    variant_format: Mapped[str | None] = mapped_column(String(10))
    caption: Mapped[str | None] = mapped_column(Text)
    caption_local: Mapped[str | None] = mapped_column(Text)
    credit: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    event: Mapped[Event] = relationship()
    session: Mapped[Session | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship()


class NewsItem(TimestampMixin, Base):
    """The news item of an event: composed from the records, with the organizer's edits.

    A text field left empty means "use the composed text"; an edited one is kept as written.
    ``published_on`` empty means the item is a draft that only organizers see.
    """

    __tablename__ = "news_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          unique=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    title: Mapped[str | None] = mapped_column(String(300))
    title_local: Mapped[str | None] = mapped_column(String(300))
    lead: Mapped[str | None] = mapped_column(Text)
    lead_local: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    body_local: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    event: Mapped[Event] = relationship()
    updated_by: Mapped[User | None] = relationship()
