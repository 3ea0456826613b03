"""Legal effect in coverage: provision roles, instrument status over time, exclusions.

Built cases for each behaviour that misled before: recitals and an exclusion counted as binding
coverage of military AI, and a revoked executive order still counting as binding.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from detente.cli import app
from detente.knowledge import (
    Coverage,
    compare_issuers,
    coverage_matrix,
    import_documents,
    load_taxonomy,
    short_citation,
    short_title,
)
from detente.knowledge._legal import in_force_on, provision_role, status_on
from detente.store import session_scope
from detente.store.models.knowledge import KbDocument, KbProvision

#: An EU-style act: a recital on military AI, an exclusion of military uses, an obligation.
ACT = """# REGULATION (EU) 2099/9 ON TEST AI (Test AI Act)

Whereas:

(1) Military uses of AI and autonomous weapons raise concerns; testing should be rigorous.

HAVE ADOPTED THIS REGULATION:

## CHAPTER I

### Article 1

**Definitions**

For the purposes of this Regulation, the following definitions apply:

(1) 'autonomous weapon' means a weapon system that selects military targets without testing.

### Article 2

**Scope**

1. This Regulation applies to providers of AI systems.

2. This Regulation does not apply to AI systems used exclusively for military purposes.

### Article 3

1. Providers shall test high-risk AI systems for cybersecurity before use.

2. The following practices shall be prohibited:

