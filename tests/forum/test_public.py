"""The public view and exports obey the event's attribution policy."""

from __future__ import annotations

import json

import yaml
from sqlalchemy import Engine

from detente.forum import (
    DEMO_EVENT_SLUG,
    event_document,
    export_event,
    get_event,
    import_forum_file,
    parse_forum_file,
    public_event,
)
from detente.store import session_scope


def test_chatham_house_event_hides_who_spoke(sqlite_engine: Engine, write_forum,
                                            forum_text: str) -> None:
    import_forum_file(sqlite_engine, write_forum(forum_text))
    with session_scope(sqlite_engine) as db:
        view = public_event(get_event(db, "test-forum"))
        text = export_event(get_event(db, "test-forum"), "yaml")
    assert view.closing_speaker is None
    assert view.sessions[0].speakers == ()
    assert view.sessions[0].chair is not None  # chairing is not a view
    assert "speaker-two" not in text and "Speaker Two\n" not in text


def test_attributed_event_names_speakers(sqlite_engine: Engine, write_forum,
                                         forum_text: str) -> None:
    text = forum_text.replace("attribution: chatham_house", "attribution: attributed")
    import_forum_file(sqlite_engine, write_forum(text))
    with session_scope(sqlite_engine) as db:
        view = public_event(get_event(db, "test-forum"))
    assert view.closing_speaker is not None and view.closing_speaker.name == "Speaker Two"
    assert [p.name for p in view.sessions[0].speakers] == ["Speaker Two"]


def test_internal_export_round_trips(sqlite_engine: Engine, write_forum, forum_text: str,
                                     tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_forum_file(sqlite_engine, write_forum(forum_text))
    with session_scope(sqlite_engine) as db:
        text = export_event(get_event(db, "test-forum"), "yaml", include_attributions=True)
    exported = tmp_path / "exported.yaml"
    exported.write_text(text, encoding="utf-8")
    original = parse_forum_file(tmp_path / "forum.yaml").events[0]
    again = parse_forum_file(exported).events[0]
    assert again.closing_remarks == original.closing_remarks
    assert [s.chair for s in again.sessions] == [s.chair for s in original.sessions]
    summary = import_forum_file(sqlite_engine, exported)
    assert not summary.created and not summary.updated


def test_json_export_keeps_chinese_characters(demo_engine: Engine) -> None:
    with session_scope(demo_engine) as db:
        text = export_event(get_event(db, DEMO_EVENT_SLUG), "json")
    assert "清华大学战略与安全研究中心" in text
    document = json.loads(text)
    assert len(document["events"][0]["sessions"]) == 4


def test_demo_export_has_four_chaired_sessions(demo_engine: Engine) -> None:
    with session_scope(demo_engine) as db:
        document = event_document(get_event(db, DEMO_EVENT_SLUG))
    chairs = [s["chair"] for s in document["events"][0]["sessions"]]
    assert chairs == ["xiao-qian", "sun-chenghao", "dong-ting", "zhou-bo"]
    assert "speaker" not in document["events"][0]["closing_remarks"]
    assert yaml.safe_dump(document, allow_unicode=True)
