"""Every coverage view says what its counts rest on (review 13, finding 4): tags that detente's
rules suggest, how many of the counted provisions an analyst reviewed, and the tagger's measured
micro-F1 from docs/validation.md; on the pages (English and Chinese), the API, the CLI table and
--json, and the report's chapter on gaps."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from detente.knowledge import (
    TAGGER_SCORE,
    Coverage,
    compare_issuers,
    coverage_cell,
    coverage_matrix,
    import_documents,
    load_taxonomy,
)
from detente.store import session_scope
from detente.store.models.knowledge import KbProvision, KbTag

DOCS = Path(__file__).resolve().parents[2] / "docs"

ACT = """# REGULATION (EU) 2099/12 ON TEST SYSTEMS (Test Systems Act)

HAVE ADOPTED THIS REGULATION:

## CHAPTER I

### Article 3

1. Providers shall report serious incidents involving cyber attacks to the market surveillance
authority.

2. Providers shall report serious incidents involving cyber attacks on critical infrastructure
to the authority.
"""

CELL = ("cyber", "incident-reporting")
EN = "Basis: provisions are counted through machine-suggested tags (detente's lexicon rules)"
ZH = "依据：条款通过机器建议的标签（detente的词表规则）计入"
SCORE = ("The tagger's micro-F1 is 0.726 on a test set of 250 provisions, no longer unseen; the "
         "target of 0.75 is not met (docs/validation.md).")


@pytest.fixture
def kb(sqlite_engine: Engine, tmp_path: Path) -> Engine:
    """Two provisions counted for cyber × incident reporting; an analyst accepted both tags
    that place the first one there."""
    source = tmp_path / "act.md"
    source.write_text(ACT, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,title,issuer,date,language,status,status_date\n"
        "act.md,Regulation (EU) 2099/12 on test systems (Test Systems Act),European Union,"
        "2024-06-13,en,in force,2024-08-01\n", encoding="utf-8")
    import_documents(sqlite_engine, [], manifest=tmp_path / "manifest.csv")
    with session_scope(sqlite_engine) as db:
        first = db.scalars(select(KbProvision).where(KbProvision.path.endswith("Article 3 › 1")))
        pid = first.one().id
        db.execute(update(KbTag).where(KbTag.provision_id == pid, KbTag.term.in_(CELL))
                   .values(status="accepted", source="review"))
    return sqlite_engine


def test_the_tagger_score_shown_is_the_one_docs_validation_reports() -> None:
    """The figure is data with its source: the last 'fresh test set (250) | rules' row of
    docs/validation.md (the rules in use) ends with it."""
    rows = [line for line in (DOCS / "validation.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| fresh test set (250) | rules |")]
    assert rows, "docs/validation.md lost its fresh-set rows"
    assert rows[-1].rstrip(" |").endswith(f"{TAGGER_SCORE.micro_f1:.3f}"), rows[-1]
    assert TAGGER_SCORE.source == "docs/validation.md"


def test_each_count_says_how_many_of_its_provisions_rest_on_reviewed_tags(kb: Engine) -> None:
    taxonomy = load_taxonomy()
    with session_scope(kb) as db:
        matrix = coverage_matrix(db, taxonomy, coverage=Coverage.default())
        cell = coverage_cell(db, taxonomy, *CELL)
        compared = compare_issuers(db, ["European Union"], taxonomy)
    found = next(c for row in matrix["matrix"] for c in row if (c["domain"], c["tool"]) == CELL)
    assert (found["provisions"], found["reviewed"]) == (2, 1)
    assert (cell["basis"]["counted"], cell["basis"]["reviewed"]) == (2, 1)
    assert cell["basis"]["tagger"]["micro_f1"] == 0.726
    assert cell["basis"]["tagger"]["target_met"] is False
    # overall, a provision counts as reviewed only if every cell it is in rests on reviewed tags
    assert matrix["basis"]["counted"] >= 2 and matrix["basis"]["reviewed"] <= 1
    term = next(t for t in compared["terms"] if t["term"] == "incident-reporting")
    assert term["issuers"]["European Union"]["reviewed"] == 1
    assert compared["basis"]["tagger"]["source"] == "docs/validation.md"


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize("path", ["/kb/gaps", "/kb/gaps/cyber/incident-reporting", "/kb/compare"])
def test_every_coverage_page_says_its_basis(client, kb: Engine, path: str) -> None:  # type: ignore[no-untyped-def]
    english = _text(client.get(path, params={"lang": "en"}).text)
    assert EN in english and SCORE in english
    chinese = _text(client.get(path, params={"lang": "zh"}).text)
    assert ZH in chinese and "尚未达到" in chinese
    if path.count("/") == 4:
        assert "1 of 2 counted provisions have reviewed tags." in english
        assert "计入的2条条款中有1条的标签已经审核。" in chinese


def test_the_csv_says_how_many_counted_provisions_are_reviewed(client, kb: Engine) -> None:  # type: ignore[no-untyped-def]
    csv = client.get("/kb/gaps.csv").text.splitlines()
    assert csv[0].endswith(",reviewed,applies_later")
    row = next(line for line in csv if line.startswith("cyber,incident-reporting,"))
    assert row.endswith(",1,"), row


def test_the_api_says_its_basis(client, kb: Engine) -> None:  # type: ignore[no-untyped-def]
    for path in ("/api/kb/gaps", "/api/kb/gaps/cyber/incident-reporting", "/api/kb/compare"):
        basis = client.get(path).json()["basis"]
        assert basis["tagger"]["micro_f1"] == 0.726 and "reviewed" in basis, path


def test_the_cli_says_its_basis(kb: Engine, sqlite_url: str) -> None:
    from detente.cli import app

    runner = CliRunner()
    for command in (["gaps"], ["compare", "European Union"]):
        english = runner.invoke(app, ["--database", sqlite_url, "kb", *command])
        assert english.exit_code == 0 and EN in english.output and SCORE in english.output
        chinese = runner.invoke(app, ["--lang", "zh", "--database", sqlite_url, "kb", *command])
        assert ZH in chinese.output
        data = json.loads(runner.invoke(
            app, ["--database", sqlite_url, "kb", *command, "--json", "-"]).output)
        assert data["basis"]["tagger"]["micro_f1"] == 0.726


def test_a_cell_that_counts_nothing_does_not_say_0_of_0() -> None:
    from detente.knowledge import basis_text
    from detente.knowledge._basis import basis_json

    for language in ("en", "zh"):
        said = basis_text(basis_json(0, 0), language)
        assert "0 of 0" not in said and "0条条款中有0条" not in said
        assert "0.726" in said


def test_a_comparison_counts_an_inherited_reviewed_tool_as_reviewed_as_the_matrix_does(
    sqlite_engine: Engine,
) -> None:
    """Before, a point that takes its tool from the article above counted as unreviewed in a
    comparison even when an analyst had accepted the article's tag; the matrix counted it
    reviewed."""
    import datetime as dt

    from detente.store.models.knowledge import KbDocument

    with session_scope(sqlite_engine) as db:
        doc = KbDocument(title="Test Act", issuer="Testland", jurisdiction="Testland",
                         date=dt.date(2020, 1, 1), kind="law", binding=True, language="en",
                         file_name="t.md", file_format="md", content_hash="x" * 64, extra={},
                         status="in_force", status_date=dt.date(2020, 1, 1))
        db.add(doc)
        db.flush()
        article = KbProvision(document_id=doc.id, position=1, kind="article", label="Article 1",
                              path="Article 1", role="prohibition",
                              text="The following practices shall be prohibited:")
        db.add(article)
        db.flush()
        point = KbProvision(document_id=doc.id, parent_id=article.id, position=2, kind="point",
                            label="(a)", path="Article 1 › (a)", role="prohibition",
                            text="(a) cyber attacks on hospitals;")
        db.add(point)
        db.flush()
        db.add_all([
            KbTag(provision_id=article.id, term="prohibitions-red-lines", source="rule",
                  status="accepted"),
            KbTag(provision_id=point.id, term="cyber", source="rule", status="accepted"),
        ])
    taxonomy = load_taxonomy()
    with session_scope(sqlite_engine) as db:
        cell = coverage_cell(db, taxonomy, "cyber", "prohibitions-red-lines")
        compared = compare_issuers(db, ["Testland"], taxonomy)
    assert (cell["basis"]["counted"], cell["basis"]["reviewed"]) == (1, 1)
    tool = next(t for t in compared["terms"] if t["term"] == "prohibitions-red-lines")
    assert (tool["issuers"]["Testland"]["count"], tool["issuers"]["Testland"]["reviewed"]) == (2, 2)
    assert (compared["basis"]["counted"], compared["basis"]["reviewed"]) == (2, 2)
    with session_scope(sqlite_engine) as db:  # a suggested tag above is not a review
        db.execute(update(KbTag).where(KbTag.provision_id == article.id)
                   .values(status="suggested"))
        compared = compare_issuers(db, ["Testland"], taxonomy)
    tool = next(t for t in compared["terms"] if t["term"] == "prohibitions-red-lines")
    assert tool["issuers"]["Testland"]["reviewed"] == 0
