"""k-means (Polis flavour), silhouette and the k smoother."""

from __future__ import annotations

import numpy as np
import pytest

from detente.consensus import KSmoother
from detente.consensus import _clustering as cl
from detente.consensus._clustering import kmeans, nearest, silhouette


def reference_kmeans(points: np.ndarray, weights: np.ndarray, k: int, max_iters: int) -> np.ndarray:
    """Plain Lloyd from the first k distinct points, Polis stopping rule (plain numpy)."""
    _, first = np.unique(points, axis=0, return_index=True)
    centers = points[np.sort(first)[:k]]
    for _ in range(max_iters + 1):
        d = ((points[:, None, :] - centers[None]) ** 2).sum(axis=2)
        labels = d.argmin(axis=1)
        keep = np.unique(labels)
        new = np.array(
            [np.average(points[labels == c], axis=0, weights=weights[labels == c]) for c in keep]
        )
        same = new.shape == centers.shape and np.all(
            np.hypot(*(np.sort(new, axis=0) - np.sort(centers, axis=0)).T) < 0.01
        )
        centers = new
        if same:
            break
    return ((points[:, None, :] - centers[None]) ** 2).sum(axis=2).argmin(axis=1), centers


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kmeans_matches_plain_lloyd(seed: int) -> None:
    rng = np.random.default_rng(seed)
    points = np.vstack([rng.normal(c, 0.4, size=(60, 2)) for c in ((0, 0), (3, 1), (0, 4))])
    weights = rng.integers(1, 5, size=points.shape[0]).astype(float)
    got = kmeans(points, 3, weights=weights, max_iters=50)
    ref_labels, ref_centers = reference_kmeans(points, weights, 3, 50)
    assert np.allclose(np.sort(got.centers, axis=0), np.sort(ref_centers, axis=0), atol=1e-9)
    assert _same_partition(nearest(points, got.centers), ref_labels)


def test_kmeans_on_fewer_distinct_points_than_k_gives_fewer_clusters() -> None:
    points = np.array([[0.0, 0.0]] * 5 + [[1.0, 1.0]] * 3)
    got = kmeans(points, 4)
    assert got.ids.size == 2 and got.sizes().tolist() == [5, 3]


def test_warm_start_keeps_ids_and_adds_the_most_distant_point() -> None:
    rng = np.random.default_rng(0)
    points = np.vstack([rng.normal(0, 0.1, (20, 2)), rng.normal(5, 0.1, (20, 2))])
    first = kmeans(points, 2)
    more = np.vstack([points, [[20.0, 20.0]]])
    again = kmeans(more, 3, prev=first)
    assert set(first.ids.tolist()) <= set(again.ids.tolist())
    assert again.ids.size == 3
    assert again.sizes()[again.labels[-1]] == 1  # the far point became its own cluster


def test_coarsened_big_kmeans_agrees_with_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    points = np.vstack([rng.normal(0, 1, (3000, 2)), rng.normal(6, 1, (2000, 2))])
    exact = kmeans(points, 2, max_iters=100)
    monkeypatch.setattr(cl, "_COARSEN_ABOVE", 1000)
    coarse = kmeans(points, 2, max_iters=100)
    agree = np.mean(exact.labels == coarse.labels)
    assert max(agree, 1 - agree) > 0.999


def test_silhouette_matches_sklearn() -> None:
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    points = rng.normal(size=(40, 2))
    labels = (points[:, 0] > 0).astype(int) + (points[:, 1] > 1).astype(int)
    assert silhouette(points, labels) == pytest.approx(
        sklearn_metrics.silhouette_score(points, labels)
    )


def test_silhouette_scores_singletons_zero_and_one_cluster_minus_inf() -> None:
    points = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0]])
    a, b = 1.0, np.mean([10.0, np.hypot(10, 1)])
    expected = (2 * (b - a) / b + 0) / 3
    assert silhouette(points, np.array([0, 0, 1])) == pytest.approx(expected)
    assert silhouette(points, np.zeros(3, int)) == float("-inf")


def test_k_smoother_needs_buffer_consecutive_wins() -> None:
    s = KSmoother().step(3, 4)
    assert s.published == 3  # nothing published yet: take the best
    for expected in (3, 3, 3, 2):
        s = s.step(2, 4)
        assert s.published == expected
    s = s.step(4, 4)
    assert s.published == 2 and s.count == 1


def test_hamerly_bounds_give_the_same_clustering_as_plain_lloyd(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(3)
    points = np.vstack([rng.normal(c, 0.7, (1000, 2)) for c in ((0, 0), (3, 0), (0, 3))])
    plain = kmeans(points, 100, max_iters=100)
    monkeypatch.setattr(cl, "_BOUNDS_ABOVE", 0)
    bounded = kmeans(points, 100, max_iters=100)
    assert np.array_equal(plain.ids, bounded.ids)
    assert np.allclose(plain.centers, bounded.centers)
    assert np.array_equal(plain.labels, bounded.labels)
