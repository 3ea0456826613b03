"""import-unga checks every row, refuses odd files with one line, and never shrinks a stored
roll call without --replace."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from detente.cli import app
from detente.errors import ConflictError, ImportFormatError
from detente.states import import_positions, import_votes
from tests._fuzz import database_snapshot
from tests.states.conftest import DATA

UNDL = (DATA / "undl_small.csv").read_text(encoding="utf-8")
HEADER, *ROWS = UNDL.splitlines(keepends=True)


def _write(tmp_path: Path, text: str, name: str = "votes.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_cut_roll_call_does_not_replace_the_stored_one(engine: Engine, tmp_path: Path) -> None:
    import_votes(engine, DATA / "undl_small.csv")
    before = database_snapshot(engine)
    cut = _write(tmp_path, HEADER + "".join(ROWS[:2]))
    with pytest.raises(ConflictError, match=r"roll call undl:900001: 4 of its 6 stored votes "
                                            r"\(the file lists 2\).*--replace"):
        import_votes(engine, cut)
    assert database_snapshot(engine) == before
    summary = import_votes(engine, cut, dry_run=True)
    assert summary.removed_votes == 4 and database_snapshot(engine) == before
    summary = import_votes(engine, cut, replace=True)
    assert summary.removed_votes == 4


def test_a_larger_file_still_updates_without_replace(engine: Engine, tmp_path: Path) -> None:
    import_votes(engine, _write(tmp_path, HEADER + "".join(ROWS[:2]), "first.csv"))
    summary = import_votes(engine, DATA / "undl_small.csv")
    assert summary.added_votes == 10 and summary.removed_votes == 0


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda rows: [*rows[:4], rows[4].replace(",78,", ",77,"), *rows[5:]],
     r"votes.csv:6: field 'session' of roll call 900001 differs from its first row \(line 2\)"),
    (lambda rows: [*rows[:4], rows[4].replace("2023-12-22", "2023-13-45"), *rows[5:]],
     r"votes.csv:6: field 'date' of roll call 900001 differs"),
    (lambda rows: [r.replace("https://digitallibrary.un.org/record/900001",
                             "javascript:alert(1)") for r in rows],
     r"votes.csv:2: field 'undl_link' must be an http:// or https:// address"),
    (lambda rows: [r.replace("https://digitallibrary.un.org/record/900001",
                             "ftp://example.org/x") for r in rows],
     r"votes.csv:2: field 'undl_link' must be an http:// or https://"),
    (lambda rows: [], r"votes.csv:1: the file has a header but no rows"),
    (lambda rows: [*rows[:3], rows[3][:30] + "\n", *rows[4:]],
     r"votes.csv:5: expected 9 fields on this line"),
    (lambda rows: [*rows[:2], rows[2].replace("AUT", "A\x00T"), *rows[3:]],
     r"votes.csv:4: contains a NUL character"),
    (lambda rows: [*rows[:2], rows[2].replace(",78,", ",1e999,"), *rows[3:]],
     r"votes.csv:4: field 'session' of roll call 900001 differs"),
])
def test_every_row_is_checked(engine: Engine, tmp_path: Path, edit, expected: str) -> None:
    path = _write(tmp_path, HEADER + "".join(edit(list(ROWS))))
    with pytest.raises(ImportFormatError, match=expected):
        import_votes(engine, path)


def test_a_huge_session_number_is_refused(engine: Engine, tmp_path: Path) -> None:
    rows = [r.replace(",78,", ",1e999,") for r in ROWS]
    with pytest.raises(ImportFormatError, match=r"votes.csv:2: field 'session' is not a number"):
        import_votes(engine, _write(tmp_path, HEADER + "".join(rows)))


def test_non_utf8_file_names_the_line(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "votes.csv"
    path.write_bytes((HEADER + "".join(ROWS[:3])).encode() + b"900001,CUB,Cuba \xe9,Y,2023-12-22,"
                     b"78,A/RES/78/999,x,https://digitallibrary.un.org/record/900001\n")
    with pytest.raises(ImportFormatError, match=r"votes.csv:5: not UTF-8 text"):
        import_votes(engine, path)


def test_cli_partial_file_is_one_line_and_exit_2_then_replace_with_yes(
        sqlite_engine: Engine, sqlite_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--database", sqlite_url, "states", "import-unga"]
    assert runner.invoke(app, [*base, str(DATA / "undl_small.csv")]).exit_code == 0
    before = database_snapshot(sqlite_engine)
    cut = _write(tmp_path, HEADER + "".join(ROWS[:2]))
    result = runner.invoke(app, [*base, str(cut)])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    result = runner.invoke(app, [*base, str(cut), "--dry-run"])
    assert result.exit_code == 0 and "4 removed" in result.stdout
    result = runner.invoke(app, [*base, str(cut), "--replace"])  # nobody to confirm
    assert result.exit_code == 2
    assert database_snapshot(sqlite_engine) == before
    result = runner.invoke(app, [*base, str(cut), "--replace", "--yes"])
    assert result.exit_code == 0, result.stderr


def test_cli_folder_of_the_wrong_kind_and_size_limit(sqlite_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--database", sqlite_url, "states", "import-unga"]
    result = runner.invoke(app, [*base, str(DATA / "undl_small.csv"), "--max-size", "100"])
    assert result.exit_code == 2 and "over the limit of 100 bytes" in result.stderr
    result = runner.invoke(app, [*base, str(tmp_path)])
    assert result.exit_code == 2 and result.stderr.startswith("error: ")


POSITIONS = (DATA / "positions_small.csv").read_text(encoding="utf-8")
INSTRUMENTS = (DATA / "instruments_small.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
                                  "ftp://example.org/x", "example.org/declaration",
                                  "https://exa mple.org/x"])
def test_import_positions_takes_only_http_source_links(engine: Engine, tmp_path: Path,
                                                       link: str) -> None:
    positions = _write(tmp_path, POSITIONS.replace("https://example.org/declaration", link, 1),
                       "positions.csv")
    with pytest.raises(ImportFormatError,
                       match=r"positions.csv:3: field 'source' must be an http:// or https://"):
        import_positions(engine, positions, instruments_file=DATA / "instruments_small.csv")
    instruments = _write(tmp_path, INSTRUMENTS.replace("https://example.org/summit", link),
                         "instruments.csv")
    with pytest.raises(ImportFormatError,
                       match=r"instruments.csv:3: field 'source_url' must be an http://"):
        import_positions(engine, DATA / "positions_small.csv", instruments_file=instruments)
    assert database_snapshot(engine)["state_instruments"] == []


@pytest.mark.parametrize(("old", "new", "field"), [
    ("test-summit,", "s" * 121 + ",", "id"),
    ("Test summit,", "b" * 201 + ",", "body"),
    ("https://example.org/summit", "https://example.org/" + "x" * 500, "source_url"),
])
def test_instrument_fields_longer_than_their_column_are_refused(
        engine: Engine, tmp_path: Path, old: str, new: str, field: str) -> None:
    instruments = _write(tmp_path, INSTRUMENTS.replace(old, new), "instruments.csv")
    with pytest.raises(ImportFormatError,
                       match=rf"instruments.csv:3: field '{field}' is longer than \d+"):
        import_positions(engine, DATA / "positions_small.csv", instruments_file=instruments)


def test_a_position_source_longer_than_its_column_is_refused(engine: Engine,
                                                            tmp_path: Path) -> None:
    long = "https://example.org/" + "x" * 500
    positions = _write(tmp_path, POSITIONS.replace("https://example.org/declaration", long, 1),
                       "positions.csv")
    with pytest.raises(ImportFormatError, match=r"positions.csv:3: field 'source' is longer"):
        import_positions(engine, positions, instruments_file=DATA / "instruments_small.csv")