(a) the use of AI for social scoring;
"""

#: A US-style order on military testing, revoked in the manifest.
ORDER = """Sec. 1.  Testing.  The Secretary of Defense shall establish red-teaming and testing of
military AI and autonomous weapons systems.
"""

#: A memorandum on military testing whose status is not established.
MEMO = """Sec. 1.  Evaluation.  The Department of Defense shall evaluate military AI systems and
their testing before deployment.
"""

MANIFEST = "\n".join(
    [
        "file,title,issuer,date,language,status,status_date,status_by",
        "act.md,Regulation (EU) 2099/9 on test AI (Test AI Act),European Union,2020-01-01,en,"
        "in force,2020-02-01,",
        "order.txt,Executive Order 99001 on Military AI Testing,The White House,2023-10-30,en,"
        "revoked,2025-01-20,Executive Order 99002",
        "memo.txt,Memorandum on military AI evaluation (MEMO-9),The White House,2024-10-24,en,"
        "unknown,,",
        "",
    ]
)


@pytest.fixture
def corpus(engine: Engine, tmp_path: Path) -> Engine:
    (tmp_path / "act.md").write_text(ACT, encoding="utf-8")
    (tmp_path / "order.txt").write_text(ORDER, encoding="utf-8")
    (tmp_path / "memo.txt").write_text(MEMO, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    import_documents(engine, [], manifest=tmp_path / "manifest.csv")
    return engine


def _roles(engine: Engine) -> dict[str, str]:
    with session_scope(engine) as db:
        return dict(db.execute(select(KbProvision.path, KbProvision.role)).all())


@pytest.mark.parametrize(
    ("kind", "title", "text", "parent", "role"),
    [
        ("recital", None, "Autonomous weapons should be prohibited.", None, "recital"),
        ("preamble", None, "By the authority vested in me, it is hereby ordered:", None, "recital"),
        ("point", None, "'AI system' means a machine-based system;", "definition", "definition"),
        ("paragraph", None, "The term “agency” means each agency.", None, "definition"),
        ("paragraph", None, "This Regulation applies to providers.", None, "scope"),
        (
            "paragraph",
            None,
            "This Regulation does not apply to military uses.",
            "scope",
            "exclusion",
        ),
        ("paragraph", None, "本办法不适用于军事活动。", None, "exclusion"),
        # A duty with a carve-out is the duty (EO 14110 Sec. 7.2(a)); before, an exclusion.
        (
            "paragraph",
            None,
            "Agencies shall use their civil rights offices to prevent unlawful discrimination.  "
            "This directive does not apply to agencies' civil or criminal enforcement "
            "authorities.  Agencies shall consider opportunities to consult them.",
            None,
            "obligation",
        ),
        (
            "paragraph",
            None,
            "Providers shall not place such systems on the market. This Article shall not apply "
            "to systems used for research.",
            None,
            "prohibition",
        ),
        ("paragraph", None, "提供者应当开展安全评估。本条不适用于科研活动。", None, "obligation"),
        # A provision that opens by excluding stays an exclusion (AI Act Art. 2(8)).
        (
            "paragraph",
            None,
            "This Regulation does not apply to any research activity. Such activities shall be "
            "conducted in accordance with applicable Union law.",
            None,
            "exclusion",
        ),
        ("paragraph", None, "The following AI practices shall be prohibited:", None, "prohibition"),
        ("point", None, "the use of AI for social scoring;", "prohibition", "prohibition"),
        ("paragraph", None, "Providers must not deploy such systems.", None, "prohibition"),
        ("paragraph", None, "禁止将人工智能用于核指挥。", None, "prohibition"),
        ("paragraph", None, "Providers shall report serious incidents.", None, "obligation"),
        ("operative_paragraph", None, "Calls upon Member States to cooperate;", None, "obligation"),
        ("paragraph", None, "提供者应当开展安全评估。", None, "obligation"),
        (
            "paragraph",
            None,
            "This Regulation shall not affect national competences.",
            None,
            "other",
        ),
        ("section", "Purpose", "AI holds extraordinary potential.", None, "other"),
        ("point", None, "covering biological weapons;", "obligation", "obligation"),
        ("chapter", "GENERAL PROVISIONS", "", None, "other"),
    ],
)
def test_a_provision_carries_its_role(
    kind: str, title: str | None, text: str, parent: str | None, role: str
) -> None:
    assert provision_role(kind, title, text, parent) == role


def test_import_stores_roles_and_status(corpus: Engine) -> None:
    roles = _roles(corpus)
    assert roles["Recital 1"] == "recital"
    assert roles["Chapter I › Article 2 › 2"] == "exclusion"
    assert roles["Chapter I › Article 1 › (1)"] == "definition"
    assert roles["Chapter I › Article 3 › 1"] == "obligation"
    assert roles["Chapter I › Article 3 › 2(a)"] == "prohibition"
    with session_scope(corpus) as db:
        order = db.scalars(select(KbDocument).where(KbDocument.file_name == "order.txt")).one()
    assert (order.status, order.status_date, order.status_by) == (
        "revoked",
        date(2025, 1, 20),
        "Executive Order 99002",
    )
    assert "status" not in order.extra


@pytest.mark.parametrize(
    ("status", "status_date", "on", "expected"),
    [
        ("revoked", date(2025, 1, 20), date(2025, 1, 19), "in_force"),
        ("revoked", date(2025, 1, 20), date(2025, 1, 20), "revoked"),
        ("superseded", date(2025, 1, 1), date(2026, 1, 1), "superseded"),
        ("in_force", date(2024, 8, 1), date(2024, 7, 31), "not_yet_in_force"),
        ("in_force", date(2024, 8, 1), date(2024, 8, 1), "in_force"),
        ("draft", None, date(2030, 1, 1), "draft"),
        ("unknown", None, date(2026, 1, 1), "unknown"),
        (None, None, date(2026, 1, 1), "in_force"),
    ],
)
def test_status_over_time(
    status: str | None, status_date: date | None, on: date, expected: str
) -> None:
    assert status_on(status, status_date, date(2023, 10, 30), on) == expected
    assert in_force_on(status, status_date, date(2023, 10, 30), on) == (expected == "in_force")


def _cell(engine: Engine, domain: str, tool: str, rule: Coverage) -> dict:  # type: ignore[type-arg]
    with session_scope(engine) as db:
        data = coverage_matrix(db, load_taxonomy(), coverage=rule)
    cells = {(c["domain"], c["tool"]): c for row in data["matrix"] for c in row}
    return {"cell": cells[(domain, tool)], "data": data}


def test_recitals_and_exclusions_are_not_binding_coverage(corpus: Engine) -> None:
    got = _cell(
        corpus,
        "military-autonomous-weapons",
        "testing-evaluation",
        Coverage.default(date(2100, 1, 1)),
    )
    cell, data = got["cell"], got["data"]
    # Before: the recital and the exclusion counted as binding coverage by the Act.
    assert all(d["title"].startswith("Regulation") is False for d in cell["documents"])
    assert cell["status"] == "gap" and cell["context"] >= 1
    exclusion = data["exclusions"]["military-autonomous-weapons"][0]
    assert exclusion["citation"] == "Art. 2(2)"
    assert exclusion["text_en"] == (
        "Test AI Act excludes military AI and autonomous weapons (Art. 2(2))"
    )
    assert exclusion["text_zh"].startswith("Test AI Act将军事人工智能与自主武器排除在适用范围之外")


def test_a_revoked_order_stops_counting_on_its_revocation(corpus: Engine) -> None:
    before = _cell(
        corpus,
        "military-autonomous-weapons",
        "testing-evaluation",
        Coverage.default(date(2025, 1, 19)),
    )["cell"]
    after = _cell(
        corpus,
        "military-autonomous-weapons",
        "testing-evaluation",
        Coverage.default(date(2025, 1, 20)),
    )["cell"]
    assert before["status"] == "binding"
    assert [d["title"] for d in before["documents"]] == [
        "Executive Order 99001 on Military AI Testing"
    ]
    assert after["status"] == "gap" and after["documents"] == []
    assert [d["status_by"] for d in after["not_in_force"]] == ["Executive Order 99002"]


def test_an_instrument_of_unknown_status_is_listed_apart(corpus: Engine) -> None:
    cell = _cell(
        corpus,
        "military-autonomous-weapons",
        "testing-evaluation",
        Coverage.default(date(2026, 1, 1)),
    )["cell"]
    assert cell["status"] == "gap"
    assert [d["short_title"] for d in cell["unestablished"]] == ["MEMO-9"]
    counted = _cell(
        corpus,
        "military-autonomous-weapons",
        "testing-evaluation",
        Coverage.default(date(2026, 1, 1), count_unknown=True),
    )["cell"]
    assert counted["status"] == "binding"


def test_all_roles_on_any_date_counts_every_instrument_but_not_an_excluded_domain(
    corpus: Engine,
) -> None:
    rule = Coverage(on=None, roles=Coverage.default(all_roles=True).roles)
    cell = _cell(corpus, "military-autonomous-weapons", "testing-evaluation", rule)["cell"]
    assert {d["title"][:10] for d in cell["documents"]} == {"Executive ", "Memorandum"}
    # The Act's recital and definition on military AI would count with every role, but the
    # Act excludes military AI (Art. 2(2)): they are set aside, not counted.
    assert [(x["short_title"], x["citations"]) for x in cell["excluded"]] == [
        ("Test AI Act", ["Art. 2(2)"])
    ]


def test_compare_counts_obligations_in_force_and_lists_exclusions(corpus: Engine) -> None:
    with session_scope(corpus) as db:
        data = compare_issuers(
            db,
            ["European Union", "United States"],
            load_taxonomy(),
            coverage=Coverage.default(date(2100, 1, 1)),
        )
    military = next(t for t in data["terms"] if t["term"] == "military-autonomous-weapons")
    eu, us = military["issuers"]["European Union"], military["issuers"]["United States"]
    assert eu["count"] == 0 and eu["binding"] is False and eu["context"] >= 1
    assert [x["citation"] for x in eu["exclusions"]] == ["Art. 2(2)"]
    assert us["count"] == 0 and us["not_in_force"] and us["unestablished"]
    assert data["coverage"] == {
        "on": "2100-01-01",
        "roles": ["obligation", "prohibition"],
        "count_unknown": False,
    }


def test_the_report_sentence_follows_from_the_corrected_data(corpus: Engine) -> None:
    from detente.reports._sources import _gap_findings

    with session_scope(corpus) as db:
        data = coverage_matrix(db, load_taxonomy(), coverage=Coverage.default(date(2026, 1, 14)))
    finding = next(
        f for f in _gap_findings(data) if f.title == "Military AI and autonomous weapons"
    )
    assert finding.text.startswith("Of 15 governance tools, 0 are covered by a binding instrument")
    assert "addressed by MEMO-9, whose status on that date is not established" in finding.text
    # One tool takes a singular verb (the report said "1 of the uncovered tools are").
    assert "1 of the uncovered tools is addressed by MEMO-9" in finding.text
    assert "Test AI Act excludes military AI and autonomous weapons (Art. 2(2))" in finding.text
    assert (
        "Test AI Act将军事人工智能与自主武器排除在适用范围之外（Art. 2(2)）" in finding.text_local
    )


def test_the_date_is_a_cli_and_page_parameter(corpus: Engine, tmp_path: Path) -> None:
    url = str(corpus.url.render_as_string(hide_password=False))
    runner = CliRunner()
    out = tmp_path / "gaps.json"
    for on, status in (("2025-01-19", "binding"), ("2025-06-01", "gap")):
        result = runner.invoke(
            app, ["--database", url, "kb", "gaps", "--on", on, "--json", str(out)]
        )
        assert result.exit_code == 0, result.output
        data = json.loads(out.read_text())
        cells = {(c["domain"], c["tool"]): c for row in data["matrix"] for c in row}
        assert cells[("military-autonomous-weapons", "testing-evaluation")]["status"] == status
        assert data["coverage"]["on"] == on
    result = runner.invoke(app, ["--database", url, "kb", "gaps", "--on", "2026-01-01"])
    assert "exclusion         Test AI Act excludes military AI" in result.output


@pytest.mark.parametrize(
    ("path", "citation"),
    [
        ("Chapter I › Article 2 › 3", "Art. 2(3)"),
        ("Chapter II › Article 5 › 1(a)(ii)", "Art. 5(1)(a)(ii)"),
        ("Sec. 4 › 4.2 › (a)", "Sec. 4.2(a)"),
        ("Sec. 10 › 10.1 › (i)", "Sec. 10.1(i)"),
        ("第二章 › 第一节 › 第三条", "第三条"),
        ("Recital 12", "Recital 12"),
    ],
)
def test_short_citation(path: str, citation: str) -> None:
    assert short_citation(path) == citation


def test_short_title() -> None:
    assert (
        short_title(
            "Regulation (EU) 2024/1689 laying down harmonised rules on artificial intelligence "
            "(Artificial Intelligence Act)"
        )
        == "Artificial Intelligence Act"
    )
    assert short_title("Executive Order 14110 on the Safe, Secure, and Trustworthy AI") == (
        "Executive Order 14110"
    )
