"""Build search's learned re-ranker (round 9) from the seven judged relevance sets, and estimate
how it does on queries it has not seen by leaving one set out.

    python scripts/search_ranker.py --features     # search every query, keep the features
    python scripts/search_ranker.py --loso         # the leave-one-set-out table, nothing written
    python scripts/search_ranker.py                # write src/detente/data/search-ranker.json
    python scripts/search_ranker.py --check        # exit 1 when a rebuild differs

``--features`` imports the four instruments of ../shared/data/governance-texts into a temporary
SQLite file and a PostgreSQL database (as benchmarks/knowledge_search_relevance.py does), embeds
them (the ``semantic`` extra; ``--vector-cache FILE`` keeps the embeddings between runs) and
runs every query of the seven sets twice on each backend, by words and meaning and by words
alone, keeping round 8's first ``MAX_CANDIDATES`` hits of each with their features
(``detente.knowledge._search.rank_features``) and grades in build/search-ranker-features.json
(the other commands read it; they compute it first when it is missing).

The model is scikit-learn's logistic regression, pointwise (a hit judged 1 or 2 against the
rest, grade-2 hits weighted twice; Newton-Cholesky solver), on standardised features, stored as
plain weights over the raw features so that search needs no scikit-learn. One model for words
and meaning, one for words alone; each is fitted on both backends' hits. The number of hits
re-ranked and C are chosen by leave-one-set-out over the sets it is fitted on (mean nDCG@10 of
both backends).
``--loso`` applies the same rule with each of the seven sets left out in turn: fitted and
tuned on the other six, scored on the one left out (docs/validation.md, "Ninth round").
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from detente.knowledge import _search  # noqa: E402
from detente.knowledge._relevance import ndcg_at, read_relevance, recall_at  # noqa: E402

FEATURES_FILE = ROOT / "build" / "search-ranker-features.json"
SET_NAMES = ("relevance", "blind", "blind3", "blind4", "blind5", "blind6", "blind7")
BACKENDS = ("sqlite", "postgresql")
CONFIGS = ("meaning", "words")
MAX_CANDIDATES = 100
#: The models the file holds: the words-and-meaning model did not beat round 8 in the
#: leave-one-set-out estimate (docs/validation.md, "Ninth round"), so search by meaning keeps
#: round 8's ranking.
SHIPPED = ("words",)
GRID_CANDIDATES = (30, 50, 100)
GRID_C = (0.01, 0.1, 1.0)

Record = dict[str, Any]


def compute_features(vector_cache: Path | None) -> list[Record]:
    from knowledge_search_relevance import (
        SEMANTIC,
        SETS,
        cache_vectors,
        corpus_engine,
        scratch_database,
    )
    from sqlalchemy import select

    from detente.errors import InputError
    from detente.knowledge._search import SearchFilters, _score, rank_features
    from detente.store import session_scope
    from detente.store.models.knowledge import KbDocument, KbProvision

    SEMANTIC.append(True)
    if vector_cache is not None:
        cache_vectors(vector_cache)
    records: list[Record] = []
    for backend in BACKENDS:
        with scratch_database(backend, "detente_ranker") as url:
            engine = corpus_engine(url)
            with session_scope(engine) as db:
                keys = {
                    pid: (f, p)
                    for pid, f, p in db.execute(
                        select(KbProvision.id, KbDocument.file_name, KbProvision.path).join(
                            KbDocument
                        )
                    )
                }
                for name in SET_NAMES:
                    queries, judgments = read_relevance(SETS[name])
                    for query in queries:
                        grades = judgments.get(query.id, {})
                        if not any(g > 0 for g in grades.values()):
                            continue
                        for config in CONFIGS:
                            weight = _search.SEMANTIC_WEIGHT
                            if config == "words":
                                _search.SEMANTIC_WEIGHT = 0.0
                            try:
                                scoring = _score(db, query.text, SearchFilters(), taxonomy=None,
                                                 translate=True)
                                pids, rows = rank_features(db, scoring, MAX_CANDIDATES)
                            except InputError:
                                pids, rows = [], []
                            finally:
                                _search.SEMANTIC_WEIGHT = weight
                            records.append({
                                "set": name, "query": query.id, "lang": query.lang,
                                "backend": backend, "config": config,
                                "grades": [grades.get(keys[p], 0) for p in pids],
                                "relevant": sum(1 for g in grades.values() if g > 0),
                                "ideal": sorted((g for g in grades.values() if g > 0),
                                                reverse=True),
                                "features": rows,
                            })
                        print(f"{backend} {name} {query.id}", file=sys.stderr, flush=True)
            engine.dispose()
    return records


def load_features(vector_cache: Path | None) -> list[Record]:
    if not FEATURES_FILE.is_file():
        FEATURES_FILE.parent.mkdir(exist_ok=True)
        FEATURES_FILE.write_text(json.dumps(compute_features(vector_cache)), encoding="utf-8")
    data: list[Record] = json.loads(FEATURES_FILE.read_text(encoding="utf-8"))
    return data


def scores(record: Record, order: list[int]) -> tuple[float, float]:
    """nDCG@10 and recall@20 of a record's candidates in ``order`` (indices)."""
    keys = [(str(i), "") for i in order]
    grades = {(str(i), ""): g for i, g in enumerate(record["grades"]) if g > 0}
    # The judged provisions that are not among the candidates still count in the ideal.
    missing = list(record["ideal"])
    for g in sorted(grades.values(), reverse=True):
        missing.remove(g)
    for j, g in enumerate(missing):
        grades[(f"missing{j}", "")] = g
    return ndcg_at(keys, grades, 10), recall_at(keys, grades, 20)


