"""Importing forum files: idempotent, transactional, and precise about errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from detente.errors import ImportFormatError
from detente.forum import get_event, import_forum_file, load_demo_forum
from detente.store import session_scope
from detente.store.models.forum import Event, Institution, Participation, Person, Role


def _counts(engine: Engine) -> tuple[int, ...]:
    with session_scope(engine) as db:
        return tuple(
            db.scalar(select(func.count()).select_from(model))
            for model in (Event, Institution, Person, Participation)
        )


def test_import_creates_event_with_sessions_and_chairs(engine: Engine, write_forum,
                                                       forum_text: str) -> None:
    summary = import_forum_file(engine, write_forum(forum_text))
    assert summary.created["events"] == 1
    with session_scope(engine) as db:
        event = get_event(db, "test-forum")
        assert event.title_local == "测试论坛"
        assert [s.title for s in event.sessions] == ["First session"]
        assert event.sessions[0].chair.name_local == "主持人一"
        roles = {(p.person.slug, p.role) for p in event.participations}
        assert ("chair-one", Role.CHAIR) in roles
        assert ("speaker-two", Role.SPEAKER) in roles


def test_reimport_changes_nothing(engine: Engine, write_forum, forum_text: str) -> None:
    path = write_forum(forum_text)
    import_forum_file(engine, path)
    before = _counts(engine)
    summary = import_forum_file(engine, path)
    assert _counts(engine) == before
    assert not summary.created and not summary.updated
    assert summary.unchanged["events"] == 1


def test_reimport_of_edited_file_updates_the_event(engine: Engine, write_forum,
                                                   forum_text: str) -> None:
    import_forum_file(engine, write_forum(forum_text))
    edited = forum_text.replace("title: First session", "title: Opening session")
    summary = import_forum_file(engine, write_forum(edited))
    assert summary.updated["events"] == 1
    with session_scope(engine) as db:
        assert get_event(db, "test-forum").sessions[0].title == "Opening session"


def test_demo_forum_loads_twice_without_change(engine: Engine) -> None:
    load_demo_forum(engine)
    before = _counts(engine)
    summary = load_demo_forum(engine)
    assert _counts(engine) == before
    assert summary.unchanged["events"] == 1 and not summary.updated


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("    host: inst", "    host: inst\n    hots: x"),
         r"forum.yaml:\d+: events\[0\].hots: unknown field"),
        (lambda t: t.replace("chair: chair-one", "chair: nobody"),
         r"forum.yaml:\d+: events\[0\].sessions\[0\].chair: no person with id 'nobody'"),
        (lambda t: t.replace("  - id: speaker-two", "  - id: chair-one"),
         r"forum.yaml:\d+: people\[1\].id: duplicate id 'chair-one'"),
        (lambda t: t.replace("date: 2026-03-01", "date: someday"),
         r"forum.yaml:\d+: events\[0\].date"),
        (lambda t: t.replace("title: Test Forum", "title: [unclosed"),
         r"forum.yaml:\d+: invalid YAML"),
        (lambda t: t.replace("themes: [theme-a]", "themes: [theme-z]"),
         r"themes\[0\]: no theme with id 'theme-z'"),
        (lambda t: t.replace("attribution: chatham_house", "attribution: whatever"),
         r"events\[0\].attribution"),
    ],
)
def test_bad_input_names_file_line_and_field_and_changes_nothing(
    engine: Engine, write_forum, forum_text: str, edit, message: str
) -> None:
    import_forum_file(engine, write_forum(forum_text, "good.yaml"))
    before = _counts(engine)
    with pytest.raises(ImportFormatError, match=message):
        import_forum_file(engine, write_forum(edit(forum_text)))
    assert _counts(engine) == before


def test_error_in_second_event_leaves_the_first_unimported(engine: Engine, write_forum,
                                                           forum_text: str) -> None:
    second = """
  - id: second
    title: Second
    host: nowhere
    date: 2026-04-01
"""
    with pytest.raises(ImportFormatError, match="no institution with id 'nowhere'"):
        import_forum_file(engine, write_forum(forum_text + second))
    assert _counts(engine) == (0, 0, 0, 0)


def test_empty_and_non_mapping_files_are_refused(engine: Engine, write_forum) -> None:
    with pytest.raises(ImportFormatError, match="empty"):
        import_forum_file(engine, write_forum(""))
    with pytest.raises(ImportFormatError, match="mapping"):
        import_forum_file(engine, write_forum("- a\n- b\n"))


def test_missing_file_is_named(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match=r"nope\.yaml: no such file"):
        import_forum_file(engine, tmp_path / "nope.yaml")
