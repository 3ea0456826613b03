"""Selections and the bloc analysis, on the small files and on the shared LAWS votes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from detente.errors import InputError, NotFoundError
from detente.states import Selection, analyze, import_votes, load_votes
from detente.states._demo import load_facts
from detente.store import session_scope


def _keys(engine: Engine, selection: Selection) -> list[str]:
    with session_scope(engine) as db:
        return [s["key"] for s in load_votes(db, selection).statements]


def test_selection_by_issue_session_year_keyword_and_list(votes_engine: Engine) -> None:
    assert _keys(votes_engine, Selection(issue="nu")) == ["unvotes:13", "unvotes:21"]
    assert _keys(votes_engine, Selection(start=5, end=5)) == ["unvotes:11", "unvotes:12",
                                                             "unvotes:13"]
    assert _keys(votes_engine, Selection(start=1995, end=2007)) == [
        "unvotes:21", "unvotes:22", "unvotes:23"]
    assert _keys(votes_engine, Selection(keyword="palestine")) == ["unvotes:22"]
    assert _keys(votes_engine, Selection(roll_calls=("A/RES/78/999", "unvotes:11"))) == [
        "unvotes:11", "undl:900001"]
    assert _keys(votes_engine, Selection(topic="arms-control")) == ["unvotes:21", "unvotes:23"]


def test_ai_topic_joins_votes_and_only_instruments_every_state_faced(
        votes_engine: Engine) -> None:
    keys = _keys(votes_engine, Selection(topic="ai"))
    # test-summit was by invitation with a partial list: it never enters the clustering
    assert keys == ["undl:900001", "undl:900002", "instrument:test-declaration"]
    with session_scope(votes_engine) as db:
        data = load_votes(db, Selection(topic="ai"))
    usa = data.codes[data.states.index("USA")].tolist()
    assert usa == [3, 1, 1]  # no, yes, endorsed
    # the declaration's list is complete: a member state not on it did not endorse it (6),
    # which is not a no vote (3)
    rus = data.codes[data.states.index("RUS")].tolist()
    assert rus[2] == 6


def test_unknown_topic_is_an_input_error(votes_engine: Engine) -> None:
    with pytest.raises(InputError, match="unknown topic"), session_scope(votes_engine) as db:
        load_votes(db, Selection(topic="weather"))


def test_empty_selection_is_not_found(votes_engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="no roll call or instrument matches"), \
            session_scope(votes_engine) as db:
        analyze(db, Selection(keyword="no such words anywhere"))


def test_an_empty_database_asks_for_an_import(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="import votes first"), \
            session_scope(engine) as db:
        analyze(db, Selection(topic="ai"))


def test_analysis_follows_the_consensus_schema_with_states_as_members(
        votes_engine: Engine) -> None:
    with session_scope(votes_engine) as db:
        result = analyze(db, Selection(start=5, end=62))
    for key in ("participants", "statements", "k", "groups", "consensus", "divisive",
                "projection", "statement_stats", "roll_calls", "states", "ideal_points",
                "agreement", "selection"):
        assert key in result
    members = {m for g in result["groups"] for m in g["members"]}
    assert members <= set(result["states"])
    assert {"USA", "SUN"} <= set(result["states"])
    assert result["states"]["SUN"]["name_zh"] == "苏联"
    keys = [s["key"] for s in result["roll_calls"]]
    assert keys == [s["statement"] for s in result["statement_stats"]]
    usa = result["agreement"]["states"].index("USA")
    isr = result["agreement"]["states"].index("ISR")
    assert result["agreement"]["matrix"][usa][isr] == 1.0


def test_laws_votes_split_russia_from_the_large_majority(engine: Engine, laws_file: Path) -> None:
    import_votes(engine, laws_file)
    with session_scope(engine) as db:
        result = analyze(db, Selection(topic="ai"))
    assert len(result["roll_calls"]) == 3
    blocs = {m: g["id"] for g in result["groups"] for m in g["members"]}
    assert blocs["AUT"] == blocs["MEX"] == blocs["BRA"]
    assert blocs["RUS"] != blocs["AUT"]
    counts = {c["statement"]: c for c in result["vote_counts"]}
    assert counts["undl:4031004"]["yes"] == 152 and counts["undl:4031004"]["no"] == 4
    assert [c["statement"] for c in result["consensus"] if c["direction"] == "agree"]


def test_shipped_facts_load_idempotently_and_analyse(sqlite_engine: Engine) -> None:
    first = load_facts(sqlite_engine).describe()
    assert load_facts(sqlite_engine).describe() == first
    with session_scope(sqlite_engine) as db:
        result = analyze(db, Selection(topic="ai"))
    # no shipped declaration is open to all with a complete list: only roll calls are grouped
    assert {s["kind"] for s in result["roll_calls"]} == {"roll_call"}
    assert result["k"] >= 2
    instruments = {i["id"]: i for i in result["instruments"]}
    assert instruments["bletchley-2023"]["counts"]["endorsed"] == 15
    assert instruments["bletchley-2023"]["counts"]["unknown"] == 178
    assert instruments["bletchley-2023"]["total"] == 193


def test_heatmap_sample_keeps_its_limit_and_the_permanent_five() -> None:
    """The heatmap shows at most 60 states (docs/states.md), the permanent five among them
    (not on top of them), and never a state that cast no vote."""
    from detente.states import heatmap_states

    big = [f"S{i:03d}" for i in range(150)] + ["USA", "GBR", "FRA"]
    small = [f"T{i:02d}" for i in range(30)] + ["RUS", "CHN"]
    rare = [f"U{i:02d}" for i in range(20)]
    silent = ["AFG", "NRU"]
    result = {
        "states": {s: {} for s in big + small + rare + silent},
        "groups": [{"id": 0, "members": big}, {"id": 1, "members": small}],
        "unclustered": rare,
        "projection": [{"participant": s, "x": 0.0, "y": 0.0} for s in big + small + rare],
        "agreement": {"states": big + small + rare + silent},
    }
    shown = heatmap_states(result)
    assert len(shown) <= 60
    assert {"USA", "GBR", "FRA", "RUS", "CHN"} <= set(shown)
    assert not {"AFG", "NRU"} & set(shown)
    for prefix in ("S", "T", "U"):  # every bloc, and the ungrouped, sampled
        assert sum(1 for s in shown if s.startswith(prefix) and s[1:].isdigit()) >= 2
    few = {**result, "agreement": {"states": small + silent}}
    assert heatmap_states(few) == small  # every state that voted, when few


def test_a_range_applies_to_instruments_as_to_roll_calls(sqlite_engine: Engine) -> None:
    """Review 13, finding 1: the AI topic with 1990-1995 analysed the 2023 and 2024 votes,
    which came back as instruments once the range had left their roll calls out."""
    load_facts(sqlite_engine)
    with session_scope(sqlite_engine) as db:
        assert load_votes(db, Selection(topic="ai", start=1990, end=1995)).statements == []
        with pytest.raises(NotFoundError, match="falls in 1990–1995"):
            analyze(db, Selection(topic="ai", start=1990, end=1995))
        for start, end, symbols in ((2024, 2024, ["A/RES/79/62"]),
                                    (2025, 2025, ["A/RES/80/57"]),
                                    (79, 80, ["A/RES/79/62", "A/RES/80/57"])):
            statements = load_votes(db, Selection(topic="ai", start=start,
                                                  end=end)).statements
            assert [s["resolution"] for s in statements] == symbols
            assert {s["kind"] for s in statements} == {"roll_call"}


def test_an_instrument_without_a_symbol_counts_in_the_year_of_its_date(
        votes_engine: Engine) -> None:
    # test-declaration is dated 2024-02-01
    assert _keys(votes_engine, Selection(topic="ai", start=2024, end=2024)) == [
        "undl:900002", "instrument:test-declaration"]
    assert _keys(votes_engine, Selection(topic="ai", start=2025)) == []


def test_instrument_year_follows_the_session_of_a_un_symbol() -> None:
    from detente.states import instrument_year

    assert instrument_year("A/RES/78/265", "2024-03-21") == 2023  # session 78 opened in 2023
    assert instrument_year("A/C.1/79/L.43", "2024-11") == 2024
    assert instrument_year("", "2025-02-11") == 2025
    assert instrument_year("", "2023-02 (not verified)") == 2023
    assert instrument_year(None, "") is None


def _paragraph_votes(folder: Path) -> Path:
    """An unvotes folder of 2017: a vote on a paragraph whose record has no title (the
    description quotes the verbatim record), a resolution with catalogue residue and a vote
    on an amendment."""
    folder.mkdir()
    (folder / "un_roll_calls.csv").write_text(
        "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
        '31,72,,2017-12-04,R/72/37,,1,,"The Acting President: Draft resolution VIII is '
        "entitled _Countering improvised explosive devices<d3>. The First Committee adopted it "
        "without a vote. Draft resolution IX is entitled_Ethical imperatives for a "
        'nuclear-weapon-free world<d3>. A separate, recorded vote has been requested on the '
        'eleventh preambular paragraph. A"\n'
        '32,72,,2017-12-04,R/72/38,0,0,"Nuclear disarmament : resolution / adopted by the '
        'General Assembly",\n'
        "33,72,,2017-12-04,R/72/39,1,0,Towards a nuclear-weapon-free world : resolutio,\n",
        encoding="utf-8")
    votes = ["rcid,country,country_code,vote"]
    for rcid in (31, 32, 33):
        for name, code, vote in (("United States", "US", "no"), ("United Kingdom", "GB", "no"),
                                 ("France", "FR", "no"), ("Austria", "AT", "yes"),
                                 ("Brazil", "BR", "yes"), ("Mexico", "MX", "yes")):
            votes.append(f"{rcid},{name},{code},{vote}")
    (folder / "un_votes.csv").write_text("\n".join(votes) + "\n", encoding="utf-8")
    return folder


def test_paragraph_and_amendment_votes_say_so_and_titles_lose_catalogue_residue(
        sqlite_engine: Engine, tmp_path: Path) -> None:
    """Review 13, finding 8: R/72/37 (a vote on one preambular paragraph) read as the
    resolution, R/70/38 had no title, titles ended in ': resolution / adopted by the General
    Assembly'."""
    from detente.i18n import use_language
    from detente.states import statement_words

    import_votes(sqlite_engine, _paragraph_votes(tmp_path / "unvotes"))
    with session_scope(sqlite_engine) as db:
        statements = load_votes(db, Selection(start=2017, end=2017)).statements
    titles = {s["resolution"]: s["title"] for s in statements}
    assert titles == {"R/72/37": "Ethical imperatives for a nuclear-weapon-free world",
                      "R/72/38": "Nuclear disarmament",
                      "R/72/39": "Towards a nuclear-weapon-free world"}
    words = [statement_words(s, {}) for s in statements]
    assert words == [
        "R/72/37 Ethical imperatives for a nuclear-weapon-free world (vote on a paragraph) "
        "(2017)",
        "R/72/38 Nuclear disarmament (2017)",
        "R/72/39 Towards a nuclear-weapon-free world (vote on an amendment) (2017)"]
    with use_language("zh"):
        assert statement_words(statements[0], {}).endswith("（对段落的表决）（2017年）")


