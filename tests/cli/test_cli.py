"""The detente command: forum import/export/list, db upgrade, users, demo, error handling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app

FORUM = """\
format: detente-forum/1
institutions:
  - {id: inst, name: Institute, name_local: 研究院}
people:
  - {id: chair, name: A Chair}
events:
  - id: cli-forum
    title: CLI Forum
    host: inst
    date: 2026-05-05
    sessions:
      - {title: Only session, chair: chair}
"""


@pytest.fixture
def run(sqlite_url: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["--database", sqlite_url, *args], input=input)

    return invoke


def test_db_upgrade_reports_up_to_date(run) -> None:  # type: ignore[no-untyped-def]
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_forum_import_list_export(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "f.yaml"
    path.write_text(FORUM, encoding="utf-8")
    imported = run("forum", "import", str(path))
    assert imported.exit_code == 0, imported.output
    assert "cli-forum" in imported.output
    listed = run("forum", "list", "--json", "-")
    assert json.loads(listed.output)[0]["id"] == "cli-forum"
    exported = run("forum", "export", "cli-forum", "--format", "json")
    assert json.loads(exported.output)["events"][0]["sessions"][0]["chair"] == "chair"
    as_yaml = run("forum", "export", "cli-forum")
    assert "研究院" in as_yaml.output


def test_bad_file_is_one_line_on_stderr_and_exit_2(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.yaml"
    path.write_text(FORUM.replace("chair: chair}", "chair: ghost}"), encoding="utf-8")
    result = run("forum", "import", str(path))
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert message.count("\n") == 0
    assert "bad.yaml:" in message and "sessions[0].chair" in message and "ghost" in message
    assert json.loads(run("forum", "list", "--json", "-").output) == []


def test_unknown_event_exits_2(run) -> None:  # type: ignore[no-untyped-def]
    result = run("forum", "export", "nope")
    assert result.exit_code == 2
    assert "no event 'nope'" in result.stderr


def test_database_that_cannot_be_opened_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["--database", f"sqlite:///{tmp_path}/no/such/dir/x.db", "forum", "list"]
    )
    assert result.exit_code == 2
    assert "cannot open database" in result.stderr


def test_demo_no_serve_is_idempotent(run) -> None:  # type: ignore[no-untyped-def]
    first = run("demo", "--no-serve")
    assert first.exit_code == 0, first.output
    second = run("demo", "--no-serve")
    assert second.exit_code == 0, second.output
    assert "1 unchanged" in second.stderr
    listed = json.loads(run("forum", "list", "--json", "-").output)
    assert [e["sessions"] for e in listed] == [4]


def test_user_add_stores_a_hash_not_the_password(run, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from detente.store import create_db_engine, session_scope
    from detente.store.models.auth import User

    result = run("user", "add", "alice", "--organizer", "--password-stdin",
                 input="correct horse battery\n")
    assert result.exit_code == 0, result.output
    with session_scope(create_db_engine(sqlite_url)) as db:
        user = db.scalar(select(User))
        assert user.is_organizer
        assert user.password_hash.startswith("$argon2id$")
        assert "correct horse" not in user.password_hash
    again = run("user", "add", "alice", "--password-stdin", input="another long pw\n")
    assert again.exit_code == 2 and "exists" in again.stderr


def test_short_password_is_refused(run) -> None:  # type: ignore[no-untyped-def]
    result = run("user", "add", "bob", "--password-stdin", input="short\n")
    assert result.exit_code == 2
    assert "password" in result.stderr
