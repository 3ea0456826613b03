"""Importing the MIT AI Risk Repository: the published file imports, repeated ids are reported."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from detente.knowledge import import_risks
from detente.store import session_scope
from detente.store.models.knowledge import KbRisk

HEADER = "Title,Ev_ID,Risk category,Risk subcategory,Description,Domain,Sub-domain\n"


def _count(engine: Engine) -> int:
    with session_scope(engine) as db:
        return db.scalar(select(func.count()).select_from(KbRisk)) or 0


def test_a_repeated_ev_id_is_skipped_and_reported_not_a_crash(sqlite_engine: Engine,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "risks.csv"
    path.write_text(HEADER + "A,01.01.00,Misuse,Disinformation,One,4. Misuse,4.1 > x\n"
                    "A,01.01.00,Misuse,Cyber offence,Two,4. Misuse,4.2 > y\n"
                    "A,01.02.00,Bias,,Three,1. Bias,1.1 > z\n", encoding="utf-8")
    report = import_risks(sqlite_engine, path)
    assert (report.added, report.repeated) == (2, [3])
    assert "1 row(s) skipped, their Ev_ID repeated (lines 3)" in report.describe()
    assert import_risks(sqlite_engine, path).updated == 2


def test_the_published_repository_file_imports(sqlite_engine: Engine, shared_dir: Path) -> None:
    """The v3 file repeats five Ev_IDs (49.01.02 among them); the import used to end in a
    UNIQUE-constraint traceback."""
    report = import_risks(sqlite_engine, shared_dir / "data" / "ai-risks")
    assert report.added > 1_000 and len(report.repeated) == 5
    assert _count(sqlite_engine) == report.added
