"""The opinion-group chart (valid, escaped SVG) and the attribution check on free text."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from detente.reports import attribution_problems, group_label, opinion_map_svg

SVG = "{http://www.w3.org/2000/svg}"
LEGEND = {"group": "Group", "participants": "participants", "unclustered": "not in a group"}


def _result() -> dict:
    return {
        "groups": [{"id": 0, "members": ["a", "b", "c"]}, {"id": 1, "members": ["d", "e"]}],
        "projection": [
            {"participant": "a", "x": 0.0, "y": 0.0, "group": 0},
            {"participant": "b", "x": 0.2, "y": 0.5, "group": 0},
            {"participant": "c", "x": -0.3, "y": 0.4, "group": 0},
            {"participant": "d", "x": 3.0, "y": 1.0, "group": 1},
            {"participant": "e", "x": 3.5, "y": 0.8, "group": 1},
            {"participant": "f", "x": 1.5, "y": -1.0, "group": None},
        ],
    }


def test_chart_has_one_dot_per_participant_and_a_legend() -> None:
    svg = ET.fromstring(opinion_map_svg(_result(), title="<Map & more>", legend=LEGEND))
    assert svg.findtext(f"{SVG}title") == "<Map & more>"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Group A · 3 participants" in texts and "Group B · 2 participants" in texts
    assert "not in a group" in texts
    assert len(svg.findall(f"{SVG}polygon")) == 1  # a hull needs three members
    dots = [c for c in svg.iter(f"{SVG}circle") if c.get("r") == "4"]
    assert len(dots) == 6
    xs = [float(c.get("cx")) for c in dots]
    assert min(xs) >= 0 and max(xs) <= 640


def test_group_labels() -> None:
    assert [group_label(i) for i in (0, 1, 25, 26)] == ["A", "B", "Z", "G27"]


def test_attribution_check_finds_views_not_chairing() -> None:
    names = ["Xiao Qian", "肖茜"]
    assert attribution_problems("The session was chaired by Xiao Qian.", names) == []
    assert attribution_problems("Experts said red lines matter.", names) == []
    assert attribution_problems("Xiao Qian said red lines matter. Fine.", names) == [
        "Xiao Qian said red lines matter."]
    assert attribution_problems("According to Xiao Qian, the UN matters.", names)
    assert attribution_problems("肖茜强调，治理需要合作。", names) == ["肖茜强调，治理需要合作。"]
    assert attribution_problems("第一单元由肖茜主持。", names) == []
