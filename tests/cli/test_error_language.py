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
