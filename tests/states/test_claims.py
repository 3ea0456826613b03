"""What the state-position pages, the CLI and the report claim, checked against the data.

Each test is a built case for one way a sentence said more (or less) than its sources: the
description of a list read as an assertion in Chinese, a count of states "named" by sources
that name none of them, a bloc line that left out a recorded refusal, a folder import that
undid the facts of how a text was adopted, a committee vote called a resolution.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from detente.cli import app
from detente.i18n import use_language
from detente.states import (
    import_positions,
    instrument_date,
    instrument_headline,
    list_instruments,
    report_findings,
)
from detente.states._demo import load_facts
from detente.store import session_scope


@pytest.fixture
def facts(sqlite_engine: Engine) -> Engine:
    """The web app's database holding the shipped AI facts."""
    load_facts(sqlite_engine)
    return sqlite_engine


def _section(page: str, start: str, end: str) -> str:
    return page[page.index(start):page.index(end)]


def test_chinese_converge_note_describes_the_list_and_asserts_nothing(client, facts) -> None:  # type: ignore[no-untyped-def]
    """The note under 各方一致之处 says what the list holds; it must not claim that every bloc
    has such roll calls (the line below may well say there are none)."""
    page = client.get("/states?lang=zh").text
    note = _section(page, 'id="converge-heading"', 'id="heat-heading"')
    assert "此处列出每个集团的多数都投票一致的记录表决" in note
    assert "每个集团中都有多数投票一致" not in note




def _headlines(engine: Engine) -> dict[str, tuple[str, str, str]]:
    """Each instrument's headline, date in words and the Chinese notes of its positions."""
    out = {}
    with session_scope(engine) as db:
        for view in list_instruments(db):
            notes = "|".join(f"{p.state}:{p.note_zh}" for p in view.item.positions)
            out[view.item.slug] = (instrument_headline(view.item, view.standings),
                                   instrument_date(view.item), notes)
    return out


def test_importing_the_shared_folder_keeps_how_each_text_was_adopted(
        engine: Engine, shared_dir: Path) -> None:
    """docs/states.md's "shared layout" has no ``basis`` column and writes notes into dates
    ("2023-02-16 (launched)"): importing it over the shipped facts changes no headline, date
    or Chinese note, and into an empty database it reads the adoption from ``totals``."""
    folder = shared_dir / "data" / "state-positions"
    if not folder.is_dir():
        pytest.skip("shared state-positions folder is absent")
    load_facts(engine)
    before = _headlines(engine)
    import_positions(engine, folder)
    after = _headlines(engine)
    assert after == before
    assert after["unga-78-265"][0] == "Adopted without a vote: no state's position is recorded."
    assert after["political-declaration-military-ai"][1] == "2023-02-16 (launched)"


def test_the_shared_folder_alone_never_assumes_a_recorded_vote(
        sqlite_engine: Engine, shared_dir: Path) -> None:
    folder = shared_dir / "data" / "state-positions"
    if not folder.is_dir():
        pytest.skip("shared state-positions folder is absent")
    import_positions(sqlite_engine, folder)
    shown = _headlines(sqlite_engine)
    without = "Adopted without a vote: no state's position is recorded."
    assert shown["unga-78-265"][0] == without
    assert shown["unga-78-311"][0] == without
    assert shown["unga-79-325"][0] == "How it was adopted is not verified."
    assert shown["unga-c1-78-L56"][0].startswith("Recorded vote: 164 yes, 5 no, 8 abstentions.")
    assert "the sources name 1 that issued" in shown["china-gaigi-2023"][0]
    assert shown["political-declaration-military-ai"][1] == "2023-02-16 (launched)"
    assert shown["coe-framework-convention-ai"][1] == "2024-09-05 (opened for signature)"
    assert shown["unga-c1-79-L43"][1] == "2024-11 (day not verified)"
    with use_language("zh"):
        assert "（launched）" not in _headlines(sqlite_engine)[
            "political-declaration-military-ai"][1]


