"""The chart kit: one palette, one way to name groups, one way to draw maps, axes and legends.

Every chart of detente — the results page of a deliberation, the state-position pages and the
printed report — is drawn here, as SVG that works under the web app's content security policy
(presentation attributes only: no inline style, no script) and in WeasyPrint's PDF.

- Colours: :data:`PALETTE` (Okabe-Ito, colour-blind safe), :data:`NEUTRAL` for members in no
  group, :func:`sequential` for values in [0, 1].
- Names: :func:`group_name` ("Opinion group A" / "观点群组A") and :func:`bloc_name`
  ("Bloc 1" / "集团1"), with their short forms :func:`group_label` and :func:`bloc_label`.
- Charts: :func:`opinion_map`, :func:`bloc_map` (both over :func:`point_map`),
  :func:`heatmap`, :func:`line_chart`, :func:`lines_chart` (several series), and
  :func:`swatch` for running text.
- Guides: :class:`Scale`, :func:`nice_ticks`, :func:`axes`, :func:`legend`, :func:`colour_key`.
"""

from __future__ import annotations

from ._guides import LegendEntry, Scale, axes, colour_key, legend, nice_ticks
from ._names import bloc_label, bloc_name, group_label, group_name, not_grouped_name
from ._palette import (
    BACKGROUND,
    FRAME,
    GRID,
    INK,
    MISSING,
    NEUTRAL,
    PALETTE,
    colour,
    sequential,
)
from ._plots import (
    LinePoint,
    LineSeries,
    MapPoint,
    bloc_map,
    heatmap,
    line_chart,
    lines_chart,
    opinion_map,
    point_map,
    swatch,
)
from ._svg import FONT_FAMILY, text_width

__all__ = [
    "BACKGROUND",
    "FONT_FAMILY",
    "FRAME",
    "GRID",
    "INK",
    "MISSING",
    "NEUTRAL",
    "PALETTE",
    "LegendEntry",
    "LinePoint",
    "LineSeries",
    "MapPoint",
    "Scale",
    "axes",
    "bloc_label",
    "bloc_map",
    "bloc_name",
    "colour",
    "colour_key",
    "group_label",
    "group_name",
    "heatmap",
    "legend",
    "line_chart",
    "lines_chart",
    "nice_ticks",
    "not_grouped_name",
    "opinion_map",
    "point_map",
    "sequential",
    "swatch",
    "text_width",
]
