"""``detente consensus``: JSON out, progress, domain errors as one line with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_csv_to_stdout_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), [str(_csv(tmp_path / "v.csv"))])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["participants"] == 30 and data["k"] == 2


def test_json_option_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        _app(), [str(_csv(tmp_path / "v.csv")), "--json", str(out), "--k", "3"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["k"] == 3


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
    result = CliRunner().invoke(_app(), [str(tmp_path), "--history", "40"])
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
