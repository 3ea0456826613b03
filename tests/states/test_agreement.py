"""The agreement index: conventions against hand computations and a plain-Python reference."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from detente.errors import InputError
from detente.states import CODES, VoteData, agreement_matrix, agreement_over_time, pair_agreement

Y, A, N, X, M = (CODES[k] for k in ("yes", "abstain", "no", "absent", "non_member"))


def reference_agreement(a: list[int], b: list[int], convention: str) -> tuple[float, int]:
    """Plain Python, one roll call at a time, written from the definitions in docs/states.md."""
    score, joint = 0.0, 0
    for x, y in zip(a, b, strict=True):
        if x not in (Y, A, N) or y not in (Y, A, N):
            continue
        if convention == "exclude-abstain" and (x == A or y == A):
            continue
        if convention == "abstain-as-no":
            x, y = (N if x == A else x), (N if y == A else y)
        joint += 1
        if x == y:
            score += 1.0
        elif A in (x, y):
            score += 0.5
    return (score / joint if joint else float("nan")), joint


def test_half_agreement_by_hand() -> None:
    # roll calls: yes/yes (1), yes/abstain (0.5), no/yes (0), abstain/abstain (1),
    # absent/yes (skipped), no/not a member (skipped)  ->  2.5 / 4
    a = np.array([Y, Y, N, A, X, N])
    b = np.array([Y, A, Y, A, Y, M])
    assert pair_agreement(a, b) == (0.625, 4)


def test_abstain_as_no_by_hand() -> None:
    # yes/yes 1, yes/no 0, no/no 1, no/no 1 -> 3 / 4
    a = np.array([Y, Y, N, A, X, N])
    b = np.array([Y, A, Y, A, Y, M])
    assert pair_agreement(a, b, "abstain-as-no") == (0.5, 4)
    a2 = np.array([Y, Y, A, N])
    b2 = np.array([Y, A, N, N])
    assert pair_agreement(a2, b2, "abstain-as-no") == (0.75, 4)


def test_excluding_abstentions_by_hand() -> None:
    a = np.array([Y, Y, N, A, X, N])
    b = np.array([Y, A, Y, A, Y, M])
    assert pair_agreement(a, b, "exclude-abstain") == (0.5, 2)


@pytest.mark.parametrize("convention", ["half", "abstain-as-no", "exclude-abstain"])
def test_matrix_matches_the_plain_python_reference(convention: str) -> None:
    rng = random.Random(7)
    codes = [[rng.choice([0, Y, Y, Y, A, N, X, M]) for _ in range(40)] for _ in range(9)]
    agreement, joint = agreement_matrix(np.array(codes), convention)
    for i, j in itertools.product(range(9), repeat=2):
        value, n = reference_agreement(codes[i], codes[j], convention)
        assert joint[i, j] == n
        if np.isnan(value):
            assert np.isnan(agreement[i, j])
        else:
            assert agreement[i, j] == pytest.approx(value)


def test_unknown_convention_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown agreement convention"):
        agreement_matrix(np.array([[Y]]), "quarter")


def _data() -> VoteData:
    statements = [{"key": f"r{j}", "session": s} for j, s in enumerate([1, 1, 2, 2, 50, 50])]
    codes = np.array([
        [Y, N, Y, Y, 0, 0],   # SUN
        [0, 0, 0, 0, Y, A],   # RUS
        [Y, Y, Y, N, Y, N],   # USA
    ], dtype=np.int8)
    return VoteData(["SUN", "RUS", "USA"], statements, codes)


def test_agreement_over_time_follows_succession() -> None:
    series = agreement_over_time(_data(), "RUS", "USA")
    assert [{k: v for k, v in row.items() if k != "joint"} for row in series] == [
        {"session": 1, "year": 1946, "agreement": 0.5, "roll_calls": 2, "thin": True},
        {"session": 2, "year": 1947, "agreement": 0.5, "roll_calls": 2, "thin": True},
        {"session": 50, "year": 1995, "agreement": 0.75, "roll_calls": 2, "thin": True},
    ]
    # a thin session lists the joint votes it rests on
    assert [j["key"] for j in series[0]["joint"]] == ["r0", "r1"]
    without = agreement_over_time(_data(), "RUS", "USA", succession=False)
    assert [row["session"] for row in without] == [50]


def test_a_session_of_five_joint_votes_or_more_is_not_thin() -> None:
    statements = [{"key": f"r{j}", "session": 1 if j < 5 else 2} for j in range(9)]
    codes = np.array([[Y] * 9, [Y, N, A, Y, Y, Y, Y, Y, 0]], dtype=np.int8)
    series = agreement_over_time(VoteData(["USA", "GBR"], statements, codes), "USA", "GBR")
    assert [(row["session"], row["roll_calls"], row["thin"]) for row in series] == [
        (1, 5, False), (2, 3, True)]
    assert "joint" not in series[0] and len(series[1]["joint"]) == 3
    # abstentions leave the joint votes under exclude-abstain
    excluded = agreement_over_time(VoteData(["USA", "GBR"], statements, codes), "USA", "GBR",
                                   "exclude-abstain")
    assert (excluded[0]["roll_calls"], excluded[0]["thin"]) == (4, True)
    assert len(excluded[0]["joint"]) == 4
