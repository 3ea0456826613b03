"""The Consensus estimator end to end: groups, statements, JSON, updates, replay, edge cases."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

import detente.consensus as dc
from detente.consensus import Consensus, ConsensusResult, VoteMatrix
from detente.errors import InputError, InvalidParameterError, InvalidVotesError

from .conftest import planted

JSON_KEYS = {
    "participants",
    "statements",
    "votes",
    "groups",
    "consensus",
    "divisive",
    "unclustered",
    "projection",
    "statement_stats",
    "group_informed_consensus",
    "k",
}


def _partition(labels: np.ndarray) -> set[frozenset[int]]:
    return {frozenset(np.flatnonzero(labels == g).tolist()) for g in set(labels.tolist()) if g >= 0}


def test_public_surface_is_exactly_all() -> None:
    public = {n for n in dir(dc) if not n.startswith("_")}
    assert set(dc.__all__) <= public
    assert public - set(dc.__all__) == set()


def test_init_only_stores_parameters_and_get_params_round_trips() -> None:
    est = Consensus(min_votes=-3)  # invalid, but only checked by fit
    assert est.get_params()["min_votes"] == -3
    assert not hasattr(est, "result_")
    with pytest.raises(InvalidParameterError, match="min_votes"):
        est.fit(VoteMatrix.from_long(["a"], ["x"], [1]))


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"k_range": (3, 2)}, "k_range"),
        ({"pca_solver": "svd"}, "pca_solver"),
        ({"significance": 0}, "significance"),
        ({"random_state": "x"}, "random_state"),
        ({"random_state": -1}, "random_state"),  # numpy's generator would fail on it
    ],
)
def test_invalid_parameters_are_rejected_by_fit(params: dict, name: str) -> None:
    with pytest.raises(InvalidParameterError, match=name) as caught:
        Consensus(**params).fit(VoteMatrix.from_long(["a"], ["x"], [1]))
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, InputError)
    with pytest.raises(ValueError, match="unknown parameter 'nonsense'"):
        Consensus().set_params(nonsense=1)


def test_two_clear_camps_are_found(two_camps) -> None:
    m, camp = two_camps
    result = Consensus(random_state=0).fit(m).result_
    assert result.k == 2
    assert _partition(result.labels) == _partition(camp)
    assert all(len(g.representative) >= 1 for g in result.groups)
    assert len(result.divisive) >= 1
    for d in result.divisive:
        shares = list(d.group_agree_shares.values())
        assert max(shares) - min(shares) > 0.3


def test_to_json_has_the_documented_schema_and_serialises(two_camps) -> None:
    m, _ = two_camps
    data = Consensus(random_state=0).fit(m).result_.to_json()
    assert set(data) >= JSON_KEYS
    json.dumps(data)
    assert data["participants"] == m.shape[0] and data["votes"] == m.n_votes
    group = data["groups"][0]
    assert {"id", "members", "representative"} <= set(group)
    rep = group["representative"][0]
    assert {
        "statement",
        "repness",
        "repness_test",
        "direction",
        "agree_share",
        "disagree_share",
        "pass_share",
        "n_votes",
    } <= set(rep)
    assert rep["agree_share"] + rep["disagree_share"] + rep["pass_share"] == pytest.approx(1)
    p = data["projection"][0]
    assert {"participant", "x", "y", "group"} <= set(p)
    s = data["statement_stats"][0]
    assert {"statement", "agree", "disagree", "pass", "by_group"} <= set(s)
    assert set(s["by_group"]) == {str(g["id"]) for g in data["groups"]}
    assert {"statement", "score"} <= set(data["group_informed_consensus"][0])
    for d in data["divisive"]:
        assert {"statement", "divisiveness", "group_agree_shares"} <= set(d)


def test_counts_add_up_and_shares_are_in_unit_interval(two_camps) -> None:
    m, _ = two_camps
    result = Consensus(random_state=0).fit(m).result_
    data = result.to_json()
    assert sum(s["agree"] + s["disagree"] + s["pass"] for s in data["statement_stats"]) == m.n_votes
    for s in data["statement_stats"]:
        for key in ("agree", "disagree", "pass"):
            assert sum(b[key] for b in s["by_group"].values()) <= s[key]
    clustered = sum(len(g["members"]) for g in data["groups"])
    assert clustered + len(data["unclustered"]) == m.shape[0]
    for g in data["groups"]:
        for r in g["representative"]:
            assert all(0 <= r[k] <= 1 for k in ("agree_share", "disagree_share", "pass_share"))
    for c in data["consensus"]:
        assert 0 <= c["agree_share"] <= 1 and 0 <= c["disagree_share"] <= 1


def test_fixed_random_state_gives_identical_results(two_camps) -> None:
    m, _ = two_camps
    a = Consensus(random_state=7).fit(m).result_
    b = Consensus(random_state=7).fit(m).result_
    assert np.array_equal(a.labels, b.labels)
    assert np.array_equal(a.projection, b.projection)
    assert a.to_json() == b.to_json()


def test_sparse_voters_stay_unclustered_until_enough_votes() -> None:
    m, _ = planted((20, 20), 20, seed=3)
    extra = VoteMatrix.from_long(["late", "late"], ["s0", "s1"], [1, -1])
    result = Consensus(random_state=0).fit(m.merge(extra)).result_
    assert result.unclustered.tolist() == ["late"]
    assert result.to_json()["projection"][-1]["group"] is None


def test_update_equals_a_fit_from_the_same_state_and_moves_in_conv_monotonically() -> None:
    m, _ = planted((30, 25), 20, seed=4)
    est = Consensus(random_state=0)
    est.fit(m)
    state = est.state_
    batch = planted((5, 5), 20, seed=9)[0]
    batch = VoteMatrix.from_long(
        [f"n{p}" for p in batch.participant_ids[batch.row_of_vote()]],
        batch.statement_ids[batch.indices].tolist(),
        batch.values.tolist(),
    )
    updated = est.update(batch).result_
    fresh = Consensus(random_state=0).fit(m.merge(batch), init_state=state).result_
    assert np.array_equal(updated.labels, fresh.labels)
    assert np.allclose(updated.projection, fresh.projection)
    assert np.all(est.state_.in_conv[: m.shape[0]] >= state.in_conv)
    assert updated.participant_ids.size == m.shape[0] + 10


def test_update_accepts_a_long_batch_and_requires_a_fit(two_camps) -> None:
    m, _ = two_camps
    with pytest.raises(InvalidVotesError, match="fit"):
        Consensus().update((["a"], ["s0"], [1]))
    est = Consensus(random_state=0)
    est.fit(m)
    result = est.update((["p0", "zz"], ["s0", "s0"], [-1, 1])).result_
    assert "zz" in result.participant_ids.tolist()


def test_update_is_faster_than_a_full_fit_on_a_large_conversation() -> None:
    m, _ = planted((1500, 1500), 60, seed=5, density=0.3)
    est = Consensus(random_state=0)
    t0 = time.perf_counter()
    est.fit(m)
    full = time.perf_counter() - t0
    batch = VoteMatrix.from_long(["p1", "p2"], ["s1", "s2"], [1, -1])
    t1 = time.perf_counter()
    est.update(batch)
    assert time.perf_counter() - t1 < 1.5 * full + 0.05


def test_history_replay_keeps_early_participants_in_and_records_updates() -> None:
    # two participants vote on the only 2 statements early; they stay in-conv later even
    # though min(7, n_cmts) grows beyond their 2 votes (monotone in-conv).
    rows, cols, votes, ts = [], [], [], []
    for p, v in (("early1", 1), ("early2", -1)):
        for s in ("s0", "s1"):
            rows.append(p), cols.append(s), votes.append(v), ts.append(0.0)
    m_late, _ = planted((20, 20), 12, seed=6)
    r, c, v = m_late.to_long()
    rows += m_late.participant_ids[r].tolist()
    cols += m_late.statement_ids[c].tolist()
    votes += v.tolist()
    ts += (10.0 + np.arange(r.size) / 1000).tolist()
    m = VoteMatrix.from_long(rows, cols, votes, timestamps=ts)
    est = Consensus(random_state=0, min_participants_topup=0)
    result = est.fit_history(m, window=1.0).result_
    assert [h["votes"] for h in est.history_] == [4, m.n_votes]
    assert {"early1", "early2"}.isdisjoint(result.unclustered.tolist())
    one_shot = Consensus(random_state=0, min_participants_topup=0).fit(m).result_
    assert {"early1", "early2"} <= set(one_shot.unclustered.tolist())
    est.fit_history(m, update_every=50)
    assert len(est.history_) == int(np.ceil(m.n_votes / 50))
    assert est.history_[-1]["votes"] == m.n_votes
    with pytest.raises(InvalidParameterError, match="update_every and window"):
        est.fit_history(m)
    with pytest.raises(InvalidVotesError, match="timestamps"):
        est.fit_history(VoteMatrix.from_long(["a"], ["x"], [1]), update_every=1)


@pytest.mark.parametrize(
    ("rows", "cols", "votes", "k"),
    [
        ([], [], [], 0),
        (["a"], ["x"], [1], 1),
        (
            [f"p{i}" for i in range(30) for _ in range(5)],
            [f"s{j}" for _ in range(30) for j in range(5)],
            [1] * 150,
            1,
        ),
        (
            [f"p{i}" for i in range(10) for _ in range(3)],
            [f"s{j}" for _ in range(10) for j in range(3)],
            [0] * 30,
            1,
        ),
    ],
    ids=["empty", "one-vote", "everyone-alike", "all-pass"],
)
def test_degenerate_conversations_give_a_defined_result(rows, cols, votes, k) -> None:
    result = Consensus(random_state=0).fit(VoteMatrix.from_long(rows, cols, votes)).result_
    assert isinstance(result, ConsensusResult)
    assert result.k == k
    assert result.divisive == ()
    json.dumps(result.to_json())
    if len(set(rows)) < 2:
        assert result.consensus == ()


def test_everyone_alike_yields_agree_consensus_and_one_group() -> None:
    rows = [f"p{i}" for i in range(30) for _ in range(5)]
    cols = [f"s{j}" for _ in range(30) for j in range(5)]
    result = Consensus(random_state=0).fit(VoteMatrix.from_long(rows, cols, [1] * 150)).result_
    assert result.k == 1 and len(result.groups[0].members) == 30
    assert {c.direction for c in result.consensus} == {"agree"}


def test_fewer_participants_than_groups_and_a_single_statement() -> None:
    pair = VoteMatrix.from_long(["a", "b"], ["x", "x"], [1, -1])
    two = Consensus(random_state=0).fit(pair).result_
    assert two.k <= 2 and sum(len(g.members) for g in two.groups) == 2
    one_stmt = VoteMatrix.from_long([f"p{i}" for i in range(30)], ["s"] * 30, [1, -1, 0] * 10)
    result = Consensus(random_state=0).fit(one_stmt).result_
    assert 1 <= result.k <= 2
    assert result.consensus == ()


def test_moderated_statements_are_excluded_from_every_list(two_camps) -> None:
    m, _ = two_camps
    all_ids = m.statement_ids.tolist()
    result = Consensus(random_state=0).fit(m, moderated_out=all_ids[:10]).result_
    listed = {r.statement for g in result.groups for r in g.representative}
    listed |= {c.statement for c in result.consensus} | {d.statement for d in result.divisive}
    assert listed.isdisjoint(all_ids[:10])
    gic = [x["statement"] for x in result.to_json()["group_informed_consensus"]]
    assert set(gic).isdisjoint(all_ids[:10])


def test_force_k_sets_the_number_of_groups() -> None:
    m, _ = planted((20, 20, 20), 24, seed=8)
    assert Consensus(random_state=0, force_k=3).fit(m).result_.k == 3
    assert Consensus(random_state=0, force_k=2).fit(m).result_.k == 2


def test_init_state_from_a_larger_matrix_is_rejected(two_camps) -> None:
    m, _ = two_camps
    est = Consensus(random_state=0)
    est.fit(m)
    small = VoteMatrix.from_long(["a", "b"], ["s0", "s0"], [1, -1])
    with pytest.raises(InvalidVotesError, match="init_state"):
        Consensus().fit(small, init_state=est.state_)


# ---------------------------------------------------------------- scikit-learn manners


def test_sklearn_clone_copies_parameters_and_no_fitted_state(two_camps) -> None:
    from sklearn.base import clone

    m, _ = two_camps
    est = Consensus(min_votes=3, k_range=(2, 4), random_state=np.random.default_rng(1)).fit(m)
    copy = clone(est)
    assert copy is not est and copy.get_params(deep=True).keys() == est.get_params().keys()
    assert copy.min_votes == 3 and copy.k_range == (2, 4)
    assert not [name for name in vars(copy) if name.endswith("_")]
    assert repr(copy).startswith("Consensus(min_votes=3, k_range=(2, 4)")


def test_fit_returns_the_estimator_with_fitted_attributes(two_camps) -> None:
    m, _ = two_camps
    est = Consensus(random_state=0)
    assert est.fit(m) is est
    fitted = {name for name in vars(est) if name.endswith("_") and not name.startswith("_")}
    assert {"result_", "labels_", "k_", "projection_", "in_conv_", "silhouettes_"} <= fitted
    assert isinstance(est.result_, ConsensusResult)
    assert est.k_ == est.result_.k == 2 and np.array_equal(est.labels_, est.result_.labels)
    assert est.projection_.shape == (m.shape[0], 2) and est.in_conv_.all()
    assert max(est.silhouettes_, key=lambda k: (est.silhouettes_[k], k)) == 2
    assert est.update((["p0"], ["s0"], [1])) is est and est.partial_fit is not None


def test_init_stores_arguments_unchanged() -> None:
    k_range = (2, 3)
    rng = np.random.default_rng(0)
    est = Consensus(k_range=k_range, random_state=rng)
    assert est.k_range is k_range and est.random_state is rng
    assert set(vars(est)) == set(est.get_params())
