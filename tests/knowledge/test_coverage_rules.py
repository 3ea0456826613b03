"""What coverage may count: built cases for the readings that misled (review 13).

- The demo's fictional sample, with no status and no date, was presumed in force and made five
  "non-binding only" cells; an illustrative document now never counts, and an instrument with
  neither a status nor a date is not presumed in force.
- The AI Act counted as binding coverage of military AI through Article 78 ("public and national
  security interests") in the row that said it excludes military AI (Article 2(3)).
- Article 2(4) (third-country authorities, "provided that ... fundamental rights") and Article
  54(6) (an open-source exemption "unless ... systemic risks") were read as excluding
  discrimination and loss of control.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from detente.knowledge import (
    Coverage,
    compare_issuers,
    coverage_cell,
    coverage_matrix,
    import_documents,
    load_demo_knowledge,
    load_taxonomy,
    red_lines,
)
from detente.knowledge._legal import excluded_subjects, in_force_on, status_on
from detente.store import session_scope
from detente.store.models.knowledge import KbDocument

ON = Coverage.default(date(2026, 12, 2))

#: Modelled on the AI Act's scope, exemption and confidentiality articles.
ACT = """# REGULATION (EU) 2099/10 ON TEST RULES (Test Rules Act)

## CHAPTER I

### Article 2

**Scope**

3. This Regulation does not apply to AI systems used exclusively for military, defence or
national security purposes, regardless of the type of entity carrying out those activities.

4. This Regulation applies neither to public authorities in a third country nor to international
organisations, where those authorities use AI systems for law enforcement cooperation with the
Union, provided that they provide adequate safeguards with respect to the protection of
fundamental rights and freedoms of individuals.

### Article 10

1. Providers shall draw up technical documentation on the risks of discrimination to
fundamental rights.

### Article 54

6. The obligation set out in this Article shall not apply to providers of general-purpose AI
models released under a free and open-source licence, unless the general-purpose AI models
present systemic risks.

7. Providers of general-purpose AI models with systemic risk shall report serious incidents to
the AI Office.

### Article 78

