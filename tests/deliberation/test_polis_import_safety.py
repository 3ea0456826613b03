"""The Polis import checks the whole export before writing, and leaves nothing behind when it
fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from detente.deliberation import import_polis, plan_polis_import
from detente.errors import DetenteError, ImportFormatError
from detente.forum import DEMO_EVENT_SLUG
from detente.store import session_scope
from detente.store.models.deliberation import Deliberation
from tests._fuzz import database_snapshot
from tests.deliberation.test_polis_fuzz import COMMENTS, VOTES


def _folder(tmp_path: Path, comments: bytes = COMMENTS, votes: bytes = VOTES) -> Path:
    folder = tmp_path / "export"
    folder.mkdir(exist_ok=True)
    (folder / "comments.csv").write_bytes(comments)
    (folder / "votes.csv").write_bytes(votes)
    return folder


@pytest.mark.parametrize(("comments", "votes", "expected"), [
    (COMMENTS.replace(b"accidental", b"accidental \xe9"), VOTES,
     r"comments.csv:2: not UTF-8 text \(byte 0xe9"),
    (COMMENTS.decode().encode("utf-16"), VOTES, r"comments.csv:1: not UTF-8 text"),
    (COMMENTS, VOTES.replace(b"0,2,-1", b"0,2\x00,-1"), r"votes.csv:6: contains a NUL"),
    (COMMENTS, VOTES.replace(b"1700000004000", b"9" * 40),
     r"votes.csv: timestamp .* is not a time"),
    (COMMENTS, VOTES.replace(b",x,1,1,0", b",x,1," + b"p" * 41 + b",0"),
     r"votes.csv: participant id .* is longer than 40 characters"),
])
def test_bad_exports_are_refused_with_the_file_and_nothing_is_written(
        forum_engine: Engine, tmp_path: Path, comments: bytes, votes: bytes,
        expected: str) -> None:
    before = database_snapshot(forum_engine)
    with pytest.raises(DetenteError, match=expected):
        import_polis(forum_engine, _folder(tmp_path, comments, votes), event=DEMO_EVENT_SLUG,
                     session_position=1)
    assert database_snapshot(forum_engine) == before


def test_dry_run_counts_and_writes_nothing(forum_engine: Engine, tmp_path: Path) -> None:
    before = database_snapshot(forum_engine)
    plan = plan_polis_import(forum_engine, _folder(tmp_path), event=DEMO_EVENT_SLUG,
                             session_position=1)
    assert (len(plan.statements), len(plan.participants), len(plan.votes)) == (3, 3, 6)
    assert import_polis(forum_engine, _folder(tmp_path), event=DEMO_EVENT_SLUG,
                        session_position=1, dry_run=True) is None
    assert database_snapshot(forum_engine) == before


def test_a_failure_while_writing_removes_the_draft(forum_engine: Engine, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("detente.deliberation._polis.store_result", broken)
    monkeypatch.setattr("detente.deliberation._polis.compute_result", lambda *_a: {"votes": 6})
    with pytest.raises(RuntimeError, match="disk full"):
        import_polis(forum_engine, _folder(tmp_path), event=DEMO_EVENT_SLUG, session_position=1)
    with session_scope(forum_engine) as db:
        assert db.scalar(select(func.count()).select_from(Deliberation)) == 0


def test_a_missing_session_is_refused_before_reading_votes_into_the_database(
        forum_engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(DetenteError, match="has no session 9"):
        import_polis(forum_engine, _folder(tmp_path), event=DEMO_EVENT_SLUG, session_position=9)
    with pytest.raises(ImportFormatError, match="not a folder"):
        import_polis(forum_engine, tmp_path / "nope", event=DEMO_EVENT_SLUG, session_position=1)


_KILLED_IMPORT = """
import sys, time
import detente.deliberation._polis as polis
from detente.store import create_db_engine

def stall(*args):
    print("writing", flush=True)
    time.sleep(60)

polis._write_plan = stall
polis.import_polis(create_db_engine(sys.argv[1]), sys.argv[2], event=sys.argv[3],
                   session_position=1)
"""


def test_a_killed_import_leaves_no_draft_after_the_next_import(forum_engine: Engine,
                                                               tmp_path: Path) -> None:
    """SIGKILL skips every clean-up handler: the draft written before the votes stayed behind
    for ever. The next import (which holds the import lock, so nothing else is importing)
    removes what an unfinished import left."""
    import signal
    import subprocess
    import sys

    url = forum_engine.url.render_as_string(hide_password=False)
    folder = _folder(tmp_path)
    before = database_snapshot(forum_engine)
    child = subprocess.Popen([sys.executable, "-c", _KILLED_IMPORT, url, str(folder),
                              DEMO_EVENT_SLUG], stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == b"writing"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    with session_scope(forum_engine) as db:
        assert db.scalar(select(func.count()).select_from(Deliberation)) == 1  # the draft
    notes: list[str] = []
    deliberation_id = import_polis(forum_engine, folder, event=DEMO_EVENT_SLUG,
                                   session_position=1, on_wait=notes.append)
    with session_scope(forum_engine) as db:
        kept = db.scalars(select(Deliberation)).all()
        assert [(d.id, d.status) for d in kept] == [(deliberation_id, "closed")]
    assert any("unfinished" in note for note in notes), notes
    after = database_snapshot(forum_engine)
    changed = {name for name in after if after[name] != before[name]}
    assert changed <= {"deliberations", "deliberation_statements", "deliberation_participants",
                       "deliberation_votes", "deliberation_vote_history", "deliberation_results",
                       "audit_log"}, changed
