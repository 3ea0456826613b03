"""Charts as inline SVG (vector in the HTML page and in the PDF): the opinion-group map.

The map places each participant of a deliberation at its two-dimensional projection, coloured
by opinion group, with each group's convex hull shaded and labelled. Participants are shown as
anonymous dots: the chart never names anyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

__all__ = ["GROUP_COLOURS", "group_label", "opinion_map_svg"]

#: Colours of groups A, B, C, ... (colour-blind-safe Okabe-Ito order); grey for unclustered.
GROUP_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")
_UNGROUPED = "#9AA3AD"


def _text_width(text: str, size: float = 12) -> float:
    """Rough width of ``text`` in pixels: CJK characters are square, others about 0.6 em."""
    return sum(size if "\u2e80" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" else size * 0.6
               for c in text)


def group_label(index: int) -> str:
    """Groups are lettered A, B, C ... in the order of their ids."""
    return chr(ord("A") + index) if index < 26 else f"G{index + 1}"


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


def opinion_map_svg(result: Mapping[str, Any], *, title: str, legend: Mapping[str, str],
                    width: int = 640, height: int = 400) -> str:
    """The opinion-group map of one consensus result as an SVG element.

    Parameters
    ----------
    result : mapping
        The consensus JSON: ``projection`` [{participant, x, y, group}] and ``groups``
        [{id, members}].
    title : str
        Accessible title of the chart (also shown by screen readers).
    legend : mapping
        Interface words: ``group`` ("Group"), ``participants`` ("participants"),
        ``unclustered`` ("not in a group").

    Returns
    -------
    str
        ``<svg ...>...</svg>``, safe to embed (every text is escaped).
    """
    projection = [p for p in result.get("projection", []) if p.get("x") is not None]
    group_ids = [g["id"] for g in result.get("groups", [])]
    colour = {gid: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, gid in enumerate(group_ids)}
    label = {gid: group_label(i) for i, gid in enumerate(group_ids)}
    legend_h = 28
    plot_h = height - legend_h
    pad = 24
    xs = [float(p["x"]) for p in projection] or [0.0]
    ys = [float(p["y"]) for p in projection] or [0.0]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    span = max(x1 - x0, y1 - y0, 1e-9)

    def sx(x: float) -> float:
        return pad + (x - x0) / span * (min(width, plot_h) - 2 * pad) + \
            max(0.0, (width - plot_h) / 2)

    def sy(y: float) -> float:
        return pad + (y1 - y) / span * (plot_h - 2 * pad)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart opinion-map" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="Noto Sans CJK SC, Noto Sans, DejaVu Sans, sans-serif" '
        f'aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{plot_h - 1}" fill="#ffffff" '
        'stroke="#d9dee6"/>',
    ]
    by_group: dict[Any, list[tuple[float, float]]] = {}
    for p in projection:
        by_group.setdefault(p.get("group"), []).append((sx(float(p["x"])), sy(float(p["y"]))))
    for gid in group_ids:
        hull = _hull(by_group.get(gid, []))
        if len(hull) >= 3:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in hull)
            parts.append(f'<polygon points="{path}" fill="{colour[gid]}" fill-opacity="0.12" '
                         f'stroke="{colour[gid]}" stroke-opacity="0.5" stroke-width="1"/>')
    for gid, points in by_group.items():
        fill = colour.get(gid, _UNGROUPED)
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{fill}" '
                         'fill-opacity="0.85" stroke="#ffffff" stroke-width="0.8"/>')
    for gid in group_ids:
        points = by_group.get(gid, [])
        if points:
            cx = sum(x for x, _ in points) / len(points)
            cy = sum(y for _, y in points) / len(points)
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="11" fill="#ffffff" '
                         f'stroke="{colour[gid]}" stroke-width="1.5"/>')
            parts.append(f'<text x="{cx:.1f}" y="{cy + 5:.1f}" font-size="14" font-weight="700" '
                         f'text-anchor="middle" fill="{colour[gid]}">{escape(label[gid])}</text>')
    x = 8.0
    y = plot_h + 18
    for gid in group_ids:
        members = len(next(g for g in result["groups"] if g["id"] == gid).get("members", []))
        text = f"{legend['group']} {label[gid]} · {members} {legend['participants']}"
        parts.append(f'<circle cx="{x + 6:.1f}" cy="{y - 4:.1f}" r="5" fill="{colour[gid]}"/>')
        parts.append(f'<text x="{x + 15:.1f}" y="{y:.1f}" font-size="12" fill="#1d2430">'
                     f"{escape(text)}</text>")
        x += 22 + _text_width(text)
    if None in by_group or any(g not in colour for g in by_group):
        parts.append(f'<circle cx="{x + 6:.1f}" cy="{y - 4:.1f}" r="5" fill="{_UNGROUPED}"/>')
        parts.append(f'<text x="{x + 15:.1f}" y="{y:.1f}" font-size="12" fill="#1d2430">'
                     f"{escape(legend['unclustered'])}</text>")
    parts.append("</svg>")
    return "".join(parts)
