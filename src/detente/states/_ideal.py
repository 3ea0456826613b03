"""One-dimensional ideal points by the EM algorithm for the binary IRT model.

Model (Imai, Lo & Olmsted 2016, section 2): state *i* votes yes on roll call *j* when
``y*_ij = alpha_j + beta_j x_i + e_ij > 0`` with ``e_ij ~ N(0, 1)``; priors
``x_i ~ N(0, 1)`` and ``(alpha_j, beta_j) ~ N(0, 25 I)``. The EM algorithm replaces the latent
``y*`` by its conditional mean (truncated normal; the linear predictor itself where the vote
is missing), then solves the two ridge regressions in closed form (their equations 7-9), which
makes each iteration a few matrix products. Yes = 1, no = 0; abstentions are missing by
default (``abstain="no"`` counts them as no). The start is the first principal component of
the centred yes/no matrix. Points are standardised (mean 0, sd 1) and oriented so that the
reference state (default the United States) is positive.

References
----------
Imai, K., Lo, J. & Olmsted, J. (2016). Fast estimation of ideal points with massive data.
*American Political Science Review* 110(4), 631-656.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import erfcx
from threadpoolctl import threadpool_limits

from detente.errors import InputError
from detente.i18n import gettext as _
from detente.states._select import CODES

__all__ = ["IdealPoints", "first_dimension", "ideal_points"]

_PRIOR_ITEM = 1.0 / 25.0
_SQRT_2_OVER_PI = np.sqrt(2.0 / np.pi)


@dataclass(frozen=True, slots=True)
class IdealPoints:
    """Estimated ideal points.

    Attributes
    ----------
    states : list of str, length n
        States estimated (those with at least ``min_votes`` yes/no votes).
    x : ndarray, shape (n,)
        Standardised ideal points.
    pca : ndarray, shape (n,)
        First principal dimension, same orientation, for comparison.
    iterations : int
    converged : bool
    """

    states: list[str]
    x: np.ndarray
    pca: np.ndarray
    iterations: int
    converged: bool

    def as_dict(self) -> dict[str, float]:
        """{state: ideal point}."""
        return {s: round(float(v), 6) for s, v in zip(self.states, self.x, strict=True)}

    def correlation_with_pca(self) -> float:
        """Pearson correlation of the EM estimates with the first principal dimension."""
        if len(self.x) < 3:
            return float("nan")
        return float(np.corrcoef(self.x, self.pca)[0, 1])


def _binary(codes: np.ndarray, abstain: str) -> np.ndarray:
    """1 yes, 0 no, NaN missing."""
    if abstain not in ("missing", "no"):
        raise InputError(_("abstain must be 'missing' or 'no', not %(value)r") % {"value": abstain},
                         location="abstain")
    y = np.full(codes.shape, np.nan)
    y[codes == CODES["yes"]] = 1.0
    y[codes == CODES["no"]] = 0.0
    if abstain == "no":
        y[codes == CODES["abstain"]] = 0.0
    return y


def first_dimension(y: np.ndarray) -> np.ndarray:
    """First principal component scores of a (states × roll calls) 0/1/NaN matrix.

    Columns are centred on their observed mean and missing cells set to 0 (the mean).
    """
    centred = y - np.nanmean(y, axis=0, keepdims=True)
    centred = np.nan_to_num(centred)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    return u[:, 0] * s[0]


def _standardise(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / (sd if sd > 0 else 1.0)


def ideal_points(codes: np.ndarray, states: list[str], *, abstain: str = "missing",
                 min_votes: int = 5, reference: tuple[str, ...] = ("USA",),
                 max_iter: int = 500, tol: float = 1e-6) -> IdealPoints:
    """Estimate one-dimensional ideal points from a vote-code matrix.

    Parameters
    ----------
    codes : ndarray of int, shape (n_states, n_roll_calls)
    states : list of str, length n_states
    abstain : {"missing", "no"}
    min_votes : int
        States with fewer yes/no votes are left out.
    reference : tuple of str
        The first of these states present is oriented positive.
    max_iter, tol : EM stops when 1 - corr(x_new, x_old) < ``tol`` (as emIRT does).

    Examples
    --------
    >>> import numpy as np
    >>> codes = np.array([[1, 1, 3, 1], [1, 1, 3, 3], [3, 3, 1, 3], [3, 1, 1, 3]] * 2)
    >>> pts = ideal_points(codes, list("ABCDEFGH"), reference=("A",), min_votes=1)
    >>> bool(pts.x[0] > 0 > pts.x[2])
    True
    """
    y = _binary(np.asarray(codes), abstain)
    keep = np.sum(~np.isnan(y), axis=1) >= min_votes
    y = y[keep]
    kept = [s for s, k in zip(states, keep, strict=True) if k]
    n_obs = np.sum(~np.isnan(y), axis=0)
    n_yes = np.nansum(y, axis=0)
    informative = (n_yes > 0) & (n_yes < n_obs)
    y = y[:, informative]
    if len(kept) < 2 or y.shape[1] == 0:
        return IdealPoints(kept, np.zeros(len(kept)), np.zeros(len(kept)), 0, True)
    pca = _standardise(first_dimension(y))
    with threadpool_limits(1, user_api="blas"):  # tiny products: threads only contend
        x, iterations, converged = _em(y, pca.copy(), max_iter, tol)
    x = _standardise(x)
    sign = _orientation(kept, x, reference)
    pca_sign = 1.0 if np.corrcoef(x, pca)[0, 1] >= 0 else -1.0
    return IdealPoints(kept, sign * x, sign * pca_sign * pca, iterations, converged)


def _orientation(states: list[str], x: np.ndarray, reference: tuple[str, ...]) -> float:
    for state in reference:
        if state in states:
            return 1.0 if x[states.index(state)] >= 0 else -1.0
    return 1.0


def _em(y: np.ndarray, x: np.ndarray, max_iter: int, tol: float) -> tuple[np.ndarray, int, bool]:
    """The EM iterations (Imai, Lo & Olmsted 2016, eqs. 7-9); ``y`` is 0/1/NaN.

    Each round: E-step (``y*`` given the current parameters; the first round starts from
    ``2y - 1``), M-step for the items (a ridge regression of ``y*`` on ``[1, x]`` shared by all
    roll calls), M-step for the states (``x_i = sum_j beta_j (y*_ij - alpha_j) /
    (sum_j beta_j^2 + 1)``).
    """
    observed = ~np.isnan(y)
    is_yes = observed & (y == 1)
    is_no = observed & (y == 0)
    n = y.shape[0]
    ystar = np.where(observed, 2 * np.nan_to_num(y) - 1, 0.0)
    alpha = beta = None
    for iteration in range(1, max_iter + 1):
        if alpha is not None and beta is not None:
            ystar = _truncated_mean(alpha[None, :] + x[:, None] * beta[None, :], is_yes, is_no)
        design = np.column_stack([np.ones(n), x])
        alpha, beta = np.linalg.solve(design.T @ design + _PRIOR_ITEM * np.eye(2),
                                      design.T @ ystar)
        new_x = ((ystar - alpha[None, :]) @ beta) / (beta @ beta + 1.0)
        if 1.0 - np.corrcoef(new_x, x)[0, 1] < tol:
            return new_x, iteration, True
        x = new_x
    return x, max_iter, False


def _truncated_mean(mu: np.ndarray, is_yes: np.ndarray, is_no: np.ndarray) -> np.ndarray:
    """E[y* | vote]: mu + phi/Phi(mu) for yes, mu - phi/Phi(-mu) for no, mu when missing.

    The inverse Mills ratio phi(t)/Phi(t) is computed as sqrt(2/pi) / erfcx(-t / sqrt(2)),
    which stays finite far in the tails.
    """
    sign = is_yes.astype(np.float64) - is_no.astype(np.float64)
    ratio = _SQRT_2_OVER_PI / erfcx(-sign * mu / np.sqrt(2.0))
    return mu + sign * ratio
