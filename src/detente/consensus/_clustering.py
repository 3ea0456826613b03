"""Polis k-means (base and group level), silhouette and the k smoother.

Everything here follows polismath/math/clusters.clj: Lloyd iterations with weighted
centres, empty clusters dropped, convergence when every sorted centre moved < 0.01,
persistent cluster ids and warm starts from the previous update's clusters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Clustering", "KSmoother", "kmeans", "nearest", "pairwise_distances", "silhouette"]

_SAME_THRESHOLD = 0.01  # clusters.clj ``same-clustering?`` threshold
_CHUNK = 1 << 13
#: Above this many points, base k-means iterates on a grid summary (see _lloyd_coarsened).
_COARSEN_ABOVE = 200_000
_GRID = 256
#: Hamerly's bounds pay off only for many points.
_BOUNDS_ABOVE = 20_000


@dataclass(frozen=True, eq=False)
class Clustering:
    """A clustering of keyed points.

    Attributes
    ----------
    ids : ndarray of int64, shape (c,)
        Persistent cluster ids, increasing.
    centers : ndarray of float64, shape (c, 2)
    keys : ndarray of int64, shape (n,)
        Keys of the clustered points (participant rows or base-cluster ids).
    labels : ndarray of int64, shape (n,)
        Position in ``ids`` of each point's cluster.
    """

    ids: np.ndarray
    centers: np.ndarray
    keys: np.ndarray
    labels: np.ndarray

    def sizes(self, weights: np.ndarray | None = None) -> np.ndarray:
        """Member count (or weight sum) per cluster."""
        return np.bincount(self.labels, weights=weights, minlength=self.ids.size)


def _top2(points: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest centre (ties to the first), its distance and the second-nearest distance."""
    n = points.shape[0]
    labels = np.empty(n, dtype=np.int64)
    d1 = np.empty(n)
    d2 = np.full(n, np.inf)
    c = centers.astype(np.float64)
    for s in range(0, n, _CHUNK):
        p = points[s : s + _CHUNK]
        d = (p[:, 0:1] - c[None, :, 0]) ** 2
        d += (p[:, 1:2] - c[None, :, 1]) ** 2
        a = np.argmin(d, axis=1)
        rows = np.arange(a.size)
        labels[s : s + _CHUNK] = a
        d1[s : s + _CHUNK] = d[rows, a]
        if c.shape[0] > 1:
            d[rows, a] = np.inf
            d2[s : s + _CHUNK] = d.min(axis=1)
    return labels, np.sqrt(d1), np.sqrt(d2)


def _half_gap(centers: np.ndarray) -> np.ndarray:
    """Half the distance from each centre to its nearest other centre (Hamerly's s(c)):
    a point closer than that to its own centre cannot be nearer to another one."""
    if centers.shape[0] < 2:
        return np.full(centers.shape[0], np.inf)
    d = np.hypot(
        centers[:, None, 0] - centers[None, :, 0], centers[:, None, 1] - centers[None, :, 1]
    )
    np.fill_diagonal(d, np.inf)
    return 0.5 * d.min(axis=1)


