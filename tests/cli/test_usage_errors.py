"""Mistakes in the command itself (a missing argument, a value of the wrong type, an unknown
option or command) are one line on standard error in the interface language, naming what is
wrong, with exit status 2, as the project's own errors are; and ``--lang`` counts wherever it
is on the command line, ``--help`` of any command included (except after a command whose own
``--lang`` is its content's language: tests/cli/test_content_lang.py)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from detente.cli import app, walk_commands
from detente.i18n import has_chinese

#: (arguments, what the line must name, a word of Click's English that must not be there)
MISTAKES = [
    (["nosuch"], "nosuch", "No such command"),
    (["deliberation", "opne"], "open", "No such command"),
    (["kb", "search"], "QUERY", "Missing argument"),
    (["kb", "search", "ai", "--limit", "abc"], "--limit", "valid integer"),
    (["kb", "search", "ai", "--limit", "2.5"], "2.5", "valid integer"),
    (["consensus", "votes.csv", "--history", "-1"], "--history", "greater than"),
    (["consensus", "votes.csv", "--seed", "-1"], "--seed", "greater than"),
    (["kb", "search", "ai", "--nope"], "--nope", "No such option"),
    (["kb", "taxonomy", "--json"], "FILE|-", "requires an argument"),
    (["kb", "taxonomy", "extra"], "extra", "unexpected extra"),
    (["--database"], "--database", "requires an argument"),
    (["forum", "export", "an-event", "--format", "toml"], "--format", "use yaml"),
    (["user", "add"], "NAME", "Missing argument"),
]
IDS = [" ".join(args) for args, _name, _english in MISTAKES]


def _invoke(args: list[str], env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, args, env={"DETENTE_LANG": "", "LANG": "C", **(env or {})})


def _one_line(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert result.stdout == "", result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for click_words in ("Usage", "用法", "Try '", "Error:"):
        assert click_words not in lines[0], lines[0]
    return lines[0]


#: Each mistake in Chinese chosen four ways; ``--lang`` last comes after an option that takes a
#: value too (``--json --lang zh``): that option is named as missing its value.
CHINESE = [(how, args, name, english) for args, name, english in MISTAKES
           for how in ("--lang", "DETENTE_LANG", "LANG", "--lang last")]


@pytest.mark.parametrize(("how", "args", "name", "english"), CHINESE,
                         ids=[f"{how}: {' '.join(args)}" for how, args, _n, _e in CHINESE])
def test_a_usage_mistake_in_chinese_is_one_chinese_line(how, args, name, english) -> None:  # type: ignore[no-untyped-def]
    if how == "--lang":
        result = _invoke(["--lang", "zh", *args])
    elif how == "--lang last":
        result = _invoke([*args, "--lang", "zh"])
    elif how == "DETENTE_LANG":
        result = _invoke(args, env={"DETENTE_LANG": "zh"})
    else:
        result = _invoke(args, env={"LANG": "zh_CN.UTF-8"})
    line = _one_line(result)
    assert line.startswith("错误："), line
    assert name in line and english not in line, line
    assert "见 detente" in line and line.endswith(" --help"), line  # where to read more


@pytest.mark.parametrize(("args", "name", "english"), MISTAKES, ids=IDS)
def test_a_usage_mistake_in_english_is_one_line_too(args, name, english) -> None:  # type: ignore[no-untyped-def]
    line = _one_line(_invoke(args))
    assert line.startswith("error: ") and name in line, line
    assert not has_chinese(line), line
    assert "; see detente" in line, line


def test_the_line_names_the_command_whose_help_to_read() -> None:
    line = _one_line(_invoke(["--lang", "zh", "kb", "search"]))
    assert line == "错误：缺少参数 QUERY；见 detente kb search --help"
    line = _one_line(_invoke(["kb", "search", "ai", "--limit", "abc"]))
    assert line == "error: --limit: “abc” is not a whole number; see detente kb search --help"
    line = _one_line(_invoke(["kbb"]))
    assert line == "error: no such command kbb (did you mean kb?); see detente --help"


def test_a_group_without_its_command_still_prints_its_help() -> None:
    result = _invoke(["--lang", "zh", "kb"])
    assert "用法：detente kb" in result.output and "命令：" in result.output


def test_a_bad_lang_anywhere_is_one_line_and_exit_2() -> None:
    for args in (["kb", "search", "--help", "--lang", "fr"], ["--lang=fr", "kb", "search"]):
        line = _one_line(_invoke(args))
        assert line == "error: --lang: “fr” is not en or zh; see detente --help", line


@pytest.mark.parametrize("env", [{"LANG": "zh_CN.UTF-8"}, {"DETENTE_LANG": "zh"}])
def test_a_bad_lang_is_reported_in_the_language_otherwise_in_force(env) -> None:  # type: ignore[no-untyped-def]
    for args in (["kb", "search", "--help", "--lang", "fr"], ["--lang=fr", "kb", "search"],
                 ["consensus", "votes.csv", "--lang", "fr"]):
        line = _one_line(_invoke(args, env=env))
        assert line == "错误：--lang：“fr” 不是 en 或 zh；见 detente --help", line


def test_a_bad_detente_lang_is_one_line_in_the_locale_language() -> None:
    line = _one_line(_invoke(["kb", "search", "ai"], env={"DETENTE_LANG": "fr"}))
    assert line == "error: DETENTE_LANG: “fr” is not en or zh; see detente --help", line
    line = _one_line(_invoke(["kb", "search", "ai"],
                             env={"DETENTE_LANG": "fr", "LANG": "zh_CN.UTF-8"}))
    assert line == "错误：DETENTE_LANG：“fr” 不是 en 或 zh；见 detente --help", line
    # --lang wins over a bad DETENTE_LANG, as over a good one
    line = _one_line(_invoke(["--lang", "zh", "kb", "search"], env={"DETENTE_LANG": "fr"}))
    assert line == "错误：缺少参数 QUERY；见 detente kb search --help", line


@pytest.mark.parametrize(("args", "expected"), [
    (["states", "agreement", "--from", "--lang", "zh", "US", "CN"],
     "--from 需要一个值（N）；见 detente states agreement --help"),
    (["states", "agreement", "US", "CN", "--from", "--lang=zh"],
     "--from 需要一个值（N）；见 detente states agreement --help"),
    (["--database", "--lang", "zh", "kb", "search", "ai"],
     "--database 需要一个值（URL）；见 detente --help"),
    (["kb", "taxonomy", "--json", "--lang", "zh"],
     "--json 需要一个值（FILE|-）；见 detente kb taxonomy --help"),
    (["--lang", "zh", "report", "an-event", "--out", "--lang", "zh"],
     "--out 需要一个值（FILE）；见 detente report --help"),
])
def test_lang_right_after_an_option_that_takes_a_value_is_not_its_value(args, expected) -> None:  # type: ignore[no-untyped-def]
    """``--from --lang zh`` names --from as lacking its value, instead of reading "--lang" as
    the session (or as the file that --json or --out would write)."""
    assert _one_line(_invoke(args)) == f"错误：{expected}"


def test_lang_as_a_value_is_refused_only_right_after_the_option() -> None:
    # a group's own options end at its command's name: "--from" here is the command's
    line = _one_line(_invoke(["states", "agreement", "US", "CN", "--from", "--lang", "en"]))
    assert line == "error: --from needs a value (N); see detente states agreement --help"
    # after a lone "--" nothing is an option
    line = _one_line(_invoke(["kb", "search", "--", "--limit", "--lang"]))
    assert "--limit" not in line, line


COMMANDS = walk_commands()


@pytest.mark.parametrize("path", [path for path, _command in COMMANDS],
                         ids=[" ".join(path) or "(root)" for path, _command in COMMANDS])
def test_lang_after_help_gives_the_same_chinese_help(path: list[str]) -> None:
    chinese = _invoke([*path, "--help"], env={"DETENTE_LANG": "zh"})
    assert chinese.exit_code == 0 and "用法：" in chinese.output, chinese.output
    for args in ([*path, "--help", "--lang", "zh"], [*path, "--lang=zh", "--help"],
                 ["--lang", "zh", *path, "--help"]):
        result = _invoke(args)
        assert result.exit_code == 0, (args, result.output)
        assert result.output == chinese.output, args


def test_lang_is_listed_by_the_root_only() -> None:
    assert "--lang LANG" in _invoke(["--help"]).output
    assert "--lang" not in _invoke(["kb", "search", "--help"]).output
    # a command's own --lang (the report's language) is still its own, and listed
    assert "--lang LANG" in _invoke(["report", "--help"]).output
