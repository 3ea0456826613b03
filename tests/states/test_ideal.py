"""Ideal points: recover a known one-dimensional order; sign, abstentions, thin data."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm, spearmanr

from detente.errors import InputError
from detente.states import CODES, ideal_points

Y, A, N = CODES["yes"], CODES["abstain"], CODES["no"]


def _synthetic(n_states: int = 60, n_votes: int = 120, seed: int = 3):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.normal(size=n_states))
    alpha = rng.normal(scale=0.7, size=n_votes)
    beta = rng.normal(scale=1.5, size=n_votes)
    p = norm.cdf(alpha[None, :] + x[:, None] * beta[None, :])
    codes = np.where(rng.random(p.shape) < p, Y, N).astype(np.int8)
    codes[rng.random(p.shape) < 0.1] = 0  # missing
    return x, codes, [f"S{i:02d}" for i in range(n_states)]


def test_em_recovers_the_true_order() -> None:
    x, codes, states = _synthetic()
    points = ideal_points(codes, states, reference=("S59",))
    assert points.converged
    assert spearmanr(points.x, x).statistic > 0.95
    assert points.x[-1] > 0 > points.x[0]
    assert abs(points.x.mean()) < 1e-9 and points.x.std() == pytest.approx(1.0)
    assert points.correlation_with_pca() > 0.9


def test_reference_state_fixes_the_sign() -> None:
    _, codes, states = _synthetic()
    low = ideal_points(codes, states, reference=("S00",))
    high = ideal_points(codes, states, reference=("S59",))
    np.testing.assert_allclose(low.x, -high.x)
    assert low.as_dict()["S00"] > 0


def test_states_with_too_few_votes_are_left_out() -> None:
    _, codes, states = _synthetic()
    codes[5, 3:] = 0
    points = ideal_points(codes, states, min_votes=5)
    assert "S05" not in points.states and len(points.states) == 59


def test_abstentions_can_count_as_no() -> None:
    codes = np.array([[Y, Y, N, Y], [Y, A, N, Y], [N, N, Y, N], [N, A, Y, A]] * 3)
    states = [f"S{i}" for i in range(12)]
    missing = ideal_points(codes, states, min_votes=1, reference=("S0",))
    as_no = ideal_points(codes, states, min_votes=1, reference=("S0",), abstain="no")
    assert missing.as_dict()["S0"] > 0 > missing.as_dict()["S2"]
    assert as_no.as_dict()["S1"] < missing.as_dict()["S1"] + 1e-9
    with pytest.raises(InputError):
        ideal_points(codes, states, abstain="half")


def test_unanimous_votes_give_no_spread() -> None:
    codes = np.full((5, 4), Y)
    points = ideal_points(codes, list("ABCDE"), min_votes=1)
    assert np.all(points.x == 0)
