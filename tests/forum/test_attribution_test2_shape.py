"""The second held-out attribution corpus (test2.csv) is well formed and as large as promised.

Only the file's shape is checked here: no checker runs on it in this module. How the set was
written, and what its labels mean, is in tests/forum/data/attribution/test2-guide.md.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "attribution"
FORUM = Path(__file__).parents[2] / "src" / "detente" / "data" / "demo-forum.yaml"

ATTRIBUTED = {"speech", "view", "proposal", "quote", "passive", "nominal", "headline",
              "caption", "role", "variant", "evasion"}
UNATTRIBUTED = {"anonymous", "shared_role", "neutral", "mixed", "caption", "bio", "procedural",
                "institution", "public_figure", "near_miss", "statement", "neutral_unicode"}


def _rows() -> list[dict[str, str]]:
    with (DATA / "test2.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["id", "lang", "text", "attributed", "category"]
        return list(reader)


def test_rows_have_unique_ids_known_languages_labels_and_categories() -> None:
    rows = _rows()
    assert [r["id"] for r in rows] == [f"t2-{i:04d}" for i in range(1, len(rows) + 1)]
    for r in rows:
        assert r["lang"] in {"en", "zh"}, r["id"]
        assert r["attributed"] in {"0", "1"}, r["id"]
        allowed = ATTRIBUTED if r["attributed"] == "1" else UNATTRIBUTED
        assert r["category"] in allowed, r["id"]
        assert r["text"].strip() == r["text"] and r["text"], r["id"]
    assert len({r["text"] for r in rows}) == len(rows)


def test_at_least_300_of_each_label_split_roughly_evenly_between_languages() -> None:
    counts = Counter((r["attributed"], r["lang"]) for r in _rows())
    for label in ("0", "1"):
        total = counts[(label, "en")] + counts[(label, "zh")]
        assert total >= 300
        assert 0.4 <= counts[(label, "zh")] / total <= 0.6


def test_unicode_evasions_are_about_one_attributed_sentence_in_ten() -> None:
    attributed = [r for r in _rows() if r["attributed"] == "1"]
    share = sum(r["category"] == "evasion" for r in attributed) / len(attributed)
    assert 0.07 <= share <= 0.11


def test_chinese_rows_are_written_in_chinese() -> None:
    for r in _rows():
        if r["lang"] == "zh":
            assert re.search(r"[\u4e00-\u9fff]", r["text"]), r["id"]


def test_every_person_of_the_demo_forum_appears_by_name_in_both_scripts() -> None:
    people = yaml.safe_load(FORUM.read_text(encoding="utf-8"))["people"]
    rows = _rows()
    english = [r["text"] for r in rows if r["lang"] == "en"]
    chinese = [r["text"] for r in rows if r["lang"] == "zh"]
    for person in people:
        assert any(person["name"] in text for text in english), person["id"]
        assert any(person["name_local"] in text for text in chinese), person["id"]
