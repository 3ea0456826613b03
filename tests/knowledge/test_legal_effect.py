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
        "by_date_of_application": True,
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
        # A section of an annex keeps its annex (review 13, finding 18): the AI Act has no
        # "Sec. 1(e)".
        ("Annex XI › Section 1 › (e) #2", "Annex XI, Sec. 1(e)"),
        ("Annex XI › Section 2 › 1", "Annex XI, Sec. 2(1)"),
        ("Annex III › (a)", "Annex III(a)"),
        ("Annex VII › 4(c)", "Annex VII(4)(c)"),
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


#: Built cases of review 13 (findings 3, 4 and 13): exemptions, derogations and the exceptions
#: to a ban are not prohibitions; savings clauses, amending text, criteria and risk lists,
#: cited acts and purpose sections bind nobody. Each is (kind, title, text, parent role, parent
#: text, parent title, expected role).
_LEAD_5_1 = "The following AI practices shall be prohibited:"
_LEAD_5_1_H = (
    "the use of ‘real-time’ remote biometric identification systems in publicly accessible "
    "spaces for the purposes of law enforcement, unless and in so far as such use is strictly "
    "necessary for one of the following objectives:"
)
_EXEMPTION_CASES = [
    # Art. 53(2): relief from two obligations, with a proviso.
    (
        "paragraph", None,
        "The obligations set out in paragraph 1, points (a) and (b), shall not apply to "
        "providers of AI models that are released under a free and open-source licence. This "
        "exception shall not apply to general-purpose AI models with systemic risks.",
        "other", "", None, "exemption",
    ),
    # Art. 6(3) and its conditions (a)-(d).
    (
        "paragraph", None,
        "By derogation from paragraph 2, an AI system referred to in Annex III shall not be "
        "considered to be high-risk where it does not pose a significant risk of harm. The first "
        "subparagraph shall apply where any of the following conditions is fulfilled:",
        "other", "", None, "exemption",
    ),
    (
        "point", None, "the AI system is intended to perform a narrow procedural task;",
        "exemption", "The first subparagraph shall apply where any of the following conditions "
        "is fulfilled:", None, "exemption",
    ),
    # Art. 86(2).
    (
        "paragraph", None,
        "Paragraph 1 shall not apply to the use of AI systems for which exceptions from, or "
        "restrictions to, the obligation under that paragraph follow from Union law.",
        "other", "", None, "exemption",
    ),
    # Art. 5(1)(h)(i)-(iii): the objectives for which the ban does not hold.
    (
        "point", None,
        "the targeted search for specific victims of abduction, trafficking in human beings or "
        "sexual exploitation of human beings, as well as the search for missing persons;",
        "prohibition", _LEAD_5_1_H, None, "exemption",
    ),
    (
        "point", None,
        "the prevention of a specific, substantial and imminent threat to the life or physical "
        "safety of natural persons or a genuine and present threat of a terrorist attack;",
        "prohibition", _LEAD_5_1_H, None, "exemption",
    ),
    (
        "point", None,
        "the localisation or identification of a person suspected of having committed a "
        "criminal offence, for the purpose of conducting a criminal investigation.",
        "prohibition", _LEAD_5_1_H, None, "exemption",
    ),
    # ... while point (h) itself, and the other points of Art. 5(1), are prohibitions.
    ("point", None, _LEAD_5_1_H, "prohibition", _LEAD_5_1, None, "prohibition"),
    (
        "point", None, "the placing on the market of an AI system that deploys subliminal "
        "techniques;", "prohibition", _LEAD_5_1, None, "prohibition",
    ),
    # A list that follows a complete sentence is not that sentence's content (the shared text
    # lost point (h), so its objectives sit under point (g)).
    (
        "point", None, "the targeted search for specific victims of abduction;",
        "prohibition", "the use of biometric categorisation systems; this prohibition does not "
        "cover any labelling of lawfully acquired biometric datasets;", None, "other",
    ),
    # Art. 50(1): an obligation that has an exemption is an obligation.
    (
        "paragraph", None,
        "Providers shall ensure that AI systems intended to interact directly with natural "
        "persons are designed so that the persons concerned are informed. This obligation shall "
        "not apply to AI systems authorised by law to detect criminal offences.",
        "other", "", None, "obligation",
    ),
    # Art. 26(5): "Deployers shall monitor ... shall not" is an obligation.
    (
        "paragraph", None,
        "Deployers shall monitor the operation of the high-risk AI system. That obligation shall "
        "not cover sensitive operational data of deployers which are law enforcement "
        "authorities.",
        "other", "", None, "obligation",
    ),
    # Savings clauses: Art. 50(6), 63(2), 78(4), 2(7).
    (
        "paragraph", None,
        "Paragraphs 1 to 4 shall not affect the requirements and obligations set out in Chapter "
        "III.", "other", "", None, "other",
    ),
    (
        "paragraph", None,
        "Paragraph 1 of this Article shall not be interpreted as exempting those operators from "
        "fulfilling any other requirements.", "other", "", None, "other",
    ),
    (
        "paragraph", None,
        "Union law on the protection of personal data applies to personal data processed in "
        "connection with the rights and obligations laid down in this Regulation. This "
        "Regulation shall not affect Regulation (EU) 2016/679.", "other", "", None, "other",
    ),
    # Art. 62(1)(a): an action Member States shall undertake, with a proviso.
    (
        "point", None,
        "provide SMEs with priority access to the AI regulatory sandboxes; the priority access "
        "shall not preclude other SMEs from access to the AI regulatory sandbox;",
        "obligation", "Member States shall undertake the following actions:", None,
        "obligation",
    ),
    # Annex XIII and Art. 7(2): criteria to weigh describe, they do not bind.
    (
        "point", None, "the amount of computation used for training the model;",
        "obligation", "For the purpose of determining that a general-purpose AI model has "
        "capabilities equivalent to those set out in Article 51(1), the Commission shall take "
        "into account the following criteria:", None, "other",
    ),
    (
        "point", None,
        "the extent to which the outcome is easily reversible, whereby outcomes having an "
        "adverse impact on health shall not be considered to be easily reversible;",
        "obligation", "the Commission shall take into account the following criteria:", None,
        "other",
    ),
    # NSM-25 Sec. 4.2(c)(i)(G): a risk described, not a ban.
    (
        "point", None,
        "Data spillage: AI systems may reveal aspects of their training data when used on "
        "networks where such information is not permitted.",
        "obligation", "Heads of covered agencies shall mitigate risks. These risks from the use "
        "of AI include the following:", None, "other",
    ),
    # NSM-25 Sec. 4.2(e)(ii)(C): guidance on what shall be prohibited is not itself a ban.
    (
        "point", None,
        "Guidance on AI activities that pose unacceptable levels of risk and that shall be "
        "prohibited.", "obligation", "The framework shall include:", None, "obligation",
    ),
    # Art. 105 and 108(1): amending text; what it quotes binds under the amended act.
    (
        "article", "Amendment to Directive 2014/90/EU",
        "In Article 8 of Directive 2014/90/EU, the following paragraph is added: ‘5. The "
        "Commission shall take into account the requirements.’", None, None, None, "other",
    ),
    (
        "point", None,
        "in Article 17, the following paragraph is added: ‘3. The Commission shall take into "
        "account the requirements.’", "other",
        "Regulation (EU) 2018/1139 is amended as follows:", "Amendments to Regulation", "other",
    ),
    # Cited acts in a list that nothing introduces (footnotes after Art. 113(c)).
    (
        "point", None, "Regulation (EU) 2023/988 of 10 May 2023 on general product safety.",
        "obligation", "Article 6(1) and the corresponding obligations in this Regulation shall "
        "apply from 2 August 2027.", None, "other",
    ),
    # EO 14179 Sec. 1 "Purpose" and the points of a policy section.
    (
        "section", "Purpose",
        "To maintain this leadership, we must develop AI systems that are free from ideological "
        "bias.", None, None, None, "other",
    ),
    (
        "point", None, "Artificial Intelligence must be safe and secure.", "other",
        "It is the policy of my Administration to advance AI in accordance with eight "
        "principles:", "Policy and Principles", "other",
    ),
    # Chinese: 豁免 is relief.
    (
        "paragraph", None, "符合条件的开源模型豁免本条第一款规定的义务。",
        None, None, None, "exemption",
    ),
]


