"""The charts of detente: maps of opinion groups and blocs, the agreement heatmap, the line
chart over time, and the swatch that names a group's colour in running text.

Every function returns the finished ``<svg>`` as :class:`markupsafe.Markup` (text escaped,
safe to place in a Jinja template or write to a file). In every chart a ``<circle>`` is a data
point; legends use squares. Participants are anonymous dots: no chart names a person.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from detente.i18n import gettext, ngettext, paren, punct

from ._guides import LegendEntry, Scale, axes, colour_key, legend, nice_ticks
from ._names import bloc_name, group_label, group_name, not_grouped_name
from ._palette import FRAME, INK, NEUTRAL, PALETTE, colour, sequential
from ._svg import element, number, root, text_width

__all__ = ["LinePoint", "LineSeries", "MapPoint", "bloc_map", "heatmap", "line_chart",
           "lines_chart", "opinion_map", "point_map", "swatch"]

_PAD = 24
_LEGEND_GAP = 10


@dataclass(frozen=True)
class MapPoint:
    """One member on a map, in data coordinates; ``group`` is the group's index (None: none).

    ``label`` is drawn beside the dot (where it overlaps no label of a higher ``label_rank``:
    lower numbers first), ``tooltip`` shown on hover, ``key`` written as ``data-key`` for
    scripts; ``highlight`` rings the dot (the viewer's own position) and always labels it.
    """

    key: str
    x: float
    y: float
    group: int | None
    label: str | None = None
    tooltip: str | None = None
    highlight: bool = False
    label_rank: int = 0


def _hull(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (Andrew's monotone chain), counter-clockwise."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


#: How much wider than a single member's dot a shared dot may grow (its area then no longer
#: follows its count; the number written on it does).
_STACK_GROWTH = 4.5


def point_map(points: Sequence[MapPoint], *, kind: str, title: str,
              legend_texts: Sequence[str], ungrouped_text: str | None = None,
              highlight_text: str | None = None, badges: Sequence[str] | None = None,
              hulls: bool = False, width: int = 640, plot_height: int = 400,
              radius: float = 4, stacked: Callable[[int], str] | None = None,
              stacked_note: str | None = None, spread_note: str | None = None) -> Markup:
    """A two-dimensional map of members coloured by group, with the legend below it.

    Both axes share one scale (distances on the map mean the same in every direction); the
    axes themselves carry no units and are not drawn. ``legend_texts[i]`` names group ``i``;
    ``badges[i]`` is written at group ``i``'s centre; ``hulls`` shades each group's convex
    hull. ``ungrouped_text`` and ``highlight_text`` add legend entries for grey and ringed dots
    when such dots exist.

    ``stacked``: members drawn at the same place (identical votes) would look like one member,
    so each such dot grows with their number (area in proportion, up to 4.5 times the
    radius), the number is written on it, ``stacked(n)`` is added to each member's tooltip and
    ``stacked_note`` is written under the legend.

    ``spread_note``: dots that would cover one another (a crowded corner of the map) are set
    apart until none does, the smaller ones moving more (:func:`_spread`); a thin leader line
    runs from each moved dot to a small mark at its exact place, and ``spread_note`` is written
    under the legend. Without it, dots stay at their exact places.
    """
    xs = [p.x for p in points] or [0.0]
    ys = [p.y for p in points] or [0.0]
    x_span, y_span = max(xs) - min(xs), max(ys) - min(ys)
    ratio = min((width - 2 * _PAD) / (x_span or 1.0), (plot_height - 2 * _PAD) / (y_span or 1.0))
    half_w, half_h = (width / 2 - _PAD) / ratio, (plot_height / 2 - _PAD) / ratio
    x_mid, y_mid = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    x = Scale((x_mid - half_w, x_mid + half_w), (_PAD, width - _PAD))
    y = Scale((y_mid - half_h, y_mid + half_h), (plot_height - _PAD, _PAD))
    body = [element("rect", {"x": 0.5, "y": 0.5, "width": width - 1, "height": plot_height - 1,
                             "fill": "none", "stroke": FRAME})]
    placed: dict[int | None, list[tuple[float, float]]] = {}
    for p in points:
        group = p.group if p.group is not None and p.group < len(legend_texts) else None
        placed.setdefault(group, []).append((x(p.x), y(p.y)))
    if hulls:
        for index in range(len(legend_texts)):
            hull = _hull(placed.get(index, []))
            if len(hull) >= 3:
                body.append(element("polygon", {
                    "points": " ".join(f"{number(a)},{number(b)}" for a, b in hull),
                    "fill": colour(index), "fill_opacity": "0.12", "stroke": colour(index),
                    "stroke_opacity": "0.5", "class": "hull"}))
    spots: dict[tuple[str, str], int] = {}
    if stacked is not None:
        for p in points:
            spot = (number(x(p.x)), number(y(p.y)))
            spots[spot] = spots.get(spot, 0) + 1

    def shared(p: MapPoint) -> int:
        return spots.get((number(x(p.x)), number(y(p.y))), 1)

    radii = {p.key: radius * min(math.sqrt(shared(p)), _STACK_GROWTH) for p in points}
    exact = {(number(x(p.x)), number(y(p.y))): (x(p.x), y(p.y)) for p in points}
    moved: dict[tuple[str, str], tuple[float, float]] = {}
    if spread_note is not None:
        sizes: dict[tuple[str, str], float] = {}
        for p in points:
            spot = (number(x(p.x)), number(y(p.y)))
            sizes[spot] = max(sizes.get(spot, 0.0), radii[p.key] + (2 if p.highlight else 0))
        moved = {
            spot: at
            for spot, at in _spread(exact, sizes, (width, plot_height)).items()
            if math.dist(at, exact[spot]) > 1.0
        }
        for spot, (mx, my) in sorted(moved.items()):
            ex, ey = exact[spot]
            body.append(element("line", {"x1": ex, "y1": ey, "x2": mx, "y2": my,
                                         "stroke": "#5b6473", "stroke_width": 0.8,
                                         "class": "leader"}))
            # the exact place, a small disc drawn as a path: every <circle> is a data point
            body.append(element("path", {
                "d": f"M{number(ex - 1.4)},{number(ey)}a1.4,1.4 0 1,0 2.8,0"
                     "a1.4,1.4 0 1,0 -2.8,0",
                "fill": "#5b6473", "class": "exact-place"}))

    def at(p: MapPoint) -> tuple[float, float]:
        spot = (number(x(p.x)), number(y(p.y)))
        return moved.get(spot, exact[spot])

    # ringed dots on top, and larger (shared) dots below smaller ones, which stay visible
    for p in sorted(points, key=lambda p: (p.highlight, -radii[p.key])):
        group = p.group if p.group is not None and p.group < len(legend_texts) else None
        cx, cy = at(p)
        tooltip = p.tooltip
        if stacked is not None and shared(p) > 1:
            tooltip = f"{tooltip} · {stacked(shared(p))}" if tooltip else stacked(shared(p))
        body.append(element("circle", {
            "cx": cx, "cy": cy, "r": radii[p.key] + 2 if p.highlight else radii[p.key],
            "fill": colour(group), "fill_opacity": "0.85",
            "stroke": "#000000" if p.highlight else "#ffffff",
            "stroke_width": 2 if p.highlight else 0.8, "class": "point", "data_key": p.key,
            "data_group": group}, [element("title", {}, tooltip)] if tooltip else None))
    for spot, count in spots.items():
        if count > 1:
            size = 11 if radius * math.sqrt(count) >= 8 else 9
            cx, cy = moved.get(spot, exact[spot])
            body.append(element("text", {
                "x": cx, "y": cy + size * 0.36, "font_size": size,
                "font_weight": 700, "text_anchor": "middle", "stroke": "#ffffff",
                "stroke_width": 2.5, "paint_order": "stroke", "pointer_events": "none",
                "class": "point-count"}, str(count)))
    body += _labels(points, at, radii, width)
    for index, text in enumerate(badges or ()):
        members = placed.get(index, [])
        if not members:
            continue
        cx = sum(a for a, _ in members) / len(members)
        cy = sum(b for _, b in members) / len(members)
        size = 14 + 8 * (len(text) - 1)
        body.append(element("rect", {"x": cx - size / 2 - 4, "y": cy - 11, "width": size + 8,
                                     "height": 22, "rx": 11, "fill": "#ffffff",
                                     "stroke": colour(index), "stroke_width": 1.5,
                                     "class": "badge"}))
        body.append(element("text", {"x": cx, "y": cy + 5, "font_size": 14,
                                     "font_weight": 700, "text_anchor": "middle",
                                     "fill": colour(index)}, text))
    entries = [LegendEntry(colour(i), text) for i, text in enumerate(legend_texts)]
    if ungrouped_text and None in placed:
        entries.append(LegendEntry(NEUTRAL, ungrouped_text))
    if highlight_text and any(p.highlight for p in points):
        entries.append(LegendEntry("#ffffff", highlight_text, marked=True))
    keys, keys_height = legend(entries, x=8, y=plot_height + _LEGEND_GAP, width=width - 16)
    height = plot_height + (keys_height + 2 * _LEGEND_GAP if entries else 0)
    notes = [stacked_note if stacked_note and any(c > 1 for c in spots.values()) else None,
             spread_note if moved else None]
    for note in (n for n in notes if n):
        keys.append(element("text", {"x": 8, "y": height + 4, "font_size": _NOTE_SIZE,
                                     "class": "map-note"}, note))
        height += _NOTE_SIZE + _LEGEND_GAP
    return root(kind, width, height, title, body + keys)


_NOTE_SIZE = 12


_LABEL_SIZE = 10


def _spread(centres: Mapping[tuple[str, str], tuple[float, float]],
            radii: Mapping[tuple[str, str], float], size: tuple[float, float],
            gap: float = 2.5, rounds: int = 120) -> dict[tuple[str, str], tuple[float, float]]:
    """Places for dots (``centres`` and ``radii`` by spot) such that none covers another:
    each overlapping pair is pushed apart along the line between them, the smaller dot moving
    more (in proportion to the other's area), every dot kept inside ``size``; the same input
    always gives the same places."""
    keys = sorted(centres)
    pos = {k: [float(centres[k][0]), float(centres[k][1])] for k in keys}
    width, height = size
    for round_ in range(rounds):
        clash = False
        for i, a in enumerate(keys):
            for j in range(i + 1, len(keys)):
                b = keys[j]
                need = radii[a] + radii[b] + gap
                dx, dy = pos[b][0] - pos[a][0], pos[b][1] - pos[a][1]
                if abs(dx) >= need or abs(dy) >= need:
                    continue
                distance = math.hypot(dx, dy)
                if distance >= need:
                    continue
                clash = True
                if distance < 1e-6:  # the same place: part them at a fixed angle
                    angle = 2.399963 * (i + j + round_)
                    dx, dy, distance = math.cos(angle), math.sin(angle), 1.0
                push = need - distance
                area_a, area_b = radii[a] ** 2, radii[b] ** 2
                share_a = area_b / (area_a + area_b)
                ux, uy = dx / distance, dy / distance
                pos[a][0] -= ux * push * share_a
                pos[a][1] -= uy * push * share_a
                pos[b][0] += ux * push * (1 - share_a)
                pos[b][1] += uy * push * (1 - share_a)
        for k in keys:
            r = radii[k] + 1
            pos[k][0] = min(max(pos[k][0], r), width - r)
            pos[k][1] = min(max(pos[k][1], r), height - r)
        if not clash:
            break
    return {k: (v[0], v[1]) for k, v in pos.items()}


def _labels(points: Sequence[MapPoint], at: Callable[[MapPoint], tuple[float, float]],
            radii: Mapping[str, float], width: float) -> list[str]:
    """Labels beside their dots (placed at ``at(point)``, ``radii`` by key), highlighted
    points' first; a label that
    would overlap one already placed is left out (a highlighted point's label is always drawn),
    as is a second label on a dot that several members share, and a label that would run past
    the right edge goes to the left of its dot."""
    placed: list[tuple[float, float, float, float]] = []
    named: set[tuple[str, str]] = set()
    parts = []
    for p in sorted((p for p in points if p.label), key=lambda p: (not p.highlight, p.label_rank)):
        label = str(p.label)
        cx, cy = at(p)
        radius = radii[p.key]
        spot = (number(cx), number(cy))
        if spot in named and not p.highlight:
            continue
        size = text_width(label, _LABEL_SIZE)
        left = cx + radius + 2 if cx + radius + 2 + size <= width - 2 else cx - radius - 2 - size
        box = (left, cy - radius - _LABEL_SIZE, left + size, cy - radius + 2)
        if not p.highlight and any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3]
                                   and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        named.add(spot)
        parts.append(element("text", {
            "x": left, "y": cy - radius, "font_size": _LABEL_SIZE,
            "font_weight": 700 if p.highlight else None, "stroke": "#ffffff",
            "stroke_width": 3, "paint_order": "stroke", "class": "point-label",
            "data_key": p.key}, label))
    return parts


def _group_index(result: Mapping[str, Any]) -> dict[Any, int]:
    return {str(g["id"]): i for i, g in enumerate(result.get("groups", []))}


def opinion_map(result: Mapping[str, Any], *, title: str, me: str | None = None,
                width: int = 640, plot_height: int = 400) -> Markup:
    """The opinion groups of a deliberation: one anonymous dot per participant, placed by
    the consensus engine's projection, each group's hull shaded and lettered.

    ``result`` is the consensus JSON (``projection`` [{participant, x, y, group}] and
    ``groups`` [{id, members}]); ``me`` rings that participant's dot.
    """
    index = _group_index(result)
    points = [MapPoint(key=f"p{n}", x=float(p["x"]), y=float(p["y"]),
                       group=index.get(str(p.get("group"))),
                       highlight=me is not None and str(p.get("participant")) == me)
              for n, p in enumerate(result.get("projection", [])) if p.get("x") is not None]
    groups = result.get("groups", [])
    texts = [f"{group_name(i)} · " + ngettext("%(num)d participant", "%(num)d participants",
                                               len(g.get("members", [])))
             % {"num": len(g.get("members", []))} for i, g in enumerate(groups)]
    return point_map(points, kind="opinion-map", title=title, legend_texts=texts,
                     ungrouped_text=not_grouped_name("group"), highlight_text=gettext("you"),
                     badges=[group_label(i) for i in range(len(groups))], hulls=True,
                     width=width, plot_height=plot_height)


def bloc_map(result: Mapping[str, Any], *, title: str,
             name: Callable[[str], str] = str, labels: Mapping[str, str] | None = None,
             highlight: Collection[str] = (), width: int = 720,
             plot_height: int = 480) -> Markup:
    """Blocs of states: one dot per state (its name on hover), placed by the consensus
    engine's projection and coloured by bloc.

    Only the states in ``labels`` (ISO3 code -> text, most important first) are labelled, so
    that a map of 190 states stays readable; the states in ``highlight`` are ringed and their
    labels always drawn.
    """
    index = _group_index(result)
    labels = labels or {}
    rank = {code: i for i, code in enumerate(labels)}
    points = []
    for p in result.get("projection", []):
        if p.get("x") is None:
            continue
        code = str(p["participant"])
        group = index.get(str(p.get("group")))
        tooltip = f"{name(code)}{paren(code)}"
        tooltip += "" if group is None else f" · {bloc_name(group)}"
        points.append(MapPoint(key=code, x=float(p["x"]), y=float(p["y"]), group=group,
                               label=labels.get(code), tooltip=tooltip,
                               highlight=code in highlight, label_rank=rank.get(code, 0)))
    groups = result.get("groups", [])
    texts = [f"{bloc_name(i)} · " + ngettext("%(num)d state", "%(num)d states",
                                             len(g.get("members", [])))
             % {"num": len(g.get("members", []))} for i, g in enumerate(groups)]
    return point_map(points, kind="bloc-map", title=title, legend_texts=texts,
                     ungrouped_text=not_grouped_name("bloc"), width=width,
                     plot_height=plot_height, stacked=_shared_dot,
                     stacked_note=gettext("States with identical votes share one dot: its size "
                                          "and the number on it say how many."),
                     spread_note=gettext("Dots that would cover one another are set apart; a "
                                         "thin line leads from each to its exact place."))


def _shared_dot(count: int) -> str:
    """A state's tooltip on a dot it shares: "one of 143 states with identical votes"."""
    return gettext("one of %(num)d states with identical votes, drawn as one dot") % {
        "num": count}


def heatmap(labels: Sequence[str], values: Sequence[Sequence[float | None]], *, title: str,
            names: Sequence[str] | None = None, groups: Sequence[int | None] | None = None,
            low_text: str, high_text: str, missing_text: str, cell: int = 10,
            kind: str = "heatmap") -> Markup:
    """A square matrix of values in [0, 1] on the sequential scale, rows and columns labelled
    (``labels``, coloured by ``groups``; ``names`` on hover), with the colour key below."""
    names = names or labels
    offset = 40
    size = len(labels) * cell
    body = []
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            shown = missing_text if value is None else f"{value:.2f}"
            body.append(element("rect", {
                "x": offset + c * cell, "y": offset + r * cell, "width": cell, "height": cell,
                "fill": sequential(value), "class": "cell"},
                [element("title", {}, f"{names[r]} – {names[c]}{punct('colon')}{shown}")]))
    for i, label in enumerate(labels):
        fill = colour(groups[i]) if groups else INK
        at = offset + i * cell + cell / 2
        tip = [element("title", {}, names[i])]
        body.append(element("text", {"x": offset - 3, "y": at + 3, "font_size": 7,
                                     "text_anchor": "end", "fill": fill}, [*tip, label]))
        body.append(element("text", {"transform": f"translate({number(at + 3)},"
                                                  f"{offset - 3}) rotate(-90)",
                                     "font_size": 7, "fill": fill}, [*tip, label]))
    key, key_width = colour_key(low_text, high_text, x=4, y=offset + size + 14,
                                missing_label=missing_text)
    width = max(offset + size + 4, key_width + 8)
    return root(kind, width, offset + size + 34, title, body + key)


@dataclass(frozen=True)
class LinePoint:
    """One observation of a line chart; ``hollow`` marks a weakly supported value."""

    x: float
    y: float
    tooltip: str | None = None
    hollow: bool = False


def line_chart(points: Sequence[LinePoint], *, title: str, x_label: str, y_label: str,
               y_domain: tuple[float, float] = (0.0, 1.0), max_gap: float = 1,
               hollow_text: str | None = None, integer_x: bool = True, width: int = 720,
               height: int = 300) -> Markup:
    """One series over ``x`` (years, say): the line breaks where consecutive points are more
    than ``max_gap`` apart; hollow dots mark weak values, explained by ``hollow_text``."""
    margin_left, margin_right, margin_top, margin_bottom = 44, 16, 26, 58
    xs = [p.x for p in points] or [0.0]
    x = Scale((min(xs), max(xs)), (margin_left, width - margin_right))
    y = Scale(y_domain, (height - margin_bottom, margin_top))
    x_ticks = nice_ticks(min(xs), max(xs), 8)
    if integer_x:
        x_ticks = [t for t in x_ticks if float(t).is_integer()] or sorted(set(xs))
    y_ticks = nice_ticks(*y_domain, 4)
    body = axes(x, y, x_ticks=x_ticks, y_ticks=y_ticks, x_label=x_label, y_label=y_label,
                x_format=(lambda v: str(int(v))) if integer_x else number,
                y_format=lambda v: f"{v:.2f}")
    segments: list[list[LinePoint]] = []
    for p in sorted(points, key=lambda p: p.x):
        if segments and p.x - segments[-1][-1].x <= max_gap:
            segments[-1].append(p)
        else:
            segments.append([p])
    line = PALETTE[0]
    for segment in segments:
        body.append(element("polyline", {
            "points": " ".join(f"{number(x(p.x))},{number(y(p.y))}" for p in segment),
            "fill": "none", "stroke": line, "stroke_width": 2}))
    for p in points:
        body.append(element("circle", {
            "cx": x(p.x), "cy": y(p.y), "r": 3.5 if p.hollow else 2.5,
            "fill": "#ffffff" if p.hollow else line, "stroke": line, "class": "point"},
            [element("title", {}, p.tooltip)] if p.tooltip else None))
    if hollow_text and any(p.hollow for p in points):
        keys, _height = legend([LegendEntry(line, hollow_text, hollow=True)],
                               x=margin_left, y=height - 22, width=width - margin_left)
        body += keys
    return root("line-chart", width, height, title, body)


@dataclass(frozen=True)
class LineSeries:
    """One named series of a chart with several lines (coloured by its position)."""

    name: str
    points: Sequence[LinePoint]
    key: str | None = None


def lines_chart(series: Sequence[LineSeries], *, title: str, x_label: str, y_label: str,
                y_domain: tuple[float, float], max_gap: float = 1, zero_line: bool = False,
                integer_x: bool = True, width: int = 720, height: int = 340) -> Markup:
    """Several series over ``x``, series ``i`` in ``PALETTE[i]``, named in a legend below;
    each line breaks where consecutive points are more than ``max_gap`` apart."""
    margin_left, margin_right, margin_top, margin_bottom = 48, 16, 26, 48
    rows = max(1, math.ceil(len(series) / 3))
    plot_bottom = height - margin_bottom - 20 * rows
    xs = [p.x for s in series for p in s.points] or [0.0]
    x = Scale((min(xs), max(xs)), (margin_left, width - margin_right))
    y = Scale(y_domain, (plot_bottom, margin_top))
    x_ticks = nice_ticks(min(xs), max(xs), 8)
    if integer_x:
        x_ticks = [t for t in x_ticks if float(t).is_integer()] or sorted(set(xs))
    body = axes(x, y, x_ticks=x_ticks, y_ticks=nice_ticks(*y_domain, 6), x_label=x_label,
                y_label=y_label, x_format=(lambda v: str(int(v))) if integer_x else number,
                y_format=lambda v: f"{v:+.1f}" if v else "0")
    if zero_line:
        body.append(element("line", {"x1": margin_left, "x2": width - margin_right,
                                     "y1": y(0.0), "y2": y(0.0), "stroke": "#999999"}))
    for i, one in enumerate(series):
        stroke = PALETTE[i % len(PALETTE)]
        segments: list[list[LinePoint]] = []
        for p in sorted(one.points, key=lambda p: p.x):
            if segments and p.x - segments[-1][-1].x <= max_gap:
                segments[-1].append(p)
            else:
                segments.append([p])
        group = [element("polyline", {
            "points": " ".join(f"{number(x(p.x))},{number(y(p.y))}" for p in segment),
            "fill": "none", "stroke": stroke, "stroke_width": 2}) for segment in segments
            if len(segment) > 1]
        group += [element("circle", {"cx": x(p.x), "cy": y(p.y), "r": 2.8, "fill": stroke,
                                     "class": "point"},
                          [element("title", {}, p.tooltip)] if p.tooltip else None)
                  for p in one.points]
        body.append(element("g", {"class": "series", "data_key": one.key}, group))
    keys, _height = legend([LegendEntry(PALETTE[i % len(PALETTE)], one.name)
                            for i, one in enumerate(series)],
                           x=margin_left, y=plot_bottom + 40, width=width - margin_left)
    return root("line-chart", width, height, title, body + keys)


def swatch(index: int | None, size: int = 12) -> Markup:
    """A small square in group ``index``'s colour, for headings and lists beside a chart."""
    return Markup(element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "class": "swatch", "width": size,
        "height": size, "viewBox": f"0 0 {size} {size}", "aria_hidden": "true"},
        [element("rect", {"width": size, "height": size, "rx": 2, "fill": colour(index)})]))