1. Market surveillance authorities shall keep confidential the information they obtain on
military uses and shall report serious incidents to the Commission.
"""

MANIFEST = "\n".join(
    [
        "file,title,issuer,date,language,status,status_date,status_by,illustrative",
        "act.md,Regulation (EU) 2099/10 on test rules (Test Rules Act),European Union,"
        "2024-06-13,en,in force,2024-08-01,,",
        "sample.txt,Sample order on nuclear weapons (illustrative),Test demo,2024-01-01,en,"
        "in force,2024-01-01,,yes",
        "",
    ]
)

SAMPLE = """Sec. 1.  Prohibition.  No person shall use AI in nuclear command and control, and the
Secretary shall report serious incidents involving nuclear weapons.
"""


@pytest.fixture
def act(engine: Engine, tmp_path: Path) -> Engine:
    (tmp_path / "act.md").write_text(ACT, encoding="utf-8")
    (tmp_path / "sample.txt").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    import_documents(engine, [], manifest=tmp_path / "manifest.csv")
    return engine


def _cells(engine: Engine, rule: Coverage = ON) -> tuple[dict, dict]:  # type: ignore[type-arg]
    with session_scope(engine) as db:
        data = coverage_matrix(db, load_taxonomy(), coverage=rule)
    return {(c["domain"], c["tool"]): c for row in data["matrix"] for c in row}, data


# --- an instrument with neither a status nor a date; illustrative documents ----------------


def test_an_instrument_with_neither_status_nor_date_is_not_presumed_in_force() -> None:
    assert status_on(None, None, None, date(2026, 12, 2)) == "unknown"
    assert not in_force_on(None, None, None, date(2026, 12, 2))
    # With a date, it is presumed in force from that date, as before.
    assert status_on(None, None, date(2024, 1, 1), date(2026, 12, 2)) == "in_force"


def test_the_demo_sample_counts_as_no_coverage(engine: Engine) -> None:
    load_demo_knowledge(engine)
    for rule in (ON, Coverage.default(ON.on, count_unknown=True), Coverage(on=None)):
        cells, data = _cells(engine, rule)
        # Before: military AI, nuclear, biological and chemical prohibitions were
        # "non-binding only" on the strength of this fictional text alone; then every cell was a
        # gap. With nothing that can count, coverage is not assessed and no cell is a gap.
        assert {c["status"] for c in cells.values()} == {"not assessed"}
        assert data["assessable"] is False and data["gaps"] == []
        assert all(not c["unestablished"] and not c["not_in_force"] for c in cells.values())
        (sample,) = data["documents"]
        assert sample["illustrative"] is True and sample["counted"] is False
        assert sample["status_on_date"] == "illustrative"
    with session_scope(engine) as db:
        assert red_lines(db) == []


def test_an_illustrative_document_never_counts_even_with_a_status(act: Engine) -> None:
    cells, data = _cells(act)
    nuclear = cells[("nuclear-command-control", "prohibitions-red-lines")]
    assert nuclear["status"] == "gap" and nuclear["documents"] == []
    counted = {d["title"][:6]: d["counted"] for d in data["documents"]}
    assert counted == {"Regula": True, "Sample": False}
    with session_scope(act) as db:
        compared = compare_issuers(db, ["Test demo"], load_taxonomy(), coverage=ON)
        assert compared["columns"]["Test demo"]["documents"] == []
        assert all("Sample" not in r["document"] for r in red_lines(db))


# --- what an exclusion excludes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "subjects"),
    [
        (
            "This Regulation does not apply to AI systems used exclusively for military, defence "
            "or national security purposes, regardless of the type of entity.",
            ["AI systems used exclusively for military, defence or national security purposes"],
        ),
        (
            "This Regulation applies neither to public authorities in a third country, provided "
            "that they provide adequate safeguards with respect to fundamental rights.",
            ["public authorities in a third country"],
        ),
        (
            "The obligation set out in this Article shall not apply to providers of open-source "
            "models, unless the models present systemic risks.",
            [],
        ),
        (
            "The procedures referred to in Articles 79 to 83 of this Regulation shall not apply "
            "to AI systems related to products covered by Union harmonisation legislation.",
            [],
        ),
        ("本办法不适用于军事活动。", ["军事活动"]),
        ("本规定不适用于科研活动，但涉及生物安全的除外。", ["科研活动"]),
    ],
)
def test_what_an_instrument_wide_exclusion_excludes(text: str, subjects: list[str]) -> None:
    assert excluded_subjects(text) == subjects


def test_an_exclusion_excludes_only_the_domain_it_names(act: Engine) -> None:
    cells, data = _cells(act)
    # Before: Art. 2(4) "excluded" discrimination and fundamental rights (named in its proviso)
    # and Art. 54(6) "excluded" frontier capabilities (named after "unless").
    assert {d: [x["citation"] for x in xs] for d, xs in data["exclusions"].items()} == {
        "military-autonomous-weapons": ["Art. 2(3)"]
    }
    assert cells[("discrimination-rights", "transparency-disclosure")]["status"] == "binding"
    assert cells[("loss-of-control", "incident-reporting")]["status"] == "binding"


def test_a_provision_does_not_cover_a_domain_its_instrument_excludes(act: Engine) -> None:
    cells, _data = _cells(act)
    for tool in ("incident-reporting", "oversight-enforcement"):
        cell = cells[("military-autonomous-weapons", tool)]
        # Before: "binding", on the strength of Art. 78(1) alone.
        assert cell["status"] == "gap" and cell["documents"] == []
        assert [(x["short_title"], x["provisions"], x["citations"]) for x in cell["excluded"]] == [
            ("Test Rules Act", 1, ["Art. 2(3)"])
        ]
    with session_scope(act) as db:
        data = compare_issuers(db, ["European Union"], load_taxonomy(), coverage=ON)
    rows = {t["term"]: t["issuers"]["European Union"] for t in data["terms"]}
    military = rows["military-autonomous-weapons"]
    assert military["count"] == 0 and military["binding"] is False
    assert [x["citation"] for x in military["exclusions"]] == ["Art. 2(3)"]
    assert [x["short_title"] for x in military["excluded"]] == ["Test Rules Act"]
    assert rows["discrimination-rights"]["exclusions"] == []
    assert rows["discrimination-rights"]["count"] == 1
    assert rows["loss-of-control"]["exclusions"] == []


def test_a_rejected_domain_tag_withdraws_the_exclusion(act: Engine) -> None:
    from detente.store.models.knowledge import KbProvision, KbTag

    with session_scope(act) as db:
        scope = db.scalars(
            select(KbProvision).where(KbProvision.path == "Chapter I › Article 2 › 3")
        ).one()
        tag = db.scalars(
            select(KbTag).where(
                KbTag.provision_id == scope.id, KbTag.term == "military-autonomous-weapons"
            )
        ).one()
        tag.status = "rejected"
    cells, data = _cells(act)
    assert data["exclusions"] == {}
    assert cells[("military-autonomous-weapons", "incident-reporting")]["status"] == "binding"


# --- a count leads to the provisions it counts -----------------------------------------------


def test_a_cell_lists_the_provisions_it_counts(act: Engine) -> None:
    with session_scope(act) as db:
        cell = coverage_cell(
            db, load_taxonomy(), "loss-of-control", "incident-reporting", coverage=ON
        )
        excluded = coverage_cell(
            db, load_taxonomy(), "military-autonomous-weapons", "incident-reporting", coverage=ON
        )
        document = db.scalars(select(KbDocument).where(KbDocument.file_name == "act.md")).one()
    assert cell["status"] == "binding" and cell["provisions"] == 1
    ((doc,),) = [cell["documents"]]
    assert doc["short_title"] == "Test Rules Act" and doc["status_on_date"] == "in_force"
    (provision,) = doc["provisions"]
    assert provision["citation"] == "Art. 54(7)" and provision["role"] == "obligation"
    assert provision["url"] == f"/kb/documents/{document.id}#p{provision['provision_id']}"
    assert excluded["documents"] == [] and excluded["excluded"][0]["citations"] == ["Art. 2(3)"]


def test_a_cell_of_unknown_terms_is_refused(act: Engine) -> None:
    from detente.errors import InputError

    with session_scope(act) as db, pytest.raises(InputError):
        coverage_cell(db, load_taxonomy(), "incident-reporting", "cyber")


#: Review 13, finding 2: a recital that says practices "should be prohibited", a ban whose
#: points carry no tag of their own, the exceptions to a ban and a risk list.
BANS = """# REGULATION (EU) 2099/11 ON BANNED AI (Ban Act)

