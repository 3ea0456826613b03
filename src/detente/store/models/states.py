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

__all__ = [
    "Instrument",
    "InstrumentPosition",
    "RollCall",
    "StateDataVersion",
    "VoteValue",
    "state_votes",
]


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
    """An AI resolution, declaration or convention that states vote on, endorse or sign.

    What the sources say about who took part is kept as fields (docs/states.md, "Positions on
    AI instruments"): ``basis`` (how a state takes a position), ``open_to`` (who may),
    ``record`` (how complete the list of named states is) and the totals the sources report.
    Every UN member state's standing follows from these and the listed positions.
    """

    __tablename__ = "state_instruments"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    symbol: Mapped[str] = mapped_column(String(60), default="")  # UN symbol, "A/RES/78/241"
    title: Mapped[str] = mapped_column(Text)
    title_zh: Mapped[str] = mapped_column(Text, default="")
    # "official" (the Chinese text's title), "translation" (detente's) or "" (no Chinese text)
    title_zh_status: Mapped[str] = mapped_column(String(20), default="")
    title_zh_source: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[str] = mapped_column(String(40), default="")
    date: Mapped[str] = mapped_column(String(40), default="")  # "2024-09-05", "2024-11"
    # "opened-for-signature", "launched", "day-not-verified", "not-verified" or ""
    date_note: Mapped[str] = mapped_column(String(40), default="")
    body: Mapped[str] = mapped_column(String(200), default="")
    body_zh: Mapped[str] = mapped_column(String(200), default="")
    # recorded-vote, without-vote, endorsement, issuer or "" (not verified)
    basis: Mapped[str] = mapped_column(String(20), default="")
    # all, invited, members, members-and-invited, issuer
    open_to: Mapped[str] = mapped_column(String(20), default="")
    # complete, no-and-abstain, partial or none
    record: Mapped[str] = mapped_column(String(20), default="partial")
    as_of: Mapped[str] = mapped_column(String(20), default="")
    reported_yes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reported_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reported_abstain: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reported_low: Mapped[int | None] = mapped_column(Integer, nullable=True)  # endorsers
    reported_high: Mapped[int | None] = mapped_column(Integer, nullable=True)
    organisations: Mapped[str] = mapped_column(String(100), default="")  # "eu"
    remark: Mapped[str] = mapped_column(Text, default="")
    remark_zh: Mapped[str] = mapped_column(Text, default="")
    totals: Mapped[str] = mapped_column(Text, default="")  # the source's words
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
    note_zh: Mapped[str] = mapped_column(Text, default="")
    # What the position rests on: "" (the source names the state), "inferred" (from a role or
    # a membership; no source names the state) or "one-source" (one source names it, others
    # do not)
    evidence: Mapped[str] = mapped_column(String(20), default="")
    instrument: Mapped[Instrument] = relationship(back_populates="positions")


class StateDataVersion(Base):
    """One row whose ``version`` every import of votes or positions raises.

    Cached analyses are keyed by it, so that an import makes every cached result stale in
    every process at once.
    """

    __tablename__ = "state_data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
