"""Every setting is declared once, in detente.settings, and listed in the README's table."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from detente.settings import SETTINGS, load_settings

ROOT = Path(__file__).parents[1]
SRC = ROOT / "src" / "detente"


def _reads(tree: ast.AST) -> list[tuple[int, str]]:
    """Variables read by name: os.environ.get / [] / os.getenv, and a CLI option's envvar."""
    found = []
    for node in ast.walk(tree):
        name: ast.expr | None = None
        if isinstance(node, ast.Call) and node.args and ast.unparse(node.func) in (
                "os.environ.get", "environ.get", "os.getenv", "getenv"):
            name = node.args[0]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) \
                and ast.unparse(node.value) in ("os.environ", "environ"):
            name = node.slice
        elif isinstance(node, ast.keyword) and node.arg == "envvar":
            name = node.value
        if isinstance(name, ast.Constant) and isinstance(name.value, str) \
                and name.value.startswith("DETENTE_"):
            found.append((name.lineno, name.value))
    return found


def test_no_module_but_settings_reads_a_setting_variable() -> None:
    """Other modules get settings from load_settings. A command-line option may name the
    variable of its setting (Typer reads it), but only one that settings declares."""
    declared = {s.env for s in SETTINGS.values()}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "settings.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        options = {(node.value.lineno, node.value.value) for node in ast.walk(tree)
                   if isinstance(node, ast.keyword) and node.arg == "envvar"
                   and isinstance(node.value, ast.Constant)}
        found += [f"{path.relative_to(ROOT)}:{line}: {name}" for line, name in _reads(tree)
                  if (line, name) not in options or name not in declared]
    assert not found


def test_the_read_finder_sees_each_way_of_reading() -> None:
    code = ("import os\nos.environ.get('DETENTE_A')\nos.getenv('DETENTE_B')\n"
            "os.environ['DETENTE_C']\nos.environ['DETENTE_D'] = 'x'\n"
            "option(envvar='DETENTE_E')\nraise Error('x', location='DETENTE_F')\n")
    assert [name for _, name in _reads(ast.parse(code))] == [
        "DETENTE_A", "DETENTE_B", "DETENTE_C", "DETENTE_E"]


def test_the_readme_lists_every_setting_and_no_other() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(DETENTE_[A-Z0-9_]+)` \|", readme, flags=re.MULTILINE))
    assert listed == {s.env for s in SETTINGS.values()}


def test_the_knowledge_base_taxonomy_is_a_setting(tmp_path: Path) -> None:
    extra = tmp_path / "terms.yaml"
    assert load_settings({}).kb_taxonomy is None
    assert load_settings({"DETENTE_KB_TAXONOMY": str(extra)}).kb_taxonomy == str(extra)


def test_a_bad_setting_is_said_in_the_interface_language() -> None:
    """A bad value names its variable and what is wrong, in English or in Chinese; a number
    that is not one is said as such, not in the words of Python's int()."""
    import pytest

    from detente import i18n
    from detente.errors import InputError

    cases = [
        ({"DETENTE_CPU_WORKERS": "abc"}, "expected a whole number, got 'abc'",
         "应为整数，实际为 'abc'"),
        ({"DETENTE_CPU_WORKERS": "99"}, "expected 1 to 64 threads, got 99",
         "应为 1 到 64 个线程，实际为 99"),
        ({"DETENTE_LIVE_HEARTBEAT": "x"}, "expected a number, got 'x'", "应为数字，实际为 'x'"),
        ({"DETENTE_TRUSTED_PROXIES": "nowhere"}, "'nowhere' is not an address or network",
         "'nowhere' 不是地址或网段"),
        ({"DETENTE_SECRET_KEY": "short"}, "the secret key is too short; set it to at least 16",
         "密钥太短；请设置至少 16 个随机字符"),
    ]
    for environ, english, chinese in cases:
        with pytest.raises(InputError) as caught:
            load_settings(environ)
        assert caught.value.location == next(iter(environ))
        assert caught.value.message.startswith(english)
        with i18n.use_language("zh"), pytest.raises(InputError) as caught:
            load_settings(environ)
        assert caught.value.message.startswith(chinese)


def test_an_empty_language_is_unset_and_case_does_not_matter() -> None:
    """DETENTE_LANG is read as the command line reads it: empty means unset (the locale
    decides), ' ZH ' means zh; a wrong one is still refused."""
    import pytest

    from detente.errors import InputError

    assert load_settings({"DETENTE_LANG": ""}).language is None
    assert load_settings({"DETENTE_LANG": " ZH "}).language == "zh"
    with pytest.raises(InputError):
        load_settings({"DETENTE_LANG": "fr"})
