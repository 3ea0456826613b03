"""Precision and recall of the attribution checker on a labelled corpus of sentences.

Run ``python -m tests.forum.attribution_eval tests/forum/data/attribution/dev.csv`` to print
the figures (overall and per language) and the sentences it gets wrong. The sentences refer to
the participants of the demo forum (docs/validation.md); the helpers are
:mod:`detente.forum._corpus`, shared with ``scripts/attribution_model.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from detente.forum._corpus import Row, Score, demo_checker, read_corpus, report, score

__all__ = ["DATA", "Row", "Score", "demo_checker", "read_corpus", "score"]

DATA = Path(__file__).resolve().parent / "data" / "attribution"


def main(paths: Sequence[str]) -> None:
    checker = demo_checker()
    for path in paths:
        print(report(checker, Path(path)))


if __name__ == "__main__":
    main(sys.argv[1:] or [str(DATA / "dev.csv")])
