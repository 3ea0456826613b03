"""Search relevance on the shared corpus: nDCG@10 and recall@20 against the judged query set.

Usage::

    python benchmarks/knowledge_search_relevance.py --backend both --split dev --per-query
    python benchmarks/knowledge_search_relevance.py --backend both --split all
    python benchmarks/knowledge_search_relevance.py --backend both --set blind

Imports the four instruments of ../shared/data/governance-texts (with their manifest) into a
temporary SQLite file and a PostgreSQL database it creates and drops, runs the queries of the
relevance set through ``detente.knowledge.search`` (first 20 hits) and prints the means overall
and by language: nDCG@10 with linear gains (the reported figure), with the guide's exponential
gains (2^grade - 1, "exp") and recall@20. Keeps nothing.

``--set`` is a folder or a name: ``relevance`` (tests/knowledge/data/relevance, the default;
since round 3 all of it is development data), ``blind`` (tests/knowledge/data/relevance-blind,
judged without running the search; run once on round 3, development data since) ``blind3``
(tests/knowledge/data/relevance-blind3, the same for round 4), ``blind4`` (the same for round
5), ``blind5`` (the same for round 6), ``blind6`` (the same for round 7), ``blind7`` (the
same for round 8) or ``blind8`` (the same for round 9).

``--split`` chooses the half of the set's ``split.csv``: ``dev`` (the default), ``test`` or
``all`` (dev, test and all queries, each reported separately); a set without ``split.csv`` is
run whole. ``--per-query`` lists each query's figures.

``--semantic`` embeds the corpus (``detente kb embed``; needs the ``semantic`` extra) so that
search ranks by meaning too; ``--vector-cache FILE`` keeps the embeddings of texts between runs
(keyed by a digest of each text; by default none is kept). Without it, search ranks by words.

To measure one change at a time, ``--with NAME=VALUE,...`` sets constants of
``detente.knowledge._search`` for the run (``--with PG_IDF=False,TAG_BOOST=0``) and
``--glossary-from FILE`` searches with the glossary of another taxonomy file (an earlier
commit's ``src/detente/data/taxonomy/taxonomy.yaml``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from detente.errors import InputError
from detente.knowledge import Taxonomy, import_documents, load_taxonomy, search
from detente.knowledge._relevance import evaluate_search, read_relevance
from detente.store import create_db_engine, session_scope, upgrade

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("DETENTE_BENCH_POSTGRES",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def shared_dir() -> Path:
    for candidate in (os.environ.get("DETENTE_SHARED_DIR"), REPO.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "data" / "governance-texts").is_dir():
            return Path(candidate)
    raise SystemExit("shared data not found (../shared or DETENTE_SHARED_DIR)")


TAXONOMY: list[Taxonomy] = []


def run_search(session: Session, query: str) -> Sequence[int]:
    try:
        taxonomy = TAXONOMY[0] if TAXONOMY else None
        return [hit.provision_id for hit in search(session, query, limit=20, taxonomy=taxonomy)]
    except InputError:
        return []


def with_glossary_of(path: Path) -> Taxonomy:
    """The shipped taxonomy with the glossary of the taxonomy file ``path``."""
    import dataclasses

    import yaml

    from detente.knowledge._taxonomy import _glossary

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return dataclasses.replace(load_taxonomy(), glossary=_glossary(data.get("glossary") or []))


def set_constants(spec: str) -> None:
    """Set ``NAME=VALUE`` constants (Python literals) of the search module, comma-separated."""
    import ast

    from detente.knowledge import _search

    for item in filter(None, spec.split(",")):
        name, _, value = item.partition("=")
        if not hasattr(_search, name.strip()):
            raise SystemExit(f"--with: detente.knowledge._search has no {name.strip()!r}")
        setattr(_search, name.strip(), ast.literal_eval(value.strip()))


SETS = {
    "relevance": REPO / "tests" / "knowledge" / "data" / "relevance",
    "blind": REPO / "tests" / "knowledge" / "data" / "relevance-blind",
    "blind3": REPO / "tests" / "knowledge" / "data" / "relevance-blind3",
    "blind4": REPO / "tests" / "knowledge" / "data" / "relevance-blind4",
    "blind5": REPO / "tests" / "knowledge" / "data" / "relevance-blind5",
    "blind6": REPO / "tests" / "knowledge" / "data" / "relevance-blind6",
    "blind7": REPO / "tests" / "knowledge" / "data" / "relevance-blind7",
    "blind8": REPO / "tests" / "knowledge" / "data" / "relevance-blind8",
}


def set_folder(value: str) -> Path:
    """The relevance set folder named by ``--set`` (a name of :data:`SETS` or a path)."""
    return SETS.get(value, Path(value))


def halves_of(split: str, relevance: Path | None = None) -> list[str | None]:
    """The halves to evaluate for a ``--split`` choice (None: every query); a set without
    ``split.csv`` is evaluated whole."""
    if relevance is not None and not (relevance / "split.csv").is_file():
        return [None]
    return ["dev", "test", None] if split == "all" else [split]


SEMANTIC: list[bool] = []


def cache_vectors(path: Path) -> None:
    """Keep the embeddings of texts in ``path`` between runs (a benchmark's convenience: the
    same text always has the same vector)."""
    import hashlib

    import numpy as np

    from detente.knowledge import _semantic

    encode = _semantic.encode
    stored = dict(np.load(path)) if path.is_file() else {}

    def cached(texts: Sequence[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        todo = [i for i, k in enumerate(keys) if k not in stored]
        if todo:
            for i, vector in zip(todo, encode([texts[i] for i in todo]), strict=True):
                stored[keys[i]] = vector
            if len(todo) > 1:
                np.savez(path, **stored)
        return np.stack([stored[k] for k in keys]) if keys else encode([])

    _semantic.encode = cached  # type: ignore[assignment]


def corpus_engine(url: str) -> Engine:
    """A database at ``url`` holding the four instruments of the shared corpus (embedded with
    ``--semantic``)."""
    engine = create_db_engine(url)
    upgrade(engine)
    folder = shared_dir() / "data" / "governance-texts"
    import_documents(engine, [], manifest=folder / "manifest.csv")
    if SEMANTIC:
        from detente.knowledge import embed_provisions

        embed_provisions(engine)
    return engine


@contextmanager
def scratch_database(backend: str, prefix: str) -> Iterator[str]:
    """The URL of an empty database for one run: a temporary SQLite file, or a PostgreSQL
    database named ``prefix`` + a random suffix, created here and dropped afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/kb.db"
        return
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def evaluate(url: str, relevance: Path, split: str) -> dict[str, dict[str, object]]:
    engine = corpus_engine(url)
    results = {}
    for half in halves_of(split, relevance):
        queries, judgments = read_relevance(relevance, half)
        with session_scope(engine) as db:
            results[half or "all"] = evaluate_search(db, queries, judgments, run_search)
    engine.dispose()
    return results


