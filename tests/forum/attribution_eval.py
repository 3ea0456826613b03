"""Precision and recall of the attribution checker on a labelled corpus of sentences.

Run ``python -m tests.forum.attribution_eval tests/forum/data/attribution/dev.csv`` to print
the figures (overall and per language) and the sentences it gets wrong. The sentences refer to
the participants of the demo forum (docs/validation.md).
"""

from __future__ import annotations

import csv
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from detente.forum import AttributionChecker, event_checker, get_event, load_demo_forum
from detente.forum._demo import DEMO_EVENT_SLUG
from detente.store import create_db_engine, session_scope, upgrade

DATA = Path(__file__).resolve().parent / "data" / "attribution"
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


def main(paths: Sequence[str]) -> None:
    checker = demo_checker()
    for path in paths:
        scores = score(checker, read_corpus(Path(path)))
        print(path)
        for name, s in scores.items():
            print("  " + s.line(name))
        for kind, row in scores["all"].errors:
            print(f"  {kind}: {row.id} {row.text}")


if __name__ == "__main__":
    main(sys.argv[1:] or [str(DATA / "dev.csv")])
