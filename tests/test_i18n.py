"""Interface text: language negotiation, and every message has a Chinese translation."""

from __future__ import annotations

import ast
import re
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


def _catalog_entries() -> list[tuple[str, str, tuple[str, ...]]]:
    """(catalog file, msgid, msgstr forms) of every Chinese entry, file by file."""
    from babel.messages.pofile import read_po

    entries = []
    for po_file in sorted((i18n.LOCALE_DIR / "zh_Hans" / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale="zh_Hans"):
                if not message.id:
                    continue
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                forms = message.string if isinstance(message.string, tuple) else (message.string,)
                entries.append((po_file.name, key, tuple(form for form in forms if form)))
    return entries


def test_one_english_message_has_one_chinese_translation_across_catalogs() -> None:
    """The catalogs are merged into one (the last file wins silently), so a message that two
    capabilities translate differently shows one of them everywhere."""
    first: dict[str, tuple[str, tuple[str, ...]]] = {}
    clashes = []
    for name, key, forms in _catalog_entries():
        if key in first and forms and first[key][1] and first[key][1] != forms:
            clashes.append(f"{key!r}: {first[key][0]} {first[key][1]} vs {name} {forms}")
        first.setdefault(key, (name, forms))
    assert clashes == []


PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrxg]|\{(\w*)[^{}]*\}")


def _placeholders(text: str) -> set[str]:
    return {named or braced for named, braced in PLACEHOLDER.findall(text)}


def test_translations_keep_the_placeholders_of_their_message() -> None:
    wrong = []
    for name, key, forms in _catalog_entries():
        expected = _placeholders(key)
        for form in forms:
            if _placeholders(form) != expected:
                wrong.append(f"{name}: {key!r} -> {form!r}")
    assert wrong == []


def test_the_placeholder_check_sees_both_styles() -> None:
    assert _placeholders("%(n)s of {total} in %(when)04d") == {"n", "total", "when"}
    assert _placeholders("%(n)s") != _placeholders("{n} and %(m)s")


@pytest.mark.parametrize("term", ["Chatham House rule"])
def test_fixed_terms_read_the_same_everywhere(term: str) -> None:
    """Chatham House rule is 查塔姆宫规则 in every message that names it."""
    for name, key, forms in _catalog_entries():
        if term.lower() in key.lower():
            assert all("查塔姆宫规则" in form for form in forms), (name, key, forms)


#: An English message about a UN recorded (roll-call) vote; "roll_calls" in a placeholder is no
#: mention of one.
ROLL_CALL = re.compile(r"\broll[- ]calls?\b|\brecorded votes?\b", re.IGNORECASE)


def test_a_un_recorded_vote_is_one_term_in_every_catalog() -> None:
    """UN documents' Chinese for a recorded (roll-call) vote is 记录表决: every message about
    one says so, whichever capability's catalog holds it, and no catalog uses another name."""
    wrong = []
    for name, key, forms in _catalog_entries():
        for form in forms:
            if ROLL_CALL.search(key) and "记录表决" not in form:
                wrong.append(f"{name}: {key!r} -> {form!r}")
            if "唱名" in form or "点名表决" in form or "记名表决" in form:
                wrong.append(f"{name}: {key!r} -> {form!r}")
    assert wrong == []
    assert ROLL_CALL.search("No roll call divides") and ROLL_CALL.search("roll-call votes")
    assert not ROLL_CALL.search("%(roll_calls)s, %(votes)s")


STATEMENT = re.compile(r"\bstatements?\b|\bcomments?\b", re.IGNORECASE)
#: Placeholders, file names and column names in a message, which are not words of it.
NOT_WORDS = re.compile(r"%\(\w+\)\w|\S+\.csv\b|\b\w+-(?:id|body)\b|\w+(?:,\w+)+(?:\[,\w+\])?")


def test_a_deliberation_statement_is_one_term_in_every_catalog() -> None:
    """A statement participants vote on is 观点 everywhere (pages, CLI lines, reports): every
    message that names statements (or a Polis export's comments) says so, and no catalog calls
    them 陈述, as the CLI's counts once did beside the pages' 条观点."""
    wrong = []
    for name, key, forms in _catalog_entries():
        for form in forms:
            named = STATEMENT.search(NOT_WORDS.sub(" ", key))
            if "陈述" in form or (named and "观点" not in form):
                wrong.append(f"{name}: {key!r} -> {form!r}")
    assert wrong == []
