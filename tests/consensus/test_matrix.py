"""VoteMatrix: construction, pass versus missing, duplicates, validation, replay and merge."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# ---------------------------------------------------------------- long format at array speed


def _reference_cells(participants, statements, votes, timestamps=None) -> dict:
    """Plain-Python reference: the last vote per cell in processing order, and the id order."""
    order = range(len(votes))
    if timestamps is not None:
        order = sorted(order, key=lambda i: timestamps[i])  # stable: ties keep input order
    cells: dict = {}
    p_order: dict = {}
    s_order: dict = {}
    for i in order:
        p_order.setdefault(participants[i], len(p_order))
        s_order.setdefault(statements[i], len(s_order))
        cells[(participants[i], statements[i])] = votes[i]
    return {"cells": cells, "participants": list(p_order), "statements": list(s_order)}


def _cells(m: VoteMatrix) -> dict:
    r, c, v = m.to_long()
    p, s = m.participant_ids.tolist(), m.statement_ids.tolist()
    cells = zip(r.tolist(), c.tolist(), v.tolist(), strict=True)
    return {(p[i], s[j]): int(x) for i, j, x in cells}


long_votes = st.integers(0, 60).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(-3, 12), min_size=n, max_size=n),
        st.lists(st.integers(0, 6), min_size=n, max_size=n),
        st.lists(st.sampled_from([-1, 0, 1]), min_size=n, max_size=n),
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
    )
)


@settings(max_examples=80, deadline=None)
@given(long_votes, st.sampled_from(["list", "array", "str", "big"]), st.booleans())
def test_from_long_equals_a_plain_python_reference(data, form, with_time) -> None:
    p, s, v, t = data
    if form == "str":
        p, s = [f"u{x}" for x in p], [f"s{x}" for x in s]
    elif form == "big":  # a sparse id range: the sort-based factorization
        p = [x * 10**12 for x in p]
    ref = _reference_cells(p, s, v, t if with_time else None)
    args = (np.asarray(p), np.asarray(s), np.asarray(v)) if form == "array" else (p, s, v)
    m = VoteMatrix.from_long(*args, timestamps=t if with_time else None)
    assert _cells(m) == ref["cells"]
    assert m.participant_ids.tolist() == ref["participants"]
    assert m.statement_ids.tolist() == ref["statements"]
    bounds = zip(m.indptr[:-1], m.indptr[1:], strict=True)
    assert all(np.all(np.diff(m.indices[a:b]) > 0) for a, b in bounds)


def test_from_long_accepts_pandas_series_and_from_frame_reads_named_columns() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "who": pd.Series(["a", "b", "a", "c"], dtype="string"),
            "what": pd.Series([10, 10, 10, 11], dtype="Int64"),
            "v": [1, -1, -1, 0],
            "at": pd.to_datetime(["2024-01-02", "2024-01-01", "2024-01-01", "2024-01-03"]),
        }
    )
    m = VoteMatrix.from_frame(frame, participant="who", statement="what", vote="v", timestamp="at")
    # by time: b (01-01), a (01-01, -1), a (01-02, +1 stands), c
    assert m.participant_ids.tolist() == ["b", "a", "c"]
    assert _cells(m) == {("b", 10): -1, ("a", 10): 1, ("c", 11): 0}
    assert m.timestamps is not None and m.timestamps.max() - m.timestamps.min() == 2 * 86_400_000
    same = VoteMatrix.from_long(frame["who"], frame["what"], frame["v"])
    assert _cells(same) == {("a", 10): -1, ("b", 10): -1, ("c", 11): 0}
    with pytest.raises(InvalidVotesError, match="column vote: no vote column 'vote'"):
        VoteMatrix.from_frame(frame, participant="who", statement="what")


def test_missing_ids_in_a_series_name_the_index() -> None:
    pd = pytest.importorskip("pandas")
    with pytest.raises(InvalidVotesError, match="index 2"):
        VoteMatrix.from_long(pd.Series([1, 2, None, 4]), [1, 1, 1, 1], [1, 1, 1, 1])
    with pytest.raises(InvalidVotesError, match="index 1"):
        VoteMatrix.from_long(np.array(["a", " ", "c"]), [1, 1, 1], [1, 1, 1])
    with pytest.raises(InvalidVotesError, match="index 2"):
        VoteMatrix.from_long([1, 2, 3], [1, 1, 1], np.array([1, 0, 5]))


def test_a_million_integer_votes_build_without_python_loops() -> None:
    rng = np.random.default_rng(0)
    n = 1_000_000
    p, s = rng.integers(0, 20_000, n), rng.integers(0, 500, n)
    v = rng.integers(-1, 2, n)
    m = VoteMatrix.from_long(p, s, v)
    # the reference on a slice: the last vote of each cell stands
    first_ids = m.participant_ids[:3].tolist()
    mask = np.isin(p, first_ids)
    ref = _reference_cells(p[mask].tolist(), s[mask].tolist(), v[mask].tolist())
    assert {k: x for k, x in _cells(m).items() if k[0] in first_ids} == ref["cells"]
    assert m.n_votes == len(set(zip(p.tolist(), s.tolist(), strict=True)))
