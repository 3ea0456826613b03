"""``detente consensus``: the summary (English and Chinese), ``--json FILE|-``, progress on
stderr, and bad input as one line with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from detente.cli.consensus import consensus_command

from .conftest import planted


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(consensus_command)
    return app


def _csv(path: Path) -> Path:
    m, _ = planted((15, 15), 12, seed=2)
    r, c, v = m.to_long()
    lines = ["participant,statement,vote"]
    lines += [
        f"{m.participant_ids[i]},{m.statement_ids[j]},{x}" for i, j, x in zip(r, c, v, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_json_dash_writes_only_the_json_to_stdout(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), [str(_csv(tmp_path / "v.csv")), "--json", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["participants"] == 30 and data["k"] == 2


def test_json_option_writes_a_file_and_the_summary_still_prints(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        _app(), [str(_csv(tmp_path / "v.csv")), "--json", str(out), "--k", "3"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["k"] == 3
    assert "3 opinion groups" in result.stdout


def _polis_export(folder: Path) -> Path:
    from detente.consensus import write_polis_export

    m, _ = planted((14, 10), 10, seed=5)
    r, c, v = m.to_long()
    votes = [
        {"participant": str(m.participant_ids[i]), "statement": str(m.statement_ids[j]),
         "vote": int(x), "timestamp": 1000 * n}
        for n, (i, j, x) in enumerate(zip(r, c, v, strict=True))
    ]
    votes.append({"participant": "late", "statement": "s0", "vote": 1, "timestamp": 10**9})
    comments = [
        {"id": str(s), "body": f"Statement number {s} about verification"}
        for s in m.statement_ids.tolist()
    ]
    write_polis_export(folder, comments, votes, {})
    return folder


def test_the_default_output_is_a_summary_for_people(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), [str(_polis_export(tmp_path / "e"))])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "25 participants, 10 statements" in out
    assert "2 opinion groups: Opinion group A" in out
    assert "Opinion group B — " in out and "Representative statements:" in out
    assert "Statement number s" in out and "% agree (" in out
    assert "Consensus statements" in out and "Divisive statements" in out
    assert "Not in a group: 1 participants with fewer than 7 votes: late" in out


def test_the_summary_in_chinese(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), [str(_polis_export(tmp_path / "e")), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "2个观点群组：观点群组A" in result.stdout and "代表性观点" in result.stdout
    assert "未分组：1名参与者" in result.stdout
    bad = CliRunner().invoke(_app(), [str(tmp_path / "e"), "--lang", "fr"])
    assert bad.exit_code == 2 and bad.stderr.strip() == "error: --lang: “fr” is not en or zh"


def test_the_root_command_follows_the_locale(tmp_path: Path) -> None:
    from detente import i18n
    from detente.cli import app

    folder = str(_polis_export(tmp_path / "e"))
    try:
        chinese = CliRunner().invoke(app, ["consensus", folder], env={"LANG": "zh_CN.UTF-8"})
        assert chinese.exit_code == 0, chinese.output
        assert "观点群组A" in chinese.stdout
        english = CliRunner().invoke(
            app, ["consensus", folder, "--lang", "en"], env={"LANG": "zh_CN.UTF-8"}
        )
        assert "Opinion group A" in english.stdout
    finally:
        i18n.set_language("en")  # the root command sets it for the rest of the process


def test_slow_inputs_report_progress_on_stderr(tmp_path: Path, monkeypatch) -> None:
    import detente.cli.consensus as cli

    quick = CliRunner().invoke(_app(), [str(_csv(tmp_path / "w.csv")), "--json", "-"])
    assert quick.exit_code == 0 and quick.stderr == ""  # under a second: silent
    real = cli._Progress
    monkeypatch.setattr(cli, "_Progress", lambda: real(delay=0.0))  # as if it were slow
    result = CliRunner().invoke(_app(), [str(_csv(tmp_path / "v.csv")), "--json", "-"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("reading ") and lines[-1].startswith("2 opinion groups found in ")
    json.loads(result.stdout)


def test_polis_folder_with_history_replay(tmp_path: Path) -> None:
    from detente.consensus import write_polis_export

    m, _ = planted((12, 12), 10, seed=3)
    r, c, v = m.to_long()
    votes = [
        {
            "participant": str(m.participant_ids[i]),
            "statement": str(m.statement_ids[j]),
            "vote": int(x),
            "timestamp": 1000 * n,
        }
        for n, (i, j, x) in enumerate(zip(r, c, v, strict=True))
    ]
    comments = [{"id": str(s), "body": f"statement {s}"} for s in m.statement_ids.tolist()]
    write_polis_export(tmp_path, comments, votes, {})
    result = CliRunner().invoke(_app(), [str(tmp_path), "--history", "40", "--json", "-"])
    assert result.exit_code == 0, result.output
    assert "replaying updates" in result.stderr
    assert json.loads(result.stdout)["votes"] == m.n_votes


def test_bad_input_is_one_line_on_stderr_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("participant,statement,vote\na,s,7\n", encoding="utf-8")
    result = CliRunner().invoke(_app(), [str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {bad}:2: vote '7' is not one of -1, 0, 1"
    ]
    missing = CliRunner().invoke(_app(), [str(tmp_path / "none.csv")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def _hostile(folder: Path, votes: bytes) -> Path:
    folder.mkdir()
    (folder / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,x,1,0,0,0,1,one\n",
        encoding="utf-8",
    )
    (folder / "votes.csv").write_bytes(votes)
    return folder


def test_hostile_polis_exports_are_one_line_and_exit_2(tmp_path: Path) -> None:
    header = b"timestamp,datetime,comment-id,voter-id,vote\n"
    cases = {
        "ragged": (header + b"1,x,1,7\n", "votes.csv:2: row has 4 fields, the header has 5"),
        "unknown": (header + b"1,x,5,7,1\n", "votes.csv:2: vote on comment 5, which"),
        "latin1": (header + b"1,caf\xe9,1,7,1\n", "votes.csv:2: not UTF-8 text (byte 0xe9)"),
    }
    for name, (votes, needle) in cases.items():
        folder = _hostile(tmp_path / name, votes)
        result = CliRunner().invoke(_app(), [str(folder)])
        assert result.exit_code == 2, (name, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and needle in lines[0] and lines[0].startswith("error: "), lines
        assert "Traceback" not in result.output


# --- the engine's errors in the interface language ---------------------------------------------


def _root(*args: str) -> Any:
    from detente.cli import app

    return CliRunner().invoke(app, list(args), env={"DETENTE_LANG": "", "LANG": "C"})


def test_an_engine_error_is_one_chinese_line_under_lang_zh(tmp_path: Path) -> None:
    votes = tmp_path / "v.csv"
    votes.write_text("participant,statement,vote\np1,s1,1\np2,s1,x\n", encoding="utf-8")
    result = _root("--lang", "zh", "consensus", str(votes))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"错误：{votes}:3：投票 “x” 不是 -1、0、1 之一"
    english = _root("consensus", str(votes))
    assert english.stderr.strip() == f"error: {votes}:3: vote 'x' is not one of -1, 0, 1"


def test_more_engine_errors_in_chinese(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    result = _root("--lang", "zh", "consensus", str(folder))
    assert result.stderr.strip() == f"错误：{folder}：没有 votes.csv 或 participants-votes.csv"
    (folder / "participants-votes.csv").write_text("participant,group-id,c1\np1,0,x\n",
                                                   encoding="utf-8")
    result = _root("--lang", "zh", "consensus", str(folder))
    assert result.stderr.strip() == (
        f"错误：{folder / 'participants-votes.csv'}:2 的 c1 列：投票 “x” 不是 -1、0、1 之一")
    header = tmp_path / "h.csv"
    header.write_text("participant,vote\n", encoding="utf-8")
    result = _root("--lang", "zh", "consensus", str(header))
    assert result.stderr.strip() == f"错误：{header}:1：表头缺少列 statement"
    result = _root("--lang", "zh", "consensus", str(_csv(tmp_path / "c.csv")), "--history", "5")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"错误：{tmp_path / 'c.csv'}：--history 需要投票时间戳：timestamp 列")


def _engine_codes() -> set[str]:
    """Every ``code=`` the consensus engine gives an error."""
    import ast

    import detente.consensus

    codes = set()
    for path in Path(detente.consensus.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "code":
                if isinstance(node.value, ast.Constant):
                    codes.add(node.value.value)
                elif isinstance(node.value, ast.IfExp):
                    codes |= {node.value.body.value, node.value.orelse.value}  # type: ignore[attr-defined]
    return codes


def test_every_engine_error_code_has_a_chinese_message() -> None:
    from detente import i18n
    from detente.cli._common import ENGINE_MESSAGES

    codes = _engine_codes()
    assert {"vote-value", "needs-timestamps", "not-utf8-byte", "not-utf8"} <= codes
    assert sorted(codes - set(ENGINE_MESSAGES)) == []
    catalog = i18n._catalog("zh")
    assert sorted(m for m in ENGINE_MESSAGES.values() if m not in catalog) == []


def test_an_error_the_engine_raises_reads_in_chinese_by_its_code() -> None:
    import pytest

    from detente import i18n
    from detente.cli._common import error_line
    from detente.consensus import Consensus
    from detente.errors import InvalidVotesError

    matrix, _ = planted((15, 15), 12, seed=2)
    assert matrix.timestamps is None
    with pytest.raises(InvalidVotesError) as raised:
        Consensus().fit_history(matrix, update_every=5)
    assert raised.value.code == "needs-timestamps"
    assert error_line(raised.value) == "error: timestamps: fit_history needs vote timestamps"
    with i18n.use_language("zh"):
        assert error_line(raised.value) == (
            "错误：timestamps：重放更新历史需要投票时间戳（timestamp 列）")