def nearest(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Index of the nearest centre (Euclidean; ties go to the first), chunked for big inputs."""
    out = np.empty(points.shape[0], dtype=np.int64)
    cx, cy = centers[:, 0].astype(np.float64), centers[:, 1].astype(np.float64)
    for s in range(0, points.shape[0], _CHUNK):
        p = points[s : s + _CHUNK]
        d = np.subtract.outer(p[:, 0], cx)
        d *= d
        e = np.subtract.outer(p[:, 1], cy)
        e *= e
        d += e
        out[s : s + _CHUNK] = np.argmin(d, axis=1)
    return out


def _weighted_centers(points: np.ndarray, weights: np.ndarray, labels: np.ndarray,
                      c: int) -> tuple[np.ndarray, np.ndarray]:
    w = np.bincount(labels, weights=weights, minlength=c)
    sx = np.bincount(labels, weights=weights * points[:, 0], minlength=c)
    sy = np.bincount(labels, weights=weights * points[:, 1], minlength=c)
    with np.errstate(invalid="ignore", divide="ignore"):
        centers = np.column_stack([sx / w, sy / w])
    return centers, w > 0


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """clusters.clj ``same-clustering?``: sorted centres pairwise closer than 0.01."""
    if a.shape != b.shape:
        return False
    sa = a[np.lexsort((a[:, 1], a[:, 0]))]
    sb = b[np.lexsort((b[:, 1], b[:, 0]))]
    return bool(np.all(np.hypot(*(sa - sb).T) < _SAME_THRESHOLD))


def _distinct_first(points: np.ndarray) -> np.ndarray:
    """Index of the first occurrence of each distinct row of an (n, 2) array, sorted
    (as ``np.unique(points, axis=0, return_index=True)`` then ``np.sort``, but cheaper)."""
    if points.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((np.arange(points.shape[0]), points[:, 1], points[:, 0]))
    p = points[order]
    new = np.ones(order.size, dtype=bool)
    new[1:] = (p[1:, 0] != p[:-1, 0]) | (p[1:, 1] != p[:-1, 1])
    return np.sort(order[new])


def _first_distinct(points: np.ndarray, k: int) -> np.ndarray:
    """Indices of the first ``k`` distinct points in data order (clusters.clj ``init-clusters``).

    Looks at growing prefixes so that big inputs are not sorted whole.
    """
    m = max(4 * k, 64)
    while True:
        first = _distinct_first(points[:m])
        if first.size >= k or m >= points.shape[0]:
            return first[:k]
        m *= 4


def _clean_start(
    points: np.ndarray, weights: np.ndarray, keys: np.ndarray, k: int, prev: Clustering
) -> tuple[np.ndarray, np.ndarray]:
    """Recentre the previous clusters on current member positions, then split to reach k.

    clusters.clj ``clean-start-clusters``: vanished members are dropped, empty clusters
    removed, clusters with identical centres merged; while there are fewer than
    min(k, #distinct points) clusters the point farthest from its nearest centre becomes a
    new singleton cluster.
    """
    # a dense lookup table when keys are small non-negative ints (row numbers), else a dict
    dense = (
        keys.size > 0
        and prev.keys.size > 0
        and min(keys.min(), prev.keys.min()) >= 0
        and max(keys.max(), prev.keys.max()) <= 8 * keys.size + 64
    )
    pos = None if dense else {int(key): i for i, key in enumerate(keys.tolist())}
    if pos is None:
        lookup = np.full(int(max(keys.max(), prev.keys.max())) + 1, -1, dtype=np.int64)
        lookup[keys] = np.arange(keys.size)
        idx = np.where(prev.keys < lookup.size, lookup[np.minimum(prev.keys, lookup.size - 1)], -1)
    else:
        idx = np.array([pos.get(int(key), -1) for key in prev.keys.tolist()], dtype=np.int64)
    alive = idx >= 0
    labels_prev = prev.labels[alive]
    member_idx = idx[alive]
    labels = np.full(keys.size, -1, dtype=np.int64)
    labels[member_idx] = labels_prev
    centers, nonempty = _weighted_centers(
        points[member_idx], weights[member_idx], labels_prev, prev.ids.size
    )
    ids = prev.ids[nonempty]
    centers = centers[nonempty]
    # merge identical centres (keep the first id)
    first = _distinct_first(centers)
    ids, centers = ids[first], centers[first]
    n_distinct = _first_distinct(points, k).size  # = min(k, #distinct points)
    next_id = int(prev.ids.max()) + 1 if prev.ids.size else 0
    while ids.size < min(k, n_distinct):
        if ids.size == 0:
            far = 0
        else:
            near = nearest(points, centers)
            d = np.hypot(*(points - centers[near]).T)
            far = int(np.argmax(d))
        ids = np.append(ids, next_id)
        centers = np.vstack([centers, points[far]])
        next_id += 1
    return ids, centers


def _lloyd(
    points: np.ndarray, weights: np.ndarray, ids: np.ndarray, centers: np.ndarray, max_iters: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact weighted Lloyd iterations (clusters.clj ``kmeans`` loop over ``cluster-step``).

    Each step assigns points to the nearest centre, recentres, drops empty clusters and
    stops when the sorted centres moved less than 0.01 or after ``max_iters`` + 1 steps.
    Hamerly's bounds (upper: distance to own centre; lower: to the second nearest) skip the
    points whose nearest centre provably did not change; results are those of plain Lloyd.
    """
    labels, upper, lower = _top2(points, centers)
    for step in range(max_iters + 1):
        # clusters.clj ``cluster-step``: assign to nearest centre, recentre, drop empties.
        new_centers, nonempty = _weighted_centers(points, weights, labels, ids.size)
        old = centers
        if not nonempty.all():
            remap = np.cumsum(nonempty) - 1
            ids, new_centers, labels = ids[nonempty], new_centers[nonempty], remap[labels]
            old = centers[nonempty]
        done = _same(centers, new_centers)
        centers = new_centers
        if done or step == max_iters:
            break
        if points.shape[0] <= _BOUNDS_ABOVE:  # small: plain reassignment is cheapest
            labels = nearest(points, centers)
            continue
        shift = np.hypot(*(centers - old).T)
        upper += shift[labels]
        # the second-nearest centre moved by at most the largest shift among the others
        top = int(np.argmax(shift))
        runner_up = np.max(np.delete(shift, top)) if shift.size > 1 else 0.0
        lower -= np.where(labels == top, runner_up, shift[top])
        bound = np.maximum(lower, _half_gap(centers)[labels])
        check = np.flatnonzero(upper >= bound)
        if check.size:
            upper[check] = np.hypot(*(points[check] - centers[labels[check]]).T)
            check = check[upper[check] >= bound[check]]
        if check.size:
            labels[check], upper[check], lower[check] = _top2(points[check], centers)
    return ids, centers, labels


def _lloyd_coarsened(
    points: np.ndarray, weights: np.ndarray, ids: np.ndarray, centers: np.ndarray, max_iters: int
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd iterations on a 256 x 256 grid summary of a large point set.

    Points are pooled per grid cell (weight = summed weight, position = weighted mean), so
    an iteration costs at most 65,536 weighted points instead of millions. Only cells that
    straddle a cluster boundary are assigned differently from their points; the caller
    finishes with one exact assignment and recentring on the real points.
    """
    lo = points.min(axis=0)
    span = np.maximum(points.max(axis=0) - lo, 1e-12)
    q = np.minimum(((points - lo) / span * _GRID).astype(np.int64), _GRID - 1)
    cell = q[:, 0] * _GRID + q[:, 1]
    _, inverse = np.unique(cell, return_inverse=True)
    w = np.bincount(inverse, weights=weights)
    pooled = (
        np.column_stack(
            [
                np.bincount(inverse, weights=weights * points[:, 0]),
                np.bincount(inverse, weights=weights * points[:, 1]),
            ]
        )
        / w[:, None]
    )
    ids, centers, _ = _lloyd(pooled, w, ids, centers, max_iters)
    return ids, centers


def kmeans(
    points: np.ndarray,
    k: int,
    *,
    keys: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    prev: Clustering | None = None,
    max_iters: int = 20,
) -> Clustering:
    """Weighted Polis k-means on 2-D points.

    Parameters
    ----------
    points : ndarray of shape (n, 2)
    k : int
        Wanted number of clusters (fewer when there are fewer distinct points).
    keys : ndarray of int64, shape (n,), optional
        Persistent keys of the points (default ``arange(n)``); warm starts match on them.
    weights : ndarray of shape (n,), optional
        Point weights for the centre means (group level: base-cluster sizes).
    prev : Clustering, optional
        Previous clustering for the same k (warm start).
    max_iters : int
        Iteration cap (Polis: 100 for base clusters, 20 for groups).
    """
    n = points.shape[0]
    keys = np.arange(n, dtype=np.int64) if keys is None else np.asarray(keys, dtype=np.int64)
    weights = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    if n == 0:
        return Clustering(np.zeros(0, np.int64), np.zeros((0, 2)), keys, np.zeros(0, np.int64))
    if prev is not None and prev.ids.size:
        ids, centers = _clean_start(points, weights, keys, k, prev)
    else:
        first = _first_distinct(points, k)
        ids, centers = np.arange(first.size, dtype=np.int64), points[first].astype(np.float64)
    if n > _COARSEN_ABOVE:
        ids, centers = _lloyd_coarsened(points, weights, ids, centers, max_iters)
        ids, centers, labels = _lloyd(points, weights, ids, centers, 0)
    else:
        ids, centers, labels = _lloyd(points, weights, ids, centers, max_iters)
    return Clustering(ids, centers, keys, labels)


def pairwise_distances(points: np.ndarray) -> np.ndarray:
    """Euclidean distances between all rows of ``points`` (small inputs: base centres)."""
    return np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))


def silhouette(
    points: np.ndarray, labels: np.ndarray, distances: np.ndarray | None = None
) -> float:
    """Mean silhouette, unweighted, Euclidean (clusters.clj ``silhouette``).

    A member of a singleton cluster scores 0. Returns -inf with fewer than 2 clusters.
    ``distances`` (from :func:`pairwise_distances`) may be passed to share them across
    candidate clusterings of the same points; ``labels`` are non-negative.
    """
    counts = np.bincount(labels)
    present = counts > 0
    if np.count_nonzero(present) < 2:
        return float("-inf")
    d = pairwise_distances(points) if distances is None else distances
    own = (np.cumsum(present) - 1)[labels]
    sizes = counts[present].astype(np.float64)
    onehot = np.zeros((points.shape[0], sizes.size))
    rows = np.arange(points.shape[0])
    onehot[rows, own] = 1.0
    sums = d @ onehot
    own_size = sizes[own]
    a = sums[rows, own] / np.maximum(own_size - 1, 1)
    means = sums / sizes
    means[rows, own] = np.inf
    b = means.min(axis=1)
    denom = np.maximum(a, b)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where((own_size > 1) & (denom > 0), (b - a) / denom, 0.0)
    return float(scores.mean())


@dataclass(frozen=True)
class KSmoother:
    """State of Polis's group-count smoother (conversation.clj ``group-k-smoother``).

    The best k (max silhouette) must repeat for ``buffer`` consecutive updates before it
    replaces the published k; until some k is published, the current best is used.
    """

    last_best: int | None = None
    count: int = 0
    published: int | None = None

    def step(self, best: int, buffer: int) -> KSmoother:
        """Smoother state after an update whose best k is ``best``."""
        count = self.count + 1 if best == self.last_best else 1
        published = best if (self.published is None or count >= buffer) else self.published
        return KSmoother(best, count, published)
