"""The knowledge-base pages say what the evidence says (review 13): each instrument's status
on the list and on every search hit, counts that lead to the provisions they count, readable
shaded cells, and Chinese pages without detente's own English labels."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine

from detente.knowledge import import_documents

ACT = """# REGULATION (EU) 2099/11 ON TEST SYSTEMS (Test Systems Act)

Whereas:

(1) Testing should protect fundamental rights.

HAVE ADOPTED THIS REGULATION:

## CHAPTER I

### Article 3

1. Providers shall test high-risk AI systems for cybersecurity vulnerabilities.

2. Providers shall report serious incidents involving cyber attacks to the market surveillance
authority.

3. Providers shall assess the risks of discrimination before placing a system on the market.
"""

ORDER = """     By the authority vested in me, it is hereby ordered as follows:

     Sec. 1.  Testing.  The Secretary shall establish testing of AI systems for cybersecurity
vulnerabilities and report serious incidents involving cyber attacks.
"""

MEMO = """Sec. 1.  Evaluation.  The Department of Defense shall evaluate the testing of AI systems
for cybersecurity vulnerabilities.
"""

URL = "https://example.org/briefing-room/presidential-actions/2023/10/30/" + "x" * 90 + "/"

MANIFEST = "\n".join(
    [
        "file,title,issuer,date,language,status,status_date,status_by,source_url",
        "act.md,Regulation (EU) 2099/11 on test systems (Test Systems Act),European Union,"
        "2024-06-13,en,in force,2024-08-01,,",
        'order.txt,Executive Order 99001 on AI Testing,"The White House (President of the United '
        'States)",2023-10-30,en,revoked,2025-01-20,Executive Order 99002 (Rescissions),' + URL,
        'memo.txt,Memorandum on AI evaluation (MEMO-9),"The White House (President of the United '
        'States)",2024-10-24,en,unknown,,,',
        "",
    ]
)


@pytest.fixture
def kb(sqlite_engine: Engine, tmp_path: Path) -> Engine:
    for name, text in (("act.md", ACT), ("order.txt", ORDER), ("memo.txt", MEMO)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    import_documents(sqlite_engine, [], manifest=tmp_path / "manifest.csv")
    return sqlite_engine


def _titles(page: str) -> list[str]:
    return re.findall(r'href="/kb/documents/\d+">(?:<span lang="en">)?([^<]+)<', page)


# --- status on the list and on every hit -------------------------------------------------


def test_the_document_list_shows_each_instruments_status(client, kb: Engine) -> None:  # type: ignore[no-untyped-def]
    english = client.get("/kb").text
    # Before: no status column; EO 14110 read "executive order * / binding *" like any other.
    assert "revoked on 2025-01-20" in english
    assert "by Executive Order 99002 (Rescissions)" in english
    assert "status not established" in english and "in force (from 2024-08-01)" in english
    chinese = client.get("/kb?lang=zh").text
    assert "已于 2025-01-20 撤销" in chinese and "效力状态尚未确定" in chinese
    assert "有效（自 2024-08-01 起）" in chinese


def test_the_document_list_and_its_api_filter_by_status(client, kb: Engine) -> None:  # type: ignore[no-untyped-def]
    by_status = {s: _titles(client.get("/kb", params={"status": s}).text)
                 for s in ("in_force", "not_in_force", "unknown")}
    assert by_status == {
        "in_force": ["Regulation (EU) 2099/11 on test systems (Test Systems Act)"],
        "not_in_force": ["Executive Order 99001 on AI Testing"],
        "unknown": ["Memorandum on AI evaluation (MEMO-9)"],
    }
    assert client.get("/kb", params={"status": "gone"}).status_code == 400
    api = client.get("/api/kb/documents", params={"status": "not_in_force"}).json()
    assert [(d["status_on_date"], d["status_by"]) for d in api] == [
        ("revoked", "Executive Order 99002 (Rescissions)")
    ]


def test_every_search_hit_says_its_instruments_status(client, kb: Engine) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/kb/search", params={"q": "cybersecurity vulnerabilities"}).text
    hits = page.split('<li class="kb-hit">')[1:]
    assert len(hits) >= 3
    assert all("kb-doc-status" in hit for hit in hits)
    order = [hit for hit in hits if "Executive Order 99001" in hit]
    assert order and all("revoked on 2025-01-20" in hit for hit in order)
    memo = [hit for hit in hits if "MEMO-9" in hit]
    assert memo and all("status not established" in hit for hit in memo)
    chinese = client.get("/kb/search", params={"q": "cybersecurity", "lang": "zh"}).text
    assert "已于 2025-01-20 撤销" in chinese
    found = client.get("/api/kb/search", params={"q": "cybersecurity"}).json()
    assert {h["document_status"]["status_on_date"] for h in found} == {
        "in_force", "revoked", "unknown"
    }
    in_force = client.get("/api/kb/search", params={"q": "cybersecurity", "status": "in_force"})
    assert {h["document"] for h in in_force.json()} == {
        "Regulation (EU) 2099/11 on test systems (Test Systems Act)"
    }
    assert client.get("/api/kb/search", params={"q": "x", "status": "gone"}).status_code == 400


# --- the matrix: counts lead to their provisions; readable shades --------------------------


def test_every_count_of_the_matrix_lists_the_provisions_it_counts(client, kb: Engine) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/kb/gaps", params={"on": "2025-01-01"}).text
    # Before: each count linked to /kb/search?q=&term=DOMAIN, an empty search.
    links = re.findall(r'<a href="([^"]+)"[^>]*>(\d+)</a>', page.split("kb-heatmap", 1)[1])
    assert links and all(href.startswith("/kb/gaps/") for href, _ in links)
    for href, count in links:
        assert "on=2025-01-01" in href
        cell = client.get(html.unescape(href))
        assert cell.status_code == 200
        listed = re.findall(r'<ol class="kb-cell-provisions">(.*?)</ol>', cell.text, re.S)
        assert sum(part.count("<li>") for part in listed) == int(count), href
    cyber = client.get("/api/kb/gaps/cyber/testing-evaluation", params={"on": "2025-01-01"})
    assert {d["short_title"] for d in cyber.json()["documents"]} == {
        "Test Systems Act", "Executive Order 99001"
    }
    assert client.get("/kb/gaps/testing-evaluation/cyber").status_code == 400
    assert client.get("/api/kb/gaps/cyber/no-such-tool").status_code == 400


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_shaded_count_keeps_a_contrast_of_4_5_to_1(client, kb: Engine) -> None:  # type: ignore[no-untyped-def]
    for lang in ("en", "zh"):
        page = client.get("/kb/gaps", params={"on": "2025-01-01", "lang": lang}).text
        cells = re.findall(r'<td class="kb-cell kb-binding"\s+style="([^"]*)"', page)
        assert cells
        inks = set()
        for style in cells:
            # Before: the style set the blue only; counts were black on it (2.99:1 at worst).
            background = re.search(r"background: (#[0-9a-f]{6})", style)
            ink = re.search(r"color: (#[0-9a-f]{6})", style)
            assert background and ink, style
            assert _contrast(background.group(1), ink.group(1)) >= 4.5, style
            inks.add(ink.group(1))
        assert "#ffffff" in inks  # the darkest cell takes white text
    assert "Shaded cells are covered" in page or "着色单元格" in page
    english = client.get("/kb/gaps?lang=en").text
    assert "Dark cells" not in english and "Shaded cells are covered by a binding" in english


# --- Chinese pages: detente's own labels in Chinese; one pair of brackets ------------------


def test_chinese_pages_put_detentes_own_labels_in_chinese(client, kb: Engine) -> None:  # type: ignore[no-untyped-def]
    listing = client.get("/kb?lang=zh").text
    order_id = re.search(r'href="/kb/documents/(\d+)"><span lang="en">Executive Order', listing)
    assert order_id
    document = client.get(f"/kb/documents/{order_id.group(1)}?lang=zh").text
    # Before: "Preamble 1" (a label detente makes up) and the language "English".
    assert "序言第1段" in document and "Preamble 1" not in document
    assert "英语" in document and ">English<" not in document.split("<main", 1)[1]
    assert "英语" in listing and ">English<" not in listing.split("<main", 1)[1]
    act = client.get("/kb/search", params={"q": "fundamental rights", "lang": "zh"}).text
    assert "鉴于条款第1项" in act and "Recital 1" not in act
    assert "Preamble 1" in client.get(f"/kb/documents/{order_id.group(1)}?lang=en").text


def test_compare_in_chinese_names_the_default_issuers_in_chinese(client, kb: Engine) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/kb/compare", params={"lang": "zh", "on": "2025-01-01"}).text
    for name in ("美国", "欧盟", "中国", "联合国"):
        assert f'value="{name}"' in page
    assert 'value="United States"' not in page
    # 美国 finds the instruments of the United States, as "United States" does.
    assert "<small>2 份文书</small>" in page


def test_the_document_page_writes_one_pair_of_brackets(client, kb: Engine) -> None:  # type: ignore[no-untyped-def]
    listing = client.get("/kb").text
    order_id = re.search(r'href="/kb/documents/(\d+)">Executive Order', listing)
    assert order_id
    page = client.get(f"/kb/documents/{order_id.group(1)}").text
    # Before: "The White House (President of the United States) (United States)".
    assert "(President of the United States) (United States)" not in page
    assert re.search(r"<dt>Jurisdiction</dt><dd>United States</dd>", page)
    chinese = client.get(f"/kb/documents/{order_id.group(1)}?lang=zh").text
    assert re.search(r"<dt>管辖范围</dt><dd>美国</dd>", chinese)


ANNEXED = """# REGULATION (EU) 2099/12 ON TEST MODELS (Test Models Act)

