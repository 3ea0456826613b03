"""One palette for every chart: Okabe-Ito, grey for members in no group, one sequential scale."""

from __future__ import annotations

import pytest

from detente.charts import MISSING, NEUTRAL, PALETTE, colour, sequential

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000"}


def test_palette_is_the_okabe_ito_set_with_distinct_colours() -> None:
    assert set(PALETTE) == OKABE_ITO and len(PALETTE) == len(OKABE_ITO)


def test_group_colours_cycle_and_ungrouped_is_grey() -> None:
    assert [colour(i) for i in range(3)] == list(PALETTE[:3])
    assert colour(len(PALETTE)) == PALETTE[0]
    assert colour(None) == colour(-1) == NEUTRAL
    assert NEUTRAL not in PALETTE


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_sequential_scale_darkens_monotonically_and_clamps() -> None:
    shades = [sequential(v / 10) for v in range(11)]
    lum = [_luminance(s) for s in shades]
    assert lum == sorted(lum, reverse=True) and lum[0] > 240 and lum[-1] < 80
    assert sequential(-3) == shades[0] and sequential(7) == shades[-1]
    assert sequential(None) == MISSING


@pytest.mark.parametrize("value", [0.0, 0.33, 1.0])
def test_sequential_colours_are_hex(value: float) -> None:
    assert len(sequential(value)) == 7 and sequential(value).startswith("#")
