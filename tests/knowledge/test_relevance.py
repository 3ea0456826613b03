"""The search relevance harness: nDCG@10 and recall@20 on hand-computed cases."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from detente.errors import ImportFormatError
from detente.knowledge._relevance import ndcg_at, read_relevance, read_split, recall_at

A, B, C, D = ("f", "a"), ("f", "b"), ("f", "c"), ("f", "d")


def test_ndcg_of_the_ideal_ranking_is_one_and_of_nothing_zero() -> None:
    grades = {A: 2, B: 1, C: 0}
    assert ndcg_at([A, B, C], grades) == pytest.approx(1.0)
    assert ndcg_at([], grades) == 0.0
    assert ndcg_at([C, D], grades) == 0.0


def test_ndcg_discounts_by_rank_with_linear_gains() -> None:
    grades = {A: 2, B: 1}
    got = 1 / math.log2(2) + 2 / math.log2(3)
    best = 2 / math.log2(2) + 1 / math.log2(3)
    assert ndcg_at([B, A], grades) == pytest.approx(got / best)
    assert ndcg_at([D, A], grades) == pytest.approx((2 / math.log2(3)) / best)


def test_ndcg_with_the_guides_exponential_gains() -> None:
    # The guide's gains 2^grade - 1 (0, 1, 3) weigh a grade-2 provision three times a grade 1.
    grades = {A: 2, B: 1}
    got = 1 / math.log2(2) + 3 / math.log2(3)
    best = 3 / math.log2(2) + 1 / math.log2(3)
    assert ndcg_at([B, A], grades, exponential=True) == pytest.approx(got / best)
    assert ndcg_at([B, A], grades, exponential=True) < ndcg_at([B, A], grades)
    assert ndcg_at([A, B], grades, exponential=True) == pytest.approx(1.0)


def test_ndcg_cuts_at_k() -> None:
    grades = {A: 1}
    assert ndcg_at([B] * 10 + [A], grades, k=10) == 0.0


def test_recall_counts_relevant_provisions_in_the_first_k() -> None:
    grades = {A: 2, B: 1, C: 0}
    assert recall_at([A, C], grades) == pytest.approx(0.5)
    assert recall_at([C] * 20 + [A, B], grades, k=20) == 0.0
    assert recall_at([B, A], grades) == 1.0


def test_read_relevance(tmp_path: Path) -> None:
    (tmp_path / "queries.csv").write_text("id,lang,query,need_id,need,notes\nq1,en,x y,n,,\n")
    (tmp_path / "judgments.csv").write_text("query_id,file,path,grade\nq1,f,a,2\nq1,f,b,0\n")
    queries, judgments = read_relevance(tmp_path)
    assert [q.text for q in queries] == ["x y"]
    assert judgments == {"q1": {A: 2, B: 0}}


def test_read_relevance_of_one_half_keeps_only_that_half(tmp_path: Path) -> None:
    (tmp_path / "queries.csv").write_text(
        "id,lang,query,need_id,need,notes\nq1,en,x,n1,,\nq2,zh,y,n1,,\nq3,en,z,n2,,\n"
    )
    (tmp_path / "judgments.csv").write_text(
        "query_id,file,path,grade\nq1,f,a,2\nq2,f,a,2\nq3,f,b,1\n"
    )
    (tmp_path / "split.csv").write_text("need_id,half,query_ids\nn1,dev,q1 q2\nn2,test,q3\n")
    assert read_split(tmp_path) == {"q1": "dev", "q2": "dev", "q3": "test"}
    queries, judgments = read_relevance(tmp_path, "dev")
    assert [q.id for q in queries] == ["q1", "q2"]
    assert judgments == {"q1": {A: 2}, "q2": {A: 2}}
    queries, judgments = read_relevance(tmp_path, "test")
    assert [q.id for q in queries] == ["q3"] and judgments == {"q3": {B: 1}}
    assert len(read_relevance(tmp_path)[0]) == 3


def test_split_naming_an_unknown_half_is_refused(tmp_path: Path) -> None:
    (tmp_path / "split.csv").write_text("need_id,half,query_ids\nn1,train,q1\n")
    with pytest.raises(ImportFormatError, match=r"split\.csv:2"):
        read_split(tmp_path)


def test_the_shared_split_puts_every_query_in_one_half() -> None:
    folder = Path(__file__).parent / "data" / "relevance"
    halves = read_split(folder)
    assert set(halves.values()) == {"dev", "test"}
    dev, _ = read_relevance(folder, "dev")
    test, _ = read_relevance(folder, "test")
    everything, _ = read_relevance(folder)
    assert {q.id for q in dev} | {q.id for q in test} == {q.id for q in everything}
    assert not {q.id for q in dev} & {q.id for q in test}
