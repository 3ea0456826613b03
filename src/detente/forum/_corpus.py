"""Precision and recall of the attribution checker on labelled corpora of sentences.

The corpora (``tests/forum/data/attribution/*.csv``, one author each) are read by the tests, by
``python -m tests.forum.attribution_eval`` and by ``scripts/attribution_model.py`` (which builds
the checker's model and its leave-one-set-out estimate); the helpers live here so that the
script does not import the tests. :func:`demo_checker` is the checker of the demo forum whose
participants the corpora are about (docs/validation.md).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from detente.forum._attribution import AttributionChecker, event_checker
from detente.forum._demo import DEMO_EVENT_SLUG, load_demo_forum
from detente.forum._queries import get_event
from detente.store import create_db_engine, session_scope, upgrade

__all__ = ["ATTRIBUTED", "Row", "Score", "demo_checker", "read_corpus", "report", "score"]

ATTRIBUTED = {"attributed", "1", "yes", "true", "attribution"}


@dataclass(frozen=True)
class Row:
    id: str
    language: str
    attributed: bool
    text: str


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[tuple[str, Row]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def line(self, name: str) -> str:
        return (f"{name:<8} n={self.tp + self.fp + self.fn + self.tn:<4} attributed="
                f"{self.tp + self.fn:<4} precision={self.precision:.3f} recall={self.recall:.3f} "
                f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})")


def read_corpus(path: Path) -> list[Row]:
    """Rows of a corpus CSV: ``id``, ``text``, the language (``language`` or ``lang``) and the
    label (``label``: attributed / unattributed, or ``attributed``: 1 / 0)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [Row(r["id"], r.get("language") or r["lang"],
                    (r.get("label") or r["attributed"]).strip().lower() in ATTRIBUTED, r["text"])
                for r in csv.DictReader(handle)]


def score(checker: AttributionChecker, rows: Iterable[Row]) -> dict[str, Score]:
    """Scores overall (``all``) and per language."""
    scores: dict[str, Score] = {"all": Score()}
    for row in rows:
        flagged = bool(checker.check(row.text))
        if flagged != row.attributed:
            scores["all"].errors.append(("missed" if row.attributed else "false positive", row))
        for key in ("all", row.language):
            s = scores.setdefault(key, Score())
            if flagged and row.attributed:
                s.tp += 1
            elif flagged:
                s.fp += 1
            elif row.attributed:
                s.fn += 1
            else:
                s.tn += 1
    return scores


def demo_checker() -> AttributionChecker:
    """The checker of the demo forum, built from its records in a scratch database."""
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{folder}/corpus.db")
        upgrade(engine)
        load_demo_forum(engine)
        with session_scope(engine) as db:
            checker = event_checker(get_event(db, DEMO_EVENT_SLUG))
        engine.dispose()
    return checker


def report(checker: AttributionChecker, path: Path) -> str:
    """The figures of ``checker`` on the corpus at ``path`` (overall and per language) and the
    sentences it gets wrong, as printed by ``python -m tests.forum.attribution_eval``."""
    scores = score(checker, read_corpus(path))
    lines = [str(path), *("  " + s.line(name) for name, s in scores.items())]
    lines += [f"  {kind}: {row.id} {row.text}" for kind, row in scores["all"].errors]
    return "\n".join(lines)
