"""Mean-imputed, centred PCA of the vote matrix and the Polis participant projection.

Imputing each missing cell by its column mean and then centring on the column means makes
every unseen cell exactly 0, so the centred matrix has the sparsity pattern of the votes:
seen cell (i, j) holds ``v_ij - mean_j``. We therefore never densify. Moderated-out columns
are zeroed for every row, as Polis's ``rating-mat`` does (polismath/math/conversation.clj,
``:rating-mat`` / ``zero-out-columns``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ._matrix import VoteMatrix

__all__ = ["CenteredVotes", "center", "pca_components", "project"]

#: Above this estimated Gram cost (sum over rows of votes squared) the power iteration runs
#: on the sparse operator instead of an explicit statements × statements Gram matrix.
_GRAM_COST_LIMIT = 30_000_000
_GRAM_MAX_COLS = 4_000
_CENTER_CHUNK = 1 << 16
#: Above this many participants the axes are estimated on a random sample of rows.
_PCA_MAX_ROWS = 200_000
#: Block power-iteration rounds of a warm update (``pca_solver="auto"`` with a warm start).
_WARM_ROUNDS = 2


@dataclass(frozen=True, eq=False)
class CenteredVotes:
    """The implicitly imputed, centred rating matrix.

    Attributes
    ----------
    x : scipy.sparse.csr_matrix of float32, shape (n_participants, n_statements)
        ``v - mean_j`` on seen, non-moderated cells; structural zeros elsewhere.
    mean : ndarray of float64, shape (n_statements,)
        Column means over seen cells (0 for moderated-out or unvoted columns).
    n_cols_active : int
        Number of statements with at least one vote (Polis's ``n-cmnts``).
    row_votes : ndarray of int64, shape (n_participants,)
        Non-missing cells per row of Polis's rating matrix: seen votes on kept statements
        plus every active moderated-out statement (zeroed, hence non-missing).
    """

    x: sp.csr_matrix
    mean: np.ndarray
    n_cols_active: int
    row_votes: np.ndarray


def center(matrix: VoteMatrix, moderated: np.ndarray) -> CenteredVotes:
    """Centre the votes on their column means, moderated columns zeroed.

    Parameters
    ----------
    matrix : VoteMatrix
    moderated : ndarray of bool, shape (n_statements,)
    """
    n_rows, n_cols = matrix.shape
    counts, sums = matrix.column_totals()  # kept across merges: O(batch) on an update
    keep = ~moderated
    mean = np.where((counts > 0) & keep, sums / np.maximum(counts, 1), 0.0)
    active = counts > 0
    # conversation.clj: mod-out columns are zeroed, not dropped -> still non-missing.
    mod_active = int(np.count_nonzero(active & moderated))
    mean32 = mean.astype(np.float32)
    data = np.empty(matrix.n_votes, dtype=np.float32)
    # cache-sized chunks: gather the means into the output, then subtract in place
    for s in range(0, matrix.n_votes, _CENTER_CHUNK):
        e = min(s + _CENTER_CHUNK, matrix.n_votes)
        out = data[s:e]
        np.take(mean32, matrix.indices[s:e], out=out)
        np.subtract(matrix.values[s:e], out, out=out, dtype=np.float32)
    if moderated.any():
        kept_cell = keep[matrix.indices]
        data *= kept_cell
        cum = np.zeros(matrix.n_votes + 1, dtype=np.int64)
        np.cumsum(kept_cell, out=cum[1:])
        row_kept = cum[matrix.indptr[1:]] - cum[matrix.indptr[:-1]]
    else:
        row_kept = np.diff(matrix.indptr)
    x = sp.csr_matrix((data, matrix.indices, matrix.indptr), shape=(n_rows, n_cols))
    return CenteredVotes(x, mean, int(np.count_nonzero(active)), row_kept + mod_active)


def _power_iterate(
    apply: Callable[[np.ndarray], np.ndarray],
    start: np.ndarray,
    iters: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Polis power iteration for one component (polismath/math/pca.clj ``power-iteration``).

    v <- normalise(X^T X v) for up to ``iters`` rounds, stopping when the eigenvalue
    estimate (norm of X^T X v) is unchanged. A start vector that the operator sends to 0
    (e.g. a previous axis on a statement nobody can vote on any more) is replaced by a
    random one so that the iteration cannot stall in the null space.
    """
    v = start / np.linalg.norm(start)
    last = -1.0
    for i in range(iters):
        w = apply(v)
        eig = float(np.linalg.norm(w))
        if eig == 0.0:
            if i > 0:
                return v
            v = rng.random(v.size)
            v /= np.linalg.norm(v)
            w = apply(v)
            eig = float(np.linalg.norm(w))
            if eig == 0.0:
                return v
        v = w / eig
        if abs(eig - last) <= 1e-12 * eig:  # Polis: estimate exactly unchanged
            break
        last = eig
    return v


def _start_vector(prev: np.ndarray | None, n: int, rng: np.random.Generator) -> np.ndarray:
    if prev is not None and np.linalg.norm(prev) > 0:
        return prev.astype(np.float64)
    return rng.random(n)


def pca_components(
    cv: CenteredVotes,
    *,
    n_components: int = 2,
    prev: np.ndarray | None = None,
    iters: int = 100,
    rng: np.random.Generator,
    solver: str = "auto",
) -> np.ndarray:
    """Top principal axes of the centred rating matrix.

    Parameters
    ----------
    cv : CenteredVotes
    n_components : int
    prev : ndarray of shape (n_components, n_statements), optional
        Components of the previous update: warm start, as Polis's ``:start-vectors``.
    iters : int
        Power-iteration rounds per component (Polis ``pca-iters`` = 100).
    rng : numpy Generator
        Source of the random start when there is no warm start.
    solver : {"auto", "exact", "power", "lanczos"}
        ``exact`` takes the top eigenvectors of the explicit Gram matrix X^T X (what Polis's
        power iteration converges to after many warm-started updates); ``power`` replays
        Polis's deflated power iteration, ``pca_iters`` rounds from the previous axes (on
        the Gram matrix when cheap, else on the sparse operator); ``lanczos`` runs ARPACK on
        the sparse operator and scales to 10^8 votes. ``auto``: on a warm start (an update) a
        block power iteration from the previous axes on the sparse operator; on a cold start
        exact when the Gram matrix is cheap, lanczos otherwise.

    Returns
    -------
    ndarray of float64, shape (n_components, n_statements)
    """
    x = cv.x
    n_cols = x.shape[1]
    comps = np.zeros((n_components, n_cols))
    if n_cols == 0 or x.nnz == 0:
        return comps
    # pca.clj edge cases: a single column -> component [1].
    if n_cols == 1:
        comps[0, 0] = 1.0
        return comps
    row_nnz = np.diff(x.indptr).astype(np.float64)
    gram_cost = float(np.dot(row_nnz, row_nnz))
    cheap = gram_cost <= _GRAM_COST_LIMIT and n_cols <= _GRAM_MAX_COLS
    warm = prev is not None and bool(np.all(np.any(prev[:n_components], axis=1)))
    if solver == "auto":
        if warm and prev is not None:
            # update: a bounded warm block power iteration from the previous axes on every
            # row (Polis: a few warm power iterations per update); the previous axes are
            # already converged on all but the new votes, so two rounds suffice
            return _refine(x, prev[:n_components], rounds=min(iters, _WARM_ROUNDS))
        solver = "exact" if cheap else "lanczos"
    if solver == "lanczos" and n_cols > n_components + 1:
        sample = _row_sample(x, rng)
        if warm and prev is not None:
            return _refine(sample, prev[:n_components])
        return _lanczos(sample, n_components, prev, rng)
    # A warm start converges in a few rounds: then the sparse operator is cheaper than
    # forming the Gram matrix; a cold power iteration uses the Gram matrix when cheap.
    if solver == "exact":
        if n_cols > 64:  # ARPACK on the sparse operator: no Gram matrix to form
            return _lanczos(x, n_components, None, rng, tol=1e-8)
        return _exact((x.T @ x).toarray().astype(np.float64), n_components, rng)
    use_gram = cheap and prev is None
    if use_gram:
        gram = (x.T @ x).toarray().astype(np.float64)
    if use_gram:

        def apply_gram(v: np.ndarray) -> np.ndarray:
            return gram @ v

        apply = apply_gram
    else:
        xt = x.T

        def apply_op(v: np.ndarray) -> np.ndarray:
            return np.asarray(xt @ (x @ v.astype(np.float32)), dtype=np.float64)

        apply = apply_op
    found: list[np.ndarray] = []
    for c in range(n_components):
        start = _start_vector(None if prev is None else prev[c], n_cols, rng)

        def deflated(
            v: np.ndarray, base: Callable[[np.ndarray], np.ndarray] = apply
        ) -> np.ndarray:
            # pca.clj factors each found component out of the data rows (Gram-Schmidt);
            # on X^T X that is (I - P) X^T X (I - P) with P the projector on found comps.
            for u in found:
                v = v - np.dot(u, v) * u
            w = base(v)
            for u in found:
                w = w - np.dot(u, w) * u
            return w

        v = _power_iterate(deflated, start, iters, rng)
        found.append(v)
        comps[c] = v
    return comps


def _exact(gram: npt.NDArray[np.float64], k: int, rng: np.random.Generator) -> np.ndarray:
    """Top-k eigenvectors of a small dense symmetric matrix, largest first."""
    n: int = gram.shape[0]
    out = np.zeros((k, n))
    if not np.any(gram):
        return out  # nothing varies yet: no axis (the next warm start begins at random)
    if n <= 400 or n <= k + 1:
        vals, vecs = np.linalg.eigh(gram)
    else:
        try:
            vals, vecs = spla.eigsh(gram, k=k, which="LA", v0=rng.random(n), tol=1e-12)
        except spla.ArpackError:
            vals, vecs = np.linalg.eigh(gram)
    order = np.argsort(vals)[::-1][:k]
    out[: order.size] = vecs[:, order].T
    return out


def _row_sample(x: sp.csr_matrix, rng: np.random.Generator) -> sp.csr_matrix:
    """The centred rows the axes are estimated from: all of them up to ``_PCA_MAX_ROWS``,
    else a uniform random sample of that many participants.

    Polis itself switches to mini-batch PCA above 10,000 participants (batches of at most
    1,500 rows, pca.clj); a 200,000-row sample estimates the top axes of X^T X far more
    precisely (sampling error ~ 1/sqrt(200,000)) at a fifth of the cost for 10^6 rows.
    Column means always use every vote.
    """
    if x.shape[0] <= _PCA_MAX_ROWS:
        return x
    rows = np.sort(rng.choice(x.shape[0], size=_PCA_MAX_ROWS, replace=False))
    return x[rows]


def _refine(
    x: sp.csr_matrix, prev: np.ndarray, *, rounds: int = 8, tol: float = 1e-3
) -> np.ndarray:
    """Warm update of the axes: block power iteration from the previous axes.

    Each round costs one product with X on a 2-column block and a Rayleigh-Ritz step, and
    all but the last one a product with X^T; it stops when the eigenvalue estimates change
    by less than ``tol`` (relative) or after ``rounds`` rounds: the warm-start analogue of
    Polis's power iteration from the previous components, with a bounded cost per update.
    """
    q, _ = np.linalg.qr(prev.T)
    last = None
    for r in range(rounds):
        z = np.asarray(x @ q.astype(np.float32), dtype=np.float64)
        evals, w = np.linalg.eigh(z.T @ z)
        order = np.argsort(evals)[::-1]
        evals, w = evals[order], w[:, order]
        vecs = (q @ w).T.copy()
        converged = last is not None and np.all(np.abs(evals - last) <= tol * np.abs(evals))
        if converged or r == rounds - 1:  # the last round needs no product with X^T
            break
        last = evals
        y = np.asarray(x.T @ z.astype(np.float32), dtype=np.float64)
        q, _ = np.linalg.qr(y)
    return vecs


def _lanczos(
    x: sp.csr_matrix,
    k: int,
    prev: np.ndarray | None,
    rng: np.random.Generator,
    *,
    tol: float = 1e-3,
) -> np.ndarray:
    """Top-k eigenvectors of X^T X by implicitly restarted Lanczos (ARPACK) on the operator.

    Each operator application is two sparse products (X v, then X^T (X v)); X is never
    densified. The start vector is the previous components' sum (warm start) or random.
    The default ``tol`` 1e-3 (relative accuracy of the eigenvalues) with a 20-vector basis keeps
    100 M-vote fits near 70 operator applications; a dominant axis converges far tighter.
    """
    n_cols = x.shape[1]
    xt = x.T  # CSC view, no copy

    def matvec(v: np.ndarray) -> np.ndarray:
        return np.asarray(xt @ (x @ v.astype(np.float32).ravel()), dtype=np.float64)

    op = spla.LinearOperator((n_cols, n_cols), matvec=matvec, dtype=np.float64)
    v0 = _start_vector(None if prev is None else prev[:k].sum(axis=0), n_cols, rng)
    ncv = min(n_cols - 1, max(20, 2 * k + 1))
    if not np.any(x.data):
        return np.zeros((k, n_cols))
    try:
        vals, vecs = spla.eigsh(op, k=k, which="LA", v0=v0, tol=tol, ncv=ncv, maxiter=2000)
    except spla.ArpackNoConvergence as exc:  # keep what converged, else the last basis
        vals, vecs = exc.eigenvalues, exc.eigenvectors
        if vals.size < k:
            raise
    except spla.ArpackError:
        return np.zeros((k, n_cols))
    order = np.argsort(vals)[::-1]
    return vecs[:, order].T.copy()


def project(cv: CenteredVotes, comps: np.ndarray) -> np.ndarray:
    """Polis participant projection (polismath/math/pca.clj ``sparsity-aware-project-ptpt``).

    Sum over the participant's non-missing cells of ``(v - mean_j) * pc_j``, scaled by
    ``sqrt(n_cmnts / max(n_votes, 1))`` which pushes sparse voters outwards.

    Returns
    -------
    ndarray of float64, shape (n_participants, n_components)
    """
    raw = np.asarray(cv.x @ comps.T.astype(np.float32), dtype=np.float64)
    scale = np.sqrt(cv.n_cols_active / np.maximum(cv.row_votes, 1))
    return raw * scale[:, None]
