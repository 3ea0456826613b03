"""A command's own ``--lang`` for the language of its content (``report``, ``news edit``,
``news show``) is that command's only when typed after it: the interface stays in the language
of ``detente --lang`` before the command, DETENTE_LANG or the locale. Elsewhere ``--lang``
anywhere on the line is the interface's (tests/cli/test_usage_errors.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app, walk_commands
from detente.cli._common import has_content_lang

EVENT = "ciss-ai-international-security-2026"
CONTENT_LANG_COMMANDS = ["report", "news edit", "news show"]
ENV = {"DETENTE_LANG": None, "LANG": "C", "LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None}


def _invoke(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, args, env=ENV)


def test_the_commands_with_a_content_lang_are_these() -> None:
    found = sorted(" ".join(path) for path, command in walk_commands()
                   if has_content_lang(command))
    assert found == sorted(CONTENT_LANG_COMMANDS)
    # consensus's --lang is the language of all it prints: the interface's
    assert "consensus" not in found


@pytest.mark.parametrize("command", CONTENT_LANG_COMMANDS)
def test_help_after_a_content_lang_command_is_in_that_language(command: str) -> None:
    words = command.split()
    chinese = _invoke([*words, "--help", "--lang", "zh"])
    assert chinese.exit_code == 0 and chinese.output.startswith("用法："), chinese.output
    assert _invoke(["--lang", "zh", *words, "--help"]).output == chinese.output
    english = _invoke(["--lang", "en", *words, "--help"])
    assert english.output.startswith("Usage: ")


@pytest.mark.parametrize("command", ["report", "news show"])
def test_a_bad_content_lang_names_the_command_whose_help_to_read(command: str) -> None:
    result = _invoke([*command.split(), EVENT, "--lang", "fr"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: --lang: “fr” is not en or zh; see detente {command} --help")


def test_content_lang_does_not_switch_the_interface(sqlite_url: str, tmp_path: Path) -> None:
    def run(*args: str) -> str:
        result = _invoke(["--database", sqlite_url, *args])
        assert result.exit_code == 0, result.output
        return result.output

    run("demo", "--no-serve")
    # news edit: the Chinese text is kept, the line that says so is in English
    assert run("news", "edit", EVENT, "--lang", "zh", "--title", "论坛新闻") == (
        f"/news/{EVENT} (Chinese text) saved\n")
    assert run("news", "show", EVENT, "--lang", "zh").startswith("论坛新闻\n")
    assert not run("news", "show", EVENT).startswith("论坛新闻")
    # --lang before the command is the interface's; the command's own still picks the text
    said = run("--lang", "zh", "news", "edit", EVENT, "--lang", "en", "--title", "Forum news")
    assert said == f"/news/{EVENT}（英文文本）已保存\n"
    assert run("--lang", "zh", "news", "show", EVENT, "--lang", "en").startswith("Forum news\n")
    # report: a Chinese report, an English line about it
    out = tmp_path / "r.md"
    wrote = run("report", EVENT, "--format", "md", "--out", str(out), "--lang", "zh")
    assert wrote.startswith(f"wrote {out} (") and wrote.endswith(" bytes)\n")
    assert "人工智能与国际安全论坛" in out.read_text(encoding="utf-8")
    wrote = run("--lang", "zh", "report", EVENT, "--format", "md", "--out", str(out),
                "--lang", "en")
    assert wrote.startswith(f"已写入 {out}（")
    assert "Forum on Artificial Intelligence" in out.read_text(encoding="utf-8")
