"""Errors a person reads on the command line are in the language of --lang / DETENTE_LANG."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from detente.cli import app


@pytest.fixture
def run(sqlite_url: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["--database", sqlite_url, *args], input=input, env=env)

    return invoke


def test_a_service_error_is_chinese_under_lang_zh(run) -> None:  # type: ignore[no-untyped-def]
    result = run("forum", "export", "nope", "--lang", "zh")
    assert result.exit_code == 2
    assert result.stderr.strip() == "错误：没有活动“nope”"


def test_a_service_error_follows_detente_lang(run) -> None:  # type: ignore[no-untyped-def]
    result = run("forum", "export", "nope", env={"DETENTE_LANG": "zh"})
    assert result.exit_code == 2
    assert "没有活动“nope”" in result.stderr


def test_the_same_error_stays_english_under_lang_en(run) -> None:  # type: ignore[no-untyped-def]
    result = run("forum", "export", "nope", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: no event 'nope'"


def test_user_add_asks_and_answers_in_chinese(run) -> None:  # type: ignore[no-untyped-def]
    typed = "a long password\nanother one\na long password\na long password\n"
    result = run("user", "add", "alice", "--organizer", "--lang", "zh", input=typed)
    assert result.exit_code == 0, result.output
    assert result.output.count("密码：") == 2 and result.output.count("再次输入以确认：") == 2
    assert "错误：两次输入的内容不一致。" in result.output
    assert "Password" not in result.output and "do not match" not in result.output
    assert result.output.rstrip().endswith("已添加组织者 alice")
    again = run("user", "add", "alice", "--password-stdin", "--lang", "zh",
                input="a long password\n")
    assert again.exit_code == 2
    assert again.stderr.strip() == "错误：用户“alice”已存在"


def test_user_add_asks_in_english_by_default(run) -> None:  # type: ignore[no-untyped-def]
    typed = "a long password\nanother one\na long password\na long password\n"
    result = run("user", "add", "bob", input=typed, env={"DETENTE_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert result.output.count("Password: ") == 2
    assert result.output.count("Repeat for confirmation: ") == 2
    assert "Error: The two entered values do not match." in result.output
    assert result.output.rstrip().endswith("added user bob")
