"""Deliberation records: creation, statements, moderation, participants and tokens.

Every function takes an open SQLAlchemy session and leaves committing to the caller
(:func:`detente.store.session_scope` or the web request), so a failed step changes nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session as DbSession

from detente.accounts import audit
from detente.deliberation._text import MAX_LENGTH, MIN_LENGTH, find_duplicate
from detente.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from detente.forum import AttributionHeld, Guard, Hold, Text, attribution_guard, get_event
from detente.i18n import gettext
from detente.store.base import utcnow
from detente.store.models.auth import User
from detente.store.models.deliberation import (
    DELIBERATION_STATUSES,
    Deliberation,
    DeliberationParticipant,
    DeliberationStatement,
    DeliberationVote,
)
from detente.store.models.forum import Person, Session

__all__ = [
    "Joined",
    "add_statement",
    "create_deliberation",
    "create_invites",
    "get_deliberation",
    "hash_token",
    "held_statement_ids",
    "join",
    "list_deliberations",
    "moderate",
    "participant_by_token",
    "redeem_invite",
    "seed_statements",
    "set_status",
    "statement_counts",
    "statement_holds",
    "statements_of",
    "validate_statement_text",
]

LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Joined:
    """A participant and the secret token that acts for them (shown once, stored hashed)."""

    participant: DeliberationParticipant
    token: str


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a secret token; only this is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _new_public_id() -> str:
    """``p`` and 8 random hex digits: short, and never all digits (Polis readers turn those
    into numbers)."""
    return "p" + secrets.token_hex(4)


def create_deliberation(
    db: DbSession, event: str | int, session_position: int, question: str, *,
    question_local: str | None = None, description: str | None = None,
    description_local: str | None = None, language: str = "en",
    allow_statements: bool = True, invite_only: bool = False, status: str = "open",
    user: User | None = None, is_simulated: bool = False, override_reason: str | None = None,
) -> Deliberation:
    """Create a deliberation on session ``session_position`` (1-based) of ``event``.

    The question and description are checked under the event's attribution policy; a held
    text is refused unless ``override_reason`` says why it may be published (audited).

    Raises
    ------
    NotFoundError
        When the event or the session does not exist.
    InputError
        For an empty question, an unknown language or status.
    AttributionHeld
        For a question or description that attributes a view to a participant, without
        ``override_reason``. Nothing is written then.
    """
    forum_event = get_event(db, event)
    session = db.scalar(select(Session).where(Session.event_id == forum_event.id,
                                              Session.position == session_position))
    if session is None:
        raise NotFoundError(gettext("event %(event)r has no session %(position)s")
                            % {"event": forum_event.slug, "position": session_position})
    question = (question or "").strip()
    if not 5 <= len(question) <= 500:
        raise InputError(gettext("write a question of 5 to 500 characters"),
                         location="question")
    if language not in LANGUAGES:
        raise InputError(gettext("language must be one of %(choices)s")
                         % {"choices": ", ".join(LANGUAGES)}, location="language")
    if status not in DELIBERATION_STATUSES:
        raise InputError(gettext("status must be one of %(choices)s")
                         % {"choices": ", ".join(DELIBERATION_STATUSES)},
                         location="status")
    guard = attribution_guard(db, forum_event)
    held = guard.enforce([
        Text("deliberation:new:question", "question", question, "en"),
        Text("deliberation:new:question_local", "question", question_local, "zh"),
        Text("deliberation:new:description", "description", description, "en"),
        Text("deliberation:new:description_local", "description", description_local, "zh"),
    ], reason=override_reason, user=user, record=False)
    deliberation = Deliberation(
        session=session, question=question, question_local=(question_local or "").strip() or None,
        description=description, description_local=description_local, language=language,
        allow_statements=allow_statements, invite_only=invite_only, status=status,
        is_simulated=is_simulated,
    )
    db.add(deliberation)
    db.flush()
    for hold in held:
        guard.override(hold, override_reason or "", user,
                       target=hold.target.replace(":new:", f":{deliberation.id}:"))
    audit(db, user, "deliberation.create", f"deliberation:{deliberation.id}", question[:200])
    return deliberation


def _guard(db: DbSession, deliberation: Deliberation) -> Guard:
    """The attribution policy of the deliberation's event; people invited to it by name are
    protected too."""
    people = db.scalars(select(Person).join(
        DeliberationParticipant, DeliberationParticipant.person_id == Person.id).where(
        DeliberationParticipant.deliberation_id == deliberation.id).distinct())
    return attribution_guard(db, deliberation.session.event, list(people))


def _statement_texts(statement_id: int | str, text: str, text_local: str | None) -> list[Text]:
    return [Text(f"statement:{statement_id}", "statement", text, "en"),
            Text(f"statement:{statement_id}:local", "statement", text_local, "zh")]


def statement_holds(db: DbSession, deliberation: Deliberation,
                    statements: Iterable[DeliberationStatement]) -> dict[int, list[Hold]]:
    """Statements held under the Chatham House rule: statement id -> holds (moderators see
    why; a held statement is accepted only with a reason)."""
    guard = _guard(db, deliberation)
    if not guard.applies:
        return {}
    found: dict[int, list[Hold]] = {}
    for statement in statements:
        holds = guard.review(_statement_texts(statement.id, statement.text,
                                              statement.text_local))
        if holds:
            found[statement.id] = holds
    return found


def held_statement_ids(db: DbSession, deliberation: Deliberation,
                       statements: Iterable[DeliberationStatement] | None = None) -> set[int]:
    """Ids of the deliberation's statements (accepted ones by default) that the attribution
    policy holds *now*: checked again on display, so a statement stored before a person was
    added to the event or the event was put under the rule is not shown (an override given
    when it was accepted still counts)."""
    guard = _guard(db, deliberation)
    if not guard.applies:
        return set()
    if statements is None:
        statements = statements_of(db, deliberation.id)
    return {s.id for s in statements
            if not all(guard.allows(t) for t in _statement_texts(s.id, s.text, s.text_local))}


def get_deliberation(db: DbSession, deliberation_id: int) -> Deliberation:
    """The deliberation with this id.

    Raises
    ------
    NotFoundError
        When there is none.
    """
    deliberation = db.get(Deliberation, deliberation_id)
    if deliberation is None:
        raise NotFoundError(gettext("no deliberation %(id)s") % {"id": deliberation_id})
    return deliberation


def list_deliberations(db: DbSession, *, include_drafts: bool = False) -> list[Deliberation]:
    """Deliberations, newest first; drafts only for organizers."""
    query = select(Deliberation).order_by(Deliberation.id.desc())
    if not include_drafts:
        query = query.where(Deliberation.status != "draft")
    return list(db.scalars(query))


def set_status(db: DbSession, deliberation: Deliberation, status: str,
               user: User | None) -> None:
    """Open, close or reopen a deliberation (audited)."""
    if status not in DELIBERATION_STATUSES:
        raise InputError(gettext("status must be one of %(choices)s")
                         % {"choices": ", ".join(DELIBERATION_STATUSES)},
                         location="status")
    previous = deliberation.status
    deliberation.status = status
    deliberation.closed_at = utcnow() if status == "closed" else None
    action = {"closed": "close", "open": "open", "draft": "draft"}[status]
    audit(db, user, f"deliberation.{action}", f"deliberation:{deliberation.id}",
          f"{previous} -> {status}")


def validate_statement_text(text: str, location: str = "text") -> str:
    """The stripped text, or an InputError when it is outside 10-280 characters."""
    cleaned = " ".join((text or "").split())
    if not MIN_LENGTH <= len(cleaned) <= MAX_LENGTH:
        raise InputError(
            gettext("a statement has %(min)d to %(max)d characters; this one has %(num)d")
            % {"min": MIN_LENGTH, "max": MAX_LENGTH, "num": len(cleaned)}, location=location)
    return cleaned


def _existing_texts(db: DbSession, deliberation: Deliberation) -> list[tuple[int, str]]:
    rows = db.execute(
        select(DeliberationStatement.id, DeliberationStatement.text,
               DeliberationStatement.text_local)
        .where(DeliberationStatement.deliberation_id == deliberation.id,
               DeliberationStatement.moderation != "rejected")
        .order_by(DeliberationStatement.id)
    )
    texts: list[tuple[int, str]] = []
    for statement_id, text, text_local in rows:
        texts.append((statement_id, text))
        if text_local:
            texts.append((statement_id, text_local))
    return texts


def _refuse_duplicate(db: DbSession, deliberation: Deliberation, text: str,
                      location: str) -> None:
    existing = _existing_texts(db, deliberation)
    repeated = find_duplicate(text, existing)
    if repeated is not None:
        original = next(t for i, t in existing if i == repeated)
        raise ConflictError(
            gettext("this repeats a statement already made: \u201c%(original)s\u201d")
            % {"original": original}, location=location)


def seed_statements(db: DbSession, deliberation: Deliberation, texts: Iterable[str | tuple],
                    user: User | None = None, *, source: str = "seed",
                    line_numbers: Sequence[int] | None = None,
                    override_reason: str | None = None) -> list[DeliberationStatement]:
    """Add organizer statements, accepted at once; each item is text or (text, text_local).

    Errors are located as ``source:line``, the line being the item's position or, when given,
    its entry in ``line_numbers`` (for files with blank lines skipped). Statements are checked
    under the event's attribution policy; held ones are refused unless ``override_reason``
    says why they may be shown (each override is audited).

    Raises
    ------
    InputError
        For a text outside the length limits (``source:line``).
    ConflictError
        For a text that repeats an existing statement (``source:line``).
    AttributionHeld
        For a statement that attributes a view to a participant, without ``override_reason``.
    """
    guard = _guard(db, deliberation)
    added = []
    for index, item in enumerate(texts):
        text, text_local = (item, None) if isinstance(item, str) else (item[0], item[1])
        line = line_numbers[index] if line_numbers is not None else index + 1
        location = f"{source}:{line}"
        text = validate_statement_text(text, location)
        if text_local:
            text_local = validate_statement_text(text_local, location)
        _refuse_duplicate(db, deliberation, text, location)
        try:
            held = guard.enforce(_statement_texts("new", text, text_local),
                                 reason=override_reason, user=user, record=False)
        except AttributionHeld as exc:
            raise AttributionHeld([replace(h, field=location) for h in exc.holds]) from exc
        statement = DeliberationStatement(
            deliberation_id=deliberation.id, text=text, text_local=text_local,
            language=deliberation.language, author_user_id=user.id if user else None,
            moderation="accepted", is_seed=True,
        )
        db.add(statement)
        db.flush()
        for hold in held:
            guard.override(hold, override_reason or "", user,
                           target=hold.target.replace(":new", f":{statement.id}"))
        added.append(statement)
    if added:
        audit(db, user, "deliberation.seed", f"deliberation:{deliberation.id}",
              f"{len(added)} statements")
    return added


def add_statement(db: DbSession, deliberation: Deliberation,
                  participant: DeliberationParticipant, text: str) -> DeliberationStatement:
    """A participant's statement, pending moderation.

    Raises
    ------
    PermissionDeniedError
        When the deliberation is not open or takes no participant statements.
    InputError
        Outside 10-280 characters.
    ConflictError
        When it repeats a statement (the message names which).
    """
    _require_open(deliberation)
    if not deliberation.allow_statements:
        raise PermissionDeniedError(gettext("this deliberation takes no new statements"))
    if participant.deliberation_id != deliberation.id:
        raise PermissionDeniedError(gettext("not a participant of this deliberation"))
    text = validate_statement_text(text)
    _refuse_duplicate(db, deliberation, text, "text")
    statement = DeliberationStatement(
        deliberation_id=deliberation.id, text=text, language=_guess_language(text),
        author_participant_id=participant.id, moderation="pending", is_seed=False,
    )
    db.add(statement)
    db.flush()
    return statement


def _guess_language(text: str) -> str:
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return "zh" if cjk * 3 >= len(text.replace(" ", "")) else "en"


def moderate(db: DbSession, statement: DeliberationStatement, state: str,
             user: User | None, *, override_reason: str | None = None) -> None:
    """Accept or reject a statement (audited).

    Raises
    ------
    AttributionHeld
        When accepting a statement that attributes a view to a participant under the Chatham
        House rule without ``override_reason`` (the override is audited).
    """
    if state not in ("accepted", "rejected", "pending"):
        raise InputError(gettext("moderation must be accepted, rejected or pending"),
                         location="moderation")
    if state == "accepted":
        _guard(db, statement.deliberation).enforce(
            _statement_texts(statement.id, statement.text, statement.text_local),
            reason=override_reason, user=user)
    previous = statement.moderation
    statement.moderation = state
    if previous != state:
        # Results change without a vote: order result snapshots past this point.
        db.execute(update(Deliberation).where(Deliberation.id == statement.deliberation_id)
                   .values(revision=Deliberation.revision + 1)
                   .execution_options(synchronize_session=False))
    audit(db, user, f"statement.{state}", f"statement:{statement.id}",
          f"deliberation:{statement.deliberation_id} {previous} -> {state}")


def _require_open(deliberation: Deliberation) -> None:
    if deliberation.status != "open":
        raise PermissionDeniedError(gettext("this deliberation is not open"))


def _add_participant(db: DbSession, deliberation: Deliberation, *,
                     person: Person | None = None, invite_hash: str | None = None
                     ) -> Joined:
    token, token_hash = _new_token()
    while True:
        public_id = _new_public_id()
        taken = db.scalar(select(func.count()).select_from(DeliberationParticipant).where(
            DeliberationParticipant.deliberation_id == deliberation.id,
            DeliberationParticipant.public_id == public_id))
        if not taken:
            break
    participant = DeliberationParticipant(
        deliberation_id=deliberation.id, public_id=public_id, token_hash=token_hash,
        invite_hash=invite_hash, person=person,
    )
    db.add(participant)
    db.flush()
    return Joined(participant, token)


def join(db: DbSession, deliberation: Deliberation) -> Joined:
    """Join an open deliberation that needs no invitation.

    Raises
    ------
    PermissionDeniedError
        When it is not open or is invite-only.
    """
    _require_open(deliberation)
    if deliberation.invite_only:
        raise PermissionDeniedError(gettext("this deliberation is by invitation only"))
    return _add_participant(db, deliberation)


def create_invites(db: DbSession, deliberation: Deliberation, count: int = 1, *,
                   person: Person | None = None, user: User | None = None
                   ) -> list[tuple[DeliberationParticipant, str]]:
    """Personal invitations: (participant, invite token) pairs; tokens are stored hashed."""
    if not 1 <= count <= 1000:
        raise InputError(gettext("invite 1 to 1000 participants at a time"), location="count")
    invites = []
    for _number in range(count):
        invite = secrets.token_urlsafe(32)
        joined = _add_participant(db, deliberation, person=person, invite_hash=hash_token(invite))
        invites.append((joined.participant, invite))
    audit(db, user, "deliberation.invite", f"deliberation:{deliberation.id}",
          f"{count} invitations")
    return invites


def redeem_invite(db: DbSession, deliberation: Deliberation, invite: str) -> Joined:
    """Exchange a one-time invitation for the participant's secret token.

    Raises
    ------
    PermissionDeniedError
        For an unknown or already used invitation, or a closed deliberation.
    """
    _require_open(deliberation)
    participant = db.scalar(select(DeliberationParticipant).where(
        DeliberationParticipant.invite_hash == hash_token(invite),
        DeliberationParticipant.deliberation_id == deliberation.id))
    if participant is None:
        raise PermissionDeniedError(gettext("this invitation is not valid or was already used"))
    token, token_hash = _new_token()
    participant.token_hash = token_hash
    participant.invite_hash = None
    participant.invite_used_at = utcnow()
    db.flush()
    return Joined(participant, token)


def invitation_usable(db: DbSession, deliberation: Deliberation, invite: str) -> bool:
    """Whether ``invite`` can still be accepted: it is unused and the deliberation is open
    (a used invitation is not kept, so it reads as unknown)."""
    if deliberation.status != "open":
        return False
    return db.scalar(select(DeliberationParticipant.id).where(
        DeliberationParticipant.invite_hash == hash_token(invite),
        DeliberationParticipant.deliberation_id == deliberation.id)) is not None


def participant_by_token(db: DbSession, token: str | None) -> DeliberationParticipant | None:
    """The participant whose secret token this is, or None."""
    if not token:
        return None
    return db.scalar(select(DeliberationParticipant).where(
        DeliberationParticipant.token_hash == hash_token(token)))


def statement_counts(db: DbSession, deliberation_id: int) -> dict[str, int]:
    """Participation counts: participants who voted, votes, statements by state."""
    voters = db.scalar(select(func.count(func.distinct(DeliberationVote.participant_id)))
                       .where(DeliberationVote.deliberation_id == deliberation_id)) or 0
    votes = db.scalar(select(func.count()).select_from(DeliberationVote)
                      .where(DeliberationVote.deliberation_id == deliberation_id)) or 0
    counts = {"voters": voters, "votes": votes, "accepted": 0, "pending": 0, "rejected": 0}
    for state, n in db.execute(
        select(DeliberationStatement.moderation, func.count())
        .where(DeliberationStatement.deliberation_id == deliberation_id)
        .group_by(DeliberationStatement.moderation)
    ):
        counts[state] = n
    return counts


def statements_of(db: DbSession, deliberation_id: int, states: Sequence[str] = ("accepted",)
                  ) -> list[DeliberationStatement]:
    """The deliberation's statements in these moderation states, oldest first."""
    return list(db.scalars(
        select(DeliberationStatement)
        .where(DeliberationStatement.deliberation_id == deliberation_id,
               DeliberationStatement.moderation.in_(states))
        .order_by(DeliberationStatement.id)))