def fit(records: list[Record], candidates: int, c: float) -> dict[str, Any]:
    x = np.array([row for r in records for row in r["features"][:candidates]], dtype=float)
    g = np.array([grade for r in records for grade in r["grades"][:candidates]], dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000, solver="newton-cholesky")
    model.fit((x - mean) / scale, (g > 0).astype(int), sample_weight=np.maximum(g, 1.0))
    weights = model.coef_[0] / scale
    bias = float(model.intercept_[0] - (weights * mean).sum())
    return {"candidates": candidates, "C": c,
            "weights": [round(float(w), 6) for w in weights], "bias": round(bias, 6)}


def apply(model: dict[str, Any] | None, record: Record) -> list[int]:
    n = len(record["features"])
    if model is None:
        return list(range(n))
    head = min(model["candidates"], n)
    w = np.array(model["weights"])
    values = [model["bias"] + float(np.dot(w, row)) for row in record["features"][:head]]
    return sorted(range(head), key=lambda i: (-values[i], i)) + list(range(head, n))


def mean_scores(model: dict[str, Any] | None, records: list[Record]) -> tuple[float, float]:
    got = [scores(r, apply(model, r)) for r in records]
    return (float(np.mean([a for a, _ in got])), float(np.mean([b for _, b in got])))


def tune(records: list[Record], sets: list[str]) -> dict[str, Any]:
    """Fit on ``sets`` with the hyper-parameters that leave-one-set-out inside them prefers."""
    best: tuple[float, int, float] | None = None
    for candidates, c in itertools.product(GRID_CANDIDATES, GRID_C):
        folds = []
        for held in sets:
            train = [r for r in records if r["set"] in sets and r["set"] != held]
            test = [r for r in records if r["set"] == held]
            folds.append(mean_scores(fit(train, candidates, c), test)[0])
        value = float(np.mean(folds))
        if best is None or value > best[0] + 1e-9:
            best = (value, candidates, c)
    assert best is not None
    return fit([r for r in records if r["set"] in sets], best[1], best[2])


def loso(records: list[Record], configs: list[str]) -> None:
    for config in configs:
        rows = [r for r in records if r["config"] == config]
        print(f"\n{config}: set | round 8 SQLite nDCG@10 / recall@20 | re-ranked | round 8 "
              "PostgreSQL | re-ranked | chosen N, C")
        totals: dict[str, list[tuple[float, float]]] = {}
        for held in SET_NAMES:
            model = tune(rows, [s for s in SET_NAMES if s != held])
            line = [held]
            for backend in BACKENDS:
                test = [r for r in rows if r["set"] == held and r["backend"] == backend]
                before, after = mean_scores(None, test), mean_scores(model, test)
                totals.setdefault(f"{backend} before", []).append(before)
                totals.setdefault(f"{backend} after", []).append(after)
                line += [f"{before[0]:.3f} / {before[1]:.3f}", f"{after[0]:.3f} / {after[1]:.3f}"]
            print(" | ".join(line) + f" | {model['candidates']}, {model['C']}", flush=True)
        line = ["mean"]
        for backend in BACKENDS:
            for when in ("before", "after"):
                got = totals[f"{backend} {when}"]
                line.append(f"{np.mean([a for a, _ in got]):.3f} / "
                            f"{np.mean([b for _, b in got]):.3f}")
        print(" | ".join(line))


def build(records: list[Record], configs: list[str]) -> dict[str, Any]:
    models = {}
    for config in configs:
        rows = [r for r in records if r["config"] == config]
        models[config] = tune(rows, list(SET_NAMES))
    return {"features": list(_search.FEATURES), "sets": list(SET_NAMES), "models": models}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", action="store_true", help="recompute the features")
    parser.add_argument("--loso", action="store_true", help="leave-one-set-out table")
    parser.add_argument("--check", action="store_true", help="compare a rebuild with the file")
    parser.add_argument("--configs", default=None,
                        help="models: meaning,words (default: both for --loso, the shipped "
                        "ones otherwise)")
    parser.add_argument("--vector-cache", type=Path, default=None)
    args = parser.parse_args()
    if args.features and FEATURES_FILE.is_file():
        FEATURES_FILE.unlink()
    records = load_features(args.vector_cache)
    if args.loso:
        loso(records, args.configs.split(",") if args.configs else list(CONFIGS))
        return
    if args.features:
        return
    built = build(records, args.configs.split(",") if args.configs else list(SHIPPED))
    text = json.dumps(built, indent=1) + "\n"
    if args.check:
        shipped = _search.RANKER_PATH.read_text(encoding="utf-8")
        if shipped != text:
            print("search-ranker.json differs from a rebuild")
            sys.exit(1)
        print("search-ranker.json matches a rebuild")
        return
    _search.RANKER_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {_search.RANKER_PATH}")


if __name__ == "__main__":
    main()
