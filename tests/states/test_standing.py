"""Every UN member state's standing on an AI instrument, and the words that report it.

Built cases: a signature-only declaration must never read as unanimous or as a "no" from the
states that did not sign; shares always carry their denominator; a bloc is described by what
its members did, counted over all of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from detente.i18n import use_language
from detente.states import (
    Selection,
    Standing,
    analyze,
    import_positions,
    import_votes,
    instrument_standings,
    standing_of,
    un_members,
)
from detente.states._analysis import instrument_summaries
from detente.states._demo import load_facts
from detente.states._standing import (
    bloc_instrument_phrase,
    instrument_headline,
    vote_phrase,
)
from detente.store import session_scope
from detente.store.models.states import Instrument

INSTRUMENTS = """id,title,kind,date,basis,open_to,record,reported_low,reported_high,organisations
summit,A summit declaration,declaration,2023-11-01,endorsement,invited,partial,28,28,eu
club,A club's code of conduct,declaration,2023-10-30,endorsement,members,complete,3,3,
open,An open political declaration,declaration,2024-01-01,endorsement,all,complete,,,
vote,A First Committee draft,unga-vote,2023-11-01,recorded-vote,all,no-and-abstain,,,
"""
POSITIONS = """instrument,state,position,source,note
summit,USA,endorsed,https://example.org/s,
summit,CHN,endorsed,https://example.org/s,
summit,GBR,endorsed,https://example.org/s,host
summit,SAU,endorsed,https://example.org/s,
summit,VAT,signed,https://example.org/s,not a member state
summit,RUS,not-signed,https://example.org/s,
club,USA,endorsed,https://example.org/c,
club,GBR,endorsed,https://example.org/c,
club,FRA,endorsed,https://example.org/c,
open,USA,endorsed,https://example.org/o,
open,FRA,no,https://example.org/o,
vote,RUS,no,https://example.org/v,
vote,PRK,no,https://example.org/v,
vote,IRN,abstain,https://example.org/v,
"""


@pytest.fixture
def instruments(engine: Engine, tmp_path: Path) -> Engine:
    (tmp_path / "instruments.csv").write_text(INSTRUMENTS, encoding="utf-8")
    (tmp_path / "positions.csv").write_text(POSITIONS, encoding="utf-8")
    import_positions(engine, tmp_path / "positions.csv",
                     instruments_file=tmp_path / "instruments.csv")
    return engine


def _standings(engine: Engine, slug: str):  # type: ignore[no-untyped-def]
    with session_scope(engine) as db:
        item = db.scalar(select(Instrument).where(Instrument.slug == slug))
        return item, instrument_standings(db, item)


def test_there_are_193_member_states() -> None:
    members = un_members()
    assert len(members) == 193
    assert {"CHN", "USA", "SSD", "PRK"} <= members
    assert not {"VAT", "PSE", "TWN", "SUN"} & members


def test_not_signing_a_declaration_is_never_a_no_vote() -> None:
    for word in ("not-signed", "not-endorsed", "withdrawn", "no", "abstain", "absent"):
        assert standing_of(word, "endorsement") is Standing.NOT_ENDORSED
    assert standing_of("no", "recorded-vote") is Standing.VOTED_NO
    assert standing_of("abstain", "recorded-vote") is Standing.ABSTAINED
    assert standing_of("signed", "endorsement") is Standing.ENDORSED


def test_a_partial_signatory_list_leaves_the_others_unknown(instruments: Engine) -> None:
    _item, standings = _standings(instruments, "summit")
    assert standings.total == 193 and set(standings.members) == un_members()
    counts = standings.counts()
    assert counts == {"endorsed": 4, "not_endorsed": 1, "voted_no": 0, "abstained": 0,
                      "absent": 0, "unknown": 188}
    assert [o.state for o in standings.others] == ["VAT"]  # named, not counted among the 193
    assert standings.members["GBR"].named and not standings.members["DEU"].named
    assert not standings.complete


def test_a_complete_list_means_the_others_did_not_endorse(instruments: Engine) -> None:
    _item, standings = _standings(instruments, "club")
    assert standings.counts()["endorsed"] == 3
    assert standings.counts()["not_endorsed"] == 190
    assert standings.counts()["voted_no"] == 0
    assert standings.complete


def test_a_vote_listing_no_and_abstain_leaves_yes_unknown(instruments: Engine) -> None:
    _item, standings = _standings(instruments, "vote")
    counts = standings.counts()
    assert counts["voted_no"] == 2 and counts["abstained"] == 1
    assert counts["endorsed"] == 0 and counts["unknown"] == 190


def test_a_loaded_roll_call_gives_every_state_its_vote(engine: Engine,
                                                       data_dir: Path) -> None:
    load_facts(engine)
    with session_scope(engine) as db:
        item = db.scalar(select(Instrument).where(Instrument.slug == "unga-78-241"))
        standings = instrument_standings(db, item)
    assert standings.roll_call_id is not None
    assert standings.counts() == {"endorsed": 152, "not_endorsed": 0, "voted_no": 4,
                                  "abstained": 11, "absent": 26, "unknown": 0}


def test_headlines_state_their_denominator_and_never_unanimity(instruments: Engine) -> None:
    item, standings = _standings(instruments, "summit")
    text = instrument_headline(item, standings)
    assert text.startswith("28 of 193 member states endorsed, as did the EU.")
    assert "the sources name 4 that endorsed, 1 that did not" in text
    assert "the standing of the other 188 is unknown" in text
    assert "100%" not in text
    with use_language("zh"):
        zh = instrument_headline(item, standings)
    assert zh.startswith("193个会员国中有28个赞同，欧盟亦赞同。")
    assert "、" in zh and ", " not in zh and zh.endswith("。")
    item, standings = _standings(instruments, "club")
    # A club's code is open to its members only: the others did not, and could not either.
    assert ("Recorded here: 3 of 193 member states endorsed; the other 190 did not (only its "
            "members could).") in instrument_headline(item, standings)
    with use_language("zh"):
        assert "其余190个未赞同（仅其成员可以赞同）。" in instrument_headline(item, standings)


def test_a_bloc_is_described_by_what_all_its_members_did(instruments: Engine) -> None:
    item, standings = _standings(instruments, "summit")
    bloc = ["RUS", "PRK", "IRN", "CHN"]
    counts = standings.counts(bloc)
    assert bloc_instrument_phrase(item, counts, len(bloc), standings.declined(bloc)) == \
        "1 of 4 members endorsed, 1 did not (Russian Federation), 2 unknown"  # 1 + 1 + 2 = 4
    assert bloc_instrument_phrase(item, counts, len(bloc)) == \
        "1 of 4 members endorsed, 1 did not, 2 unknown"
    assert bloc_instrument_phrase(item, standings.counts(["CHN", "PRK"]), 2) == \
        "1 of 2 members endorsed (the others unknown)"
    counts = standings.counts(["USA", "GBR", "CHN", "SAU"])
    phrase = bloc_instrument_phrase(item, counts, 4)
    assert phrase == "4 of 4 members endorsed"  # all four named: a count, not "100%"
    vote_item, vote_standings = _standings(instruments, "vote")
    phrase = bloc_instrument_phrase(vote_item, vote_standings.counts(bloc), len(bloc))
    assert phrase == "of 4 members, 2 voted no, 1 abstained; the others voted yes or were absent"
    assert "0 of 4" not in phrase  # a yes that no source lists is not a missing yes


def test_vote_phrases_count_over_the_whole_group() -> None:
    counts = {"yes": 144, "no": 1, "abstain": 1, "absent": 1, "non_member": 0,
              "not_endorsed": 0, "unrecorded": 0}
    assert vote_phrase(counts, 147, "members") == \
        "144 of 147 members voted yes, 1 no, 1 abstained, 1 absent"
    with use_language("zh"):
        assert vote_phrase(counts, 147, "成员") == \
            "147个成员中有144个投赞成票、1个反对、1个弃权、1个缺席"


# --- the two findings that misled ---------------------------------------------------------

BLOC_VOTES_HEADER = "undl_id,ms_code,ms_vote,session,date,resolution,title"
#: A bloc of Russia, North Korea, Iran and Belarus votes against everyone else.
AGAINST = ("RUS", "PRK", "IRN", "BLR")
WITH = ("USA", "GBR", "FRA", "DEU", "JPN", "BRA", "IND", "MEX", "NGA", "KEN", "AUS", "CAN")


def _split_assembly(engine: Engine, tmp_path: Path) -> Engine:
    """Eight roll calls on autonomous weapons that split four states from twelve, and a
    signature-only declaration whose sources name four signatories, all in the small bloc."""
    lines = [BLOC_VOTES_HEADER]
    for j in range(8):
        for state in AGAINST + WITH:
            vote = "N" if state in AGAINST else "Y"
            lines.append(f"77{j:02d},{state},{vote},78,2023-12-0{j + 1},A/RES/78/9{j:02d},"
                         f"Lethal autonomous weapons {j}")
    (tmp_path / "votes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_votes(engine, tmp_path / "votes.csv")
    (tmp_path / "instruments.csv").write_text(
        "id,title,kind,date,basis,open_to,record,reported_low,reported_high\n"
        "summit,Bletchley-like Declaration,declaration,2023-11-01,endorsement,invited,partial,"
        "28,28\n", encoding="utf-8")
    (tmp_path / "positions.csv").write_text(
        "instrument,state,position,source\n"
        + "".join(f"summit,{s},endorsed,https://example.org/s\n" for s in AGAINST),
        encoding="utf-8")
    import_positions(engine, tmp_path / "positions.csv",
                     instruments_file=tmp_path / "instruments.csv")
    return engine


@pytest.fixture
def split_assembly(engine: Engine, tmp_path: Path) -> Engine:
    """:func:`_split_assembly` on both backends."""
    return _split_assembly(engine, tmp_path)


def test_signature_only_instruments_never_converge_or_set_a_bloc_apart(
        split_assembly: Engine) -> None:
    with session_scope(split_assembly) as db:
        result = analyze(db, Selection(topic="ai", keyword="autonomous"))
    keys = {s["key"] for s in result["roll_calls"]}
    assert "instrument:summit" not in keys  # by invitation, partial list: never clustered
    small = next(g for g in result["groups"] if "RUS" in g["members"])
    assert set(small["members"]) == set(AGAINST)
    assert all(r["statement"].startswith("undl:") for r in small["representative"])
    assert not any(s.startswith("instrument:") for s in result["converge"])
    summit = next(i for i in result["instruments"] if i["id"] == "summit")
    bloc = next(b for b in summit["blocs"] if b["id"] == small["id"])
    assert bloc["counts"]["endorsed"] == 4 and bloc["size"] == 4
    assert summit["counts"]["unknown"] == 189 and summit["total"] == 193


def test_the_states_page_says_what_each_bloc_did(client, sqlite_engine: Engine,  # type: ignore[no-untyped-def]
                                                  tmp_path: Path) -> None:
    _split_assembly(sqlite_engine, tmp_path)
    page = client.get("/states?topic=ai&keyword=autonomous&lang=en").text
    converge = page[page.index("Where all converge"):page.index("Where they split")]
    assert "Bletchley" not in converge and "100%" not in page
    assert "4 of 4 members endorsed (the others unknown)" not in page  # all four are named
    assert "4 of 4 members endorsed" in page
    assert "0 of 4 members voted yes, 4 no" in page
    assert "Sources report" not in converge


def test_shipped_facts_page_has_no_unanimous_declaration(client, sqlite_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    load_facts(sqlite_engine)
    page = client.get("/states?lang=en").text
    converge = page[page.index("Where all converge"):page.index("Where they split")]
    for title in ("Bletchley Declaration", "Council of Europe Framework Convention"):
        assert title not in converge
    assert "yes 100%" not in page and "100%" not in converge
    assert "28 of 193 member states endorsed, as did the EU." in page
    assert "18 of 193 member states signed, as did the EU." in page
    zh = client.get("/states?lang=zh").text
    assert "(opened for signature)" not in zh and "(launched)" not in zh
    assert "(not verified)" not in zh and "NOT VERIFIED" not in zh
    assert "193个会员国中有28个赞同，欧盟亦赞同。" in zh


def test_a_resolution_whose_adoption_is_not_verified_never_reads_as_a_recorded_vote(
        client, sqlite_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """The shipped facts leave A/RES/79/325's basis empty on purpose: every page and the API
    say that how it was adopted is not verified."""
    load_facts(sqlite_engine)
    page = client.get("/states/instruments/unga-79-325?lang=en").text
    headline = page[page.index('class="headline"'):].split("</p>")[0]
    assert "How it was adopted is not verified." in headline
    assert "Recorded vote" not in headline
    zh = client.get("/states/instruments/unga-79-325?lang=zh").text
    assert "通过方式未经核实。" in zh and "记录表决；" not in zh
    row = client.get("/states?lang=en").text.split("/states/instruments/unga-79-325")[1]
    assert "How it was adopted is not verified." in row.split("</tr>")[0]
    assert client.get("/api/states/instruments/unga-79-325").json()["basis"] == ""


def test_a_membership_list_inferred_from_the_g7_claims_no_non_endorser(
        client, sqlite_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """The G7 Hiroshima list is the G7's membership, not named in the source, and a Friends
    Group of 49 supported the process: the other member states are unknown, not "did not"
    endorse, on its page, in the instruments table and in every bloc's line."""
    load_facts(sqlite_engine)
    page = client.get("/states/instruments/g7-hiroshima-2023?lang=en").text
    assert "the other 186 did not" not in page
    assert "the sources name none that endorsed; 7 are inferred" in page
    assert "the standing of the other 186 is unknown." in page
    zh = client.get("/states/instruments/g7-hiroshima-2023?lang=zh").text
    assert "其余186个未赞同" not in zh and "其余186个的立场不明" in zh
    states = client.get("/states?lang=en").text
    blocs = states[states.index('id="blocs-heading"'):states.index('id="converge-heading"')]
    lines = [line.split("</li>")[0] for line in blocs.split(
        '<a href="/states/instruments/g7-hiroshima-2023">')[1:]]
    assert lines and all("members endorsed (all inferred, not named by a source; the others "
                         "unknown)" in line for line in lines)
    with session_scope(sqlite_engine) as db:
        item = db.scalar(select(Instrument).where(Instrument.slug == "g7-hiroshima-2023"))
        assert instrument_standings(db, item).counts()["not_endorsed"] == 0


