"""Incremental update bookkeeping: what an update derives from the batch equals a recount."""

from __future__ import annotations

import numpy as np
import pytest

import detente.consensus._model as model_mod
from detente.consensus import Consensus, VoteMatrix
from detente.consensus._repness import count_votes

from .conftest import planted


def _batch(rng: np.random.Generator, m: VoteMatrix, n_votes: int, tag: int) -> VoteMatrix:
    """Votes from existing and new participants, on existing and new statements,
    overwriting some earlier votes."""
    pids = m.participant_ids.tolist() + [f"new{tag}-{i}" for i in range(5)]
    sids = [*m.statement_ids.tolist(), f"stmt{tag}"]
    return VoteMatrix.from_long(
        [pids[i] for i in rng.integers(0, len(pids), n_votes)],
        [sids[j] for j in rng.integers(0, len(sids), n_votes)],
        rng.choice([-1, 0, 1], n_votes).tolist(),
    )


def test_updates_keep_column_totals_and_group_counts_equal_to_a_recount(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []
    real = model_mod.count_votes_delta
    monkeypatch.setattr(model_mod, "count_votes_delta", lambda *a: calls.append(1) or real(*a))
    m, _ = planted((40, 30), 25, seed=11)
    est = Consensus(random_state=0)
    est.fit(m)
    rng = np.random.default_rng(2)
    for tag, size in enumerate((30, 300, 3)):
        result = est.update(_batch(rng, est.matrix_, size, tag)).result_
        merged = est.matrix_
        counts, sums = merged.column_totals()
        fresh = VoteMatrix(
            merged.indptr,
            merged.indices,
            merged.values,
            merged.participant_ids,
            merged.statement_ids,
        )
        assert np.array_equal(counts, np.bincount(fresh.indices, minlength=merged.shape[1]))
        assert np.array_equal(
            sums, np.bincount(fresh.indices, weights=fresh.values, minlength=merged.shape[1])
        )
        k = result.k
        every = count_votes(fresh, np.where(result.labels < 0, k, result.labels), k + 1)
        assert np.array_equal(result.by_group.agree, every.agree[:k])
        assert np.array_equal(result.by_group.disagree, every.disagree[:k])
        assert np.array_equal(result.by_group.passes, every.passes[:k])
        assert np.array_equal(result.overall.seen[0], counts)
    assert calls  # the counts above came from the incremental path


def test_large_batch_merge_derives_column_totals_from_the_batch() -> None:
    rng = np.random.default_rng(3)
    n, m_cols, nb = 400, 30, 250_000  # above the cell-by-cell merge limit
    base = VoteMatrix.from_codes(
        rng.integers(0, n, 5000),
        rng.integers(0, m_cols, 5000),
        rng.choice(np.array([-1, 0, 1], dtype=np.int8), 5000),
        shape=(n, m_cols),
    )
    base.column_totals()
    batch = VoteMatrix.from_codes(
        rng.integers(0, n + 50, nb),
        rng.integers(0, m_cols, nb),
        rng.choice(np.array([-1, 0, 1], dtype=np.int8), nb),
        shape=(n + 50, m_cols),
    )
    merged = base.merge(batch)
    counts, sums = merged.column_totals()
    assert np.array_equal(counts, np.bincount(merged.indices, minlength=m_cols))
    assert np.array_equal(
        sums, np.bincount(merged.indices, weights=merged.values, minlength=m_cols)
    )


def test_a_warm_update_keeps_the_leading_axis_of_a_full_fit() -> None:
    m, _ = planted((60, 60), 30, seed=7)
    est = Consensus(random_state=0)
    est.fit(m)
    rng = np.random.default_rng(5)
    est.update(_batch(rng, est.matrix_, 200, 0))
    warm = est.state_.components[0]
    cold = Consensus(random_state=0, pca_solver="exact")  # the converged axes
    cold.fit(est.matrix_)
    exact = cold.state_.components[0]
    cos = abs(float(np.dot(warm, exact))) / np.linalg.norm(warm) / np.linalg.norm(exact)
    assert cos > 0.99
