"""No benchmark or test can read Polis's answer (group ids, k, sizes) before or during a fit.

The benchmarks and the Polis golden tests reach Polis's groups only through
``benchmarks/_consensus_polis.py``: its ``Case`` fits a conversation whose group ids were
removed and seals Polis's groups until the fits are done. These tests check the seal, and
check that nothing else in the benchmarks or these tests reads ``group_ids`` or infers a
parameter from Polis's output.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pytest

from detente.consensus import Consensus, PolisConversation

from .conftest import planted

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks"


@pytest.fixture(scope="module")
def helper():
    sys.path.insert(0, str(BENCH))
    try:
        import _consensus_polis
    finally:
        sys.path.remove(str(BENCH))
    return _consensus_polis


@pytest.fixture
def case(helper):
    m, camp = planted((12, 10), 12, seed=4)
    groups = dict(zip(m.participant_ids.tolist(), camp.tolist(), strict=True))
    return helper.Case("planted", PolisConversation(m), groups)


def test_the_reference_cannot_be_read_before_any_fit(case, helper) -> None:
    with pytest.raises(helper.ReferenceLeak, match="before any fit"):
        _ = case.reference.k


def test_the_reference_cannot_be_read_during_a_fit(case, helper) -> None:
    def leaky_fit(conv):
        k = case.reference.k  # e.g. to force Polis's k
        return Consensus(force_k=k).fit(conv.matrix)

    with pytest.raises(helper.ReferenceLeak, match="during a fit"):
        case.fit(leaky_fit)


def test_no_fit_after_the_reference_was_read(case, helper) -> None:
    est = case.fit(lambda conv: Consensus(random_state=0).fit(conv.matrix))
    ids = case.conversation.matrix.participant_ids
    assert case.reference.score(ids, est.labels_) == pytest.approx(1.0)
    with pytest.raises(helper.ReferenceLeak, match="after Polis's groups were read"):
        case.fit(lambda conv: Consensus(force_k=case.reference.k).fit(conv.matrix))


def test_the_fitted_conversation_carries_no_group_ids(polis_data, helper) -> None:
    cases = helper.load_cases(polis_data)
    assert cases and all(c.conversation.group_ids == {} for c in cases)
    names = [c.name for c in cases]
    assert len(names) == len(set(names))
    assert not any("5sw7wa5dep" in n for n in names)  # the nested copy of taxes counts once


def _sources() -> list[Path]:
    """Benchmarks and consensus tests, except the helper itself, the reader's own tests
    and this file (which reads group ids to test the reader and the guard)."""
    skip = {"_consensus_polis.py", "test_io.py", "test_reference_guard.py"}
    files = sorted(BENCH.glob("*.py")) + sorted((ROOT / "tests" / "consensus").glob("test_*.py"))
    return [p for p in files if p.name not in skip]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_benchmarks_and_tests_reach_polis_groups_only_through_the_sealed_case(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offending = sorted(
        {
            f"line {node.lineno}: {name}"
            for node in ast.walk(tree)
            for name in [
                node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
            ]
            if isinstance(node, (ast.Attribute, ast.Name))
            and name in {"group_ids", "infer_min_votes", "polis_labels", "_groups"}
        }
    )
    assert offending == []


def test_a_reference_score_compares_only_participants_both_cluster(case, helper) -> None:
    case.fit(lambda conv: None)
    ids = case.conversation.matrix.participant_ids
    labels = np.where(np.arange(ids.size) % 2 == 0, -1, 0)
    assert np.isnan(case.reference.score(ids[:1], labels[:1]))