def test_list_instruments_after_the_shared_import_reads_the_adoption(
        tmp_path: Path, shared_dir: Path) -> None:
    folder = shared_dir / "data" / "state-positions"
    if not folder.is_dir():
        pytest.skip("shared state-positions folder is absent")
    url, runner = f"sqlite:///{tmp_path / 'pos.db'}", CliRunner()
    for args in (["states", "load-facts"], ["states", "import-positions", str(folder)]):
        assert runner.invoke(app, ["--database", url, *args]).exit_code == 0
    shown = runner.invoke(app, ["--database", url, "states", "list-instruments"]).output
    assert shown.count("Adopted without a vote") == 2
    assert "(launched) (launched)" not in shown
    assert "the totals are not verified" not in shown.split("Seizing")[1].split("\n")[1]


def test_a_first_committee_vote_is_not_called_a_resolution(client, facts) -> None:  # type: ignore[no-untyped-def]
    """L.56, L.43 and L.41 are First Committee votes on drafts; the plenary resolutions (and the
    C3 text, adopted in plenary under its draft symbol) stay resolutions."""
    for slug in ("unga-c1-78-L56", "unga-c1-79-L43", "unga-c1-80-L41-laws"):
        page = client.get(f"/states/instruments/{slug}?lang=en").text
        meta = page[page.index('<p class="meta">'):page.index('<p class="headline">')]
        assert "First Committee vote on a draft resolution" in meta
        assert "resolution or decision" not in meta
        zh = client.get(f"/states/instruments/{slug}?lang=zh").text
        assert "联大第一委员会对决议草案的表决" in zh and "联大决议或决定" not in zh
    plenary = client.get("/states/instruments/unga-80-ai-nuclear-c3?lang=en").text
    assert "UN General Assembly resolution or decision" in plenary
    table = client.get("/states?lang=en").text
    assert table.count("First Committee vote on a draft resolution") == 3


def test_chinese_title_metadata_says_what_it_is(client, facts) -> None:  # type: ignore[no-untyped-def]
    """A note on where a Chinese title comes from is labelled as its source, never as the
    title; a link to the UN's Chinese text beside detente's translated title says that the
    title shown is not taken from it."""
    gaigi = client.get("/states/instruments/china-gaigi-2023?lang=zh").text
    assert "中文标题来源：中央网络安全和信息化委员会办公室发布" in gaigi
    assert "中文标题：" not in gaigi
    for slug in ("unga-79-239", "unga-80-ai-nuclear-c3"):
        page = client.get(f"/states/instruments/{slug}?lang=zh").text
        assert "（译名）" in page
        assert "中文文本：<a href=\"https://undocs.org/zh/" in page
        assert "（上方标题为本平台译名，并非取自该文本）" in page
        assert "中文标题：" not in page
    official = client.get("/states/instruments/unga-78-265?lang=zh").text
    assert "中文标题来源：<a href=\"https://undocs.org/zh/A/RES/78/265\"" in official
    assert "本平台译名" not in official


def test_a_bloc_line_names_the_recorded_refusals(client, facts) -> None:  # type: ignore[no-untyped-def]
    """The Paris statement's sources name the United States and the United Kingdom as not
    signing: a bloc holding one of them says so, and its counts add up to the bloc."""
    import re

    for lang, refused in (("en", r"(\d+) of (\d+) members endorsed, 1 did not \((United "
                                 r"Kingdom|United States)\), (\d+) unknown"),
                          ("zh", r"(\d+)个成员中有(\d+)个赞同，1个没有（(英国|美国)），"
                                 r"(\d+)个不明")):
        page = client.get(f"/states?lang={lang}").text
        blocs = page[page.index('id="blocs-heading"'):page.index('id="converge-heading"')]
        found = re.findall(refused, blocs)
        assert len(found) == 2, found  # the two refusals, each in its bloc
        for match in found:
            endorsed, size = (int(match[0]), int(match[1])) if lang == "en" \
                else (int(match[1]), int(match[0]))
            assert endorsed + 1 + int(match[3]) == size


def _item_and_standings(engine: Engine, slug: str):  # type: ignore[no-untyped-def]
    with session_scope(engine) as db:
        view = next(v for v in list_instruments(db) if v.item.slug == slug)
        return view.item, view.standings


