"""Dates of application (review 13, finding 5): an instrument in force may apply in stages. The
AI Act entered into force on 2024-08-01 but applies, under its Art. 113, from 2026-08-02, its
Chapters I-II from 2025-02-02, Chapter III Section 4, Chapters V, VII, XII and Art. 78 from
2025-08-02 (Art. 101 excepted) and Art. 6(1) from 2027-08-02. Coverage on a date counts a
provision only once it applies and lists the others as "in force, applies from ...", on every
surface: library, API, pages (English and Chinese), CLI table and --json."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from detente.knowledge import (
    Coverage,
    compare_issuers,
    coverage_cell,
    coverage_matrix,
    import_documents,
    load_taxonomy,
)
from detente.knowledge._application import stage_of, stages, stages_of
from detente.store import session_scope

AI_ACT = ("Regulation (EU) 2024/1689 laying down harmonised rules on artificial intelligence "
          "(Artificial Intelligence Act)")

#: Three provisions alike in words (critical infrastructure × incident reporting), in parts of
#: the Act that apply on three different dates.
ACT = """# REGULATION (EU) 2024/1689 ON ARTIFICIAL INTELLIGENCE

HAVE ADOPTED THIS REGULATION:

## CHAPTER III

### HIGH-RISK AI SYSTEMS

## SECTION 1

### Article 6

1. Providers of high-risk AI systems used in critical infrastructure shall report serious
incidents to the market surveillance authorities within two days.

## SECTION 2

### Article 9

1. Providers of high-risk AI systems used in critical infrastructure shall report serious
incidents to the market surveillance authorities.

## CHAPTER V

### GENERAL-PURPOSE AI MODELS

### Article 55

1. Providers of general-purpose AI models shall report serious incidents affecting critical
infrastructure to the AI Office.
"""

CELL = ("critical-infrastructure", "incident-reporting")


@pytest.fixture
def act(sqlite_engine: Engine, tmp_path: Path) -> Engine:
    source = tmp_path / "act.md"
    source.write_text(ACT, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,title,issuer,date,language,status,status_date\n"
        f'act.md,"{AI_ACT}",European Parliament and Council of the EU,2024-06-13,en,in force,'
        "2024-08-01\n",
        encoding="utf-8",
    )
    import_documents(sqlite_engine, [], manifest=tmp_path / "manifest.csv")
    return sqlite_engine


# --- the data and its source -------------------------------------------------------------------


@pytest.mark.parametrize(("path", "applies"), [
    ("Chapter I › Article 4", "2025-02-02"),
    ("Chapter II › Article 5 › 1(a)", "2025-02-02"),
    ("Chapter III › Section 1 › Article 6 › 1", "2027-08-02"),
    ("Chapter III › Section 1 › Article 6 › 1(b)", "2027-08-02"),
    ("Chapter III › Section 1 › Article 6 › 2", "2026-08-02"),
    ("Chapter III › Section 3 › Article 26 › 5", "2026-08-02"),
    ("Chapter III › Section 4 › Article 28 › 1", "2025-08-02"),
    ("Chapter V › Section 3 › Article 55 › 1(c)", "2025-08-02"),
    ("Chapter IX › Section 1 › Article 72 › 4", "2026-08-02"),
    ("Chapter IX › Section 3 › Article 78 › 1", "2025-08-02"),
    ("Chapter XII › Article 99 › 1", "2025-08-02"),
    ("Chapter XII › Article 101 › 1", "2026-08-02"),
    ("Annex XIII › (c)", "2026-08-02"),
])
def test_each_part_of_the_ai_act_applies_from_the_date_art_113_gives(
        path: str, applies: str) -> None:
    stage = stage_of(stages_of(AI_ACT), path)
    assert stage is not None and stage.applies_from.isoformat() == applies
    assert stage.source.startswith("Art. 113")


def test_an_instrument_without_stages_applies_as_a_whole() -> None:
    assert stages_of("Executive Order 14179: Removing Barriers") == ()
    assert stage_of((), "Sec. 4 › (a)") is None


def test_an_instrument_that_only_cites_the_ai_act_takes_none_of_its_dates() -> None:
    """Before, any title that mentioned the Act's number took all of its stages."""
    assert stages_of("Commission Guidelines on prohibited artificial intelligence practices "
                     "established by Regulation (EU) 2024/1689 (AI Act)") == ()
    assert stages_of("Regulation (EU) 2024/16890 on something else") == ()
    assert stages_of("  regulation (eu) 2024/1689 laying down harmonised rules")


