"""The attribution check on free text (the charts are tested in tests/charts)."""

from __future__ import annotations

from detente.reports import attribution_problems


def test_attribution_check_finds_views_not_chairing() -> None:
    names = ["Xiao Qian", "肖茜"]
    assert attribution_problems("The session was chaired by Xiao Qian.", names) == []
    assert attribution_problems("Experts said red lines matter.", names) == []
    assert attribution_problems("Xiao Qian said red lines matter. Fine.", names) == [
        "Xiao Qian said red lines matter."]
    assert attribution_problems("According to Xiao Qian, the UN matters.", names)
    assert attribution_problems("肖茜强调，治理需要合作。", names) == ["肖茜强调，治理需要合作。"]
    assert attribution_problems("第一单元由肖茜主持。", names) == []
