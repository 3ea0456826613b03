"""What passages and feedback cost search by meaning: one vector a provision against passages
of ``PASSAGE_WORDS`` words with pseudo-relevance feedback, side by side in one process.

Usage::

    python benchmarks/knowledge_meaning_cost.py [--rounds 3] [--vector-cache FILE]

Imports the four instruments of ../shared/data/governance-texts into two temporary SQLite
files, embeds one with a single vector per provision (passages longer than any provision, no
feedback: how search by meaning worked before passages) and the other as search does now, then
runs every query of the relevance sets against both, alternating query by query so that load
from elsewhere falls on both alike, and prints the time of ``kb embed`` on each, the vectors it
stored, and the median and 95th percentile of a search by words and meaning (limit 20). Keeps
nothing.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from knowledge_search_relevance import SEMANTIC, SETS, cache_vectors, corpus_engine

from detente.errors import InputError
from detente.knowledge import _semantic, search
from detente.store import session_scope


def queries() -> list[str]:
    out: list[str] = []
    for folder in SETS.values():
        with (folder / "queries.csv").open(encoding="utf-8", newline="") as handle:
            out += [row["query"] for row in csv.DictReader(handle)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times each query is run")
    parser.add_argument("--vector-cache", type=Path, default=None,
                        help="npz file keeping text embeddings between runs (then the embed "
                        "times measure the cache, not the model)")
    args = parser.parse_args()
    SEMANTIC.append(True)
    if args.vector_cache is not None:
        cache_vectors(args.vector_cache)
    words, step, feedback = (_semantic.PASSAGE_WORDS, _semantic._PASSAGE_STEP,
                             _semantic.FEEDBACK_PASSAGES)
    setups = {"one vector a provision": (10**9, 10**9, 0), "passages and feedback":
              (words, step, feedback)}
    engines, vectors = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for name, (w, s, _) in setups.items():
            _semantic.PASSAGE_WORDS, _semantic._PASSAGE_STEP = w, s
            _semantic._SCHEME = f"bench-{w}-{s}"
            start = time.perf_counter()
            engines[name] = corpus_engine(f"sqlite:///{folder}/{len(engines)}.db")
            print(f"{name}: import and kb embed {time.perf_counter() - start:.1f} s", flush=True)
            with session_scope(engines[name]) as db:
                _, starts, matrix = _semantic._matrix(db)
                vectors[name] = (len(starts), len(matrix))
        asked = queries()
        times: dict[str, list[float]] = {name: [] for name in setups}
        for _ in range(args.rounds):
            for query in asked:
                for name, (_, _, fb) in setups.items():
                    _semantic.FEEDBACK_PASSAGES = fb
                    with session_scope(engines[name]) as db:
                        start = time.perf_counter()
                        try:
                            search(db, query, limit=20)
                        except InputError:
                            continue
                        times[name].append(time.perf_counter() - start)
        for name, values in times.items():
            values.sort()
            provisions, rows = vectors[name]
            print(f"{name}: {provisions} provisions, {rows} vectors; {len(values)} searches, "
                  f"p50 {1000 * statistics.median(values):.1f} ms, "
                  f"p95 {1000 * values[int(0.95 * (len(values) - 1))]:.1f} ms")
        for engine in engines.values():
            engine.dispose()


if __name__ == "__main__":
    main()
