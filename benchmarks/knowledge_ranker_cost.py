"""What the learned re-ranker (round 9) costs a search: round 8's ranking and the re-ranked one
side by side in one process.

Usage::

    python benchmarks/knowledge_ranker_cost.py [--backend sqlite|postgresql|both] [--rounds 3]
        [--semantic] [--vector-cache FILE]

Imports the four instruments of ../shared/data/governance-texts into a temporary SQLite file
or PostgreSQL database (embedded with ``--semantic``), then runs every query of the seven
relevance sets with ``detente.knowledge._search.RERANK`` off and on, alternating query by query
so that load from elsewhere falls on both alike, and prints the median and 95th percentile of a
search (limit 20) each way and their ratio. Keeps nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from knowledge_meaning_cost import queries
from knowledge_search_relevance import SEMANTIC, cache_vectors, corpus_engine, scratch_database

from detente.errors import InputError
from detente.knowledge import _search, search
from detente.store import session_scope


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=3, help="times each query is run")
    parser.add_argument("--semantic", action="store_true", help="search by meaning too")
    parser.add_argument("--vector-cache", type=Path, default=None)
    args = parser.parse_args()
    if args.semantic:
        SEMANTIC.append(True)
    if args.vector_cache is not None:
        cache_vectors(args.vector_cache)
    texts = queries()
    for backend in ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]:
        with scratch_database(backend, "detente_ranker_cost") as url:
            engine = corpus_engine(url)
            times: dict[bool, list[float]] = {False: [], True: []}
            with session_scope(engine) as db:
                for text in texts[:5]:  # warm caches (model, taxonomy, vectors)
                    for rerank in (False, True):
                        _search.RERANK = rerank
                        with contextlib.suppress(InputError):
                            search(db, text, limit=20)
                for _ in range(args.rounds):
                    for text in texts:
                        for rerank in (False, True):
                            _search.RERANK = rerank
                            start = time.perf_counter()
                            try:
                                search(db, text, limit=20)
                            except InputError:
                                continue
                            times[rerank].append(time.perf_counter() - start)
            engine.dispose()
        figures = {}
        for rerank, values in times.items():
            values.sort()
            p50 = statistics.median(values)
            p95 = values[int(0.95 * (len(values) - 1))]
            figures[rerank] = (p50, p95)
            name = "re-ranked (round 9)" if rerank else "round 8"
            print(f"{backend:10} {name:20} {len(values)} searches: p50 {p50 * 1000:.1f} ms, "
                  f"p95 {p95 * 1000:.1f} ms")
        print(f"{backend:10} ratio re-ranked / round 8: p50 "
              f"{figures[True][0] / figures[False][0]:.2f}, p95 "
              f"{figures[True][1] / figures[False][1]:.2f}")


if __name__ == "__main__":
    main()
