"""What the deliberation pages, API and CLI read besides the results: a participant, a
statement, the participant's page and the organizer's page. One function each, so that the
web and the CLI build no query of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from detente.deliberation._audit import AuditLine, audit_line, describe_deliberation_entry
from detente.deliberation._live import waiting_statements
from detente.deliberation._routing import next_statement
from detente.deliberation._service import (
    get_deliberation,
    held_statement_ids,
    statement_counts,
    statement_holds,
)
from detente.errors import NotFoundError
from detente.forum import Hold
from detente.i18n import gettext as _
from detente.store.models.auth import AuditEntry
from detente.store.models.deliberation import (
    Deliberation,
    DeliberationParticipant,
    DeliberationStatement,
    DeliberationVote,
)

__all__ = [
    "ManageView",
    "ParticipateView",
    "get_participant",
    "get_statement",
    "manage_view",
    "participate_view",
]

#: Audit entries shown on the organizer's page, newest first.
AUDIT_SHOWN = 30


def get_participant(db: DbSession, participant_id: int) -> DeliberationParticipant:
    """The participant with this id."""
    participant = db.get(DeliberationParticipant, participant_id)
    if participant is None:
        raise NotFoundError(_("no participant %(id)s") % {"id": participant_id})
    return participant


def get_statement(db: DbSession, statement_id: int,
                  deliberation_id: int | None = None) -> DeliberationStatement:
    """The statement with this id (of ``deliberation_id``, when given)."""
    statement = db.get(DeliberationStatement, statement_id)
    if statement is None or deliberation_id not in (None, statement.deliberation_id):
        if deliberation_id is None:
            raise NotFoundError(_("no statement %(id)s") % {"id": statement_id})
        raise NotFoundError(_("no statement %(id)s in deliberation %(deliberation)s")
                            % {"id": statement_id, "deliberation": deliberation_id})
    return statement


@dataclass(frozen=True)
class ParticipateView:
    """The participant's page: the next statement to vote on (None when none is left or the
    deliberation is not open), how many votes they cast, the deliberation's counts, and how
    many accepted statements they have not voted on yet (``waiting``, the shown one included;
    the page's event stream compares it with later counts to announce new statements)."""

    statement: DeliberationStatement | None
    voted: int
    counts: dict[str, int]
    waiting: int = 0


def participate_view(db: DbSession, deliberation: Deliberation,
                     participant_id: int | None) -> ParticipateView:
    """What the participant ``participant_id`` (None: a visitor who has not joined) sees."""
    statement = None
    voted = 0
    if participant_id is not None:
        if deliberation.status == "open":
            held = held_statement_ids(db, deliberation)
            statement = next_statement(db, deliberation.id, participant_id, exclude=held)
        voted = db.scalar(select(func.count()).select_from(DeliberationVote).where(
            DeliberationVote.participant_id == participant_id)) or 0
    return ParticipateView(statement, voted, statement_counts(db, deliberation.id),
                           waiting_statements(db, deliberation.id, participant_id))


@dataclass(frozen=True)
class ManageView:
    """The organizer's page: every statement (oldest first), the moderation queue, counts and
    the latest audit entries about the deliberation and its statements."""

    statements: list[DeliberationStatement]
    pending: list[DeliberationStatement]
    counts: dict[str, int]
    #: The deliberation's audit entries in words, newest first.
    audit_log: list[AuditLine]
    #: Statements not yet accepted that are held under the Chatham House rule, and why.
    held: dict[int, list[Hold]] = field(default_factory=dict)


def manage_view(db: DbSession, deliberation_id: int) -> ManageView:
    """What the organizer's page of deliberation ``deliberation_id`` shows."""
    statements = list(db.scalars(select(DeliberationStatement)
                                 .where(DeliberationStatement.deliberation_id == deliberation_id)
                                 .order_by(DeliberationStatement.id)))
    targets: list[Any] = [f"deliberation:{deliberation_id}",
                          *[f"statement:{s.id}" for s in statements]]
    entries = db.scalars(select(AuditEntry).where(AuditEntry.target.in_(targets))
                         .order_by(AuditEntry.id.desc()).limit(AUDIT_SHOWN))
    audit_log = [audit_line(e, describe_deliberation_entry(db, e)) for e in entries]
    held = statement_holds(db, get_deliberation(db, deliberation_id),
                           [s for s in statements if s.moderation != "accepted"])
    return ManageView(statements, [s for s in statements if s.moderation == "pending"],
                      statement_counts(db, deliberation_id), audit_log, held)
