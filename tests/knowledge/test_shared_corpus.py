"""The shared corpus imports and segments as expected; gold labels resolve (skips without it)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from detente.knowledge import import_documents, load_taxonomy, search
from detente.knowledge._evaluate import evaluate_mit
from detente.store import session_scope
from detente.store.models.knowledge import KbDocument, KbProvision

GOLD = Path(__file__).parent / "data" / "gold" / "labels.csv"


@pytest.fixture(scope="module")
def corpus(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from detente.store import create_db_engine, upgrade

    engine = create_db_engine(f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.db'}")
    upgrade(engine)
    folder = shared_dir / "data" / "governance-texts"
    import_documents(engine, sorted(folder.glob("*.en.md")), manifest=folder / "manifest.csv")
    return engine


def test_ai_act_structure(corpus: Engine) -> None:
    with session_scope(corpus) as db:
        doc = db.scalars(select(KbDocument).where(KbDocument.file_name.like("eu-ai-act%"))).one()
        kinds = [p.kind for p in doc.provisions]
        paths = {p.path: p for p in doc.provisions}
    assert kinds.count("article") == 113 and kinds.count("recital") == 180
    assert kinds.count("annex") == 13 and kinds.count("chapter") == 13
    assert paths["Chapter II › Article 5"].title == "Prohibited AI practices"
    paragraph = paths["Chapter II › Article 5 › 1"].text
    assert paragraph.startswith("The following AI practices shall be prohibited:")
    assert "Point (h) of the first subparagraph" in paragraph  # subparagraph joins its paragraph
    assert (doc.kind, doc.binding, doc.kind_inferred) == ("regulation", True, True)


def test_executive_order_sections_nest(corpus: Engine) -> None:
    with session_scope(corpus) as db:
        rows = db.execute(
            select(KbProvision.path, KbProvision.title)
            .join(KbDocument)
            .where(KbDocument.file_name.like("us-eo-14110%"), KbProvision.kind == "section")
        ).all()
    titles = dict(rows)
    assert titles["Sec. 4"] == "Ensuring the Safety and Security of AI Technology"
    assert titles["Sec. 4 › 4.4"].startswith("Reducing Risks at the Intersection of AI and CBRN")
    assert len(rows) == 29


def test_autonomous_weapons_search(corpus: Engine) -> None:
    with session_scope(corpus) as db:
        hits = search(db, "autonomous weapons")
    assert hits and all(h.issuer for h in hits)


def test_every_gold_label_resolves_to_a_provision(corpus: Engine) -> None:
    terms = set(load_taxonomy().ids)
    with GOLD.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 300
    with session_scope(corpus) as db:
        known = set(
            db.execute(select(KbDocument.file_name, KbProvision.path).join(KbDocument)).all()
        )
    for row in rows:
        assert (row["file"], row["path"]) in known, row
        assert {x for x in row["labels"].split(";") if x} <= terms


def test_mit_domain_classifier_beats_baselines(shared_dir: Path) -> None:
    result = evaluate_mit(shared_dir / "data" / "ai-risks", load_taxonomy())
    assert result["classifier"]["accuracy"] > result["keyword_baseline"]["accuracy"]
    assert result["classifier"]["accuracy"] > result["majority_baseline"]["accuracy"]


def test_ai_act_roles_of_review_13(corpus: Engine) -> None:
    """Exemptions, derogations, savings clauses, amending articles, criteria lists and cited
    acts of the AI Act as the shared text has them are not prohibitions or obligations."""
    with session_scope(corpus) as db:
        doc = db.scalars(select(KbDocument).where(KbDocument.file_name.like("eu-ai-act%"))).one()
        roles = {p.path: p.role for p in doc.provisions}
        order = db.scalars(select(KbDocument).where(KbDocument.file_name.like("%14179%"))).one()
        purpose = {p.path: p.role for p in order.provisions}["Sec. 1"]
    article = "Chapter II › Article 5 › 1"
    assert roles[article] == "prohibition"
    assert all(roles[f"{article}({x})"] == "prohibition" for x in "abdefg")
    # The shared text lost point (h): its objectives sit under (g) and are no ban of it.
    assert {roles[f"{article}(g)({x})"] for x in ("i", "ii", "iii")} == {"other"}
    assert roles["Chapter V › Section 2 › Article 53 › 2"] == "exemption"
    assert roles["Chapter III › Section 1 › Article 6 › 3"] == "exemption"
    assert roles["Chapter III › Section 1 › Article 6 › 3(a)"] == "exemption"
    assert roles["Chapter IX › Section 4 › Article 86 › 2"] == "exemption"
    for path in (
        "Chapter IV › Article 50 › 6",
        "Chapter VI › Article 63 › 2",
        "Chapter IX › Section 3 › Article 78 › 4",
        "Chapter XIII › Article 105",
        "Chapter XIII › Article 113 › (c)(53)",
        "Annex XIII › (c)",
        "Annex XIII › (d)",
    ):
        assert roles[path] == "other", path
    for path in ("Chapter IV › Article 50 › 1", "Chapter III › Section 3 › Article 26 › 5"):
        assert roles[path] == "obligation", path
    assert purpose == "other"


def test_the_register_of_red_lines_holds_the_ai_act_bans(corpus: Engine) -> None:
    from detente.knowledge import red_lines

    with session_scope(corpus) as db:
        register = red_lines(db)
    cited = {(r["short_title"], r["citation"]) for r in register}
    act = "Artificial Intelligence Act"
    assert {(act, f"Art. 5(1)({x})") for x in "abdefg"} <= cited
    assert all(r["role"] == "prohibition" for r in register)
    assert not [c for c in cited if c[1].startswith("Recital")]
    assert (act, "Art. 5(1)(g)(ii)") not in cited  # an exception, not a ban
    assert not [c for c in cited if c[1] == "Sec. 4.2(c)(i)(G)"]  # a risk described


def test_the_cells_review_13_found_wrongly_covered_are_not(corpus: Engine) -> None:
    """Finding 4: each of these cells rested on a wrong tag or on a provision that binds
    nobody (a criterion of Annex XIII, an amending article, a cited act)."""
    from datetime import date

    from detente.knowledge import Coverage, coverage_cell, load_taxonomy

    taxonomy = load_taxonomy()
    rule = Coverage.default(date(2026, 1, 14))
    with session_scope(corpus) as db:
        for domain, tool in (
            ("cyber", "prohibitions-red-lines"),
            ("surveillance-biometrics", "testing-evaluation"),
            ("surveillance-biometrics", "conformity-standards"),
            ("critical-infrastructure", "export-controls-compute"),
            ("economic-social", "export-controls-compute"),
            ("loss-of-control", "open-model-governance"),
        ):
            cell = coverage_cell(db, taxonomy, domain, tool, coverage=rule)
            assert cell["provisions"] == 0, (domain, tool, cell["documents"])
        safety = coverage_cell(
            db, taxonomy, "safety-reliability", "conformity-standards", coverage=rule
        )
    cited = {p["citation"] for d in safety["documents"] for p in d["provisions"]}
    assert not {"Art. 105", "Art. 113(c)(53)"} & cited
