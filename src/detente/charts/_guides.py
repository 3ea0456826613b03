"""Scales, axes, legends and colour-scale keys: drawn one way for every chart."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ._palette import FRAME, GRID, INK, MISSING, sequential
from ._svg import element, number, text_width

__all__ = ["LegendEntry", "Scale", "axes", "colour_key", "legend", "nice_ticks"]

LABEL_SIZE = 11
TICK_SIZE = 10
LEGEND_SIZE = 12
LEGEND_ROW = 20
SWATCH = 10


@dataclass(frozen=True)
class Scale:
    """A linear map from data values (``domain``) to drawing coordinates (``extent``)."""

    domain: tuple[float, float]
    extent: tuple[float, float]

    def __call__(self, value: float) -> float:
        lo, hi = self.domain
        span = (hi - lo) or 1.0
        return self.extent[0] + (value - lo) / span * (self.extent[1] - self.extent[0])


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values (steps of 1, 2 or 5 times a power of ten) covering
    [low, high]; ticks outside the range are left out."""
    if high < low:
        low, high = high, low
    if high == low:
        return [low]
    raw = (high - low) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def axes(x: Scale, y: Scale, *, x_ticks: Sequence[float], y_ticks: Sequence[float],
         x_label: str, y_label: str, x_format: Callable[[float], str] = number,
         y_format: Callable[[float], str] = number) -> list[str]:
    """Grid lines at the y ticks, tick labels on both axes, the two axis titles and the frame
    of the plot area (the rectangle spanned by the two scales)."""
    left, right = sorted(x.extent)
    top, bottom = sorted(y.extent)
    parts = [element("rect", {"x": left, "y": top, "width": right - left,
                              "height": bottom - top, "fill": "none", "stroke": FRAME})]
    for value in y_ticks:
        at = y(value)
        parts.append(element("line", {"x1": left, "x2": right, "y1": at, "y2": at,
                                      "stroke": GRID}))
        parts.append(element("text", {"x": left - 6, "y": at + 3, "font_size": TICK_SIZE,
                                      "text_anchor": "end"}, y_format(value)))
    for value in x_ticks:
        at = x(value)
        parts.append(element("line", {"x1": at, "x2": at, "y1": bottom, "y2": bottom + 4,
                                      "stroke": INK}))
        parts.append(element("text", {"x": at, "y": bottom + 16, "font_size": TICK_SIZE,
                                      "text_anchor": "middle"}, x_format(value)))
    parts.append(element("text", {"x": left, "y": top - 8, "font_size": LABEL_SIZE,
                                  "class": "axis-label"}, y_label))
    parts.append(element("text", {"x": right, "y": bottom + 32, "font_size": LABEL_SIZE,
                                  "text_anchor": "end", "class": "axis-label"}, x_label))
    return parts


@dataclass(frozen=True)
class LegendEntry:
    """One legend line: a swatch in ``colour`` (``hollow``: outlined only) and its text."""

    colour: str
    text: str
    hollow: bool = False
    marked: bool = False


def legend(entries: Sequence[LegendEntry], *, x: float, y: float, width: float) -> \
        tuple[list[str], float]:
    """Legend swatches and texts laid out left to right, wrapping at ``width``; returns the
    elements and the height used. Swatches are squares, so that every circle of a chart is a
    data point."""
    parts: list[str] = []
    cx, row = x, 0
    for entry in entries:
        advance = SWATCH + 6 + text_width(entry.text, LEGEND_SIZE) + 16
        if cx > x and cx + advance > x + width:
            cx, row = x, row + 1
        top = y + row * LEGEND_ROW
        stroke = "#000000" if entry.marked else entry.colour if entry.hollow else None
        parts.append(element("rect", {
            "x": cx, "y": top + 2, "width": SWATCH, "height": SWATCH,
            "fill": "#ffffff" if entry.hollow else entry.colour, "stroke": stroke,
            "stroke_width": 2 if entry.marked else None, "class": "legend-swatch"}))
        parts.append(element("text", {"x": cx + SWATCH + 6, "y": top + 11,
                                      "font_size": LEGEND_SIZE}, entry.text))
        cx += advance
    height = (row + 1) * LEGEND_ROW if entries else 0
    return parts, height


def colour_key(low_label: str, high_label: str, *, x: float, y: float, width: float = 120,
               missing_label: str | None = None, steps: int = 10) -> tuple[list[str], float]:
    """The key of the sequential colour scale on one line: the low end's label, ``steps``
    cells from 0 to 1, the high end's label, and a cell for unknown values when
    ``missing_label`` is given. Returns the elements and the width used."""
    cell = width / steps
    at = x + text_width(low_label, TICK_SIZE) + 6
    parts = [element("text", {"x": x, "y": y + 9, "font_size": TICK_SIZE}, low_label)]
    parts += [element("rect", {"x": at + i * cell, "y": y, "width": cell + 0.3, "height": 10,
                               "fill": sequential((i + 0.5) / steps)}) for i in range(steps)]
    parts.append(element("rect", {"x": at, "y": y, "width": width, "height": 10,
                                  "fill": "none", "stroke": FRAME}))
    at += width + 6
    parts.append(element("text", {"x": at, "y": y + 9, "font_size": TICK_SIZE}, high_label))
    at += text_width(high_label, TICK_SIZE)
    if missing_label:
        at += 16
        parts.append(element("rect", {"x": at, "y": y, "width": 10, "height": 10,
                                      "fill": MISSING, "stroke": FRAME}))
        parts.append(element("text", {"x": at + 16, "y": y + 9, "font_size": TICK_SIZE},
                             missing_label))
        at += 16 + text_width(missing_label, TICK_SIZE)
    return parts, at - x
