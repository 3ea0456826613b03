"""The proposals register: fields, statuses, themes, audit; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from detente.errors import ConflictError, InputError, NotFoundError
from detente.forum import DEMO_EVENT_SLUG, get_event, load_demo_forum
from detente.reports import (
    PUBLIC_STATUSES,
    add_evidence,
    create_proposal,
    get_proposal,
    list_proposals,
    load_demo_publications,
    parse_status,
    remove_evidence,
    update_proposal,
)
from detente.store import session_scope
from detente.store.models.auth import AuditEntry
from detente.store.models.publications import ProposalStatus


@pytest.fixture
def forum(engine: Engine) -> Engine:
    load_demo_forum(engine)
    return engine


def test_proposal_with_chinese_text_round_trips(forum: Engine) -> None:
    with session_scope(forum) as db:
        proposal = create_proposal(
            db, get_event(db, DEMO_EVENT_SLUG), title="Hotline", text="A hotline.",
            title_local="热线", text_local="建立热线。", session_position=2,
            themes=["red-lines", "military-ai"])
        proposal_id = proposal.id
    with session_scope(forum) as db:
        proposal = get_proposal(db, proposal_id)
        assert (proposal.title_local, proposal.text_local) == ("热线", "建立热线。")
        assert [t.slug for t in proposal.themes] == ["military-ai", "red-lines"]
        assert proposal.session.position == 2 and proposal.status == ProposalStatus.DRAFT


def test_status_moves_and_public_listing(forum: Engine) -> None:
    with session_scope(forum) as db:
        event = get_event(db, DEMO_EVENT_SLUG)
        proposal = create_proposal(db, event, title="A", text="Text.")
        assert list_proposals(db, event, statuses=PUBLIC_STATUSES) == []
        update_proposal(db, proposal, status="endorsed")
        update_proposal(db, proposal, status="taken-up")
        assert [p.id for p in list_proposals(db, event, statuses=PUBLIC_STATUSES)] == [proposal.id]
        details = list(db.scalars(select(AuditEntry.detail).where(
            AuditEntry.action == "proposal.update")))
        assert details == ["status draft->endorsed", "status endorsed->taken_up"]


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": " ", "text": "x"}, "title"),
    ({"title": "x", "text": ""}, "text"),
    ({"title": "x" * 301, "text": "x"}, "300"),
    ({"title": "x", "text": "x", "themes": ["nope"]}, "unknown theme"),
    ({"title": "x", "text": "x", "session_position": 7}, "no session 7"),
    ({"title": "x", "text": "x", "status": "adopted"}, "unknown status"),
])
def test_bad_fields_are_refused_with_the_field_named(forum: Engine, fields, message) -> None:
    with session_scope(forum) as db, pytest.raises(InputError, match=message):
        create_proposal(db, get_event(db, DEMO_EVENT_SLUG), **fields)


def test_evidence_links_are_ordered_unique_and_removable(forum: Engine) -> None:
    with session_scope(forum) as db:
        proposal = create_proposal(db, get_event(db, DEMO_EVENT_SLUG), title="A", text="B")
        first = add_evidence(db, proposal, "session", f"{DEMO_EVENT_SLUG}#1", "where it arose")
        second = add_evidence(db, proposal, "url", "https://example.org/paper")
        assert first.label.endswith("New transformations and trends in global security "
                                    "governance in the age of AI")
        assert [e.position for e in proposal.evidence] == [1, 2]
        with pytest.raises(ConflictError):
            add_evidence(db, proposal, "url", "https://example.org/paper")
        remove_evidence(db, proposal, second.id)
        assert [e.kind for e in proposal.evidence] == ["session"]
        with pytest.raises(NotFoundError):
            remove_evidence(db, proposal, 9999)


def test_parse_status_accepts_readable_forms() -> None:
    assert parse_status("Taken up") == ProposalStatus.TAKEN_UP
    assert parse_status("ENDORSED") == ProposalStatus.ENDORSED


def test_demo_publications_load_once(engine: Engine) -> None:
    first = load_demo_publications(engine)
    assert first.startswith("added 3")
    assert load_demo_publications(engine) == "already present"
    with session_scope(engine) as db:
        proposals = list_proposals(db)
        assert len(proposals) == 2
        assert all(p.illustrative and p.status == ProposalStatus.DRAFT for p in proposals)
        assert all(p.text.startswith("Illustrative example.") and p.text_local.startswith("示例")
                   for p in proposals)
        assert all(p.evidence for p in proposals)