@pytest.mark.parametrize(
    ("kind", "title", "text", "parent", "parent_text", "parent_title", "role"), _EXEMPTION_CASES
)
def test_exemptions_and_statements_are_not_prohibitions(
    kind: str,
    title: str | None,
    text: str,
    parent: str | None,
    parent_text: str | None,
    parent_title: str | None,
    role: str,
) -> None:
    assert (
        provision_role(
            kind, title, text, parent, parent_text=parent_text, parent_title=parent_title
        )
        == role
    )


EXEMPT_ACT = """# REGULATION (EU) 2099/10 ON OPEN AI MODELS (Open Model Act)

## CHAPTER I

### Article 1

1. Providers shall publish documentation on the biological risks of their models.

2. The obligation set out in paragraph 1 shall not apply to providers of open-source models
that pose no biological risk.

3. By derogation from paragraph 1, providers of open-source models with biological
capabilities shall not be considered to be providers for the purposes of this Article.
"""


def test_an_exemption_is_never_coverage(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "open.md").write_text(EXEMPT_ACT, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,title,issuer,date,language\nopen.md,Regulation (EU) 2099/10 on open AI models "
        "(Open Model Act),European Union,2020-01-01,en\n",
        encoding="utf-8",
    )
    import_documents(engine, [], manifest=tmp_path / "manifest.csv")
    roles = _roles(engine)
    assert roles["Chapter I › Article 1 › 2"] == "exemption"
    assert roles["Chapter I › Article 1 › 3"] == "exemption"
    for all_roles in (False, True):
        rule = Coverage.default(date(2025, 1, 1), all_roles=all_roles)
        assert "exemption" not in rule.roles
        with session_scope(engine) as db:
            matrix = coverage_matrix(db, load_taxonomy(), coverage=rule)
        cell = next(
            c for row in matrix["matrix"] for c in row
            if (c["domain"], c["tool"]) == ("biological", "transparency-disclosure")
        )
        assert cell["provisions"] == 1  # paragraph 1 only, never the exemptions


