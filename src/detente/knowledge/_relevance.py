"""Search relevance evaluation: nDCG@10 and recall@20 against judged queries.

A relevance set is a folder with ``queries.csv`` (``id``, ``lang``, ``query``, ...) and
``judgments.csv`` (``query_id``, ``file``, ``path``, ``grade``): graded judgments of provisions,
identified by document file and provision path. Unjudged hits count as not relevant.

- nDCG@10 uses linear gains (the grade) and a log2 discount, normalised by the ideal ranking of
  every judged provision of the query (as trec_eval's ``ndcg_cut.10``); this is the figure
  the docs report. The relevance guide suggests exponential gains (2^grade - 1: 0, 1, 3), which
  weigh grade 2 more; that figure is reported beside it (``ndcg@10 exp``);
- recall@20 is the share of the query's relevant provisions (grade >= 1) in the first 20 hits.

Queries with no relevant provision are left out of both means (and counted).

A set may fix a development and a test half in ``split.csv`` (``need_id``, ``half``,
``query_ids``): tuning reads the development half only, the test half is run once, after the
search is frozen. :func:`read_relevance` with ``half`` returns only that half's queries and
judgments, so that a tuning run never reads the other half.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from detente.errors import ImportFormatError
from detente.i18n import gettext as _
from detente.store.models.knowledge import KbDocument, KbProvision

__all__ = [
    "HALVES",
    "Query",
    "evaluate_search",
    "ndcg_at",
    "read_relevance",
    "read_split",
    "recall_at",
]

Key = tuple[str, str]
#: The halves a relevance set's ``split.csv`` may name.
HALVES = ("dev", "test")


@dataclass(frozen=True)
class Query:
    """One judged query."""

    id: str
    lang: str
    text: str


def read_split(folder: Path) -> dict[str, str]:
    """Query id -> half (``dev`` or ``test``) from the set's ``split.csv``."""
    halves: dict[str, str] = {}
    try:
        with (folder / "split.csv").open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                half = row["half"].strip()
                if half not in HALVES:
                    raise ImportFormatError(
                        _("half %(half)r is neither 'dev' nor 'test'") % {"half": half},
                        location=f"{folder / 'split.csv'}:{line}",
                    )
                for query_id in row["query_ids"].split():
                    halves[query_id] = half
    except (OSError, KeyError) as exc:
        raise ImportFormatError(_("cannot read the split: %(reason)s") % {"reason": exc},
                                location=str(folder)) from exc
    return halves


def read_relevance(
    folder: Path, half: str | None = None
) -> tuple[list[Query], dict[str, dict[Key, int]]]:
    """The queries and graded judgments of a relevance set folder; with ``half`` (``dev`` or
    ``test``), only those of that half of ``split.csv`` (the other half's rows are
    dropped as they are read)."""
    keep = None
    if half is not None:
        halves = read_split(folder)
        keep = {query_id for query_id, h in halves.items() if h == half}
    try:
        with (folder / "queries.csv").open(encoding="utf-8", newline="") as handle:
            queries = [
                Query(row["id"].strip(), (row.get("lang") or "").strip(), row["query"])
                for row in csv.DictReader(handle)
                if keep is None or row["id"].strip() in keep
            ]
        judgments: dict[str, dict[Key, int]] = {q.id: {} for q in queries}
        with (folder / "judgments.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                query_id = row["query_id"].strip()
                if keep is not None and query_id not in keep:
                    continue
                key = (row["file"].strip(), row["path"].strip())
                judgments.setdefault(query_id, {})[key] = int(row["grade"])
    except (OSError, KeyError, ValueError) as exc:
        raise ImportFormatError(
            _("cannot read the relevance set: %(reason)s") % {"reason": exc}, location=str(folder)
        ) from exc
    return queries, judgments


def ndcg_at(
    ranked: Sequence[Key], grades: dict[Key, int], k: int = 10, *, exponential: bool = False
) -> float:
    """Normalised discounted cumulative gain of the first ``k`` of ``ranked``; gains are the
    grades, or 2^grade - 1 with ``exponential``."""

    def gain(grade: int) -> float:
        return float(2**grade - 1) if exponential else float(grade)

    ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
    best = sum(gain(g) / math.log2(i + 2) for i, g in enumerate(ideal))
    if best == 0:
        return 0.0
    got = sum(gain(grades.get(key, 0)) / math.log2(i + 2) for i, key in enumerate(ranked[:k]))
    return got / best


def recall_at(ranked: Sequence[Key], grades: dict[Key, int], k: int = 20) -> float:
    """Share of the relevant provisions (grade >= 1) found in the first ``k`` of ``ranked``."""
    relevant = {key for key, g in grades.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def evaluate_search(
    session: Session,
    queries: Sequence[Query],
    judgments: dict[str, dict[Key, int]],
    run: Callable[[Session, str], Sequence[int]],
) -> dict[str, object]:
    """Mean nDCG@10 (linear and exponential gains) and recall@20 of ``run`` (query -> ranked
    provision ids), overall and by language, with the per-query figures."""
    keys = {
        pid: (file_name, path)
        for pid, file_name, path in session.execute(
            select(KbProvision.id, KbDocument.file_name, KbProvision.path).join(KbDocument)
        )
    }
    per_query = []
    for query in queries:
        grades = judgments.get(query.id, {})
        if not any(g > 0 for g in grades.values()):
            continue
        ranked = [keys[pid] for pid in run(session, query.text) if pid in keys]
        per_query.append(
            {
                "id": query.id,
                "lang": query.lang,
                "query": query.text,
                "ndcg@10": ndcg_at(ranked, grades, 10),
                "ndcg@10 exp": ndcg_at(ranked, grades, 10, exponential=True),
                "recall@20": recall_at(ranked, grades, 20),
                "hits": len(ranked),
            }
        )

    def mean(rows: list[dict[str, Any]], metric: str) -> float:
        return round(sum(float(r[metric]) for r in rows) / len(rows), 4) if rows else 0.0

    by_lang = {}
    for lang in sorted({str(r["lang"]) for r in per_query}):
        rows = [r for r in per_query if r["lang"] == lang]
        by_lang[lang] = {"queries": len(rows), "ndcg@10": mean(rows, "ndcg@10"),
                         "ndcg@10 exp": mean(rows, "ndcg@10 exp"),
                         "recall@20": mean(rows, "recall@20")}
    return {
        "queries": len(per_query),
        "skipped": len(queries) - len(per_query),
        "ndcg@10": mean(per_query, "ndcg@10"),
        "ndcg@10 exp": mean(per_query, "ndcg@10 exp"),
        "recall@20": mean(per_query, "recall@20"),
        "by_lang": by_lang,
        "per_query": per_query,
    }
