"""Counting, Polis comment statistics, representative/consensus selection, divisiveness."""

from __future__ import annotations

import numpy as np
import pytest

from detente.consensus import VoteMatrix
from detente.consensus._repness import (
    _prop_test,
    _two_prop_test,
    count_votes,
    divisiveness,
    group_informed_consensus,
    group_stats,
    select_consensus,
    select_representative,
)

from .conftest import planted


def test_counts_match_a_dense_reference() -> None:
    m, camp = planted((12, 9, 5), 15, seed=2, density=0.5)
    labels = camp.copy()
    labels[::7] = -1  # some participants unclustered
    counts = count_votes(m, labels, 3)
    dense = m.to_dense()
    for g in range(3):
        rows = dense[labels == g]
        assert counts.agree[g].tolist() == (rows == 1).sum(axis=0).tolist()
        assert counts.disagree[g].tolist() == (rows == -1).sum(axis=0).tolist()
        assert counts.passes[g].tolist() == (rows == 0).sum(axis=0).tolist()
    assert counts.seen.sum() == m.n_votes - np.count_nonzero(~np.isnan(dense[labels < 0]))


def test_proportion_tests_follow_polis_formulas() -> None:
    # stats.clj prop-test with pseudo-counts: 2 sqrt(n+1) ((s+1)/(n+1) - 1/2)
    assert _prop_test(np.array(7.0), np.array(9.0)) == pytest.approx(
        2 * np.sqrt(10) * (8 / 10 - 0.5)
    )
    s1, s2, n1, n2 = 8.0, 3.0, 10.0, 12.0
    p1, p2, p = 9 / 11, 4 / 13, 13 / 24
    expected = (p1 - p2) / np.sqrt(p * (1 - p) * (1 / 11 + 1 / 13))
    assert _two_prop_test(np.array(s1), np.array(s2), np.array(n1), np.array(n2)) == pytest.approx(
        expected
    )
    assert _two_prop_test(np.array(5.0), np.array(5.0), np.array(5.0), np.array(5.0)) == 0.0


def _two_group_votes() -> VoteMatrix:
    # group 0 (a..e) agrees with s1 and disagrees with s2; group 1 (f..j) the opposite;
    # everybody agrees with s3.
    rows, cols, votes = [], [], []
    for i, p in enumerate("abcdefghij"):
        g = 0 if i < 5 else 1
        for s, v in (("s1", 1 if g == 0 else -1), ("s2", -1 if g == 0 else 1), ("s3", 1)):
            rows.append(p)
            cols.append(s)
            votes.append(v)
    return VoteMatrix.from_long(rows, cols, votes)


def test_representative_statements_separate_the_groups() -> None:
    m = _two_group_votes()
    labels = np.array([0] * 5 + [1] * 5)
    st = group_stats(count_votes(m, labels, 2))
    none = np.zeros(3, dtype=bool)
    rep0 = select_representative(st, 0, none, 1.2816, 5)
    rep1 = select_representative(st, 1, none, 1.2816, 5)
    assert [(r.statement, r.direction) for r in rep0] == [(0, "agree"), (1, "disagree")]
    assert [(r.statement, r.direction) for r in rep1] == [(1, "agree"), (0, "disagree")]
    assert all(r.repness_test > 1.2816 for r in rep0 + rep1)
    moderated = np.array([True, False, False])
    assert 0 not in [r.statement for r in select_representative(st, 0, moderated, 1.2816, 5)]


def test_consensus_finds_the_shared_statement_and_respects_moderation() -> None:
    m = _two_group_votes()
    overall = count_votes(m, np.zeros(m.shape[0], dtype=np.int64), 1)
    found = select_consensus(overall, np.zeros(3, dtype=bool), 1.2816, 5)
    assert [(j, d) for j, d, _ in found] == [(2, "agree")]
    assert select_consensus(overall, np.array([False, False, True]), 1.2816, 5) == []


def test_group_informed_consensus_is_the_product_of_smoothed_agree_rates() -> None:
    m = _two_group_votes()
    counts = count_votes(m, np.array([0] * 5 + [1] * 5), 2)
    gic = group_informed_consensus(counts)
    assert gic[2] == pytest.approx((6 / 7) ** 2)
    assert gic[0] == pytest.approx((6 / 7) * (1 / 7))


def test_divisiveness_is_high_for_split_statements_and_zero_for_shared_ones() -> None:
    m = _two_group_votes()
    counts = count_votes(m, np.array([0] * 5 + [1] * 5), 2)
    score, p_value, significant = divisiveness(counts, 0.1)
    assert score[0] == pytest.approx(1.0) and score[1] == pytest.approx(1.0)
    assert score[2] == 0.0 and not significant[2]
    assert significant[0] and p_value[0] < 0.01
    assert np.all((score >= 0) & (score <= 1))
