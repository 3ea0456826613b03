"""VoteMatrix: construction, pass versus missing, duplicates, validation, replay and merge."""

from __future__ import annotations

import math

import numpy as np
import pytest

from detente.consensus import VoteMatrix
from detente.errors import InvalidVotesError


def test_pass_is_a_seen_zero_distinct_from_missing() -> None:
    m = VoteMatrix.from_long(["a", "a", "b"], ["x", "y", "x"], [1, 0, -1])
    dense = m.to_dense()
    assert m.shape == (2, 2)
    assert m.n_votes == 3 and m.n_passes == 1
    assert dense[0, 1] == 0 and math.isnan(dense[1, 1])
    assert m.to_scipy().nnz == 3  # the pass is an explicit zero
    assert m.seen_mask().toarray().tolist() == [[True, True], [True, False]]


def test_ids_of_any_hashable_type_keep_first_appearance_order() -> None:
    m = VoteMatrix.from_long([("u", 2), ("u", 1), ("u", 2)], [7, "b", 7], [1, 1, -1])
    assert m.participant_ids.tolist() == [("u", 2), ("u", 1)]
    assert m.statement_ids.tolist() == [7, "b"]


def test_last_vote_stands_in_input_order() -> None:
    m = VoteMatrix.from_long(["a", "a", "a"], ["x", "x", "x"], [1, -1, 0])
    assert m.n_votes == 1 and m.values.tolist() == [0]


def test_last_vote_stands_in_timestamp_order() -> None:
    m = VoteMatrix.from_long(["a", "a", "b"], ["x", "x", "x"], [1, -1, 1], timestamps=[30, 10, 20])
    assert m.to_dense()[0, 0] == 1  # the vote at t=30 wins although it came first
    assert m.participant_ids.tolist() == ["a", "b"]
    assert sorted(m.timestamps.tolist()) == [20.0, 30.0]


@pytest.mark.parametrize(
    ("participants", "statements", "votes", "needle"),
    [
        (["a", "b"], ["x", "y"], [1, 2], "index 1"),
        (["a", "b"], ["x", "y"], [1, float("nan")], "index 1"),
        (["a", "b"], ["x", "y"], [1, "yes"], "index 1"),
        (["a", None], ["x", "y"], [1, 1], "index 1"),
        (["a", "  "], ["x", "y"], [1, 1], "index 1"),
        (["a", "b"], ["x", float("nan")], [1, 1], "index 1"),
        (["a", "b"], ["x"], [1, 1], "lengths"),
    ],
)
def test_bad_input_raises_invalid_votes_naming_the_index(
    participants, statements, votes, needle
) -> None:
    with pytest.raises(InvalidVotesError, match=needle):
        VoteMatrix.from_long(participants, statements, votes)


def test_bad_timestamps_are_rejected() -> None:
    with pytest.raises(InvalidVotesError, match="index 1"):
        VoteMatrix.from_long(["a", "b"], ["x", "x"], [1, 1], timestamps=[1.0, float("inf")])


def test_from_codes_matches_from_long() -> None:
    rows = np.array([0, 1, 0, 2, 0])
    cols = np.array([1, 0, 1, 2, 0])
    votes = np.array([1, -1, 0, 1, -1])
    a = VoteMatrix.from_codes(rows, cols, votes)
    b = VoteMatrix.from_long(rows.tolist(), cols.tolist(), votes.tolist())
    assert np.array_equal(
        np.nan_to_num(a.to_dense(), nan=9),
        np.nan_to_num(
            b.to_dense()[np.argsort(b.participant_ids)][:, np.argsort(b.statement_ids)], nan=9
        ),
    )


def test_from_csr_validates_structure() -> None:
    ok = VoteMatrix.from_csr(
        [0, 2, 3], np.array([0, 2, 1], np.int32), np.array([1, 0, -1], np.int8), n_statements=3
    )
    assert ok.shape == (2, 3) and ok.n_passes == 1
    with pytest.raises(InvalidVotesError, match="increasing"):
        VoteMatrix.from_csr([0, 2], [1, 1], np.array([1, 1], np.int8), n_statements=3)
    with pytest.raises(InvalidVotesError, match="range"):
        VoteMatrix.from_csr([0, 1], [5], np.array([1], np.int8), n_statements=3)
    with pytest.raises(InvalidVotesError):
        VoteMatrix.from_csr([0, 1], [0], np.array([3], np.int8), n_statements=3)


def test_until_keeps_votes_up_to_the_cutoff() -> None:
    m = VoteMatrix.from_long(["a", "b", "a"], ["x", "x", "y"], [1, -1, 0], timestamps=[1, 2, 3])
    early = m.until(2)
    assert early.shape == m.shape and early.n_votes == 2
    with pytest.raises(InvalidVotesError):
        VoteMatrix.from_long(["a"], ["x"], [1]).until(1)


@pytest.mark.parametrize("numeric", [False, True])
def test_merge_appends_new_ids_and_lets_the_batch_win(numeric: bool) -> None:
    ids = (lambda s: ord(s)) if numeric else (lambda s: s)
    old = VoteMatrix.from_long([ids("a"), ids("a"), ids("b")], ["x", "y", "x"], [1, 0, -1])
    batch = VoteMatrix.from_long([ids("b"), ids("c")], ["x", "z"], [0, 1])
    merged = old.merge(batch)
    assert merged.participant_ids.tolist() == [ids("a"), ids("b"), ids("c")]
    assert merged.statement_ids.tolist() == ["x", "y", "z"]
    dense = np.nan_to_num(merged.to_dense(), nan=9)
    assert dense.tolist() == [[1, 0, 9], [0, 9, 9], [9, 9, 1]]


def test_small_and_large_merge_paths_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    import detente.consensus._matrix as mx

    rng = np.random.default_rng(0)
    old = VoteMatrix.from_codes(
        rng.integers(0, 50, 400), rng.integers(0, 30, 400), rng.integers(-1, 2, 400)
    )
    batch = VoteMatrix.from_codes(
        rng.integers(0, 60, 80), rng.integers(0, 35, 80), rng.integers(-1, 2, 80), shape=(60, 35)
    )
    small = old.merge(batch)
    monkeypatch.setattr(mx, "_SMALL_BATCH", 0)
    large = old.merge(batch)
    assert np.array_equal(small.indptr, large.indptr)
    assert np.array_equal(small.indices, large.indices)
    assert np.array_equal(small.values, large.values)
    assert small.participant_ids.tolist() == large.participant_ids.tolist()
