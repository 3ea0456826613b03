"""Hypothesis properties: order and labels of ids do not matter; determinism; bounded shares.

Polis seeds k-means with the first distinct points in participant order, so on ambiguous
data the order can matter (as on Polis). The order-invariance property is therefore stated
for conversations with two clear camps at k = 2, where the grouping is a property of the
data. The silhouette choice of k itself can differ with the order: Polis seeds each k's
k-means with the first distinct points, and for k = 3 different seeds reach different local
optima whose silhouette may beat k = 2's (a property of Polis's seeding, kept for fidelity).
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.consensus import Consensus, VoteMatrix

from .conftest import planted

conversations = st.builds(
    lambda sizes, n_statements, seed: (sizes, n_statements, seed),
    st.lists(st.integers(10, 30), min_size=2, max_size=3).map(tuple),
    st.integers(12, 24),
    st.integers(0, 10_000),
)
two_camp_conversations = st.builds(
    lambda sizes, n_statements, seed: (sizes, n_statements, seed),
    st.lists(st.integers(8, 40), min_size=2, max_size=2).map(tuple),
    st.integers(12, 24),
    st.integers(0, 10_000),
)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _partition(ids: list, labels: np.ndarray) -> set[frozenset]:
    return {
        frozenset(i for i, g in zip(ids, labels.tolist(), strict=True) if g == k)
        for k in set(labels.tolist())
        if k >= 0
    }


@SETTINGS
@given(two_camp_conversations, st.randoms(use_true_random=False))
def test_reordering_and_relabelling_ids_keeps_the_grouping(conv, rnd) -> None:
    sizes, n_statements, seed = conv
    m, camp = planted(sizes, n_statements, seed=seed, fidelity=0.95, density=0.9)
    # exact axes: Polis's 100-round power iteration leaves the second axis slightly
    # unconverged, and Polis's first-distinct-point seeding can then settle on a split along
    # it; that sensitivity (Polis's own) is not what this property is about
    base = Consensus(random_state=0, force_k=2, pca_solver="exact").fit(m).result_
    r, c, v = m.to_long()
    order = list(range(r.size))
    rnd.shuffle(order)
    rename_p = {p: f"who-{p}-{rnd.random():.6f}" for p in m.participant_ids.tolist()}
    rename_s = {s: ("stmt", s) for s in m.statement_ids.tolist()}
    shuffled = VoteMatrix.from_long(
        [rename_p[m.participant_ids[r[i]]] for i in order],
        [rename_s[m.statement_ids[c[i]]] for i in order],
        [int(v[i]) for i in order],
    )
    other = Consensus(random_state=0, force_k=2, pca_solver="exact").fit(shuffled).result_
    back = {new: old for old, new in rename_p.items()}
    ids_other = [back[p] for p in other.participant_ids.tolist()]
    truth = _partition(m.participant_ids.tolist(), camp)
    assert _partition(m.participant_ids.tolist(), base.labels) == truth
    assert _partition(ids_other, other.labels) == truth


@SETTINGS
@given(conversations, st.integers(0, 2**31 - 1))
def test_fixed_random_state_is_deterministic_and_shares_are_bounded(conv, state) -> None:
    sizes, n_statements, seed = conv
    m, _ = planted(sizes, n_statements, seed=seed, fidelity=0.7, density=0.5)
    a = Consensus(random_state=state).fit(m).result_
    b = Consensus(random_state=state).fit(m).result_
    assert np.array_equal(a.labels, b.labels) and np.array_equal(a.projection, b.projection)
    data = a.to_json()
    for g in data["groups"]:
        for rep in g["representative"]:
            shares = (rep["agree_share"], rep["disagree_share"], rep["pass_share"])
            assert all(0 <= s <= 1 for s in shares) and abs(sum(shares) - 1) < 1e-9
    for d in data["divisive"]:
        assert 0 <= d["divisiveness"] <= 1
        assert all(0 <= s <= 1 for s in d["group_agree_shares"].values())
    total = sum(s["agree"] + s["disagree"] + s["pass"] for s in data["statement_stats"])
    assert total == m.n_votes
    in_groups = sum(
        s["by_group"][g]["agree"] + s["by_group"][g]["disagree"] + s["by_group"][g]["pass"]
        for s in data["statement_stats"]
        for g in s["by_group"]
    )
    clustered = a.labels >= 0
    assert in_groups == int(m.row_counts()[clustered].sum())


# ---------------------------------------------------------------- estimator invariants

valid_params = st.fixed_dictionaries(
    {},
    optional={
        "min_votes": st.integers(1, 10),
        "min_participants_topup": st.integers(0, 20),
        "k_range": st.tuples(st.integers(1, 3), st.integers(3, 6)),
        "base_k": st.integers(2, 150),
        "group_iters": st.integers(1, 50),
        "significance": st.floats(0.5, 3.0),
        "pca_solver": st.sampled_from(["auto", "exact", "power"]),
        "random_state": st.integers(0, 1000),
    },
)
bad_params = st.one_of(
    st.tuples(st.just("min_votes"), st.integers(-5, 0)),
    st.tuples(st.just("base_k"), st.integers(-5, 1)),
    st.tuples(st.just("k_range"), st.tuples(st.integers(3, 9), st.integers(0, 2))),
    st.tuples(st.just("significance"), st.floats(-3.0, 0.0)),
    st.tuples(st.just("pca_solver"), st.text(min_size=1, max_size=6)),
    st.tuples(st.just("force_k"), st.integers(-3, 0)),
)


@SETTINGS
@given(conversations, valid_params)
def test_a_clone_fits_exactly_like_the_original(conv, params) -> None:
    from sklearn.base import clone

    sizes, n_statements, seed = conv
    m, _ = planted(sizes, n_statements, seed=seed, fidelity=0.8, density=0.6)
    est = Consensus(**{"random_state": 0, **params})  # None would draw a fresh PCA start
    twin = clone(est)
    assert twin.get_params() == est.get_params() == Consensus(**est.get_params()).get_params()
    assert est.fit(m) is est and twin.fit(m) is twin
    assert np.array_equal(est.labels_, twin.labels_) and est.k_ == twin.k_
    assert np.array_equal(est.projection_, twin.projection_)
    assert est.k_ == len(est.result_.groups) and set(est.labels_.tolist()) <= {-1, *range(est.k_)}


@SETTINGS
@given(bad_params)
def test_every_invalid_parameter_raises_a_value_error_naming_it(bad) -> None:
    from detente.errors import InvalidParameterError

    name, value = bad
    if name == "pca_solver" and value in ("auto", "exact", "power", "lanczos"):
        return
    m = VoteMatrix.from_long(["a", "b"], ["x", "x"], [1, -1])
    try:
        Consensus(**{name: value}).fit(m)
    except InvalidParameterError as exc:
        assert isinstance(exc, ValueError) and f"parameter {name} " in str(exc)
    else:
        raise AssertionError(f"{name}={value!r} was accepted")


@SETTINGS
@given(conversations, st.randoms(use_true_random=False))
def test_long_format_row_order_does_not_matter_when_timestamps_decide(conv, rnd) -> None:
    sizes, n_statements, seed = conv
    m, _ = planted(sizes, n_statements, seed=seed, fidelity=0.8, density=0.6)
    r, c, v = m.to_long()
    stamps = np.arange(r.size, dtype=float)
    order = list(range(r.size))
    rnd.shuffle(order)
    pids, sids = m.participant_ids[r], m.statement_ids[c]
    a = VoteMatrix.from_long(pids, sids, v, timestamps=stamps)
    b = VoteMatrix.from_long(pids[order], sids[order], v[order], timestamps=stamps[order])
    assert a.participant_ids.tolist() == b.participant_ids.tolist()
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.values, b.values) and np.array_equal(a.timestamps, b.timestamps)
