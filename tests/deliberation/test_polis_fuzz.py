"""Fuzzing the Polis import: every generated export is imported or refused cleanly."""

from __future__ import annotations

from hypothesis import given
from sqlalchemy import Engine

from detente.forum import DEMO_EVENT_SLUG, load_demo_forum
from tests._fuzz import FUZZ_SETTINGS, ImportRun, mutated

COMMENTS = (
    b"timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    b"1700000000000,x,0,0,2,1,1,Military AI raises the risk of accidental escalation.\n"
    b"1700000001000,x,1,1,1,2,1,\"Verification of limits, on military AI, is impossible.\"\n"
    b"1700000002000,x,2,2,0,0,-1,A statement moderated out\n"
)
VOTES = (
    b"timestamp,datetime,comment-id,voter-id,vote\n"
    b"1700000003000,x,0,0,1\n1700000004000,x,1,0,-1\n1700000005000,x,0,1,1\n"
    b"1700000006000,x,1,1,0\n1700000007000,x,0,2,-1\n1700000008000,x,2,2,1\n"
)
OPTIONS = ["--event", DEMO_EVENT_SLUG, "--session", "1"]


@FUZZ_SETTINGS
@given(data=mutated(VOTES))
def test_any_votes_file_is_imported_or_refused_with_one_line(
        sqlite_engine: Engine, sqlite_url: str, data: bytes) -> None:
    load_demo_forum(sqlite_engine)
    run = ImportRun(sqlite_engine, sqlite_url, ["deliberation", "import-polis"], OPTIONS,
                    folder=True, extra_files={"comments.csv": COMMENTS})
    run.check(data, "votes.csv")


@FUZZ_SETTINGS
@given(data=mutated(COMMENTS))
def test_any_comments_file_is_imported_or_refused_with_one_line(
        sqlite_engine: Engine, sqlite_url: str, data: bytes) -> None:
    load_demo_forum(sqlite_engine)
    run = ImportRun(sqlite_engine, sqlite_url, ["deliberation", "import-polis"], OPTIONS,
                    folder=True, extra_files={"votes.csv": VOTES})
    run.check(data, "comments.csv")
