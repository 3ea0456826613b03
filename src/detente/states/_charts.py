"""Geometry for the states pages' SVG charts (bloc map, agreement heatmap, alignment line).

Pure functions from analysis results to coordinates; the templates draw the SVG, so the text
(state names, axis labels) follows the interface language.
"""

from __future__ import annotations

from typing import Any

from detente.states._countries import country_name

__all__ = ["BLOC_COLOURS", "bloc_map", "heatmap", "heatmap_states", "line_chart"]

#: Colour per bloc (colour-blind-safe Okabe-Ito order); unclustered states are grey.
BLOC_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
                "#000000"]
UNCLUSTERED = "#9a9a9a"
_P5 = ("USA", "GBR", "FRA", "RUS", "SUN", "CHN")


def colour(group: int | None) -> str:
    """The colour of bloc ``group`` (None or -1: unclustered)."""
    if group is None or group < 0:
        return UNCLUSTERED
    return BLOC_COLOURS[group % len(BLOC_COLOURS)]


def _scale(values: list[float], low: float, high: float) -> list[float]:
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    return [low + (v - lo) / span * (high - low) for v in values]


def bloc_map(result: dict[str, Any], width: int = 720, height: int = 480,
             margin: int = 28) -> list[dict[str, Any]]:
    """One point per state on the engine's 2-D map: x, y, colour, code, name, bloc."""
    points = result.get("projection", [])
    if not points:
        return []
    xs = _scale([p["x"] for p in points], margin, width - margin)
    ys = _scale([-p["y"] for p in points], margin, height - margin)
    out = []
    for p, x, y in zip(points, xs, ys, strict=True):
        group = p.get("group")
        out.append({"x": round(x, 1), "y": round(y, 1), "code": p["participant"],
                    "name": country_name(p["participant"]), "colour": colour(group),
                    "bloc": None if group is None or group < 0 else group + 1})
    return out


def heatmap_states(result: dict[str, Any], limit: int = 60) -> list[str]:
    """At most ``limit`` states in bloc order: every state when few, else an even sample of
    each bloc (in proportion to its size, at least two) with the permanent five kept."""
    order: list[str] = result["agreement"]["states"]
    if len(order) <= limit:
        return order
    members = {m: g["id"] for g in result["groups"] for m in g["members"]}
    blocs: dict[int, list[str]] = {}
    for state in order:
        blocs.setdefault(members.get(state, -1), []).append(state)
    chosen: set[str] = {s for s in _P5 if s in order}
    for states in blocs.values():
        quota = max(2, round(limit * len(states) / len(order)))
        step = max(1, len(states) // quota)
        chosen.update(states[::step][:quota])
    return [s for s in order if s in chosen]


def heatmap(result: dict[str, Any], states: list[str], cell: int = 10) -> dict[str, Any]:
    """Cells of the agreement matrix restricted to ``states`` (kept in the given order)."""
    agreement = result["agreement"]
    index = {s: i for i, s in enumerate(agreement["states"])}
    members = {m: g["id"] for g in result["groups"] for m in g["members"]}
    cells = []
    for r, a in enumerate(states):
        for c, b in enumerate(states):
            value = agreement["matrix"][index[a]][index[b]]
            cells.append({"x": c * cell, "y": r * cell, "value": value,
                          "fill": _shade(value), "a": a, "b": b})
    labels = [{"code": s, "name": country_name(s), "pos": i * cell + cell / 2,
               "colour": colour(members.get(s, -1))} for i, s in enumerate(states)]
    return {"cells": cells, "labels": labels, "size": len(states) * cell, "cell": cell}


def _shade(value: float | None) -> str:
    """White (0) to dark blue (1); light grey when unknown."""
    if value is None:
        return "#eeeeee"
    light = round(255 - value * (255 - 40))
    return f"rgb({light},{round(255 - value * (255 - 90))},{255 - round(value * 80)})"


def line_chart(series: list[dict[str, Any]], width: int = 720, height: int = 300,
               margin: int = 40) -> dict[str, Any]:
    """Polylines (broken at gaps of more than a year), dots (``sparse`` when fewer than five
    joint roll calls) and axis ticks for agreement (0..1) by year."""
    if not series:
        return {"lines": [], "dots": [], "xticks": [], "yticks": []}
    years = [row["year"] for row in series]
    lo, hi = min(years), max(years)
    span = (hi - lo) or 1

    def x_of(year: int) -> float:
        return round(margin + (year - lo) / span * (width - 2 * margin), 1)

    def y_of(value: float) -> float:
        return round(height - margin - value * (height - 2 * margin), 1)

    dots = [{"x": x_of(r["year"]), "y": y_of(r["agreement"]), "sparse": r["roll_calls"] < 5, **r}
            for r in series]
    segments: list[list[dict[str, Any]]] = []
    for dot in dots:  # a gap of more than one year breaks the line
        if segments and dot["year"] - segments[-1][-1]["year"] <= 1:
            segments[-1].append(dot)
        else:
            segments.append([dot])
    step = max(1, span // 8)
    xticks = [{"x": x_of(y), "label": y} for y in range(lo, hi + 1, step)]
    yticks = [{"y": y_of(v / 4), "label": f"{v / 4:.2f}"} for v in range(5)]
    lines = [" ".join(f"{d['x']},{d['y']}" for d in segment) for segment in segments]
    return {"lines": lines, "dots": dots,
            "xticks": xticks, "yticks": yticks, "width": width, "height": height,
            "margin": margin}
