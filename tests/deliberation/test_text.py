"""Statement text rules: normalisation, length limits and duplicate detection (English, Chinese)."""

from __future__ import annotations

import pytest

from detente.deliberation import (
    find_duplicate,
    is_near_duplicate,
    normalise,
    validate_statement_text,
)
from detente.errors import InputError


def test_normalise_ignores_case_punctuation_and_whitespace() -> None:
    expected = normalise("ban lethal autonomous weapons")
    assert normalise("  Ban LETHAL   autonomous weapons!!") == expected


def test_normalise_drops_chinese_punctuation_and_spacing() -> None:
    assert normalise("禁止，致命 自主武器。") == normalise("禁止致命自主武器")


def test_exact_repeat_with_other_punctuation_is_found() -> None:
    existing = [(4, "Nuclear launch decisions must stay with humans.")]
    assert find_duplicate("NUCLEAR launch decisions — must stay with humans!", existing) == 4


def test_near_duplicate_english_is_found() -> None:
    existing = [(1, "Something else entirely, about chips."),
                (7, "Lethal autonomous weapons should be banned by treaty.")]
    assert find_duplicate("Lethal autonomous weapon should be banned by a treaty", existing) == 7


def test_near_duplicate_chinese_is_found() -> None:
    assert is_near_duplicate(normalise("禁止致命自主武器系统的使用"),
                             normalise("禁止致命自主武器系统使用"))


def test_different_statements_are_not_duplicates() -> None:
    existing = [(1, "Lethal autonomous weapons should be banned by treaty."),
                (2, "核指挥控制必须由人掌握")]
    assert find_duplicate("Export controls on chips deepen mistrust.", existing) is None
    assert find_duplicate("前沿模型发布前应接受生物风险测试", existing) is None


@pytest.mark.parametrize("text", ["too short", "x" * 281, "   "])
def test_statements_outside_10_to_280_characters_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="10 to 280"):
        validate_statement_text(text)


def test_statement_whitespace_is_collapsed() -> None:
    assert validate_statement_text("  a   statement\nwith  spaces ") == "a statement with spaces"
