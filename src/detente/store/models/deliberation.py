"""Deliberations: a question put to a session's experts, statements, participants and votes.

A deliberation belongs to one forum session. Participants are pseudonymous: they carry a
short random public id and authenticate with a secret token stored only as its SHA-256 hash.
Each participant has one current vote per statement (``deliberation_votes``, unique per pair)
and every vote cast is also appended to ``deliberation_vote_history``. The last computed
consensus result is kept in ``deliberation_results`` so pages never wait for the math.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from detente.store.base import Base, TimestampMixin, utcnow
from detente.store.models.forum import Person, Session

__all__ = [
    "DELIBERATION_STATUSES",
    "MODERATION_STATES",
    "Deliberation",
    "DeliberationParticipant",
    "DeliberationResult",
    "DeliberationStatement",
    "DeliberationVote",
    "DeliberationVoteHistory",
]

#: A deliberation is drafted, then open for votes, then closed (and may be reopened).
DELIBERATION_STATUSES = ("draft", "open", "closed")
#: A statement waits for moderation, then is accepted (shown to voters) or rejected.
MODERATION_STATES = ("pending", "accepted", "rejected")


class Deliberation(TimestampMixin, Base):
    """A question that a session's participants answer by voting on short statements."""

    __tablename__ = "deliberations"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(String(500))
    question_local: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    description_local: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    language: Mapped[str] = mapped_column(String(10), default="en")
    allow_statements: Mapped[bool] = mapped_column(Boolean, default=True)
    invite_only: Mapped[bool] = mapped_column(Boolean, default=False)
    is_simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Bumped by every change that alters results without a vote (moderation); with the
    #: vote-history count it orders result snapshots (see ``DeliberationResult``).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    session: Mapped[Session] = relationship()
    statements: Mapped[list[DeliberationStatement]] = relationship(
        back_populates="deliberation", order_by="DeliberationStatement.id",
        cascade="all, delete-orphan", passive_deletes=True,
    )


class DeliberationParticipant(TimestampMixin, Base):
    """A pseudonymous participant: public id shown in results, secret token kept as a hash."""

    __tablename__ = "deliberation_participants"
    __table_args__ = (UniqueConstraint("deliberation_id", "public_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deliberation_id: Mapped[int] = mapped_column(
        ForeignKey("deliberations.id", ondelete="CASCADE"), index=True
    )
    public_id: Mapped[str] = mapped_column(String(40))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invite_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    person: Mapped[Person | None] = relationship()


class DeliberationStatement(Base):
    """A short statement to vote on, written by a participant or seeded by an organizer."""

    __tablename__ = "deliberation_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    deliberation_id: Mapped[int] = mapped_column(
        ForeignKey("deliberations.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(1000))
    text_local: Mapped[str | None] = mapped_column(String(1000))
    language: Mapped[str] = mapped_column(String(10), default="en")
    author_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("deliberation_participants.id", ondelete="SET NULL",
                   name="fk_deliberation_statements_author_participant_id")
    )
    author_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    moderation: Mapped[str] = mapped_column(String(10), default="pending")
    is_seed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    deliberation: Mapped[Deliberation] = relationship(back_populates="statements")


class DeliberationVote(Base):
    """A participant's current vote on a statement: 1 agree, -1 disagree, 0 pass."""

    __tablename__ = "deliberation_votes"
    __table_args__ = (UniqueConstraint("participant_id", "statement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deliberation_id: Mapped[int] = mapped_column(
        ForeignKey("deliberations.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("deliberation_participants.id", ondelete="CASCADE")
    )
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("deliberation_statements.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[int] = mapped_column(SmallInteger)
    voted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DeliberationVoteHistory(Base):
    """Every vote ever cast, in order, including changes of mind."""

    __tablename__ = "deliberation_vote_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    deliberation_id: Mapped[int] = mapped_column(
        ForeignKey("deliberations.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("deliberation_participants.id", ondelete="CASCADE",
                   name="fk_deliberation_vote_history_participant_id")
    )
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("deliberation_statements.id", ondelete="CASCADE",
                   name="fk_deliberation_vote_history_statement_id")
    )
    value: Mapped[int] = mapped_column(SmallInteger)
    voted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DeliberationResult(Base):
    """The last consensus result computed for a deliberation and how many votes it covered."""

    __tablename__ = "deliberation_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    deliberation_id: Mapped[int] = mapped_column(
        ForeignKey("deliberations.id", ondelete="CASCADE"), unique=True
    )
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    vote_count: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: What the snapshot was computed from: the deliberation's ``revision`` and the number of
    #: rows in its vote history then. A snapshot replaces the stored one only when its basis
    #: is not older, so a slow computation never overwrites a newer result.
    basis_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    basis_votes: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
