"""Opinion groups are lettered, blocs numbered, in English and Chinese, by one function each."""

from __future__ import annotations

import pytest

from detente import i18n
from detente.charts import bloc_label, bloc_name, group_label, group_name, not_grouped_name


def test_group_letters_continue_past_z() -> None:
    assert [group_label(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA"]


def test_bloc_numbers_start_at_one() -> None:
    assert [bloc_label(i) for i in (0, 1, 9)] == ["1", "2", "10"]


def test_names_follow_the_interface_language_or_the_one_asked_for() -> None:
    assert group_name(0) == "Opinion group A" and bloc_name(1) == "Bloc 2"
    assert group_name(2, "zh") == "观点群组C" and bloc_name(0, "zh") == "集团1"
    with i18n.use_language("zh"):
        assert group_name(1) == "观点群组B" and bloc_name(2) == "集团3"
        assert group_name(1, "en") == "Opinion group B"
        assert not_grouped_name("bloc") == "未归入集团"
    assert not_grouped_name("group") == "not in a group"


def test_negative_indexes_and_unknown_kinds_are_refused() -> None:
    with pytest.raises(ValueError):
        group_label(-1)
    with pytest.raises(ValueError):
        bloc_label(-1)
    with pytest.raises(ValueError):
        not_grouped_name("team")
