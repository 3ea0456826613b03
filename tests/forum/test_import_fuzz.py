"""Fuzzing the forum importer: every generated file is imported or refused cleanly."""

from __future__ import annotations

from hypothesis import given
from sqlalchemy import Engine

from tests._fuzz import FUZZ_SETTINGS, ImportRun, mutated
from tests.forum.conftest import MINIMAL

VALID = MINIMAL.encode("utf-8")


@FUZZ_SETTINGS
@given(data=mutated(VALID))
def test_any_forum_file_is_imported_or_refused_with_one_line(
        sqlite_engine: Engine, sqlite_url: str, data: bytes) -> None:
    ImportRun(sqlite_engine, sqlite_url, ["forum", "import"]).check(data, "forum.yaml")


@FUZZ_SETTINGS
@given(data=mutated(VALID))
def test_any_forum_file_is_refused_cleanly_over_an_existing_forum(
        sqlite_engine: Engine, sqlite_url: str, data: bytes) -> None:
    run = ImportRun(sqlite_engine, sqlite_url, ["forum", "import"])
    run.check(VALID, "first.yaml")
    run.check(data, "forum.yaml")