def test_states_inferred_from_a_role_are_never_counted_as_named(facts: Engine) -> None:
    """G7: the source says only "G7 leaders"; the Political Declaration: four of five states
    are inferred from their co-chair role. Neither headline counts them among those the
    sources name, and nothing says the EU endorsed the G7 code."""
    item, standings = _item_and_standings(facts, "g7-hiroshima-2023")
    g7 = instrument_headline(item, standings)
    assert "the sources name 7" not in g7 and "as did the EU" not in g7
    assert "the sources name none that endorsed; 7 are inferred" in g7
    assert standings.named() == 0 and len(standings.resting_on("inferred")) == 7
    item, standings = _item_and_standings(facts, "political-declaration-military-ai")
    declaration = instrument_headline(item, standings)
    assert "the sources name 5" not in declaration
    assert ("the sources name 1 that endorsed, and 4 are inferred from what the sources say, "
            "not named in them (Austria, Bahrain, Canada, Portugal)") in declaration
    with use_language("zh"):
        zh = instrument_headline(item, standings)
    assert "来源点名了1个赞同的国家，另有4个是根据来源内容推定的" in zh


def test_the_coe_convention_says_who_could_sign_and_which_signature_rests_on_one_text(
        facts: Engine) -> None:
    """The convention was open to non-members that helped draft it (the United States,
    Canada, Japan, Israel and Uruguay signed): never "only its members could"."""
    item, standings = _item_and_standings(facts, "coe-framework-convention-ai")
    text = instrument_headline(item, standings)
    assert "only its members could" not in text
    assert ("the other 175 did not (only member states of the Council of Europe and the "
            "non-member states invited to join could)") in text
    assert "Only one source lists Montenegro; other reports do not." in text
    with use_language("zh"):
        zh = instrument_headline(item, standings)
    assert "仅其成员可以" not in zh and "仅欧洲委员会成员国和受邀加入的非成员国可以签署" in zh
    assert "仅有一个来源列出黑山" in zh


def test_every_surface_marks_inferred_and_single_source_standings(  # type: ignore[no-untyped-def]
        client, facts, tmp_path: Path) -> None:
    page = client.get("/states/instruments/g7-hiroshima-2023?lang=en").text
    assert "endorsed (inferred)" in page and "7 (all inferred, not named by a source)" in page
    declaration = client.get("/states/instruments/political-declaration-military-ai?lang=en")
    assert "5 (4 of them inferred, not named by a source)" in declaration.text
    assert "the sources name 7" not in page
    coe = client.get("/states/instruments/coe-framework-convention-ai?lang=en").text
    assert "signed (one source only)" in coe and "only its members could" not in coe
    zh = client.get("/states/instruments/g7-hiroshima-2023?lang=zh").text
    assert "赞同（推定）" in zh and "来源点名了7个" not in zh
    api = client.get("/api/states/instruments/political-declaration-military-ai").json()
    assert (api["named"], api["inferred"]) == (1, 4)
    assert {p["state"] for p in api["positions"] if p["evidence"] == "inferred"} == {
        "AUT", "BHR", "CAN", "PRT"}
    table = client.get("/states?lang=en").text
    assert "the sources name 7" not in table and "the sources name 5" not in table
    url, runner = f"sqlite:///{tmp_path / 'f.db'}", CliRunner()
    assert runner.invoke(app, ["--database", url, "states", "load-facts"]).exit_code == 0
    shown = runner.invoke(app, ["--database", url, "states", "list-instruments"]).output
    assert "the sources name 7" not in shown and "the sources name 5" not in shown
    assert "only its members could" not in shown and "Montenegro" in shown
    zh_cli = runner.invoke(app, ["--database", url, "states", "--lang", "zh",
                                 "list-instruments"]).output
    assert "来源点名了7个" not in zh_cli and "来源点名了5个" not in zh_cli
    assert "仅有一个来源列出黑山" in zh_cli


def test_the_report_chapter_says_what_the_sources_say(facts: Engine) -> None:
    """The report's "Who took part" finding, in English and Chinese."""
    with session_scope(facts) as db:
        findings = report_findings(db, "ai").findings
    took_part = next(f for f in findings if f.title.startswith("Who took part"))
    for wrong in ("the sources name 7", "the sources name 5", "only its members could"):
        assert wrong not in took_part.text
    assert "7 are inferred" in took_part.text and "Only one source lists Montenegro" in \
        took_part.text
    for wrong in ("来源点名了7个", "来源点名了5个", "仅其成员可以"):
        assert wrong not in took_part.text_zh
    assert "仅欧洲委员会成员国和受邀加入的非成员国可以签署" in took_part.text_zh