## CHAPTER I

### Article 1

1. Providers shall keep technical documentation.

# ANNEX XI

# Technical documentation

### Section 1

### Information to be provided

The technical documentation shall contain at least the following information:

(a) the known or estimated energy consumption of the critical infrastructure that runs the model.
"""


def test_a_cell_cites_an_annex_section_with_its_annex(  # type: ignore[no-untyped-def]
    client, sqlite_engine: Engine, tmp_path: Path
) -> None:
    """Review 13, finding 18: 'Annex XI › Section 1 › (e)' was cited 'Sec. 1(e)'."""
    (tmp_path / "annexed.md").write_text(ANNEXED, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,title,issuer,date,language\nannexed.md,Regulation (EU) 2099/12 on test models "
        "(Test Models Act),European Union,2024-06-13,en\n",
        encoding="utf-8",
    )
    import_documents(sqlite_engine, [], manifest=tmp_path / "manifest.csv")
    api = client.get("/api/kb/gaps/critical-infrastructure/transparency-disclosure").json()
    cited = [p["citation"] for d in api["documents"] for p in d["provisions"]]
    assert cited == ["Annex XI, Sec. 1(a)"]
    for lang in ("en", "zh"):
        page = client.get(
            "/kb/gaps/critical-infrastructure/transparency-disclosure", params={"lang": lang}
        ).text
        assert "Annex XI, Sec. 1(a)" in page and ">Sec. 1(a)<" not in page


# --- nothing that can count: coverage is not assessed ------------------------------------------


def test_with_only_the_illustrative_sample_no_page_claims_a_gap(  # type: ignore[no-untyped-def]
    organizer, demo_engine: Engine
) -> None:
    """Before, with only the demo's illustrative document, the gap page counted 195 cells as
    gaps, each cell read 'A gap' and the proposal form offered every cell as a gap."""
    from detente.forum import DEMO_EVENT_SLUG, get_event
    from detente.knowledge import load_demo_knowledge
    from detente.reports import create_proposal
    from detente.store import session_scope

    load_demo_knowledge(demo_engine)
    with session_scope(demo_engine) as db:
        proposal = create_proposal(db, get_event(db, DEMO_EVENT_SLUG), title="T", text="Text.")
        proposal_id = proposal.id
    client = organizer
    for lang, said in (("en", "Coverage cannot be assessed yet"), ("zh", "尚无法评估")):
        gaps = client.get(f"/kb/gaps?lang={lang}").text
        assert said in gaps and "detente kb import FILE… --manifest manifest.csv" in gaps
        assert 'class="kb-heatmap"' not in gaps and "kb-gap-mark" not in gaps
        cell = client.get(f"/kb/gaps/biological/testing-evaluation?lang={lang}").text
        assert said in cell and "A gap:" not in cell and "治理空白" not in cell
        assert said in client.get(f"/kb/compare?lang={lang}").text
        form = html.unescape(client.get(f"/proposals/{proposal_id}/edit?lang={lang}").text)
        assert "biological:testing-evaluation" not in form
        assert ("coverage cannot be assessed until governance instruments are imported"
                if lang == "en" else "无法评估") in form
    data = client.get("/api/kb/gaps").json()
    assert data["assessable"] is False and data["gaps"] == []
    assert {c["status"] for row in data["matrix"] for c in row} == {"not assessed"}
    assert client.get("/api/kb/gaps/biological/testing-evaluation").json()["assessable"] is False


def test_with_instruments_coverage_is_assessed(client, kb: Engine) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/kb/gaps").json()
    assert data["assessable"] is True and data["gaps"]
    assert "Coverage cannot be assessed" not in client.get("/kb/gaps").text


def test_the_cli_says_coverage_cannot_be_assessed(sqlite_url: str, demo_engine: Engine) -> None:
    from typer.testing import CliRunner

    from detente.cli import app
    from detente.knowledge import load_demo_knowledge

    load_demo_knowledge(demo_engine)
    runner = CliRunner()
    for command in (["kb", "gaps"], ["kb", "compare", "EU"]):
        out = runner.invoke(app, ["--database", sqlite_url, *command])
        assert out.exit_code == 0, out.output
        # Before: 'gap  military-autonomous-weapons × prohibitions-red-lines' and 194 more.
        assert out.output.startswith("coverage cannot be assessed yet")
        assert "× " not in out.output


# --- a filter without words browses what it selects --------------------------------------------


def test_a_term_without_words_lists_its_provisions(client, kb: Engine) -> None:  # type: ignore[no-untyped-def]
    """Before, /kb/search?term=cyber showed the empty form, the API asked for q and the CLI
    for QUERY."""
    page = html.unescape(client.get("/kb/search?q=&term=cyber").text)
    assert "No words given: " in page and "carry the term “Cyber" in page
    found = re.findall(r'href="/kb/documents/\d+#p\d+">(?:<span lang="en">)?([^<]+)<', page)
    # The instrument in force comes first, the revoked order and the unknown memo after it.
    assert found and found[0].startswith("Regulation (EU) 2099/11")
    assert found[-1] in {"Executive Order 99001 on AI Testing",
                         "Memorandum on AI evaluation (MEMO-9)"}
    assert "<mark>" in page
    zh = client.get("/kb/search?q=&term=cyber&lang=zh").text
    assert "未输入词语：共有" in zh
    hits = client.get("/api/kb/search?term=cyber").json()
    assert hits and all("cyber" in h["tags"] for h in hits)
    assert hits[0]["document_status"]["status_on_date"] == "in_force"
    # No words and no filter: one clear line on the page, an error naming q in the API.
    empty = client.get("/kb/search?q=&lang=en").text
    assert "Write words to search for, or choose a term to browse" in empty
    refused = client.get("/api/kb/search")
    assert refused.status_code in {400, 422}
    assert "choose a term" in refused.text


def test_the_cli_browses_a_term_without_words(sqlite_url: str, kb: Engine) -> None:
    from typer.testing import CliRunner

    from detente.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["--database", sqlite_url, "kb", "search", "--term", "cyber"])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("no words given: ") and "Regulation (EU) 2099/11" in out.output
    out = runner.invoke(app, ["--database", sqlite_url, "kb", "search"])
    # Neither words nor a filter: the usage mistake of a missing QUERY, as on every command.
    assert out.exit_code == 2 and "missing argument QUERY" in out.output


# --- tags made by older rules say so ------------------------------------------------------------


def test_tags_made_by_older_rules_say_so_until_retagged(  # type: ignore[no-untyped-def]
    client, kb: Engine, sqlite_url: str
) -> None:
    """Before, nothing recorded which rules made a tag: a database built before a rule change
    kept its old tags silently until someone thought of detente kb retag."""
    from sqlalchemy import select, update
    from typer.testing import CliRunner

    from detente.cli import app
    from detente.knowledge import (
        load_taxonomy,
        reread_roles,
        retag_all,
        rules_digest,
        tagging_status,
    )
    from detente.store import session_scope
    from detente.store.models.knowledge import KbProvision, KbTag

    taxonomy = load_taxonomy()
    with session_scope(kb) as db:
        assert tagging_status(db, taxonomy)["current"]
        assert set(db.scalars(select(KbTag.rules))) == {rules_digest(taxonomy)}
    assert "older tagging rules" not in client.get("/kb?lang=en").text
    with session_scope(kb) as db:  # as a database tagged before the rules changed
        db.execute(update(KbTag).values(rules=None))
        db.execute(update(KbProvision).values(role="exclusion"))
        state = tagging_status(db, taxonomy)
    assert not state["current"] and state["stale_tags"] > 0 and state["stale_documents"] == 3
    page = html.unescape(client.get("/kb?lang=en").text)
    assert f"{state['stale_tags']} suggested tags were made by older tagging rules" in page
    assert "detente kb retag" in page
    assert "由旧版标注规则生成" in client.get("/kb?lang=zh").text
    out = CliRunner().invoke(app, ["--database", sqlite_url, "kb", "documents"])
    assert out.exit_code == 0 and "older tagging rules; run detente kb retag" in out.output
    with session_scope(kb) as db:
        retag_all(db, taxonomy)
        reread_roles(db)  # what detente kb retag does after the tags
        assert tagging_status(db, taxonomy)["current"]
        assert "obligation" in set(db.scalars(select(KbProvision.role)))
    assert "older tagging rules" not in client.get("/kb?lang=en").text


def test_the_digest_follows_every_tagging_rule() -> None:
    from dataclasses import replace

    from detente.knowledge import load_taxonomy, rules_digest

    taxonomy = load_taxonomy()
    digest = rules_digest(taxonomy)
    assert rules_digest(load_taxonomy()) == digest and len(digest) == 16
    first = taxonomy.terms[0]
    changed = replace(taxonomy, terms=(replace(first, en=(*first.en, "new words")),
                                       *taxonomy.terms[1:]))
    assert rules_digest(changed) != digest


def test_browse_ranks_every_role_explicitly_an_exemption_with_the_exclusions() -> None:
    """Before, the exemption role (added after browse's ranking) fell back to the rank of
    'other' with nothing saying so."""
    from detente.knowledge._browse import _ROLE_RANK
    from detente.knowledge._legal import ROLES

    assert set(ROLES) <= set(_ROLE_RANK)
    assert _ROLE_RANK["exemption"] == _ROLE_RANK["exclusion"] < _ROLE_RANK["other"]


def test_a_change_of_the_role_rules_makes_tags_stale(monkeypatch, kb: Engine) -> None:  # type: ignore[no-untyped-def]
    """Before, the digest left out the role rules that detente kb retag re-reads: a change of
    provision_role's patterns or code raised no notice and left stored roles stale."""
    import re

    from detente.knowledge import _legal, load_taxonomy, rules_digest, tagging_status
    from detente.store import session_scope

    taxonomy = load_taxonomy()
    before = rules_digest(taxonomy)
    with session_scope(kb) as db:
        assert tagging_status(db, taxonomy)["current"]
    monkeypatch.setattr(_legal, "ROLE_RULES_REVISION", "a later reading of roles")
    assert rules_digest(taxonomy) != before
    with session_scope(kb) as db:
        assert not tagging_status(db, taxonomy)["current"]
    monkeypatch.undo()
    pattern = next(n for n, v in vars(_legal).items() if isinstance(v, re.Pattern))
    monkeypatch.setattr(_legal, pattern, re.compile("a changed pattern"))
    assert rules_digest(taxonomy) != before
