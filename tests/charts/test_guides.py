"""Scales, ticks, axes and legends."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from detente.charts import LegendEntry, Scale, legend, nice_ticks


def test_scale_maps_the_domain_onto_the_extent_and_may_flip() -> None:
    y = Scale((0.0, 1.0), (260.0, 20.0))
    assert y(0.0) == 260.0 and y(1.0) == 20.0 and y(0.5) == 140.0
    assert Scale((3.0, 3.0), (0.0, 10.0))(3.0) == 0.0  # an empty domain does not divide by 0


def test_nice_ticks_are_round() -> None:
    assert nice_ticks(0, 1, 4) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert nice_ticks(1946, 2019, 8) == [1950, 1960, 1970, 1980, 1990, 2000, 2010]
    assert nice_ticks(5, 5) == [5]


@given(st.floats(-1e6, 1e6), st.floats(1e-3, 1e6), st.integers(2, 12))
def test_nice_ticks_stay_inside_the_range_and_are_evenly_spaced(low: float, span: float,
                                                                count: int) -> None:
    high = low + span
    ticks = nice_ticks(low, high, count)
    assert ticks and all(low - 1e-6 * span <= t <= high + 1e-6 * span for t in ticks)
    steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    assert len(steps) <= 2  # equal up to rounding
    assert len(ticks) <= 2 * count + 1


def test_legend_wraps_rows_at_the_width() -> None:
    entries = [LegendEntry("#0072B2", "Opinion group A · 12 participants")] * 4
    _one_row, height_one = legend(entries[:1], x=0, y=0, width=600)
    wrapped, height_many = legend(entries, x=0, y=0, width=600)
    assert height_one == 20 and height_many > height_one
    assert all("<circle" not in part for part in wrapped)  # legend swatches are squares
