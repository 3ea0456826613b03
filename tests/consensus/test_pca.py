"""PCA and projection against a plain-numpy reference of Polis's math."""

from __future__ import annotations

import numpy as np
import pytest

from detente.consensus._pca import center, pca_components, project

from .conftest import planted


def reference_pca(
    dense: np.ndarray, moderated: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean-impute, centre, top-2 eigenvectors of X^T X, Polis projection (plain numpy)."""
    x = dense.copy()
    x[:, moderated] = np.where(np.isnan(x[:, moderated]), 0.0, 0.0)  # zeroed for every row
    mean = np.nanmean(np.where(np.isnan(x), np.nan, x), axis=0)
    mean = np.nan_to_num(mean)
    imputed = np.where(np.isnan(x), mean, x)
    centred = imputed - imputed.mean(axis=0)
    _, vecs = np.linalg.eigh(centred.T @ centred)
    comps = vecs[:, ::-1][:, :2].T
    seen = ~np.isnan(x)
    n_votes = seen.sum(axis=1)
    raw = np.where(seen, x - mean, 0.0) @ comps.T
    proj = raw * np.sqrt(x.shape[1] / np.maximum(n_votes, 1))[:, None]
    return comps, proj, mean


@pytest.mark.parametrize("solver", ["power", "lanczos"])
def test_components_and_projection_match_the_reference(solver: str) -> None:
    m, _ = planted((30, 20, 10), 25, seed=3, density=0.6)
    moderated = np.zeros(m.shape[1], dtype=bool)
    moderated[[2, 5]] = True
    cv = center(m, moderated)
    comps = pca_components(cv, rng=np.random.default_rng(0), solver=solver, iters=1000)
    proj = project(cv, comps)
    ref_comps, ref_proj, ref_mean = reference_pca(m.to_dense(), moderated)
    assert np.allclose(cv.mean, ref_mean)
    for c in range(2):
        sign = np.sign(comps[c] @ ref_comps[c])
        assert np.allclose(comps[c] * sign, ref_comps[c], atol=1e-4)
        assert np.allclose(proj[:, c] * sign, ref_proj[:, c], atol=1e-3)


def test_moderated_columns_still_count_as_non_missing_in_the_scaling() -> None:
    m, _ = planted((10, 10), 12, seed=4, density=0.5)
    moderated = np.zeros(m.shape[1], dtype=bool)
    moderated[0] = True
    cv = center(m, moderated)
    dense = m.to_dense()
    expected = (~np.isnan(dense[:, 1:])).sum(axis=1) + 1
    assert cv.row_votes.tolist() == expected.tolist()
    assert cv.n_cols_active == m.shape[1]


def test_warm_start_from_converged_components_stays_put() -> None:
    m, _ = planted((30, 30), 20, seed=5)
    cv = center(m, np.zeros(m.shape[1], dtype=bool))
    first = pca_components(cv, rng=np.random.default_rng(0), iters=1000)
    again = pca_components(cv, prev=first, rng=np.random.default_rng(99), iters=1000)
    assert np.allclose(np.abs((first * again).sum(axis=1)), 1.0, atol=1e-8)


def test_single_statement_gives_unit_component_and_empty_matrix_gives_zeros() -> None:
    from detente.consensus import VoteMatrix

    one = VoteMatrix.from_long(["a", "b"], ["x", "x"], [1, -1])
    comps = pca_components(center(one, np.zeros(1, bool)), rng=np.random.default_rng(0))
    assert comps[0].tolist() == [1.0]
    empty = VoteMatrix.from_long([], [], [])
    assert pca_components(center(empty, np.zeros(0, bool)), rng=np.random.default_rng(0)).shape == (
        2,
        0,
    )


def test_row_sampled_axes_agree_with_all_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    import detente.consensus._pca as pca

    m, _ = planted((1500, 1000), 40, seed=11, density=0.5)
    cv = center(m, np.zeros(m.shape[1], dtype=bool))
    full = pca_components(cv, rng=np.random.default_rng(0), solver="lanczos")
    monkeypatch.setattr(pca, "_PCA_MAX_ROWS", 800)
    sampled = pca_components(cv, rng=np.random.default_rng(0), solver="lanczos")
    assert abs(full[0] @ sampled[0]) > 0.99
