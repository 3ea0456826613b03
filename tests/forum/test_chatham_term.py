"""The Chatham House rule has one name in Chinese, 查塔姆宫规则, in every catalog, template and
doc (not 查塔姆研究所规则, 漆咸楼规则 or the English name left untranslated)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TERM = "查塔姆宫规则"
OTHER_NAMES = re.compile(r"查塔姆(?!宫规则)|漆咸|查特姆|恰塔姆|遮打")


def _catalogs() -> list[Path]:
    return sorted((ROOT / "src" / "detente" / "locale").glob("zh_Hans/LC_MESSAGES/*.po"))


def test_every_chinese_message_about_the_rule_uses_the_one_term() -> None:
    checked = 0
    for path in _catalogs():
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            if not any("Chatham House" in i for i in ids if i):
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in strings:
                checked += 1
                assert TERM in text, f"{path.name}: {ids[0]!r} -> {text!r}"
    assert checked >= 5


def test_no_other_chinese_name_for_the_rule_in_catalogs_templates_or_docs() -> None:
    paths = [*_catalogs(), *(ROOT / "src" / "detente").rglob("*.html"),
             *(ROOT / "docs").rglob("*.md"), ROOT / "README.md",
             *(ROOT / "src" / "detente" / "data").rglob("*.yaml")]
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not OTHER_NAMES.search(line), f"{path.relative_to(ROOT)}:{number}: {line}"
