"""The command line's surface, walked command by command: ``--json FILE|-`` means the same
everywhere, help is complete (no Python types, no cut-off line) and exists in Chinese."""

from __future__ import annotations

import inspect
import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from detente import i18n
from detente.capabilities import commands
from detente.cli import app, walk_commands
from detente.cli._common import help_key, json_option

COMMANDS = walk_commands()
PATHS = [" ".join(path) or "(root)" for path, _command in COMMANDS]


def _help(path: list[str], env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_every_json_option_takes_a_file_or_dash_the_same_way() -> None:
    with_json = []
    for path, command in COMMANDS:
        for param in command.params:
            if "--json" not in getattr(param, "opts", []):
                continue
            with_json.append(" ".join(path))
            assert param.opts == ["--json"], path
            assert not param.is_flag and param.nargs == 1, f"{path}: --json must take FILE or -"
            assert param.metavar == json_option.metavar, path
            assert param.default is None and not param.required, path
            assert param.help == json_option.help, path
            assert param.type_descriptor.annotation is str, path
    # the commands the issue names, and every listing that offers JSON
    assert {"kb search", "kb gaps", "consensus", "kb documents", "kb show", "forum list",
            "proposals list", "media list", "states analyze"} <= set(with_json)


def test_json_to_standard_output_and_to_a_file_agree(sqlite_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    out = tmp_path / "taxonomy.json"
    to_stdout = runner.invoke(app, ["kb", "taxonomy", "--json", "-"])
    to_file = runner.invoke(app, ["kb", "taxonomy", "--json", str(out)])
    assert to_stdout.exit_code == 0 and to_file.exit_code == 0
    assert to_file.output == ""
    assert to_stdout.output == out.read_text(encoding="utf-8")
    table = runner.invoke(app, ["kb", "taxonomy"])
    assert not table.output.lstrip().startswith("{")


def test_json_without_a_target_is_refused_with_exit_2() -> None:
    result = CliRunner().invoke(app, ["kb", "taxonomy", "--json"])
    assert result.exit_code == 2
    assert "--json" in result.output


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=PATHS)
def test_help_shows_no_python_type_and_cuts_nothing_off(path, command) -> None:  # type: ignore[no-untyped-def]
    text = _help(path)
    assert not re.search(r"<(str|bool|int|float|path|list\[.*?\])>", text), text
    flat = "".join(text.split())  # the wrapping may break lines after a hyphen
    for help_text in [command.help] + [p.help for p in command.params]:
        if help_text:  # whole: no ellipsis instead of its end
            first = i18n_key(help_text).split("\n\n")[0]
            assert "".join(first.split()) in flat, (path, help_text)
    for param in command.params:
        if param.param_type_name == "option" and not getattr(param, "is_flag", False):
            assert param.metavar, f"{path} {param.opts}: give it a metavar"


def test_every_help_text_has_a_chinese_translation() -> None:
    catalog = i18n._catalog("zh")
    texts = [entry.help for entry in commands().values()]
    for _path, command in COMMANDS:
        texts += [command.help] + [p.help for p in command.params]
    missing = sorted({help_key(t) for t in texts if t and help_key(t) not in catalog})
    assert missing == [], "add these to the capability's zh_Hans PO file"


def i18n_key(text: str) -> str:
    return inspect.cleandoc(text).partition("\f")[0]


def test_help_follows_detente_lang_and_lang() -> None:
    english = _help(["kb", "search"])
    chinese = _help(["kb", "search"], env={"DETENTE_LANG": "zh"})
    assert english.startswith("Usage: ") and "Options:" in english
    assert chinese.startswith("用法：") and "选项：" in chinese
    via_option = CliRunner().invoke(app, ["--lang", "zh", "kb", "search", "--help"])
    assert via_option.output == chinese
    root = CliRunner().invoke(app, ["--lang", "zh", "--help"]).output
    assert "命令：" in root


def test_a_bad_detente_lang_is_one_line_and_exit_2() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"DETENTE_LANG": "fr"})
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "DETENTE_LANG" in result.output


def test_the_root_lists_every_capability_command_without_building_it() -> None:
    root = get_command(app)
    text = _help([])
    for name in ("consensus", "kb", "states", "report", "worker"):
        assert f"\n  {name} " in text
    assert "kb" not in getattr(root, "commands", {})
