"""The attribution checker's precision and recall on the development corpus (docs/validation.md).

The corpus (tests/forum/data/attribution/dev.csv, guide in README.md there) holds English and
Chinese sentences about the participants of the demo forum, labelled by hand.
"""

from __future__ import annotations

from collections import Counter

import pytest

from detente.forum import AttributionChecker

from .attribution_eval import DATA, demo_checker, read_corpus, score

#: The targets of the issue: recall at least 0.98 at precision at least 0.9.
MIN_RECALL = 0.98
MIN_PRECISION = 0.9


@pytest.fixture(scope="module")
def checker() -> AttributionChecker:
    return demo_checker()


def test_dev_corpus_is_large_enough_in_both_languages() -> None:
    rows = read_corpus(DATA / "dev.csv")
    counts = Counter(row.attributed for row in rows)
    assert counts[True] >= 200 and counts[False] >= 200
    assert {row.language for row in rows} == {"en", "zh"}
    assert len({row.id for row in rows}) == len(rows)


def test_dev_corpus_meets_the_targets(checker: AttributionChecker) -> None:
    scores = score(checker, read_corpus(DATA / "dev.csv"))
    overall = scores["all"]
    assert overall.recall >= MIN_RECALL, overall.line("all")
    assert overall.precision >= MIN_PRECISION, overall.line("all")
    for language in ("en", "zh"):
        assert scores[language].recall >= MIN_RECALL, scores[language].line(language)


# The held-out corpus (test.csv, written by another engineer, guide in test-guide.md) was run
# once against the rules as frozen in the commit "forum: one attribution checker ... (rules
# frozen)": precision 275/299 = 0.9197, recall 275/283 = 0.9717 (docs/validation.md). The
# floors below keep that result;
# the rules must not be tuned on this file.
FROZEN_TEST_PRECISION = 0.919
FROZEN_TEST_RECALL = 0.971


def test_held_out_corpus_keeps_the_frozen_figures(checker: AttributionChecker) -> None:
    rows = read_corpus(DATA / "test.csv")
    assert sum(r.attributed for r in rows) >= 200 and sum(not r.attributed for r in rows) >= 200
    overall = score(checker, rows)["all"]
    assert overall.precision >= FROZEN_TEST_PRECISION, overall.line("all")
    assert overall.recall >= FROZEN_TEST_RECALL, overall.line("all")