Whereas:

(1) Social scoring by public authorities should be prohibited.

HAVE ADOPTED THIS REGULATION:

## CHAPTER I

### Article 5

1. The following AI practices shall be prohibited:

(a) the placing on the market of an AI system that deploys subliminal techniques;

(b) the use of real-time remote biometric identification systems in publicly accessible spaces
for the purposes of law enforcement, unless such use is strictly necessary for one of the
following objectives:

(i) the targeted search for specific victims of abduction;

(ii) the prevention of a specific threat of a terrorist attack;

2. The obligations set out in Article 6 shall not apply to prohibited practices of research.

### Article 6

1. Providers shall assess these risks, which include the following:

(a) Data spillage: AI systems may reveal training data where such use is not permitted.
"""


def test_the_register_of_red_lines_lists_prohibitions_not_recitals_or_exceptions(
    engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / "bans.md").write_text(BANS, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,title,issuer,date,language\nbans.md,Regulation (EU) 2099/11 on banned AI (Ban Act),"
        "European Union,2020-01-01,en\n",
        encoding="utf-8",
    )
    import_documents(engine, [], manifest=tmp_path / "manifest.csv")
    with session_scope(engine) as db:
        register = {r["citation"]: r for r in red_lines(db)}
    assert set(register) == {"Art. 5(1)", "Art. 5(1)(a)", "Art. 5(1)(b)"}
    assert register["Art. 5(1)"]["inherited_from"] is None
    assert register["Art. 5(1)(a)"]["inherited_from"] == "Art. 5(1)"
    assert all(r["role"] == "prohibition" for r in register.values())


def test_compare_counts_the_points_of_a_ban_as_the_matrix_does(
    engine: Engine, tmp_path: Path
) -> None:
    """Review 13, finding 13: the comparison counted only the tagged lead-in of a ban."""
    (tmp_path / "bans.md").write_text(BANS, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,title,issuer,date,language\nbans.md,Regulation (EU) 2099/11 on banned AI (Ban Act),"
        "European Union,2020-01-01,en\n",
        encoding="utf-8",
    )
    import_documents(engine, [], manifest=tmp_path / "manifest.csv")
    with session_scope(engine) as db:
        data = compare_issuers(
            db, ["European Union"], load_taxonomy(), coverage=Coverage.default(date(2025, 1, 1))
        )
    cell = next(t for t in data["terms"] if t["term"] == "prohibitions-red-lines")
    cell = cell["issuers"]["European Union"]
    assert cell["count"] == 3 and cell["binding"]
    cited = [c["citation"] for c in cell["citations"]]
    assert cited == ["Art. 5(1)", "Art. 5(1)(a)", "Art. 5(1)(b)"]