def test_roll_call_title_reads_the_record_as_a_reader_needs_it() -> None:
    from detente.states import roll_call_title

    assert roll_call_title("Rights of the child : resolution / adopted by the General As",
                           "") == "Rights of the child"
    assert roll_call_title("Financing of UNIFIL : r", "") == "Financing of UNIFIL"
    assert roll_call_title("Towards a nuclear-weapon-free world : accelerating the "
                           "implementation", "") == ("Towards a nuclear-weapon-free world : "
                                                     "accelerating the implementation")
    assert roll_call_title("", "Follow-up to nuclear disarmament obligations : resolution / "
                           "adopted by the General Assembly") == (
        "Follow-up to nuclear disarmament obligations")
    assert roll_call_title("", "The Acting President: Draft resolution XXII is entitled "
                           '"United action". Separate votes...') == "United action"
    assert roll_call_title("", "The Acting President: I shall now put to the vote operative "
                           "paragraph 5. A") == ""
    assert roll_call_title("", "x" * 300).endswith("…")
    assert len(roll_call_title("", "x" * 300)) == 240


def test_basis_phrase_names_one_subject_or_only_the_count() -> None:
    from detente.i18n import use_language
    from detente.states import basis_phrase, fragile_note

    def call(title: str, year: int) -> dict[str, object]:
        return {"kind": "roll_call", "title": title, "year": year, "resolution": None}

    one = {"roll_calls": [call("Korea", 1950), call("Korea", 1951)], "groups": [{}]}
    assert basis_phrase(one) == "2 roll calls, all on “Korea” (1950–1951)"
    with use_language("zh"):
        assert basis_phrase(one) == "关于“Korea（无中文文本）”的2次记录表决（1950—1951年）"
    mixed = {"roll_calls": [call("Korea", 1950), call("Palestine", 1950),
                            {"kind": "instrument", "title": "A declaration", "year": 2024}]}
    assert basis_phrase(mixed) == "2 roll calls and 1 instrument (1950–2024)"
    assert fragile_note(one) is not None
    assert fragile_note({"roll_calls": [call("x", 1950)] * 10, "groups": [{}]}) is None


def test_a_long_title_from_the_description_is_kept_whole() -> None:
    from detente.states import roll_call_title

    described = ("Follow-up to nuclear disarmament obligations agreed to at the 1995, 2000 and "
                 "2010 Review Conferences of the Parties to the Treaty on the Non-Proliferation "
                 "of Nuclear Weapons : resolution / adopted by the General Assembly")
    assert roll_call_title("", described).endswith("Non-Proliferation of Nuclear Weapons")
