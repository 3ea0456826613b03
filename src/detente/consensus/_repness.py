"""Vote counting, representativeness, consensus and divisiveness.

Glossary (Polis names in brackets): for a group g and statement j,
``n_agree`` [na], ``n_disagree`` [nd], ``n_seen`` [ns] (passes included);
``p_agree`` [pa] = (na + 1) / (ns + 2) and ``p_disagree`` [pd] (Beta(1,1) smoothing);
``z_agree`` [pat] / ``z_disagree`` [pdt] one-proportion z scores;
``r_agree`` [ra] / ``r_disagree`` [rd] the ratio of the group's smoothed agree rate to
the rest's, and ``zr_agree`` [rat] / ``zr_disagree`` [rdt] two-proportion z scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2, norm

from ._matrix import VoteMatrix

__all__ = [
    "VoteCounts",
    "count_votes",
    "count_votes_delta",
    "divisiveness",
    "group_informed_consensus",
    "group_stats",
    "select_consensus",
    "select_representative",
]

_ROW_BLOCK_VOTES = 1 << 22


@dataclass(frozen=True, eq=False)
class VoteCounts:
    """Agree / disagree / pass counts per bucket and statement.

    ``agree[b, j]`` counts agrees on statement j by participants of bucket b (a group id);
    arrays have shape (n_buckets, n_statements), int64.
    """

    agree: np.ndarray
    disagree: np.ndarray
    passes: np.ndarray

    @property
    def seen(self) -> np.ndarray:
        """Non-missing votes (agree + disagree + pass)."""
        return self.agree + self.disagree + self.passes


def count_votes(matrix: VoteMatrix, bucket: np.ndarray, n_buckets: int) -> VoteCounts:
    """Count votes per (bucket, statement) with chunked ``bincount`` (never densifies).

    Parameters
    ----------
    matrix : VoteMatrix
    bucket : ndarray of int, shape (n_participants,)
        Bucket of each participant in ``[0, n_buckets)``; negative = not counted.
    n_buckets : int
    """
    n_rows, n_cols = matrix.shape
    size = (n_buckets + 1) * 3 * n_cols
    total = np.zeros(size, dtype=np.int64)
    b = np.where(bucket < 0, n_buckets, bucket).astype(np.int64)
    counts = matrix.row_counts()
    r0 = 0
    while r0 < n_rows:
        target = matrix.indptr[r0] + _ROW_BLOCK_VOTES
        r1 = max(r0 + 1, int(np.searchsorted(matrix.indptr, target, side="right")) - 1)
        r1 = min(r1, n_rows)
        s, e = matrix.indptr[r0], matrix.indptr[r1]
        rb = np.repeat(b[r0:r1], counts[r0:r1])
        key = (rb * 3 + (matrix.values[s:e].astype(np.int64) + 1)) * n_cols + matrix.indices[s:e]
        total += np.bincount(key, minlength=size)
        r0 = r1
    cube = total.reshape(n_buckets + 1, 3, n_cols)[:n_buckets]
    return VoteCounts(agree=cube[:, 2].copy(), disagree=cube[:, 0].copy(), passes=cube[:, 1].copy())


def _count_rows(
    matrix: VoteMatrix, rows: np.ndarray, bucket: np.ndarray, n_buckets: int
) -> np.ndarray:
    """Flat (bucket, vote, statement) counts over the votes of ``rows`` only."""
    n_cols = matrix.shape[1]
    size = n_buckets * 3 * n_cols
    lengths = matrix.indptr[rows + 1] - matrix.indptr[rows]
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(size, dtype=np.int64)
    ends = np.cumsum(lengths)
    pos = np.arange(total, dtype=np.int64) + np.repeat(
        matrix.indptr[rows] - (ends - lengths), lengths
    )
    rb = np.repeat(bucket[rows].astype(np.int64), lengths)
    key = (rb * 3 + (matrix.values[pos].astype(np.int64) + 1)) * n_cols + matrix.indices[pos]
    return np.bincount(key, minlength=size)


def count_votes_delta(
    previous: VoteMatrix,
    prev_bucket: np.ndarray,
    prev_counts: VoteCounts,
    matrix: VoteMatrix,
    bucket: np.ndarray,
    touched: np.ndarray,
) -> VoteCounts:
    """:func:`count_votes` of ``matrix`` derived from the previous matrix's counts.

    Only the rows that can differ are recounted: rows the batch touched and rows whose
    bucket changed (or that are new). Their old contribution is removed and their new one
    added, so the result equals a full count exactly (integers) at a cost proportional to
    those rows' votes.

    Parameters
    ----------
    previous, prev_bucket, prev_counts
        The matrix before the batch, its buckets (all in ``[0, n_buckets)``) and its counts.
    matrix, bucket
        The merged matrix (previous rows and columns first) and its buckets.
    touched : ndarray of int
        Rows of ``matrix`` that received votes from the batch.
    """
    n_old, n_buckets = previous.shape[0], prev_counts.agree.shape[0]
    n_cols, old_cols = matrix.shape[1], previous.shape[1]
    moved = np.flatnonzero(bucket[:n_old] != prev_bucket)
    rows = np.union1d(np.union1d(touched, moved), np.arange(n_old, matrix.shape[0]))
    old_rows = rows[rows < n_old]
    flat = np.zeros((n_buckets, 3, n_cols), dtype=np.int64)
    flat[:, 0, :old_cols] = prev_counts.disagree
    flat[:, 1, :old_cols] = prev_counts.passes
    flat[:, 2, :old_cols] = prev_counts.agree
    flat[:, :, :old_cols] -= _count_rows(previous, old_rows, prev_bucket, n_buckets).reshape(
        n_buckets, 3, old_cols
    )
    flat += _count_rows(matrix, rows, bucket, n_buckets).reshape(n_buckets, 3, n_cols)
    return VoteCounts(agree=flat[:, 2].copy(), disagree=flat[:, 0].copy(), passes=flat[:, 1].copy())


def _prop_test(success: np.ndarray, n: np.ndarray) -> np.ndarray:
    """One-proportion z with +1 pseudo-counts (polismath/math/stats.clj ``prop-test``)."""
    s, m = success + 1.0, n + 1.0
    return 2.0 * np.sqrt(m) * (s / m - 0.5)


def _two_prop_test(s1: np.ndarray, s2: np.ndarray, n1: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """Two-proportion z with +1 pseudo-counts (stats.clj ``two-prop-test``); 0 when pooled p = 1."""
    s1, s2, n1, n2 = s1 + 1.0, s2 + 1.0, n1 + 1.0, n2 + 1.0
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (p1 - p2) / np.sqrt(var)
    return np.where(pooled >= 1.0, 0.0, np.nan_to_num(z))


def group_stats(counts: VoteCounts) -> dict[str, np.ndarray]:
    """Polis comment statistics per group (polismath/math/repness.clj ``comment-stats``,
    ``add-comparitive-stats``). Each value has shape (n_groups, n_statements)."""
    na, nd = counts.agree.astype(np.float64), counts.disagree.astype(np.float64)
    ns = counts.seen.astype(np.float64)
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    na_out, nd_out, ns_out = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    return {
        "na": na,
        "nd": nd,
        "ns": ns,
        "pa": pa,
        "pd": pd,
        "pat": _prop_test(na, ns),
        "pdt": _prop_test(nd, ns),
        "ra": pa / ((na_out + 1) / (ns_out + 2)),
        "rd": pd / ((nd_out + 1) / (ns_out + 2)),
        "rat": _two_prop_test(na, na_out, ns, ns_out),
        "rdt": _two_prop_test(nd, nd_out, ns, ns_out),
    }


@dataclass(frozen=True)
class RepChoice:
    """One representative statement of a group (finalised Polis comment stats)."""

    statement: int
    direction: str
    repness: float
    repness_test: float
    p_success: float
    p_test: float


def _finalize(st: dict[str, np.ndarray], g: int, j: int) -> RepChoice:
    # repness.clj ``finalize-cmt-stats``: agree-type when rat > rdt.
    if st["rat"][g, j] > st["rdt"][g, j]:
        return RepChoice(
            j, "agree", st["ra"][g, j], st["rat"][g, j], st["pa"][g, j], st["pat"][g, j]
        )
    return RepChoice(
        j, "disagree", st["rd"][g, j], st["rdt"][g, j], st["pd"][g, j], st["pdt"][g, j]
    )


def _best_agree(st: dict[str, np.ndarray], g: int, candidates: np.ndarray, z: float) -> int | None:
    """repness.clj ``beats-best-agr?`` scan in statement order (on Python floats: the scan
    is sequential, and list access is much cheaper than numpy scalar indexing)."""
    cols = [st[k][g, candidates].tolist() for k in ("na", "nd", "ra", "rat", "pa", "pat")]
    _, _, ras, rats, pas, pats = cols
    b: int | None = None  # position of the best so far in ``candidates``
    for i, (na, nd, ra, rat, pa, pat) in enumerate(zip(*cols, strict=True)):
        if na == 0 and nd == 0:
            continue
        if b is None:
            if pat > z or (ra > 1.0 and pa > 0.5):
                b = i
        elif ras[b] > 1.0:
            if ra * rat * pa * pat > ras[b] * rats[b] * pas[b] * pats[b]:
                b = i
        elif pa * pat > pas[b] * pats[b]:
            b = i
    return None if b is None else int(candidates[b])


def select_representative(
    st: dict[str, np.ndarray], g: int, moderated: np.ndarray, z: float, n_max: int
) -> list[RepChoice]:
    """Representative statements of group ``g`` (repness.clj ``select-rep-comments``).

    Sufficient statements pass both z tests (agree or disagree side); they are ranked by
    repness * repness_test * p_success * p_test, the best agree statement goes first, at
    most ``n_max`` are kept and agree-type ones are listed before disagree-type ones.
    """
    candidates = np.flatnonzero(~moderated & (st["ns"][g] > 0))
    if candidates.size == 0:
        return []
    pat, rat, pdt, rdt = (st[k][g, candidates] for k in ("pat", "rat", "pdt", "rdt"))
    sufficient = candidates[((pat > z) & (rat > z)) | ((pdt > z) & (rdt > z))]
    best_agree = _best_agree(st, g, candidates, z)
    if sufficient.size == 0:
        if best_agree is not None:
            return [_finalize(st, g, best_agree)]
        best = candidates[int(np.argmax(np.maximum(rat, rdt)))]
        return [_finalize(st, g, int(best))]
    rest = sufficient[sufficient != best_agree] if best_agree is not None else sufficient
    # rank by repness * repness_test * p_success * p_test of the finalised side, ties in
    # statement order; only the kept ones are finalised
    agree = st["rat"][g, rest] > st["rdt"][g, rest]
    score = np.where(
        agree,
        st["ra"][g, rest] * st["rat"][g, rest] * st["pa"][g, rest] * st["pat"][g, rest],
        st["rd"][g, rest] * st["rdt"][g, rest] * st["pd"][g, rest] * st["pdt"][g, rest],
    )
    top = rest[np.argsort(-score, kind="stable")[:n_max]]
    chosen = [_finalize(st, g, int(j)) for j in top.tolist()]
    if best_agree is not None:
        chosen.insert(0, _finalize(st, g, best_agree))
    chosen = chosen[:n_max]
    return [c for c in chosen if c.direction == "agree"] + [
        c for c in chosen if c.direction != "agree"
    ]


def select_consensus(
    overall: VoteCounts, moderated: np.ndarray, z: float, n_max: int
) -> list[tuple[int, str, float]]:
    """Consensus statements over all participants (repness.clj ``consensus-stats``).

    Agree candidates have pa > 0.5 and pat > z, ranked by pa * pat; disagree symmetric.
    Returns ``(statement, direction, score)`` tuples, agree ones first.
    """
    st = group_stats(overall)
    out: list[tuple[int, str, float]] = []
    for direction, p, t in (
        ("agree", st["pa"][0], st["pat"][0]),
        ("disagree", st["pd"][0], st["pdt"][0]),
    ):
        ok = np.flatnonzero((p > 0.5) & (t > z) & ~moderated)
        score = p[ok] * t[ok]
        order = np.argsort(-score, kind="stable")[:n_max]
        out += [(int(ok[i]), direction, float(score[i])) for i in order]
    return out


def group_informed_consensus(groups: VoteCounts) -> np.ndarray:
    """Product over groups of (agree + 1) / (seen + 2) per statement
    (polismath/math/conversation.clj ``group-aware-consensus``); shape (n_statements,)."""
    return np.prod((groups.agree + 1.0) / (groups.seen + 2.0), axis=0)


def divisiveness(groups: VoteCounts, alpha: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How strongly the groups' agree rates differ on each statement.

    The divisiveness of statement j is the between-group variance of the agree share
    a_g = agree_g / seen_g, weighted by seen_g, times 4 so that it lies in [0, 1]
    (1 = half the voters in groups that all agree, half in groups that all disagree or pass).
    Its significance is the chi-square test of homogeneity of agree vs not-agree across the
    groups that voted (statistic seen * variance / (a(1-a)), G - 1 degrees of freedom).

    Returns
    -------
    score : ndarray of float, shape (n_statements,)
    p_value : ndarray of float, shape (n_statements,)
    significant : ndarray of bool, shape (n_statements,)  (p_value < alpha)
    """
    seen = groups.seen.astype(np.float64)
    agree = groups.agree.astype(np.float64)
    total = seen.sum(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(seen > 0, agree / seen, 0.0)
        mean = agree.sum(0) / total
        var = (seen * (share - mean) ** 2).sum(0) / total
        stat = total * var / (mean * (1.0 - mean))
    n_voting = (seen > 0).sum(0)
    dof = np.maximum(n_voting - 1, 1)
    valid = (n_voting >= 2) & np.isfinite(stat)
    p_value = np.where(valid, chi2.sf(np.where(valid, stat, 0.0), dof), 1.0)
    score = np.where(valid, 4.0 * var, 0.0)
    return score, p_value, valid & (p_value < alpha)


def z_to_alpha(z: float) -> float:
    """One-sided significance level of a z threshold (1.2816 -> 0.10)."""
    return float(norm.sf(z))
