"""``detente states`` commands."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from detente.cli import app

runner = CliRunner()


def _run(url: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--database", url, "states", *args])


def test_import_analyze_and_agreement(sqlite_url: str, data_dir: Path, tmp_path: Path) -> None:
    result = _run(sqlite_url, "import-unga", str(data_dir / "unvotes"))
    assert result.exit_code == 0, result.output
    assert "6 roll calls" in result.output and "37 votes" in result.output
    assert _run(sqlite_url, "import-unga", str(data_dir / "undl_small.csv")).exit_code == 0
    out = tmp_path / "blocs.json"
    result = _run(sqlite_url, "analyze", "--from", "5", "--to", "62", "--json", str(out))
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["selection"]["from"] == 5
    assert "USA" in payload["states"]
    series_file = tmp_path / "agreement.json"
    result = _run(sqlite_url, "agreement", "usa", "isr", "--json", str(series_file))
    assert result.exit_code == 0, result.output
    series = json.loads(series_file.read_text(encoding="utf-8"))
    assert series[0] == {"session": 5, "year": 1950, "agreement": 1.0, "roll_calls": 3,
                         "thin": True, "joint": series[0]["joint"]}
    assert [j["key"] for j in series[0]["joint"]] == ["unvotes:11", "unvotes:12", "unvotes:13"]
    assert {row["session"] for row in series} == {5, 50, 62}


def test_agreement_range_and_succession(sqlite_url: str, data_dir: Path) -> None:
    _run(sqlite_url, "import-unga", str(data_dir / "unvotes"))
    result = _run(sqlite_url, "agreement", "RUS", "USA", "--from", "1950", "--to", "1950",
                  "--json", "-")
    assert result.exit_code == 0, result.output
    # 1950: USA yes, yes, no against the USSR's no, no, yes (RUS continues SUN)
    assert [{k: v for k, v in row.items() if k != "joint"}
            for row in json.loads(result.output)] == [
        {"session": 5, "year": 1950, "agreement": 0.0, "roll_calls": 3, "thin": True}]
    result = _run(sqlite_url, "agreement", "RUS", "USA", "--from", "1950", "--to", "1950",
                  "--no-succession")
    assert result.exit_code == 2
    assert "share no recorded vote" in result.output


def test_bad_file_exits_2_with_file_and_line(sqlite_url: str, data_dir: Path,
                                             tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    lines = (data_dir / "undl_small.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",A,", ",?,")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run(sqlite_url, "import-unga", str(bad))
    assert result.exit_code == 2
    assert "bad.csv:3" in result.output


def test_positions_and_list_instruments(sqlite_url: str, data_dir: Path) -> None:
    result = _run(sqlite_url, "import-positions", str(data_dir / "positions_small.csv"),
                  "--instruments", str(data_dir / "instruments_small.csv"))
    assert result.exit_code == 0, result.output
    result = _run(sqlite_url, "import-positions", str(data_dir / "bletchley_like.csv"),
                  "--instrument", "bletchley")
    assert result.exit_code == 0, result.output
    result = _run(sqlite_url, "list-instruments", "--json", "-")
    rows = {row["id"]: row for row in json.loads(result.output)}
    assert rows["test-declaration"]["positions"] == 3
    assert rows["bletchley"]["positions"] == 2
    assert rows["test-declaration"]["standings"]["not_endorsed"] == 190
    assert rows["bletchley"]["standings"]["unknown"] == 191  # no basis given: unknown
    text = _run(sqlite_url, "list-instruments").output
    assert "3 of 193 member states endorsed." in text
    zh = _run(sqlite_url, "--lang", "zh", "list-instruments").output
    assert "测试用军事人工智能宣言" in zh and "193个会员国中有3个赞同。" in zh


def test_ideal_points_and_load_facts(sqlite_url: str, data_dir: Path) -> None:
    result = _run(sqlite_url, "load-facts")
    assert result.exit_code == 0 and "AI instruments" in result.output
    result = _run(sqlite_url, "analyze", "--topic", "ai")
    assert result.exit_code == 0 and "Bloc 1 (" in result.output
    zh = _run(sqlite_url, "--lang", "zh", "analyze", "--topic", "ai").output
    assert "集团1（" in zh and "、" in zh
    # The summary says which states the blocs hold, not how many states the data name.
    analysis = json.loads(_run(sqlite_url, "analyze", "--topic", "ai", "--json", "-").output)
    voted = len(analysis["projection"])
    assert f"states that voted form {analysis['k']} bloc" in result.output
    assert f"{voted} states that voted" in result.output
    assert "states: " not in result.output and "投了票" in zh and "记录表决或文书：" in zh
    _run(sqlite_url, "import-unga", str(data_dir / "unvotes"))
    result = _run(sqlite_url, "ideal-points", "--from", "50", "--to", "50", "--min-votes", "1",
                  "--json", "-")
    rows = json.loads(result.output)
    assert rows[0]["session"] == 50 and rows[0]["points"]["USA"] > 0 > rows[0]["points"]["CUB"]


def test_list_roll_calls_with_counts(sqlite_url: str, data_dir: Path) -> None:
    _run(sqlite_url, "import-unga", str(data_dir / "undl_small.csv"))
    result = _run(sqlite_url, "list-roll-calls", "--topic", "ai", "--json", "-")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["resolution"], r["yes"], r["no"], r["abstain"], r["absent"], r["non_member"])
            for r in rows] == [("A/RES/78/999", 1, 2, 1, 1, 1), ("A/RES/79/999", 3, 1, 0, 1, 1)]
    text = _run(sqlite_url, "list-roll-calls", "--from", "2024").output
    assert "A/RES/79/999" in text and "A/RES/78/999" not in text


def test_states_are_found_by_code_or_name(sqlite_url: str) -> None:
    assert _run(sqlite_url, "load-facts").exit_code == 0
    by_code = _run(sqlite_url, "agreement", "US", "CN", "--json", "-")
    assert by_code.exit_code == 0, by_code.output
    for a, b in (("USA", "CHN"), ("United States", "China"), ("美国", "中国"), ("us", "chn")):
        again = _run(sqlite_url, "agreement", a, b, "--json", "-")
        assert again.exit_code == 0 and json.loads(again.output) == json.loads(by_code.output)
    text = _run(sqlite_url, "agreement", "US", "China").output
    assert "United States (USA) / China (CHN)" in text


def test_an_unknown_state_is_named_with_close_matches(sqlite_url: str) -> None:
    result = _run(sqlite_url, "agreement", "XX", "CN")
    assert result.exit_code == 2
    assert "unknown code XX; did you mean Mexico (MEX)?" in result.output
    result = _run(sqlite_url, "agreement", "US", "Chna")
    assert result.exit_code == 2
    assert "unknown state “Chna”; did you mean China (CHN)" in result.output
    zh = _run(sqlite_url, "--lang", "zh", "agreement", "XX", "CN")
    assert zh.exit_code == 2 and "未知代码XX；您是否指墨西哥（MEX）？" in zh.output


def test_ideal_points_for_chosen_states(sqlite_url: str, spectrum_file: Path) -> None:
    _run(sqlite_url, "import-unga", str(spectrum_file))
    result = _run(sqlite_url, "ideal-points", "--states", "United States, 中国, RU")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[-3:] == ["USA", "CHN", "RUS"]
    assert [line.split()[0] for line in lines[1:]] == ["2022", "2023"]
    usa, chn, rus = (float(v) for v in lines[1].split()[-3:])
    assert usa > chn and usa > rus


def test_agreement_heading_in_either_language(sqlite_url: str, data_dir: Path) -> None:
    _run(sqlite_url, "import-unga", str(data_dir / "unvotes"))
    english = _run(sqlite_url, "agreement", "usa", "isr")
    assert english.output.splitlines()[0] == "United States (USA) / Israel (ISR)"
    chinese = runner.invoke(app, ["--database", sqlite_url, "--lang", "zh", "states",
                                  "agreement", "usa", "isr"])
    assert chinese.output.splitlines()[0] == "美国（USA） / 以色列（ISR）"


def test_a_range_keeps_instruments_out_of_it(sqlite_url: str) -> None:
    """Review 13, finding 1: list-roll-calls --topic ai --from 1990 --to 1995 listed the 2023
    and 2024 votes."""
    assert _run(sqlite_url, "load-facts").exit_code == 0
    result = _run(sqlite_url, "list-roll-calls", "--topic", "ai", "--from", "1990", "--to", "1995")
    assert result.exit_code == 0, result.output
    assert "A/RES/78/241" not in result.output
    assert "No roll call or instrument of this selection falls in 1990–1995 (" in result.output
    result = _run(sqlite_url, "analyze", "--topic", "ai", "--from", "1990", "--to", "1995")
    assert result.exit_code == 2 and "falls in 1990–1995" in result.output
    result = _run(sqlite_url, "list-roll-calls", "--topic", "ai", "--from", "2025", "--to",
                  "2025", "--json", "-")
    assert [row["resolution"] for row in json.loads(result.output)] == ["A/RES/80/57"]


def test_agreement_flags_sessions_of_too_few_joint_votes(sqlite_url: str,
                                                         spectrum_file: Path) -> None:
    """Review 13, findings 9 and 16: 2023-2025 rest on one autonomous-weapons vote each and
    2020-2022 are not in the data; the table, the notes and the JSON say so."""
    assert _run(sqlite_url, "import-unga", str(spectrum_file)).exit_code == 0  # 2022, 2023
    assert _run(sqlite_url, "load-facts").exit_code == 0  # one vote each in 2023, 2024, 2025
    result = _run(sqlite_url, "agreement", "USA", "China")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.output.splitlines()[2:]}
    assert "too few to compare" not in rows["2022"] and "too few" not in rows["2023"]
    assert rows["2024"].endswith("1  [too few to compare]")
    assert rows["2025"].endswith("1  [too few to compare]")
    assert ("2024, 2025: fewer than 5 joint roll calls each, too few to compare with the other "
            "sessions; shown in the table, left out of the line: A/RES/79/62 Lethal autonomous "
            "weapons systems (2024); A/RES/80/57 Lethal autonomous weapons systems (2025)."
            ) in result.output
    series = json.loads(_run(sqlite_url, "agreement", "USA", "China", "--json", "-").output)
    assert [(row["year"], row["thin"]) for row in series] == [
        (2022, False), (2023, False), (2024, True), (2025, True)]
    assert series[2]["joint"] == [{"key": "undl:4068497", "resolution": "A/RES/79/62",
                                   "title": "Lethal autonomous weapons systems"}]
    assert "joint" not in series[0]
    zh = runner.invoke(app, ["--database", sqlite_url, "--lang", "zh", "states", "agreement",
                             "USA", "China"])
    assert "[表决过少，不宜比较]" in zh.output
    assert "2024年、2025年：两国共同参加的记录表决少于5次" in zh.output


def test_agreement_names_the_sessions_missing_from_the_data(sqlite_url: str,
                                                            data_dir: Path) -> None:
    assert _run(sqlite_url, "load-facts").exit_code == 0
    assert _run(sqlite_url, "import-unga", str(data_dir / "unvotes")).exit_code == 0
    result = _run(sqlite_url, "agreement", "USA", "Israel", "--from", "2010")
    assert "no roll call in the data" not in result.output  # the series starts at 78
    result = _run(sqlite_url, "agreement", "USA", "Russia", "--from", "62")
    assert "Sessions 63–77 (2008–2022): no roll call in the data." in result.output


def test_list_roll_calls_names_paragraph_votes(sqlite_url: str, tmp_path: Path) -> None:
    """Review 13, finding 8."""
    from tests.states.test_analysis import _paragraph_votes

    _run(sqlite_url, "import-unga", str(_paragraph_votes(tmp_path / "unvotes")))
    result = _run(sqlite_url, "list-roll-calls", "--from", "2017")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].endswith("Ethical imperatives for a nuclear-weapon-free world "
                             "(vote on a paragraph)")
    assert lines[2].endswith("  Nuclear disarmament")
    rows = json.loads(_run(sqlite_url, "list-roll-calls", "--from", "2017", "--json", "-").output)
    assert [(r["paragraph"], r["amendment"]) for r in rows] == [
        (True, False), (False, False), (False, True)]


def test_analyze_says_what_the_blocs_rest_on_where_they_converge_and_split(
        sqlite_url: str) -> None:
    """Review 13, findings 14 and 16: the table printed only the blocs, though its help
    promises consensus and divisive roll calls, and named no basis."""
    assert _run(sqlite_url, "load-facts").exit_code == 0
    result = _run(sqlite_url, "analyze", "--topic", "ai")
    assert result.exit_code == 0, result.output
    assert ("These blocs rest on 3 roll calls, all on “Lethal autonomous weapons systems” "
            "(2023–2025). Blocs drawn from only 3 votes are fragile") in result.output
    lines = result.output.splitlines()
    converge, split = lines.index("Where all converge:"), lines.index("Where they split:")
    assert converge < split
    assert "  - A/RES/80/57 Lethal autonomous weapons systems (2025)" in lines[split:]
    assert any(line.startswith("      Bloc 1: ") and "members voted yes" in line
               for line in lines[split:])
    zh = _run(sqlite_url, "--lang", "zh", "analyze", "--topic", "ai").output
    assert "这些集团依据关于“致命性自主武器系统”的3次记录表决（2023—2025年）划分。" in zh
    assert "各方一致之处：" in zh and "分歧之处：" in zh


def test_list_instruments_prints_the_symbols(sqlite_url: str) -> None:
    """Review 13, finding 16: three rows read 'Lethal autonomous weapons systems'."""
    assert _run(sqlite_url, "load-facts").exit_code == 0
    lines = _run(sqlite_url, "list-instruments").output.splitlines()
    assert "2023-12-22  A/RES/78/241  Lethal autonomous weapons systems" in lines
    assert ("2023-11-01  A/C.1/78/L.56  Lethal autonomous weapons systems (First Committee "
            "draft resolution)") in lines


def test_whole_texts_leaves_out_paragraph_and_amendment_votes(sqlite_url: str,
                                                              tmp_path: Path) -> None:
    """Review 13, finding 8: a filter for votes on whole texts."""
    from tests.states.test_analysis import _paragraph_votes

    _run(sqlite_url, "import-unga", str(_paragraph_votes(tmp_path / "unvotes")))
    rows = json.loads(_run(sqlite_url, "list-roll-calls", "--from", "2017", "--whole-texts",
                           "--json", "-").output)
    assert [row["resolution"] for row in rows] == ["R/72/38"]
    payload = json.loads(_run(sqlite_url, "analyze", "--from", "2017", "--whole-texts",
                              "--json", "-").output)
    assert [s["resolution"] for s in payload["roll_calls"]] == ["R/72/38"]
    assert payload["selection"]["whole_texts"] is True


def test_list_roll_calls_on_an_empty_database_says_how_to_import(sqlite_url: str) -> None:
    """Review of 2 December, finding 10: it said only that nothing matched."""
    listed = _run(sqlite_url, "list-roll-calls")
    assert listed.exit_code == 0, listed.output
    assert "import votes first (detente states import-unga)" in listed.output
    analyzed = _run(sqlite_url, "analyze")
    assert "import votes first (detente states import-unga)" in analyzed.output
