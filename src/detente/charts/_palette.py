"""The colours of every chart: one categorical palette, one neutral grey, one sequential scale.

The categorical palette is Okabe and Ito's "Color Universal Design" set (2008), whose eight
colours stay distinguishable under the common colour-vision deficiencies. Group ``i`` (an
opinion group or a bloc, counted from 0 in the order the engine reports them) always gets
``PALETTE[i % len(PALETTE)]``, on a web page and in the printed report alike.
"""

from __future__ import annotations

__all__ = [
    "BACKGROUND",
    "FRAME",
    "GRID",
    "INK",
    "MISSING",
    "NEUTRAL",
    "PALETTE",
    "colour",
    "sequential",
]

#: Okabe-Ito: blue, orange, bluish green, reddish purple, vermilion, sky blue, yellow, black.
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000",
)
#: Members that belong to no group (too few votes to be placed in one).
NEUTRAL = "#999999"
#: Text, axes and frames.
INK = "#1d2430"
GRID = "#e3e6eb"
FRAME = "#d9dee6"
BACKGROUND = "#ffffff"
#: A cell of a colour scale whose value is unknown.
MISSING = "#e6e6e6"

#: Ends of the sequential scale (0 -> light, 1 -> the palette's blue, darkened for contrast).
_LOW = (247, 251, 255)
_HIGH = (8, 69, 126)


def colour(index: int | None) -> str:
    """The colour of group ``index`` (0, 1, ...); ``None`` or a negative index: not grouped."""
    if index is None or index < 0:
        return NEUTRAL
    return PALETTE[index % len(PALETTE)]


def sequential(value: float | None) -> str:
    """A colour for ``value`` in [0, 1] on the one sequential scale (``None``: unknown)."""
    if value is None:
        return MISSING
    t = min(1.0, max(0.0, float(value)))
    r, g, b = (round(lo + t * (hi - lo)) for lo, hi in zip(_LOW, _HIGH, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"
