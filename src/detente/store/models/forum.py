"""Forum records: institutions, people, events, sessions, themes and who took part.

Names and titles carry an optional Chinese (or other own-script) form next to the English one,
so pages in either interface language show what is known.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Column,
    Date,
    Enum,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from detente.store.base import Base, TimestampMixin

__all__ = [
    "AttributionPolicy",
    "Event",
    "Institution",
    "Participation",
    "Person",
    "Role",
    "Session",
    "Theme",
]


class AttributionPolicy(enum.StrEnum):
    """Whether views voiced at an event may be attributed to the people who voiced them."""

    CHATHAM_HOUSE = "chatham_house"
    ATTRIBUTED = "attributed"


class Role(enum.StrEnum):
    """A person's part in an event."""

    ORGANIZER = "organizer"
    CHAIR = "chair"
    SPEAKER = "speaker"
    PARTICIPANT = "participant"


event_institutions = Table(
    "event_institutions",
    Base.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("institution_id", ForeignKey("institutions.id", ondelete="RESTRICT"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)

session_themes = Table(
    "session_themes",
    Base.metadata,
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="RESTRICT"), primary_key=True),
)


class Institution(TimestampMixin, Base):
    """A university, research institute, ministry or other organisation."""

    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(60))
    name_local: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(3))
    url: Mapped[str | None] = mapped_column(String(500))


class Person(TimestampMixin, Base):
    """An expert, chair or organizer."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_local: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(300))
    title_local: Mapped[str | None] = mapped_column(String(300))
    affiliation_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="SET NULL")
    )

    affiliation: Mapped[Institution | None] = relationship()


class Theme(TimestampMixin, Base):
    """A subject that sessions address, e.g. military AI or non-state actors."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_local: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)


class Event(TimestampMixin, Base):
    """A forum, workshop or dialogue held on one day or over several."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    title_local: Mapped[str | None] = mapped_column(String(300))
    host_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"))
    date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    venue: Mapped[str | None] = mapped_column(String(300))
    venue_local: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    description_local: Mapped[str | None] = mapped_column(Text)
    languages: Mapped[str] = mapped_column(String(60), default="en")
    attribution_policy: Mapped[AttributionPolicy] = mapped_column(
        Enum(AttributionPolicy, name="attribution_policy", native_enum=False, length=20,
             values_callable=lambda e: [m.value for m in e]),
        default=AttributionPolicy.CHATHAM_HOUSE,
    )
    closing_remarks: Mapped[str | None] = mapped_column(Text)
    closing_remarks_local: Mapped[str | None] = mapped_column(Text)
    closing_speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )

    host: Mapped[Institution] = relationship(foreign_keys=[host_id])
    closing_speaker: Mapped[Person | None] = relationship(foreign_keys=[closing_speaker_id])
    institutions: Mapped[list[Institution]] = relationship(
        secondary=event_institutions, order_by=event_institutions.c.position
    )
    sessions: Mapped[list[Session]] = relationship(
        back_populates="event", order_by="Session.position", cascade="all, delete-orphan"
    )
    participations: Mapped[list[Participation]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def is_chatham_house(self) -> bool:
        return self.attribution_policy == AttributionPolicy.CHATHAM_HOUSE


class Session(TimestampMixin, Base):
    """A chaired session of an event."""

    __tablename__ = "sessions"
    __table_args__ = (UniqueConstraint("event_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    title_local: Mapped[str | None] = mapped_column(String(300))
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    description: Mapped[str | None] = mapped_column(Text)
    description_local: Mapped[str | None] = mapped_column(Text)

    event: Mapped[Event] = relationship(back_populates="sessions")
    chair: Mapped[Person | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=session_themes, order_by=Theme.slug)


class Participation(TimestampMixin, Base):
    """A person's role at an event, optionally in one session."""

    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("event_id", "person_id", "role", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="participation_role", native_enum=False, length=20,
             values_callable=lambda e: [m.value for m in e])
    )

    event: Mapped[Event] = relationship(back_populates="participations")
    person: Mapped[Person] = relationship()
    session: Mapped[Session | None] = relationship()
