"""Held texts and overrides: refused without a reason, published with one, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from detente.errors import InputError
from detente.forum import (
    AttributionHeld,
    Text,
    attribution_guard,
    get_event,
    guarded_event,
    load_demo_forum,
    public_event,
)
from detente.forum._demo import DEMO_EVENT_SLUG
from detente.store import session_scope
from detente.store.models.attribution import AttributionOverride
from detente.store.models.auth import AuditEntry

HELD = Text("news:1:body", "body", "Ms Xiao said that trust is scarce.", "en")
CLEAN = Text("news:1:lead", "lead", "The first session was chaired by Xiao Qian.", "en")


@pytest.fixture
def demo(sqlite_engine: Engine) -> Engine:
    load_demo_forum(sqlite_engine)
    return sqlite_engine


def test_held_text_is_refused_with_the_sentence_and_the_person(demo: Engine) -> None:
    with session_scope(demo) as db:
        guard = attribution_guard(db, get_event(db, DEMO_EVENT_SLUG))
        with pytest.raises(AttributionHeld) as caught:
            guard.enforce([CLEAN, HELD])
        assert [h.target for h in caught.value.holds] == ["news:1:body"]
        assert "Ms Xiao said that trust is scarce." in str(caught.value)
        assert "Xiao Qian (肖茜)" in str(caught.value)
        assert not guard.allows(HELD) and guard.allows(CLEAN)


def test_the_message_follows_the_interface_language(demo: Engine) -> None:
    from detente import i18n

    with session_scope(demo) as db, i18n.use_language("zh"):
        guard = attribution_guard(db, get_event(db, DEMO_EVENT_SLUG))
        with pytest.raises(AttributionHeld) as caught:
            guard.enforce([HELD])
    assert "查塔姆" in str(caught.value) and "肖茜" in str(caught.value)


def test_an_override_needs_a_reason_and_is_audited(demo: Engine) -> None:
    with session_scope(demo) as db:
        guard = attribution_guard(db, get_event(db, DEMO_EVENT_SLUG))
        with pytest.raises(InputError):
            guard.enforce([HELD], reason="ok")
        guard.enforce([HELD], reason="Quoted with her written consent")
    with session_scope(demo) as db:
        guard = attribution_guard(db, get_event(db, DEMO_EVENT_SLUG))
        assert guard.allows(HELD)
        changed = Text(HELD.target, "body", HELD.text + " She added more.", "en")
        assert not guard.allows(changed)  # the override covers the exact text only
        row = db.scalar(select(AttributionOverride))
        assert row is not None and row.reason == "Quoted with her written consent"
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "attribution.override"))
        assert entry is not None and entry.target == "news:1:body"
        assert "Quoted with her written consent" in (entry.detail or "")
        assert "Ms Xiao said" in (entry.detail or "")


def test_record_texts_held_later_are_left_out_of_the_public_event(demo: Engine) -> None:
    with session_scope(demo) as db:
        event = get_event(db, DEMO_EVENT_SLUG)
        event.sessions[1].description = "Sun Chenghao argued that deterrence is fragile."
        db.flush()
        shown, holds = guarded_event(attribution_guard(db, event), public_event(event))
    assert [h.target.split(":")[0] for h in holds] == ["session"]
    assert shown.sessions[1].description is None
    assert shown.sessions[0].description
