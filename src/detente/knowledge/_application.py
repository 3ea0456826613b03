"""Dates of application: when the provisions of an instrument in force start to apply.

An instrument can enter into force on one day and apply in stages: the EU AI Act entered into
force on 1 August 2024, but under its Article 113 it applies from 2 August 2026, its Chapters I
and II from 2 February 2025, Chapter III Section 4, Chapters V, VII and XII and Article 78 from
2 August 2025 (Article 101 excepted), and Article 6(1) from 2 August 2027. Coverage on a date
counts a provision only once it applies (see :mod:`detente.knowledge._compare`); before that it
is listed as "in force, applies from ...".

The stages are data, with their source: ``detente/data/knowledge/application.csv``, one row per
stage: ``instrument`` (words of the instrument's title that name it, "Regulation (EU)
2024/1689"), ``provisions`` (a part of the instrument as its provision paths write it,
"Chapter III › Section 4", "Article 78", "Article 6 › 1"; empty for the whole instrument),
``applies_from``, ``source`` (the provision that sets the date), ``source_url`` and
``source_text`` (its words). A provision takes the stage of the most specific part that holds it
(Article 101 inside Chapter XII); an instrument without rows applies as a whole from its entry
into force. Only what the source says is modelled: Article 113(c)'s "corresponding obligations"
of Article 6(1) are not named there, so they take the general date, and an annex applies from
the general date, as Article 113 names none.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from detente.store.models.knowledge import KbDocument, KbProvision

__all__ = ["Stage", "not_yet_applying", "stage_of", "stages", "stages_of"]


@dataclass(frozen=True)
class Stage:
    """One date of application of an instrument (or of a part of it), with its source."""

    instrument: str
    #: The part of the instrument, as path labels ("Chapter III", "Section 4"); () for all of it.
    part: tuple[str, ...]
    applies_from: date
    source: str
    source_url: str
    source_text: str

    @property
    def part_label(self) -> str:
        """The part as its provision paths write it ("Chapter III › Section 4"), or ''."""
        return " › ".join(self.part)

    def names(self, title: str) -> bool:
        """Whether an instrument's title is that of this stage's instrument: it starts with the
        instrument's name, whole ("Regulation (EU) 2024/1689 laying down ..."). A title that
        only cites it ("Guidelines on ... established by Regulation (EU) 2024/1689") is
        another instrument, which takes none of its dates."""
        name, text = self.instrument.casefold(), title.strip().casefold()
        return text.startswith(name) and not text[len(name):len(name) + 1].isalnum()

    def to_json(self) -> dict[str, object]:
        return {
            "part": self.part_label,
            "applies_from": self.applies_from.isoformat(),
            "source": self.source,
            # The provision that sets the date, without the paragraph ("Art. 113").
            "cited": self.source.split(",")[0],
            "source_url": self.source_url,
            "source_text": self.source_text,
        }


@lru_cache(maxsize=1)
def stages() -> tuple[Stage, ...]:
    """Every stage of application the shipped data records."""
    raw = (resources.files("detente") / "data" / "knowledge" / "application.csv").read_text(
        encoding="utf-8"
    )
    return tuple(
        Stage(
            instrument=row["instrument"].strip(),
            part=tuple(x.strip() for x in row["provisions"].split("›") if x.strip()),
            applies_from=date.fromisoformat(row["applies_from"].strip()),
            source=row["source"].strip(),
            source_url=row["source_url"].strip(),
            source_text=row["source_text"].strip(),
        )
        for row in csv.DictReader(io.StringIO(raw))
    )


def stages_of(title: str) -> tuple[Stage, ...]:
    """The stages of application of the instrument titled ``title`` (none when it applies as
    a whole from its entry into force)."""
    return tuple(s for s in stages() if s.names(title))


_REPEAT = re.compile(r" #\d+$")


def _holds(label: str, wanted: str) -> bool:
    """Whether a path label is the part ``wanted`` or a point of it ("1(a)" of "1")."""
    return label == wanted or label.startswith(wanted + "(")


def _depth(part: tuple[str, ...], labels: list[str]) -> int | None:
    """Where in ``labels`` the part ends (its last label's index), or None if it is not there."""
    if not part:
        return -1
    for start in range(len(labels) - len(part) + 1):
        if all(_holds(labels[start + i], p) for i, p in enumerate(part)):
            return start + len(part) - 1
    return None


def stage_of(staged: tuple[Stage, ...], path: str) -> Stage | None:
    """The stage a provision (by its ``path``) takes among its instrument's ``staged``: that of
    the innermost part holding it; None when the instrument has no stages."""
    labels = [_REPEAT.sub("", label) for label in path.split(" › ")]
    best: tuple[int, Stage] | None = None
    for stage in staged:
        depth = _depth(stage.part, labels)
        if depth is not None and (best is None or depth > best[0]):
            best = (depth, stage)
    return best[1] if best else None


def not_yet_applying(session: Session, on: date | None) -> dict[int, tuple[Stage, str]]:
    """The provisions (by id) of instruments with stages of application that do not yet apply
    on ``on``, each with its stage and its path; none when ``on`` is None (every date)."""
    if on is None:
        return {}
    out: dict[int, tuple[Stage, str]] = {}
    for document_id, title in session.execute(select(KbDocument.id, KbDocument.title)):
        staged = stages_of(title)
        if all(s.applies_from <= on for s in staged):
            continue
        for provision_id, path in session.execute(
            select(KbProvision.id, KbProvision.path).where(KbProvision.document_id == document_id)
        ):
            stage = stage_of(staged, path)
            if stage is not None and stage.applies_from > on:
                out[provision_id] = (stage, path)
    return out