def test_retag_reads_the_roles_again(corpus: Engine, tmp_path: Path) -> None:
    from detente.knowledge import reread_roles

    with session_scope(corpus) as db:
        provision = db.scalars(
            select(KbProvision).where(KbProvision.path == "Chapter I › Article 3 › 2(a)")
        ).one()
        provision.role = "obligation"  # as an earlier release's rules left it
    with session_scope(corpus) as db:
        assert reread_roles(db) == 1
    assert _roles(corpus)["Chapter I › Article 3 › 2(a)"] == "prohibition"


def test_search_finds_and_ranks_an_exemption(engine: Engine, tmp_path: Path) -> None:
    """The new role keeps search working: the re-ranker reads an exemption as 'other'."""
    from detente.knowledge import search

    (tmp_path / "open.md").write_text(EXEMPT_ACT, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,title,issuer,date,language\nopen.md,Regulation (EU) 2099/10 on open AI models "
        "(Open Model Act),European Union,2020-01-01,en\n",
        encoding="utf-8",
    )
    import_documents(engine, [], manifest=tmp_path / "manifest.csv")
    with session_scope(engine) as db:
        hits = search(db, "open-source models derogation")
    roles = {h.path: h.role for h in hits}
    assert roles["Chapter I › Article 1 › 3"] == "exemption"
    assert roles["Chapter I › Article 1 › 2"] == "exemption"