def test_every_stage_quotes_article_113_as_the_shared_corpus_has_it(shared_dir: Path) -> None:
    text = (shared_dir / "data" / "governance-texts"
            / "eu-ai-act-regulation-2024-1689.en.md").read_text(encoding="utf-8")
    article = text[text.index("### Article 113"):]
    for stage in stages():
        quoted = re.sub(r" \(which .*\)$", "", stage.source_text)
        assert quoted in article, stage


# --- coverage on a date ------------------------------------------------------------------------


def _cell(engine: Engine, on: date | None) -> dict:  # type: ignore[type-arg]
    rule = Coverage.default(on) if on else Coverage(on=None)
    with session_scope(engine) as db:
        return coverage_cell(db, load_taxonomy(), *CELL, coverage=rule)


def test_a_provision_counts_only_once_it_applies(act: Engine) -> None:
    # Before: all three counted on 2026-01-14, the date of the demo forum's report.
    early = _cell(act, date(2026, 1, 14))
    assert [p["citation"] for d in early["documents"] for p in d["provisions"]] == ["Art. 55(1)"]
    assert [(x["applies_from"], x["provisions"], [c["citation"] for c in x["citations"]])
            for x in early["not_yet_applicable"]] == [
        ("2026-08-02", 1, ["Art. 9(1)"]), ("2027-08-02", 1, ["Art. 6(1)"])]
    assert early["not_yet_applicable"][0]["source"] == "Art. 113, second paragraph"
    later = _cell(act, date(2026, 9, 1))
    assert later["provisions"] == 2
    assert [x["applies_from"] for x in later["not_yet_applicable"]] == ["2027-08-02"]
    # on any date, every provision counts
    assert _cell(act, None)["provisions"] == 3 and _cell(act, None)["not_yet_applicable"] == []


def test_the_matrix_and_the_comparison_count_alike(act: Engine) -> None:
    with session_scope(act) as db:
        rule = Coverage.default(date(2026, 1, 14))
        matrix = coverage_matrix(db, load_taxonomy(), coverage=rule)
        compared = compare_issuers(db, ["European Union"], load_taxonomy(), coverage=rule)
    cell = next(c for row in matrix["matrix"] for c in row if (c["domain"], c["tool"]) == CELL)
    assert cell["provisions"] == 1 and len(cell["not_yet_applicable"]) == 2
    assert matrix["coverage"]["by_date_of_application"] is True
    (document,) = matrix["documents"]
    assert {x["applies_from"] for x in document["application"]} == {
        "2025-02-02", "2025-08-02", "2026-08-02", "2027-08-02"}
    term = next(t for t in compared["terms"] if t["term"] == "incident-reporting")
    eu = term["issuers"]["European Union"]
    assert eu["count"] == 1
    assert sum(x["provisions"] for x in eu["not_yet_applicable"]) == 2


# --- every surface -----------------------------------------------------------------------------


