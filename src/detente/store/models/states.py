"""State positions: UN General Assembly roll calls, how each state voted, and AI instruments.

States are identified by ISO 3166-1 alpha-3 codes (historical UN members keep their own codes:
``SUN``, ``YUG``, ``CSK``, ``DDR``, ``YMD``, ``YAR``, ``ZAN``; see docs/states.md). Votes are
bulk-inserted through SQLAlchemy Core (``state_votes`` has no ORM class on purpose: 870k rows
must load in seconds).
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from detente.store.base import Base

__all__ = ["Instrument", "InstrumentPosition", "RollCall", "VoteValue", "state_votes"]


class VoteValue(enum.StrEnum):
    """How a state stood on a roll call; the five cases stay distinct."""

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    ABSENT = "absent"  # a member that did not vote (UN Digital Library "X")
    NON_MEMBER = "non_member"  # not a UN member on that date (blank in the UNDL export)


class RollCall(Base):
    """One recorded vote of the General Assembly (a resolution, an amendment or a paragraph)."""

    __tablename__ = "state_roll_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)  # "unvotes:3", "undl:4031004"
    source: Mapped[str] = mapped_column(String(20))  # "unvotes" or "undl"
    session: Mapped[int] = mapped_column(Integer, index=True)
    date: Mapped[date | None] = mapped_column(Date, nullable=True)
    resolution: Mapped[str | None] = mapped_column(String(60), nullable=True)
    title: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    issues: Mapped[str] = mapped_column(String(200), default="")  # space-separated codes
    amendment: Mapped[bool] = mapped_column(Boolean, default=False)
    paragraph: Mapped[bool] = mapped_column(Boolean, default=False)
    important: Mapped[bool] = mapped_column(Boolean, default=False)
    url: Mapped[str | None] = mapped_column(String(500), nullable=True)


state_votes = Table(
    "state_votes",
    Base.metadata,
    Column("roll_call_id", ForeignKey("state_roll_calls.id", ondelete="CASCADE"),
           primary_key=True),
    Column("state", String(3), primary_key=True, index=True),
    Column("vote", String(10), nullable=False),
)


class Instrument(Base):
    """An AI resolution, declaration or convention that states vote on, endorse or sign."""

    __tablename__ = "state_instruments"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40), default="")
    date: Mapped[str] = mapped_column(String(40), default="")  # as given: "2024-11 (not verified)"
    body: Mapped[str] = mapped_column(String(200), default="")
    totals: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    positions: Mapped[list[InstrumentPosition]] = relationship(
        back_populates="instrument", cascade="all, delete-orphan",
        order_by="InstrumentPosition.state",
    )


class InstrumentPosition(Base):
    """What one state did about one instrument (endorsed, signed, no...), with its source."""

    __tablename__ = "state_positions"
    __table_args__ = (
        UniqueConstraint("instrument_id", "state", name="uq_state_positions_instrument_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("state_instruments.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(3), index=True)
    position: Mapped[str] = mapped_column(String(30))
    source_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    instrument: Mapped[Instrument] = relationship(back_populates="positions")