def test_a_convention_lists_its_states_as_signed_and_not_signed(
        client, sqlite_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """States sign a convention: its page counts "signed" and "not signed", never "not
    endorsed" (a declaration's word)."""
    load_facts(sqlite_engine)
    page = client.get("/states/instruments/coe-framework-convention-ai?lang=en").text
    standings = page[page.index('<ul class="standings">'):].split("</ul>")[0]
    assert "<strong>signed</strong>: 18" in standings
    assert "<strong>not signed</strong>: 175" in standings
    assert "not endorsed" not in page
    zh = client.get("/states/instruments/coe-framework-convention-ai?lang=zh").text
    assert "<strong>未签署</strong>：175" in zh and "未赞同" not in zh
    declaration = client.get("/states/instruments/seoul-declaration-2024?lang=en").text
    assert "<strong>not endorsed</strong>: 183" in declaration


def test_a_un_text_adopted_without_a_vote_is_not_called_a_vote(
        client, sqlite_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """A/RES/78/265 was adopted without a vote and A/RES/79/325 in a way not verified: their
    kind reads "UN General Assembly resolution or decision", never "UN General Assembly vote"."""
    load_facts(sqlite_engine)
    for lang, kind, vote in (("en", "UN General Assembly resolution or decision",
                              "UN General Assembly vote"), ("zh", "联大决议或决定", "联大表决")):
        page = client.get(f"/states?lang={lang}").text
        row = page.split("/states/instruments/unga-78-265")[-1].split("</tr>")[0]
        assert f'<td class="kind">{kind}</td>' in row
        assert vote not in page
        detail = client.get(f"/states/instruments/unga-79-325?lang={lang}").text
        assert kind in detail and vote not in detail


def test_an_invitation_only_declaration_says_the_others_could_not_sign_it(
        client, sqlite_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """The Seoul Declaration was signed at a leaders' session of invited states: its page says
    the other member states did not endorse it and that only invited states could."""
    load_facts(sqlite_engine)
    page = client.get("/states/instruments/seoul-declaration-2024?lang=en").text
    assert "the other 183 did not (only invited states could)." in page
    zh = client.get("/states/instruments/seoul-declaration-2024?lang=zh").text
    assert "其余183个未赞同（仅受邀国家可以赞同）。" in zh


def test_an_inferred_standing_that_is_no_endorsement_is_counted_once(
        engine: Engine, tmp_path: Path) -> None:
    # Five states named as endorsing and one inferred "not endorsed": the inferred one is
    # neither taken from the named endorsements nor counted as an inferred endorsement.
    (tmp_path / "instruments.csv").write_text(INSTRUMENTS, encoding="utf-8")
    rows = "".join(f"open,{state},endorsed,https://example.org/o,,\n"
                   for state in ("USA", "FRA", "DEU", "JPN", "CAN"))
    (tmp_path / "positions.csv").write_text(
        "instrument,state,position,source,note,evidence\n" + rows
        + "open,MKD,not-endorsed,https://example.org/o,a member,inferred\n", encoding="utf-8")
    import_positions(engine, tmp_path / "positions.csv",
                     instruments_file=tmp_path / "instruments.csv")
    with session_scope(engine) as db:
        item = db.scalar(select(Instrument).where(Instrument.slug == "open"))
        item.record = "partial"
        standings = instrument_standings(db, item)
        text = instrument_headline(item, standings)
    assert "the sources name 5 that endorsed, and 1 are inferred" in text
    assert "4 that endorsed" not in text and "that did not" not in text
    assert "the standing of the other 187 is unknown" in text  # 5 + 1 + 187 = 193
    bloc = ["USA", "FRA", "DEU", "JPN", "CAN", "MKD"]
    assert len(standings.resting_on("inferred", bloc)) == 1
    assert standings.resting_on("inferred", bloc, Standing.ENDORSED) == []
    with session_scope(engine) as db:
        summaries = instrument_summaries(db, {"groups": [{"id": 0, "members": bloc}]})
    (bloc_summary,) = next(s for s in summaries if s["id"] == "open")["blocs"]
    assert bloc_summary["inferred"] == 0  # inferred, but no endorsement
    assert bloc_summary["declined"] == ["MKD"]