def report(backend: str, part: str, result: dict[str, object], per_query: bool) -> None:
    langs = "; ".join(f"{lang}: {v['queries']} queries, nDCG@10 {v['ndcg@10']:.3f} "
                      f"(exp {v['ndcg@10 exp']:.3f}), recall@20 {v['recall@20']:.3f}"
                      for lang, v in result["by_lang"].items())  # type: ignore[attr-defined]
    print(f"{backend:10} {part:4} {result['queries']} queries ({result['skipped']} without a "
          f"relevant provision): nDCG@10 {result['ndcg@10']:.3f} (exp "
          f"{result['ndcg@10 exp']:.3f}), recall@20 {result['recall@20']:.3f}  [{langs}]")
    if per_query:
        for row in result["per_query"]:  # type: ignore[attr-defined]
            print(f"  {row['id']:8} {row['lang']:3} nDCG@10 {row['ndcg@10']:.3f} "
                  f"(exp {row['ndcg@10 exp']:.3f}) recall@20 {row['recall@20']:.3f} "
                  f"hits {row['hits']:3}  {row['query']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--set", type=set_folder, default=SETS["relevance"],
                        help="relevance set: 'relevance' (default), 'blind' or a folder")
    parser.add_argument("--split", choices=["dev", "test", "all"], default="dev",
                        help="half of split.csv to run (default dev; test only once frozen)")
    parser.add_argument("--per-query", action="store_true",
                        help="figures per query")
    parser.add_argument("--with", dest="constants", default="",
                        help="NAME=VALUE,... constants of detente.knowledge._search to set")
    parser.add_argument("--semantic", action="store_true",
                        help="embed the corpus so that search ranks by meaning too")
    parser.add_argument("--vector-cache", type=Path, default=None,
                        help="npz file keeping text embeddings between runs")
    parser.add_argument("--glossary-from", type=Path, default=None,
                        help="taxonomy file whose glossary replaces the shipped one")
    args = parser.parse_args()
    set_constants(args.constants)
    if args.semantic:
        SEMANTIC.append(True)
    if args.vector_cache is not None:
        cache_vectors(args.vector_cache)
    if args.glossary_from is not None:
        TAXONOMY.append(with_glossary_of(args.glossary_from))
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        with scratch_database(backend, "detente_relevance") as url:
            results = evaluate(url, args.set, args.split)
        for part, result in results.items():
            # Each query once: "all" repeats the halves' queries when there are halves.
            report(backend, part, result, args.per_query and (part != "all" or len(results) == 1))


if __name__ == "__main__":
    main()
