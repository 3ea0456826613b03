"""The /states pages and the /api/states endpoints."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from detente.states import import_votes
from detente.states._demo import load_facts
from detente.store import session_scope
from detente.store.models.states import RollCall


@pytest.fixture
def loaded(sqlite_engine: Engine, data_dir: Path) -> Engine:
    """The web app's database with the shipped facts and the small unvotes file."""
    load_facts(sqlite_engine)
    import_votes(sqlite_engine, data_dir / "unvotes")
    return sqlite_engine


def test_states_page_shows_bloc_map_heatmap_and_instruments(client, loaded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/states")
    assert page.status_code == 200
    assert 'class="chart bloc-map"' in page.text and 'class="chart heatmap"' in page.text
    assert "Bloc 1" in page.text and "Where they split" in page.text
    assert "/states/instruments/bletchley-2023" in page.text
    assert 'src="/static/states.js"' in page.text


def test_states_page_in_chinese(client, loaded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/states?lang=zh")
    assert page.status_code == 200
    for label in ("国家立场", "集团分布图", "集团1", "各方一致之处", "国家之间的投票一致度"):
        assert label in page.text
    assert "俄罗斯" in page.text  # state names in the interface language


def test_empty_database_explains_how_to_load_votes(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/states")
    assert page.status_code == 200
    assert "detente states load-facts" in page.text


def test_alignment_page_draws_the_line_chart(client, loaded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/states/alignment?a=USA&b=ISR&thin=true")  # every session is thin
    assert page.status_code == 200
    assert "<polyline" in page.text and "United States (USA)" in page.text
    zh = client.get("/states/alignment?a=RUS&b=USA&lang=zh")
    assert "立场随时间的变化" in zh.text and "年份" in zh.text


def test_roll_call_page_lists_votes_with_the_source(client, loaded) -> None:  # type: ignore[no-untyped-def]
    with session_scope(loaded) as db:
        rc_id = db.scalar(select(RollCall.id).where(RollCall.resolution == "A/RES/78/241"))
    page = client.get(f"/states/roll-calls/{rc_id}")
    assert page.status_code == 200
    assert "https://digitallibrary.un.org/record/4031004" in page.text
    assert "Not a member" in page.text or "Absent" in page.text
    assert client.get("/states/roll-calls/999999").status_code == 404


def test_instrument_page_links_each_source(client, loaded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/states/instruments/paris-statement-2025?lang=zh")
    assert page.status_code == 200
    assert "brusselstimes.com" in page.text and "未签署" in page.text


def test_api_analysis_and_agreement(client, loaded) -> None:  # type: ignore[no-untyped-def]
    analysis = client.get("/api/states/analysis?topic=ai").json()
    assert analysis["k"] >= 2 and "RUS" in analysis["states"]
    series = client.get("/api/states/agreement?a=usa&b=isr").json()
    assert {k: v for k, v in series[0].items() if k != "joint"} == {
        "session": 5, "year": 1950, "agreement": 1.0, "roll_calls": 3, "thin": True}
    assert client.get("/api/states/analysis?topic=weather").status_code == 400
    assert client.get("/api/states/analysis?keyword=nothing-matches-this").status_code == 404


def test_api_roll_calls_instruments_and_ideal_points(client, loaded) -> None:  # type: ignore[no-untyped-def]
    calls = client.get("/api/states/roll-calls?topic=ai").json()
    assert [c["resolution"] for c in calls] == ["A/RES/78/241", "A/RES/79/62", "A/RES/80/57"]
    detail = client.get(f"/api/states/roll-calls/{calls[0]['id']}").json()
    assert len(detail["votes"]) == 193
    items = client.get("/api/states/instruments").json()
    assert any(i["id"] == "bletchley-2023" and i["n_positions"] == 15 for i in items)
    one = client.get("/api/states/instruments/bletchley-2023").json()
    assert all(p["source_url"] for p in one["positions"])
    points = client.get("/api/states/ideal-points?session=78").json()
    assert points["roll_calls"] == 1


def test_api_is_documented_in_openapi(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/states/analysis", "/api/states/agreement", "/api/states/ideal-points",
                 "/api/states/roll-calls", "/api/states/roll-calls/{roll_call_id}",
                 "/api/states/instruments", "/api/states/instruments/{slug}"):
        assert path in paths


def test_states_page_says_which_states_the_blocs_hold(client, sqlite_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """On the three shipped autonomous-weapons votes 193 states are recorded, but the blocs
    hold 159 of the 186 that voted: 27 voted too rarely and 7 cast no vote. The page says so,
    never "193 states · 3 blocs", and the heatmap leaves out the states that cast no vote."""
    load_facts(sqlite_engine)
    page = client.get("/states?lang=en").text
    meta = page[page.index('<p class="meta">'):].split("</p>")[0]
    assert "159 of the 186 states that voted form 3 blocs" in meta
    assert "27 states voted too rarely to be grouped" in meta
    assert "7 states cast no vote: Afghanistan, Azerbaijan, Dominica, Nauru" in meta
    assert "193 states" not in meta
    heat = page[page.index('id="heat-heading"'):page.index('id="rc-heading"')]
    assert "Showing 60 of the 186 states that voted" in heat
    assert "The 7 states that cast no vote are left out." in heat
    assert "<title>Afghanistan</title>" not in heat and ">AFG<" not in heat
    zh = client.get("/states?lang=zh").text
    meta = zh[zh.index('<p class="meta">'):].split("</p>")[0]
    assert "投了票的186个国家中有159个形成3个集团" in meta
    assert "27个国家投票过少，未能归组" in meta and "7个国家一票未投：阿富汗" in meta
    analysis = client.get("/api/states/analysis?topic=ai").json()
    assert analysis["tally"] == {
        "states": 193, "voted": 186, "grouped": 159, "too_few_votes": 27, "blocs": 3,
        "no_votes": ["AFG", "AZE", "DMA", "NRU", "STP", "TKM", "VEN"]}


def test_a_range_without_votes_says_so_on_the_page_and_the_api(client, loaded) -> None:  # type: ignore[no-untyped-def]
    """Review 13, finding 1: 1990-1995 holds no AI vote, and the page must not show blocs
    from the 2023 and 2024 votes, nor ask to import what is loaded."""
    page = client.get("/states?topic=ai&from=1990&to=1995")
    assert page.status_code == 200
    assert "No roll call or instrument of this selection falls in 1990–1995." in page.text
    assert "Bloc 1" not in page.text and "detente states import-unga" not in page.text
    api = client.get("/api/states/analysis?topic=ai&from=1990&to=1995")
    assert api.status_code == 404 and "1990–1995" in api.json()["detail"]
    kept = client.get("/api/states/analysis?topic=ai&from=2024&to=2024").json()
    assert [s["resolution"] for s in kept["roll_calls"]] == ["A/RES/79/62"]
    zh = client.get("/states?topic=ai&from=1990&to=1995&lang=zh")
    assert "此选择在1990年至1995年没有任何记录表决或文书。" in zh.text


def test_alignment_flags_thin_sessions_and_names_the_missing_ones(  # type: ignore[no-untyped-def]
        client, sqlite_engine: Engine, spectrum_file: Path) -> None:
    """Review 13, finding 9: USA-RUS drew a line from 0 to 1.0 through 2023-2025, one
    autonomous-weapons vote each, beside sessions of ninety; nothing said 2020-2022 are
    missing."""
    load_facts(sqlite_engine)
    import_votes(sqlite_engine, spectrum_file)  # nine roll calls in 2022 and in 2023
    page = client.get("/states/alignment?a=USA&b=RUS")
    assert page.status_code == 200
    rows = page.text.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")
    assert "too few to compare" not in rows[0] and "too few to compare" in rows[2]
    assert '<tr class="thin"><td>2024</td>' in page.text
    assert ("2024, 2025: fewer than 5 joint roll calls each, too few to compare with the "
            "other sessions; shown in the table, left out of the line: A/RES/79/62") in page.text
    chart = page.text.split("<figure")[1].split("</figure>")[0]
    assert chart.count('class="point"') == 2  # 2022 and 2023 only
    drawn = client.get("/states/alignment?a=USA&b=RUS&thin=true").text
    assert drawn.split("<figure")[1].split("</figure>")[0].count('class="point"') == 4
    zh = client.get("/states/alignment?a=USA&b=RUS&lang=zh").text
    assert "表决过少，不宜比较" in zh and "致命性自主武器系统（2024年）" in zh
    api = client.get("/api/states/agreement?a=USA&b=RUS").json()
    assert [(row["year"], row["thin"]) for row in api] == [
        (2022, False), (2023, False), (2024, True), (2025, True)]
    assert api[3]["joint"][0]["resolution"] == "A/RES/80/57"


def test_alignment_says_when_no_session_is_drawn(client, loaded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/states/alignment?a=USA&b=RUS&from=2023")
    assert "No session has 5 or more joint roll calls" in page.text
    assert "<polyline" not in page.text and "<figure" not in page.text


def test_the_thin_session_limit_is_written_from_its_constant(  # type: ignore[no-untyped-def]
        client, loaded, monkeypatch) -> None:
    """Review of 2 December, finding 12: the page wrote "five" whatever the constant said."""
    import detente.states._charts as charts_module
    import detente.web.routes.states as route

    monkeypatch.setattr(route, "THIN_BELOW", 7)
    monkeypatch.setattr(charts_module, "THIN_BELOW", 7)
    page = client.get("/states/alignment?a=USA&b=RUS&thin=true").text
    assert "Draw sessions with fewer than 7 joint roll calls" in page
    assert "fewer than 7 joint roll calls" in page.split("<figure")[1]
    assert "five" not in page
    zh = client.get("/states/alignment?a=USA&b=RUS&thin=true&lang=zh").text
    assert "在图中画出共同记录表决少于7次的届次" in zh


def test_a_vote_on_a_paragraph_says_so_on_the_page_and_in_the_json(  # type: ignore[no-untyped-def]
        client, sqlite_engine: Engine, tmp_path: Path) -> None:
    """Review 13, finding 8."""
    from tests.states.test_analysis import _paragraph_votes

    import_votes(sqlite_engine, _paragraph_votes(tmp_path / "unvotes"))
    page = client.get("/states?topic=&from=2017&to=2017")
    assert page.status_code == 200
    assert ('Ethical imperatives for a nuclear-weapon-free world</span> (vote on a paragraph) '
            "(2017)") in page.text
    assert "(vote on an amendment)" in page.text and "adopted by the General" not in page.text
    zh = client.get("/states?topic=&from=2017&to=2017&lang=zh")
    assert "（对段落的表决）（2017年）" in zh.text
    result = client.get("/api/states/analysis?from=2017&to=2017&lang=en").json()
    meta = {s["resolution"]: s for s in result["roll_calls"]}
    assert meta["R/72/37"]["paragraph"] is True
    assert meta["R/72/38"]["title"] == "Nuclear disarmament"


def test_states_page_names_what_the_blocs_rest_on(client, loaded) -> None:  # type: ignore[no-untyped-def]
    """Review 13, finding 14: blocs "on AI and security" from three votes on one subject."""
    page = client.get("/states")
    assert ("These blocs rest on 3 roll calls, all on “Lethal autonomous weapons systems” "
            "(2023–2025). Blocs drawn from only 3 votes are fragile: one vote more or less can "
            "move a state from one bloc to another.") in page.text
    zh = client.get("/states?lang=zh")
    assert "这些集团依据关于“致命性自主武器系统”的3次记录表决（2023—2025年）划分。" in zh.text
    many = client.get("/states?topic=&from=5&to=62&lang=en").text
    assert "These blocs rest on 6 roll calls (1950–2007)." in many


def test_the_page_and_the_api_leave_out_paragraph_votes_when_asked(  # type: ignore[no-untyped-def]
        client, sqlite_engine: Engine, tmp_path: Path) -> None:
    from tests.states.test_analysis import _paragraph_votes

    import_votes(sqlite_engine, _paragraph_votes(tmp_path / "unvotes"))
    page = client.get("/states?topic=&from=2017&to=2017&whole_texts=true")
    assert "(vote on a paragraph)" not in page.text and "R/72/38" in page.text
    assert 'name="whole_texts" value="true" checked' in page.text
    assert '<input type="hidden" name="whole_texts" value="true">' in page.text
    api = client.get("/api/states/roll-calls?from=2017&to=2017&whole_texts=true").json()
    assert [r["resolution"] for r in api] == ["R/72/38"]
    everything = client.get("/api/states/roll-calls?from=2017&to=2017").json()
    assert len(everything) == 3


def test_the_bloc_list_takes_declined_and_inferred_from_the_analysis() -> None:
    """Review of 2 December, finding 11: the page computed both again from the standings (and
    counted an inferred "not endorsed" among the inferred endorsements)."""
    from types import SimpleNamespace

    from detente.web.routes.states import _bloc_instruments

    counts = {"endorsed": 5, "not_endorsed": 1, "voted_no": 0, "abstained": 0}
    result = {"groups": [{"id": 0, "members": ["USA", "MKD"]}], "instruments": [
        {"id": "open", "roll_call": None,
         "blocs": [{"id": 0, "size": 6, "counts": counts, "declined": ["MKD"], "inferred": 0}]}]}
    view = SimpleNamespace(item=SimpleNamespace(slug="open"), standings=None)
    assert _bloc_instruments(result, [view]) == {  # type: ignore[list-item]
        0: [(view, counts, 6, ["MKD"], 0)]}
