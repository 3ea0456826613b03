"""Fuzzing import-unga: every generated vote file is imported or refused cleanly."""

from __future__ import annotations

from hypothesis import given
from sqlalchemy import Engine

from tests._fuzz import FUZZ_SETTINGS, ImportRun, mutated
from tests.states.conftest import DATA

VALID = (DATA / "undl_small.csv").read_bytes()
UNVOTES = {path.name: path.read_bytes() for path in (DATA / "unvotes").glob("*.csv")}
VOTES_TABLE = next(name for name, data in UNVOTES.items() if b"country_code" in data[:200])


@FUZZ_SETTINGS
@given(data=mutated(VALID))
def test_any_un_digital_library_file_is_imported_or_refused_with_one_line(
        sqlite_engine: Engine, sqlite_url: str, data: bytes) -> None:
    run = ImportRun(sqlite_engine, sqlite_url, ["states", "import-unga"])
    run.check(VALID, "first.csv")
    run.check(data, "votes.csv")


@FUZZ_SETTINGS
@given(data=mutated(UNVOTES[VOTES_TABLE]))
def test_any_unvotes_votes_table_is_imported_or_refused_with_one_line(
        sqlite_engine: Engine, sqlite_url: str, data: bytes) -> None:
    others = {name: content for name, content in UNVOTES.items() if name != VOTES_TABLE}
    run = ImportRun(sqlite_engine, sqlite_url, ["states", "import-unga"], folder=True,
                    extra_files=others)
    run.check(data, VOTES_TABLE)
