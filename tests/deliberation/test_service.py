"""Deliberation records on both backends: creation, statements, moderation, participants."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from detente.deliberation import (
    add_statement,
    create_deliberation,
    create_invites,
    get_deliberation,
    join,
    moderate,
    participant_by_token,
    redeem_invite,
    seed_statements,
    set_status,
    statements_of,
)
from detente.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from detente.forum import DEMO_EVENT_SLUG
from detente.store import session_scope
from detente.store.models.auth import AuditEntry
from detente.store.models.deliberation import DeliberationParticipant

from .conftest import SEEDS, make_deliberation


def test_deliberation_belongs_to_the_session_at_that_position(forum_engine: Engine) -> None:
    with session_scope(forum_engine) as db:
        d = create_deliberation(db, DEMO_EVENT_SLUG, 2, "Where are the red lines?",
                                question_local="红线在哪里？")
        assert d.session.position == 2
        assert d.status == "open" and d.question_local == "红线在哪里？"


def test_missing_session_is_not_found(forum_engine: Engine) -> None:
    with session_scope(forum_engine) as db, pytest.raises(NotFoundError, match="no session 9"):
        create_deliberation(db, DEMO_EVENT_SLUG, 9, "Where are the red lines?")


def test_seeded_statements_are_accepted_seeds(forum_engine: Engine) -> None:
    deliberation_id = make_deliberation(forum_engine)
    with session_scope(forum_engine) as db:
        statements = statements_of(db, deliberation_id)
        assert [s.text for s in statements] == SEEDS
        assert all(s.is_seed and s.moderation == "accepted" for s in statements)


def test_seed_refuses_a_repeat_naming_the_line(forum_engine: Engine) -> None:
    deliberation_id = make_deliberation(forum_engine)
    with session_scope(forum_engine) as db:
        d = get_deliberation(db, deliberation_id)
        with pytest.raises(ConflictError,
                           match=r"file.txt:2: this repeats a statement already made"):
            seed_statements(db, d, ["A brand new statement here", SEEDS[0].upper()],
                            source="file.txt")


def test_participant_statement_waits_for_moderation(forum_engine: Engine) -> None:
    deliberation_id = make_deliberation(forum_engine)
    with session_scope(forum_engine) as db:
        d = get_deliberation(db, deliberation_id)
        joined = join(db, d)
        statement = add_statement(db, d, joined.participant,
                                  "Chip export controls deepen mistrust.")
        assert statement.moderation == "pending" and not statement.is_seed
        assert statement.author_participant_id == joined.participant.id


def test_duplicate_statement_message_names_the_original(forum_engine: Engine) -> None:
    deliberation_id = make_deliberation(forum_engine)
    with session_scope(forum_engine) as db:
        d = get_deliberation(db, deliberation_id)
        joined = join(db, d)
        with pytest.raises(ConflictError) as caught:
            add_statement(db, d, joined.participant,
                          "nuclear launch decisions must stay with humans")
        assert "Nuclear launch decisions must stay with humans." in str(caught.value)


def test_chinese_statement_is_stored_and_detected_as_chinese(forum_engine: Engine) -> None:
    deliberation_id = make_deliberation(forum_engine)
    with session_scope(forum_engine) as db:
        d = get_deliberation(db, deliberation_id)
        joined = join(db, d)
        statement = add_statement(db, d, joined.participant,
                                  "各国应就人工智能军事应用建立危机沟通机制。")
        assert statement.language == "zh"
    with session_scope(forum_engine) as db:
        texts = [s.text for s in statements_of(db, deliberation_id, ("pending",))]
        assert texts == ["各国应就人工智能军事应用建立危机沟通机制。"]


def test_statements_refused_when_the_deliberation_takes_none(forum_engine: Engine) -> None:
    deliberation_id = make_deliberation(forum_engine, allow_statements=False)
    with session_scope(forum_engine) as db:
        d = get_deliberation(db, deliberation_id)
        joined = join(db, d)
        with pytest.raises(PermissionDeniedError):
            add_statement(db, d, joined.participant, "A perfectly fine new statement.")


def test_moderation_and_closing_are_audited(forum_engine: Engine) -> None:
    deliberation_id = make_deliberation(forum_engine)
    with session_scope(forum_engine) as db:
        d = get_deliberation(db, deliberation_id)
        statement = statements_of(db, deliberation_id)[0]
        moderate(db, statement, "rejected", None)
        set_status(db, d, "closed", None)
        set_status(db, d, "open", None)
    with session_scope(forum_engine) as db:
        actions = list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-3:] == ["statement.rejected", "deliberation.close", "deliberation.open"]


def test_tokens_are_stored_only_as_hashes(forum_engine: Engine) -> None:
    deliberation_id = make_deliberation(forum_engine)
    with session_scope(forum_engine) as db:
        joined = join(db, get_deliberation(db, deliberation_id))
        token = joined.token
    assert len(token) >= 40
    with session_scope(forum_engine) as db:
        stored = db.scalar(select(DeliberationParticipant.token_hash))
        assert stored != token and len(stored) == 64
        assert participant_by_token(db, token).id == joined.participant.id
        assert participant_by_token(db, token + "x") is None


def test_invite_only_refuses_open_join_and_invites_work_once(forum_engine: Engine) -> None:
    deliberation_id = make_deliberation(forum_engine, invite_only=True)
    with session_scope(forum_engine) as db:
        d = get_deliberation(db, deliberation_id)
        with pytest.raises(PermissionDeniedError, match="invitation"):
            join(db, d)
        (participant, invite), = create_invites(db, d, 1)
        joined = redeem_invite(db, d, invite)
        assert joined.participant.id == participant.id
        with pytest.raises(PermissionDeniedError, match="already used"):
            redeem_invite(db, d, invite)


def test_closed_deliberation_cannot_be_joined(forum_engine: Engine) -> None:
    deliberation_id = make_deliberation(forum_engine, status="closed")
    with session_scope(forum_engine) as db, pytest.raises(PermissionDeniedError, match="not open"):
        join(db, get_deliberation(db, deliberation_id))


def test_short_question_is_refused(forum_engine: Engine) -> None:
    with session_scope(forum_engine) as db, pytest.raises(InputError, match="question"):
        create_deliberation(db, DEMO_EVENT_SLUG, 2, "?")
