"""Interface text: language negotiation, and every message has a Chinese translation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from detente import i18n

SRC = Path(__file__).resolve().parents[1] / "src" / "detente"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9,zh;q=0.8", "en"),
        ("fr-FR,zh-TW;q=0.5", "zh"),
        ("fr", "en"),
        ("en;q=0.1, zh;q=0.9", "zh"),
        ("zh;q=0", "en"),
    ],
)
def test_negotiate(header: str | None, expected: str) -> None:
    assert i18n.negotiate(header) == expected


def test_gettext_follows_the_current_language() -> None:
    with i18n.use_language("zh"):
        assert i18n.gettext("Sessions") == "单元"
        assert i18n.pick("Xiao Qian", "肖茜") == "肖茜"
    assert i18n.gettext("Sessions") == "Sessions"
    assert i18n.pick("Xiao Qian", "肖茜") == "Xiao Qian"


def _template_messages() -> set[str]:
    """Messages in the templates, read by Jinja's own Babel extractor."""
    from jinja2.ext import babel_extract

    found: set[str] = set()
    for path in SRC.glob("**/templates/**/*.html"):
        with path.open("rb") as handle:
            for _line, _function, message, _comments in babel_extract(
                handle, ("_", "gettext", "ngettext"), (), {"trimmed": "false"}
            ):
                first = message[0] if isinstance(message, tuple) else message
                if first:
                    found.add(first)
    return found


def _python_messages() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in {"_", "gettext"} and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def test_every_interface_message_has_a_chinese_translation() -> None:
    catalog = i18n._catalog("zh")
    missing = sorted(m for m in _template_messages() | _python_messages() if m not in catalog)
    assert missing == [], f"add these to a zh_Hans PO file: {missing}"
