"""The charts: valid SVG, escaped text, one circle per data point, no style and no script."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

from detente import i18n
from detente.charts import (
    PALETTE,
    LinePoint,
    LineSeries,
    bloc_map,
    colour,
    heatmap,
    line_chart,
    lines_chart,
    opinion_map,
    swatch,
)

SVG = "{http://www.w3.org/2000/svg}"


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


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def _no_style_or_script(markup: str) -> None:
    text = str(markup)
    assert "style=" not in text and "<style" not in text and "<script" not in text
    assert not re.search(r"\son[a-z]+=", text)  # no event handler attributes


def test_opinion_map_has_one_dot_per_participant_hulls_badges_and_a_legend() -> None:
    markup = opinion_map(_result(), title="<Map & more>")
    _no_style_or_script(markup)
    svg = _parse(markup)
    assert svg.findtext(f"{SVG}title") == "<Map & more>"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Opinion group A · 3 participants" in texts
    assert "Opinion group B · 2 participants" in texts
    assert "not in a group" in texts and "A" in texts and "B" in texts
    assert len(svg.findall(f"{SVG}polygon")) == 1  # a hull needs three members
    dots = list(svg.iter(f"{SVG}circle"))
    assert len(dots) == 6
    assert [d.get("fill") for d in dots[:3]] == [PALETTE[0]] * 3
    width, height = (float(v) for v in svg.get("viewBox").split()[2:])
    assert all(0 <= float(d.get("cx")) <= width and 0 <= float(d.get("cy")) <= height
               for d in dots)


def test_opinion_map_keeps_the_aspect_ratio_and_draws_higher_values_higher() -> None:
    svg = _parse(opinion_map(_result(), title="t", width=400, plot_height=400))
    dots = {d.get("data-key"): d for d in svg.iter(f"{SVG}circle")}
    a, d, f = (dots[k] for k in ("p0", "p3", "p5"))
    dx = float(d.get("cx")) - float(a.get("cx"))
    dy = float(a.get("cy")) - float(d.get("cy"))
    assert dy > 0 and dx / dy == pytest.approx(3.0, rel=0.02)  # (3, 1) apart in the data
    assert float(f.get("cy")) > float(a.get("cy"))


def test_opinion_map_rings_the_viewer_and_names_them_in_the_legend() -> None:
    svg = _parse(opinion_map(_result(), title="t", me="d"))
    ringed = [c for c in svg.iter(f"{SVG}circle") if c.get("stroke") == "#000000"]
    assert len(ringed) == 1 and ringed[0].get("fill") == PALETTE[1]
    assert "you" in [t.text for t in svg.iter(f"{SVG}text")]


def test_opinion_map_in_chinese() -> None:
    with i18n.use_language("zh"):
        texts = [t.text for t in _parse(opinion_map(_result(), title="t")).iter(f"{SVG}text")]
    assert "观点群组A · 3 名参与者" in texts and "未归入观点群组" in texts


def test_bloc_map_labels_states_and_names_blocs_by_number() -> None:
    result = {"groups": [{"id": 0, "members": ["USA", "GBR"]}, {"id": 1, "members": ["CHN"]}],
              "projection": [{"participant": "USA", "x": 1, "y": 0, "group": 0},
                             {"participant": "GBR", "x": 0.9, "y": 0.1, "group": 0},
                             {"participant": "CHN", "x": -1, "y": 0, "group": 1},
                             {"participant": "TUV", "x": 0, "y": 1, "group": -1}]}
    markup = bloc_map(result, title="Blocs", name={"USA": "United States"}.get,
                      labels={"USA": "United States"})
    _no_style_or_script(markup)
    svg = _parse(markup)
    assert svg.get("class") == "chart bloc-map"
    usa = next(c for c in svg.iter(f"{SVG}circle") if c.get("data-key") == "USA")
    assert usa.findtext(f"{SVG}title") == "United States (USA) · Bloc 1"
    tuv = next(c for c in svg.iter(f"{SVG}circle") if c.get("data-key") == "TUV")
    assert tuv.get("fill") == colour(None)
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Bloc 1 · 2 states" in texts and "Bloc 2 · 1 state" in texts
    assert "not in a bloc" in texts and "United States" in texts
    assert "GBR" not in texts and "CHN" not in texts  # only the states asked for are labelled


def test_bloc_map_leaves_out_labels_that_would_overlap_but_never_a_highlighted_one() -> None:
    result = {"groups": [{"id": 0, "members": ["USA", "GBR", "FRA"]}],
              "projection": [{"participant": "USA", "x": 1, "y": 0, "group": 0},
                             {"participant": "GBR", "x": 1.001, "y": 0.001, "group": 0},
                             {"participant": "FRA", "x": -1, "y": 0, "group": 0}]}
    labels = {"USA": "United States", "GBR": "United Kingdom", "FRA": "France"}
    texts = [t.text for t in _parse(bloc_map(result, title="Blocs", labels=labels))
             .iter(f"{SVG}text") if t.get("class") == "point-label"]
    assert texts == ["United States", "France"]  # the United Kingdom would cover the US
    svg = _parse(bloc_map(result, title="Blocs", labels=labels, highlight={"GBR"}))
    texts = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "point-label"]
    assert texts[0] == "United Kingdom" and "France" in texts
    gbr = next(c for c in svg.iter(f"{SVG}circle") if c.get("data-key") == "GBR")
    assert gbr.get("stroke") == "#000000"  # ringed


def test_lines_chart_draws_one_coloured_series_per_state_with_a_legend() -> None:
    series = [LineSeries("United States", [LinePoint(2000, 1.2), LinePoint(2001, 1.0),
                                           LinePoint(2005, 0.8)], "USA"),
              LineSeries("China", [LinePoint(2000, -1.0), LinePoint(2001, -0.9)], "CHN")]
    markup = lines_chart(series, title="Ideal points", x_label="Year", y_label="Point",
                         y_domain=(-2, 2), zero_line=True)
    _no_style_or_script(markup)
    svg = _parse(markup)
    groups = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "series"]
    assert [g.get("data-key") for g in groups] == ["USA", "CHN"]
    assert len(list(groups[0].iter(f"{SVG}polyline"))) == 1  # broken at the 2001-2005 gap
    assert len(list(groups[0].iter(f"{SVG}circle"))) == 3
    assert {c.get("fill") for c in groups[1].iter(f"{SVG}circle")} == {PALETTE[1]}
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "United States" in texts and "China" in texts


def test_heatmap_colours_cells_on_the_scale_and_labels_by_bloc() -> None:
    markup = heatmap(["USA", "CHN"], [[1.0, 0.2], [0.2, None]], title="Agreement",
                     groups=[0, 1], low_text="0", high_text="1", missing_text="none")
    _no_style_or_script(markup)
    svg = _parse(markup)
    cells = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "cell"]
    assert len(cells) == 4
    assert cells[3].findtext(f"{SVG}title") == "CHN – CHN: none"
    assert cells[0].get("fill") != cells[1].get("fill")
    labels = [t for t in svg.iter(f"{SVG}text") if "USA" in "".join(t.itertext())]
    assert {t.get("fill") for t in labels} == {PALETTE[0]}


def test_line_chart_breaks_at_gaps_marks_sparse_points_and_draws_axes() -> None:
    points = [LinePoint(2000, 0.5), LinePoint(2001, 0.6, hollow=True), LinePoint(2005, 0.9)]
    markup = line_chart(points, title="A & B", x_label="Year", y_label="Agreement",
                        hollow_text="few votes")
    _no_style_or_script(markup)
    svg = _parse(markup)
    assert len(svg.findall(f"{SVG}polyline")) == 2
    dots = list(svg.iter(f"{SVG}circle"))
    assert len(dots) == 3 and dots[1].get("fill") == "#ffffff"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"Year", "Agreement", "few votes", "2000", "0.50", "1.00"} <= set(texts)


def test_swatch_is_a_small_inline_svg_in_the_group_colour() -> None:
    svg = _parse(swatch(2))
    assert svg.find(f"{SVG}rect").get("fill") == PALETTE[2]
    _no_style_or_script(swatch(None))


def test_bloc_map_says_how_many_states_share_a_dot() -> None:
    """States with identical votes are placed on one spot: that dot grows with their number,
    carries the number, and the legend and each state's tooltip say so; a dot of one state is
    drawn as before."""
    members = [f"S{i:02d}" for i in range(143)]
    result = {"groups": [{"id": 0, "members": members}, {"id": 1, "members": ["CHN", "RUS"]}],
              "projection": [*({"participant": s, "x": 1.0, "y": 0.0, "group": 0}
                               for s in members),
                             {"participant": "CHN", "x": -1.0, "y": 0.5, "group": 1},
                             {"participant": "RUS", "x": -1.0, "y": 0.5, "group": 1},
                             {"participant": "TUV", "x": 0.0, "y": -1.0, "group": None}]}
    markup = bloc_map(result, title="Blocs")
    _no_style_or_script(markup)
    svg = _parse(markup)
    dots = {c.get("data-key"): c for c in svg.iter(f"{SVG}circle")}
    assert len(dots) == 146  # still one circle per state, for search and hover
    single, pair, crowd = (float(dots[k].get("r")) for k in ("TUV", "CHN", "S00"))
    assert single == 4 and pair == pytest.approx(4 * 2 ** 0.5, abs=0.1) and crowd == 18
    counts = sorted(t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "point-count")
    assert counts == ["143", "2"]
    assert dots["S07"].findtext(f"{SVG}title").endswith(
        "one of 143 states with identical votes, drawn as one dot")
    assert dots["TUV"].findtext(f"{SVG}title") == "TUV (TUV)"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert ("States with identical votes share one dot: its size and the number on it say how "
            "many.") in texts
    height = float(svg.get("viewBox").split()[3])
    note = next(t for t in svg.iter(f"{SVG}text") if t.get("class") == "map-note")
    assert float(note.get("y")) < height
    with i18n.use_language("zh"):
        zh = [t.text for t in _parse(bloc_map(result, title="t")).iter(f"{SVG}text")]
    assert "投票完全相同的国家共用一个点：点的大小和点上的数字表示国家数。" in zh


def test_opinion_map_draws_participants_as_before_when_they_coincide() -> None:
    result = _result()
    result["projection"][1] = {**result["projection"][0], "participant": "b"}
    svg = _parse(opinion_map(result, title="t"))
    assert {c.get("r") for c in svg.iter(f"{SVG}circle")} == {"4"}
    assert not [t for t in svg.iter(f"{SVG}text") if t.get("class") == "point-count"]


def test_a_shared_dot_carries_one_label_unless_a_state_is_looked_for() -> None:
    """Two labels on one dot (France, and the United Kingdom pushed to its left, where it sat
    beside another dot) named the wrong dot: a shared dot is named once, by its first label,
    and a state the reader looks for is always named."""
    crowd = ["FRA", "GBR", *(f"S{i:02d}" for i in range(23))]
    same = [{"participant": s, "x": 1.11, "y": 0.0, "group": 0} for s in crowd]
    result = {"groups": [{"id": 0, "members": [*crowd, "ITA"]}],
              "projection": [*same, {"participant": "ITA", "x": 1.3, "y": 0.0, "group": 0},
                             {"participant": "CHN", "x": -1.0, "y": 0.0, "group": None}]}
    labels = {"FRA": "France", "GBR": "United Kingdom", "CHN": "China"}

    def named(**options) -> list[str | None]:  # type: ignore[no-untyped-def]
        svg = _parse(bloc_map(result, title="Blocs", labels=labels, **options))
        return [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "point-label"]

    assert named() == ["France", "China"]
    assert named(highlight={"GBR"})[0] == "United Kingdom"


def test_bloc_map_sets_crowded_dots_apart_with_a_leader_line_to_their_place() -> None:
    """Near France the dots of 138, 16 and 4 states and three single states piled on one
    another: now no dot covers another, each moved dot has a thin line to its exact place, the
    legend says so, and every state keeps its own circle and labels do not overlap."""
    def crowd(prefix: str, n: int, x: float, y: float, group: int | None) -> list[dict]:
        return [{"participant": f"{prefix}{i:03d}", "x": x, "y": y, "group": group}
                for i in range(n)]

    projection = [*crowd("A", 138, 1.0, 0.0, 0), *crowd("B", 16, 0.99, 0.03, None),
                  *crowd("C", 4, 0.99, -0.02, None), *crowd("D", 1, 0.985, 0.01, None),
                  *crowd("E", 1, 0.982, -0.01, None), *crowd("F", 1, 1.01, 0.02, 0),
                  {"participant": "CHN", "x": -1.0, "y": 0.5, "group": 1},
                  {"participant": "USA", "x": 0.0, "y": -1.0, "group": 1}]
    result = {"groups": [{"id": 0, "members": [p["participant"] for p in projection
                                               if p["group"] == 0]},
                         {"id": 1, "members": ["CHN", "USA"]}],
              "projection": projection}
    labels = {"A000": "France", "F000": "Monaco", "CHN": "China", "USA": "United States"}
    svg = _parse(bloc_map(result, title="Blocs", labels=labels))
    circles = list(svg.iter(f"{SVG}circle"))
    assert len(circles) == len(projection)  # still one circle per state
    dots = {(c.get("cx"), c.get("cy")): float(c.get("r")) for c in circles}
    spots = [(float(x), float(y), r) for (x, y), r in dots.items()]
    for i, (x1, y1, r1) in enumerate(spots):
        for x2, y2, r2 in spots[i + 1:]:
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= r1 + r2, "dots overlap"
    leaders = [e for e in svg.iter(f"{SVG}line") if e.get("class") == "leader"]
    assert leaders and len(leaders) == len(
        [e for e in svg.iter(f"{SVG}path") if e.get("class") == "exact-place"])
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert ("Dots that would cover one another are set apart; a thin line leads from each to "
            "its exact place.") in texts
    boxes = []
    for t in svg.iter(f"{SVG}text"):
        if t.get("class") == "point-label":
            x, y, w = float(t.get("x")), float(t.get("y")), 6.0 * len(t.text or "")
            boxes.append((x, y - 10, x + w, y))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
    # Dots far apart stay where they are, with no note and no line.
    calm = _parse(bloc_map({"groups": [{"id": 0, "members": ["CHN", "USA"]}],
                            "projection": projection[-2:]}, title="t"))
    assert not [e for e in calm.iter(f"{SVG}line") if e.get("class") == "leader"]
    with i18n.use_language("zh"):
        zh = [t.text for t in _parse(bloc_map(result, title="t")).iter(f"{SVG}text")]
    assert "会相互遮盖的点被分开摆放；细线把每个点连到它的确切位置。" in zh