def test_the_api_and_the_pages_say_in_force_applies_from(client, act: Engine) -> None:  # type: ignore[no-untyped-def]
    api = client.get("/api/kb/gaps/critical-infrastructure/incident-reporting",
                     params={"on": "2026-01-14"}).json()
    assert api["provisions"] == 1
    assert [x["applies_from"] for x in api["not_yet_applicable"]] == ["2026-08-02", "2027-08-02"]
    gaps = client.get("/api/kb/gaps", params={"on": "2026-01-14"}).json()
    assert gaps["coverage"]["by_date_of_application"] is True
    page = client.get("/kb/gaps/critical-infrastructure/incident-reporting",
                      params={"on": "2026-01-14"}).text
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert ("in force, applies from 2026-08-02: 1 provision of Artificial Intelligence Act "
            "(Art. 113, second paragraph): Art. 9(1)") in text
    assert "A provision counts from the day it applies" in text
    zh = " ".join(re.sub(r"<[^>]+>", " ", client.get(
        "/kb/gaps/critical-infrastructure/incident-reporting",
        params={"on": "2026-01-14", "lang": "zh"}).text).split())
    assert "已生效，自2026-08-02起适用： Artificial Intelligence Act 的1项条款" in zh
    assert "条款自其适用之日起计入" in zh
    matrix = client.get("/kb/gaps", params={"on": "2026-01-14", "lang": "en"}).text
    assert "in force, applies from 2027-08-02: 1 provision of Artificial Intelligence Act" in matrix
    assert "applies in stages, from 2025-02-02 to 2027-08-02" in matrix
    csv = client.get("/kb/gaps.csv", params={"on": "2026-01-14"}).text
    row = next(line for line in csv.splitlines() if line.startswith(",".join(CELL)))
    assert row.endswith(",2026-08-02: 1 (Artificial Intelligence Act); "
                        "2027-08-02: 1 (Artificial Intelligence Act)"), row
    compared = client.get("/kb/compare.csv", params={"issuer": "European Union",
                                                     "on": "2026-01-14"}).text.splitlines()
    assert compared[0].endswith(",reviewed,applies_later")
    row = next(line for line in compared if line.startswith("incident-reporting,"))
    assert row.endswith(",2026-08-02: 1 (Artificial Intelligence Act); "
                        "2027-08-02: 1 (Artificial Intelligence Act)"), row
    compare = client.get("/kb/compare", params={"issuer": "European Union",
                                                "on": "2026-01-14"}).text
    assert "in force, applies from 2026-08-02: 1 provision of" in compare


def test_the_cli_table_and_json_say_in_force_applies_from(act: Engine, sqlite_url: str,
                                                          tmp_path: Path) -> None:
    from detente.cli import app

    runner = CliRunner()

    def kb(*args: str) -> str:
        result = runner.invoke(app, ["--database", sqlite_url, "kb", *args])
        assert result.exit_code == 0, result.output
        return result.output

    gaps = kb("gaps", "--on", "2026-01-14")
    assert "a provision counts from the day it applies" in gaps
    assert not re.search(r"critical-infrastructure × incident-reporting", gaps)  # covered
    data = json.loads(kb("gaps", "--on", "2026-01-14", "--json", "-"))
    cell = next(c for row in data["matrix"] for c in row if (c["domain"], c["tool"]) == CELL)
    assert [x["applies_from"] for x in cell["not_yet_applicable"]] == ["2026-08-02", "2027-08-02"]
    # a cell whose provisions do not yet apply is a gap, and its line says why
    before = kb("gaps", "--on", "2025-01-01")
    assert ("critical-infrastructure × incident-reporting  (in force, applies from 2025-08-02: "
            "1 provision of Artificial Intelligence Act; in force, applies from 2026-08-02: "
            ) in before
    compare = kb("compare", "European Union", "--on", "2026-01-14")
    assert re.search(r"Incident reporting and monitoring +1\* \+2", compare), compare
    assert "+N: provisions of instruments in force that apply only after the date" in compare
    zh = runner.invoke(app, ["--lang", "zh", "--database", sqlite_url, "kb", "compare",
                             "European Union", "--on", "2026-01-14"]).output
    assert "+N：已生效文书中在该日之后才适用的条款" in zh
