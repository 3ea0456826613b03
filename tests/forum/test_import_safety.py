"""Forum imports never destroy what they do not own, round-trip exports exactly, and refuse
hostile files with one line."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from detente.cli import app
from detente.deliberation import load_demo_deliberation
from detente.errors import ConflictError, ImportFormatError
from detente.forum import (
    DEMO_EVENT_SLUG,
    export_event,
    get_event,
    import_forum_file,
    load_demo_forum,
)
from detente.store import session_scope
from detente.store.models.deliberation import Deliberation, DeliberationVote
from tests._fuzz import database_snapshot


def _export(engine: Engine, slug: str, **options: bool) -> str:
    with session_scope(engine) as db:
        return export_event(get_event(db, slug), "yaml", **options)


@pytest.fixture
def demo_with_votes(sqlite_engine: Engine) -> Engine:
    load_demo_forum(sqlite_engine)
    load_demo_deliberation(sqlite_engine)
    return sqlite_engine


def _without_sessions(text: str, keep: int) -> str:
    document = yaml.safe_load(text)
    document["events"][0]["sessions"] = document["events"][0]["sessions"][:keep]
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def test_removing_sessions_from_an_export_is_refused_naming_the_deliberation(
        demo_with_votes: Engine, tmp_path: Path) -> None:
    path = tmp_path / "cut.yaml"
    path.write_text(_without_sessions(_export(demo_with_votes, DEMO_EVENT_SLUG), 1), "utf-8")
    before = database_snapshot(demo_with_votes)
    with pytest.raises(ConflictError) as caught:
        import_forum_file(demo_with_votes, path)
    message = str(caught.value)
    assert "session 2 'The militarization of AI" in message
    assert "deliberation 1 (60 participants, 25 statements, 1,278 votes)" in message
    assert "--prune" in message and "\n" not in message
    assert database_snapshot(demo_with_votes) == before


def test_prune_deletes_only_after_confirmation(demo_with_votes: Engine, tmp_path: Path) -> None:
    path = tmp_path / "cut.yaml"
    path.write_text(_without_sessions(_export(demo_with_votes, DEMO_EVENT_SLUG), 1), "utf-8")
    before = database_snapshot(demo_with_votes)
    asked: list[list[str]] = []
    with pytest.raises(ConflictError, match="not confirmed"):
        import_forum_file(demo_with_votes, path, prune=True,
                          confirm=lambda s: bool(asked.append(s.removals)))
    assert database_snapshot(demo_with_votes) == before
    assert len(asked[0]) == 3
    summary = import_forum_file(demo_with_votes, path, prune=True, confirm=lambda s: True)
    assert summary.removed["sessions"] == 3
    with session_scope(demo_with_votes) as db:
        assert len(get_event(db, DEMO_EVENT_SLUG).sessions) == 1
        assert db.scalar(select(func.count()).select_from(Deliberation)) == 0
        assert db.scalar(select(func.count()).select_from(DeliberationVote)) == 0


def test_a_session_removed_from_the_middle_keeps_the_deliberation_on_its_own_session(
        demo_with_votes: Engine, tmp_path: Path) -> None:
    document = yaml.safe_load(_export(demo_with_votes, DEMO_EVENT_SLUG))
    sessions = document["events"][0]["sessions"]
    titled = sessions[1]["title"]
    del sessions[0]  # the deliberation hangs from the second session
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    summary = import_forum_file(demo_with_votes, path, prune=True, confirm=lambda s: True)
    assert summary.removed["sessions"] == 1
    with session_scope(demo_with_votes) as db:
        deliberation = db.scalars(select(Deliberation)).one()
        assert deliberation.session.title == titled and deliberation.session.position == 1


def test_dry_run_reports_the_plan_and_writes_nothing(demo_with_votes: Engine,
                                                    tmp_path: Path) -> None:
    path = tmp_path / "cut.yaml"
    path.write_text(_without_sessions(_export(demo_with_votes, DEMO_EVENT_SLUG), 2), "utf-8")
    before = database_snapshot(demo_with_votes)
    summary = import_forum_file(demo_with_votes, path, dry_run=True)
    assert summary.dry_run and summary.removed["sessions"] == 2
    assert len(summary.removals) == 2
    assert database_snapshot(demo_with_votes) == before


def test_chatham_house_export_reimports_without_losing_the_closing_speaker(
        sqlite_engine: Engine, write_forum, forum_text: str, tmp_path: Path) -> None:
    import_forum_file(sqlite_engine, write_forum(forum_text))
    exported = _export(sqlite_engine, "test-forum")
    assert "speaker-two" not in exported and "attributions_withheld: true" in exported
    before = database_snapshot(sqlite_engine)
    path = tmp_path / "export.yaml"
    path.write_text(exported, encoding="utf-8")
    summary = import_forum_file(sqlite_engine, path)
    assert not summary.changed, summary.describe()
    assert database_snapshot(sqlite_engine) == before
    with session_scope(sqlite_engine) as db:
        event = get_event(db, "test-forum")
        assert event.closing_speaker is not None and event.closing_speaker.slug == "speaker-two"


def test_demo_export_reimports_with_nothing_updated(demo_with_votes: Engine,
                                                   tmp_path: Path) -> None:
    before = database_snapshot(demo_with_votes)
    for options in ({}, {"include_attributions": True}):
        path = tmp_path / "demo.yaml"
        path.write_text(_export(demo_with_votes, DEMO_EVENT_SLUG, **options), encoding="utf-8")
        summary = import_forum_file(demo_with_votes, path)
        assert not summary.updated and not summary.created, summary.describe()
    assert database_snapshot(demo_with_votes) == before


def test_a_withheld_file_cannot_name_speakers(write_forum, forum_text: str,
                                              sqlite_engine: Engine) -> None:
    text = forum_text.replace("    attribution: chatham_house",
                              "    attribution: chatham_house\n    attributions_withheld: true")
    with pytest.raises(ImportFormatError, match=r"forum.yaml:\d+: .*attributions are withheld"):
        import_forum_file(sqlite_engine, write_forum(text))


# --- hostile files through the CLI: one line, exit 2, nothing written ---------------------


def _cli(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--database", url, *args], env={"LANG": "C.UTF-8"})
    return result.exit_code, result.stdout, result.stderr


def _one_line_exit_2(url: str, engine: Engine, path: Path, *options: str) -> str:
    before = database_snapshot(engine)
    code, _out, err = _cli(url, "forum", "import", str(path), *options)
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), err
    assert database_snapshot(engine) == before
    return err


def test_yaml_nested_50000_deep_is_refused_at_once(sqlite_engine: Engine, sqlite_url: str,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("events: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    started = time.perf_counter()
    err = _one_line_exit_2(sqlite_url, sqlite_engine, path)
    assert time.perf_counter() - started < 10
    assert "deep.yaml:1" in err and ("nest" in err)


def test_an_alias_bomb_is_refused_at_once(sqlite_engine: Engine, sqlite_url: str,
                                          tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    err = _one_line_exit_2(sqlite_url, sqlite_engine, path)
    assert time.perf_counter() - started < 10
    assert "aliases expand to more than 10000 values" in err


@pytest.mark.parametrize(("text", "expected"), [
    ("events:\n  - 1: x\n", r"forum.yaml:2: the key 1 is not text"),
    ("? [a, b]\n: x\n", r"forum.yaml:1: the key .* is not text"),
    ("people:\n  - {id: a, name: !!python/object:os.system x}\n", r"tag .* is not allowed"),
    ('people:\n  - {id: a, name: "A\\0B"}\n', r"forum.yaml:2: people\[0\].name: .*NUL"),
    ("people:\n  - {id: a, name: A}\n\x00\n", r"forum.yaml:3: contains a NUL character"),
    ("title: caf\xe9\n", r"forum.yaml:1: not UTF-8 text"),
])
def test_odd_yaml_is_refused_with_file_and_line(sqlite_engine: Engine, sqlite_url: str,
                                                tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "forum.yaml"
    path.write_bytes(text.encode("latin-1") if "\xe9" in text else text.encode("utf-8"))
    err = _one_line_exit_2(sqlite_url, sqlite_engine, path)
    assert re.search(expected, err), err


def test_a_folder_as_the_path_is_refused(sqlite_engine: Engine, sqlite_url: str,
                                         tmp_path: Path) -> None:
    err = _one_line_exit_2(sqlite_url, sqlite_engine, tmp_path)
    assert "is a folder, not a file" in err


def test_a_file_over_the_size_limit_names_the_limit_and_the_option(
        sqlite_engine: Engine, sqlite_url: str, write_forum, forum_text: str) -> None:
    path = write_forum(forum_text)
    err = _one_line_exit_2(sqlite_url, sqlite_engine, path, "--max-size", "500")
    assert "over the limit of 500 bytes" in err and "--max-size" in err
    code, out, _err = _cli(sqlite_url, "forum", "import", str(path), "--max-size", "2KB")
    assert code == 0, out


def test_cli_refuses_deletions_then_prunes_with_yes(demo_with_votes: Engine, tmp_path: Path
                                                    ) -> None:
    url = demo_with_votes.url.render_as_string(hide_password=False)
    path = tmp_path / "cut.yaml"
    path.write_text(_without_sessions(_export(demo_with_votes, DEMO_EVENT_SLUG), 3), "utf-8")
    err = _one_line_exit_2(url, demo_with_votes, path)
    assert "session 4" in err
    code, out, _err = _cli(url, "forum", "import", str(path), "--dry-run")
    assert code == 0 and "would delete" in out and "session 4" in out
    code, out, err = _cli(url, "forum", "import", str(path), "--prune")  # no answer: refused
    assert code == 2 and "not confirmed" in err
    code, out, err = _cli(url, "forum", "import", str(path), "--prune", "--yes")
    assert code == 0 and "1 removed" in out, err


def test_an_invalid_file_is_refused_in_time_proportional_to_its_size(
        sqlite_engine: Engine, tmp_path: Path) -> None:
    """0.5 MB of people who all carry an unknown field: refused in about a second (the old
    reader took 37 s for this file and 740 s for 11.9 MB under load; see docs/performance.md)."""
    people = [{"id": f"person-{i:05d}", "name": f"Person number {i}", "name_local": f"人员{i}",
               "title": f"Senior research fellow, team {i % 97}", "affiliation": "inst-a",
               "nmae": "typo"} for i in range(3_500)]
    path = tmp_path / "people.yaml"
    path.write_text(yaml.safe_dump({"format": "detente-forum/1",
                                    "institutions": [{"id": "inst-a", "name": "Institute A"}],
                                    "people": people}, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    assert path.stat().st_size > 500_000
    started = time.perf_counter()
    with pytest.raises(ImportFormatError, match=r"people.yaml:\d+: people\[0\].nmae: unknown"):
        import_forum_file(sqlite_engine, path)
    assert time.perf_counter() - started < 15
