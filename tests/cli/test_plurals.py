"""Counts the command line prints agree with their number, in both languages ("1 roll call")."""

from __future__ import annotations

from detente import i18n
from detente.states._importer import ImportSummary


def _summary(roll_calls: int, votes: int) -> ImportSummary:
    return ImportSummary(layout="undl", roll_calls=roll_calls, votes=votes, new_roll_calls=1,
                         added_votes=votes, changed_votes=0, removed_votes=0)


def test_one_roll_call_and_one_vote_are_singular() -> None:
    text = _summary(1, 1).describe()
    assert text.startswith("undl: 1 roll call (1 new), 1 vote ")
    assert "roll calls" not in text and "1 votes" not in text


def test_several_are_plural_and_chinese_has_no_english_count_words() -> None:
    assert _summary(3, 12).describe().startswith("undl: 3 roll calls (1 new), 12 votes ")
    with i18n.use_language("zh"):
        text = _summary(1, 1).describe()
    assert "次记录表决" in text and "roll" not in text and "vote" not in text


def test_the_cli_plurals_have_chinese_forms() -> None:
    with i18n.use_language("zh"):
        assert i18n.ngettext("%(n)d hit", "%(n)d hits", 1) % {"n": 1} == "1 条结果"
        assert i18n.ngettext("%(n)d session", "%(n)d sessions", 2) % {"n": 2} == "2 个单元"
