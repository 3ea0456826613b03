"""Pool completion for a relevance set: the top hits of a search that the set has not judged.

Usage::

    python benchmarks/knowledge_relevance_pool.py --set blind --backend sqlite --out run.csv
    PYTHONPATH=OLD/src python benchmarks/knowledge_relevance_pool.py --set blind --out old.csv
    python benchmarks/knowledge_relevance_pool.py --set blind --unjudged run.csv old.csv ...
    python benchmarks/knowledge_relevance_pool.py --set blind --merge graded.csv

The first form imports the shared corpus into a temporary database (SQLite, or a PostgreSQL
database it creates and drops), runs every query of the set through ``detente.knowledge.search``
and writes its top ``--depth`` hits (query_id, need_id, file, path). Run it once per ranking to
compare (an older checkout through ``PYTHONPATH``; ``--semantic`` to rank by meaning too, as in
``knowledge_search_relevance.py``). The ``--unjudged`` form reads such files and
writes, in a seeded random order and without saying which ranking returned what, every
(need, provision) pair that the set has not judged, with the provision's title and text, for a
judge to grade with the set's guide. ``--merge`` adds the graded file to the set's judgments,
for every query of its need, as the guides' "pool completion" sections describe.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

from sqlalchemy import select

from detente.errors import InputError
from detente.knowledge import search
from detente.store import session_scope
from detente.store.models.knowledge import KbDocument, KbProvision

sys.path.insert(0, str(Path(__file__).resolve().parent))
from knowledge_search_relevance import (
    SEMANTIC,
    cache_vectors,
    corpus_engine,
    scratch_database,
    set_constants,
    set_folder,
)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def top_hits(url: str, queries: list[dict[str, str]], depth: int) -> list[tuple[str, ...]]:
    engine = corpus_engine(url)
    rows: list[tuple[str, ...]] = []
    with session_scope(engine) as db:
        keys = {pid: (name, path) for pid, name, path in db.execute(
            select(KbProvision.id, KbDocument.file_name, KbProvision.path).join(KbDocument))}
        for query in queries:
            try:
                hits = [hit.provision_id for hit in search(db, query["query"], limit=depth)]
            except InputError:
                hits = []
            rows += [(query["id"], query["need_id"], *keys[h]) for h in hits if h in keys]
    engine.dispose()
    return rows


def run(folder: Path, backend: str, depth: int, out: Path) -> None:
    queries = read_rows(folder / "queries.csv")
    with scratch_database(backend, "detente_pool") as url:
        rows = top_hits(url, queries, depth)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["query_id", "need_id", "file", "path"])
        writer.writerows(rows)
    print(f"{backend}: {len(rows)} hits of {len(queries)} queries -> {out}")


def unjudged(folder: Path, runs: list[Path], out: Path, seed: int) -> None:
    queries = {row["id"]: row for row in read_rows(folder / "queries.csv")}
    judged = {(queries[row["query_id"]]["need_id"], row["file"], row["path"])
              for row in read_rows(folder / "judgments.csv")}
    pairs = {(row["need_id"], row["file"], row["path"]) for path in runs for row in read_rows(path)}
    pairs -= judged
    needs = {row["need_id"]: row["need"] for row in queries.values()}
    with scratch_database("sqlite", "detente_pool") as url:
        engine = corpus_engine(url)
        with session_scope(engine) as db:
            texts = {(name, path): (title or "", body or "")
                     for name, path, title, body in db.execute(
                         select(KbDocument.file_name, KbProvision.path, KbProvision.title,
                                KbProvision.text).join(KbDocument))}
        engine.dispose()
    rows = [[need, needs[need], name, path, *texts[(name, path)], ""]
            for need, name, path in sorted(pairs)]
    random.Random(seed).shuffle(rows)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["need_id", "need", "file", "path", "title", "text", "grade"])
        writer.writerows(rows)
    print(f"{len(rows)} unjudged (need, provision) pairs -> {out}")


def merge(folder: Path, graded: Path) -> None:
    """Add the grades of ``graded`` (a graded ``--unjudged`` file) to the set in ``folder``:
    a judgment for every query of the pair's need, and each new provision with its
    fingerprint (the guide's rule)."""
    import hashlib

    queries = read_rows(folder / "queries.csv")
    by_need: dict[str, list[str]] = {}
    for row in queries:
        by_need.setdefault(row["need_id"], []).append(row["id"])
    judgments = read_rows(folder / "judgments.csv")
    judged = {(row["query_id"], row["file"], row["path"]) for row in judgments}
    provisions = read_rows(folder / "provisions.csv")
    known = {(row["file"], row["path"]) for row in provisions}
    added = new = 0
    for row in read_rows(graded):
        if row["grade"] not in {"0", "1", "2"}:
            raise SystemExit(f"{graded}: grade {row['grade']!r} for {row['need_id']} {row['path']}")
        for query_id in by_need[row["need_id"]]:
            if (query_id, row["file"], row["path"]) in judged:
                raise SystemExit(f"{graded}: {query_id} {row['path']} is judged already")
            judgments.append({"query_id": query_id, "file": row["file"], "path": row["path"],
                              "grade": row["grade"]})
            added += 1
        if (row["file"], row["path"]) not in known:
            words = " ".join((row["title"] + " " + row["text"]).split()).lower()
            provisions.append({"file": row["file"], "path": row["path"],
                               "fingerprint": hashlib.sha1(words.encode()).hexdigest()[:16]})
            known.add((row["file"], row["path"]))
            new += 1
    for name, rows in (("judgments.csv", judgments), ("provisions.csv", provisions)):
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    print(f"{added} judgments and {new} provisions added to {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=set_folder, default=set_folder("blind"))
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--depth", type=int, default=10)
    parser.add_argument("--merge", type=Path, default=None,
                        help="a graded --unjudged file: add its grades to the set")
    parser.add_argument("--unjudged", nargs="+", type=Path, default=None,
                        help="top-hit files of earlier runs: write their unjudged pairs to --out")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--semantic", action="store_true",
                        help="embed the corpus so that search ranks by meaning too")
    parser.add_argument("--vector-cache", type=Path, default=None,
                        help="npz file keeping text embeddings between runs")
    parser.add_argument("--with", dest="constants", default="",
                        help="NAME=VALUE,... constants of detente.knowledge._search to set")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    set_constants(args.constants)
    if args.semantic:
        SEMANTIC.append(True)
    if args.vector_cache is not None:
        cache_vectors(args.vector_cache)
    if args.merge:
        merge(args.set, args.merge)
    elif args.out is None:
        parser.error("--out is required")
    elif args.unjudged:
        unjudged(args.set, args.unjudged, args.out, args.seed)
    else:
        run(args.set, args.backend, args.depth, args.out)


if __name__ == "__main__":
    main()
