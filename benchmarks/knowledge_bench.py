"""Knowledge-base throughput and search latency on the shared corpus replicated to ~100k provisions.

Measures, per backend (SQLite file, PostgreSQL database created and dropped here):

- parsing + segmentation throughput (provisions/s, no database),
- tagging throughput (lexicon rules, and rules + a classifier trained on the gold labels),
- full import throughput (parse, segment, tag, store, index; one transaction per batch of files),
- search latency p50 / p99 over a fixed query mix (English, plus Chinese on a Chinese sample);
- with ``--semantic``: ``kb embed`` throughput, then search latency again, by words and meaning.

Usage::

    python benchmarks/knowledge_bench.py --target 100000 --backend both

Needs ../shared (or DETENTE_SHARED_DIR); prints results and leaves nothing behind.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from detente.knowledge import (
    DocumentMeta,
    import_documents,
    load_taxonomy,
    parse_file,
    search,
    segment_blocks,
    suggest_tags,
    train_classifier,
)
from detente.knowledge._metadata import read_manifest
from detente.store import create_db_engine, session_scope, upgrade

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("DETENTE_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
QUERIES = ["autonomous weapons", "prohibited practices", "biometric identification",
           "serious incident", "red-teaming", "critical infrastructure", "export controls",
           "human oversight", "biological weapons", "cybersecurity", "national security",
           "general-purpose AI model systemic risk", "conformity assessment", "transparency",
           "open-source", "international humanitarian law", "chemical", "nuclear",
           "自主武器", "核武器", "风险管理", "测试 评估"]


def shared_dir() -> Path:
    for candidate in (os.environ.get("DETENTE_SHARED_DIR"), REPO.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "data" / "governance-texts").is_dir():
            return Path(candidate)
    raise SystemExit("shared data not found (../shared or DETENTE_SHARED_DIR)")


def replicate(source: Path, target: int, workdir: Path) -> tuple[list[Path], Path, int]:
    """Copies of the corpus files (each with a distinct last line) until ~target provisions."""
    files = sorted(source.glob("*.en.md"))
    per_round = sum(len(segment_blocks(parse_file(f)[0].blocks)) for f in files)
    rounds = max(1, round(target / per_round))
    manifest_rows = read_manifest(source / "manifest.csv")
    out, lines = [], ["file,title,issuer,date,language"]
    for r in range(rounds):
        for f in files:
            copy = workdir / f"{f.stem}.copy{r:03d}.md"
            copy.write_text(f.read_text(encoding="utf-8") + f"\n\nReplica {r}.\n", encoding="utf-8")
            meta = manifest_rows[f.name]
            title = (meta.title or f.stem).replace('"', "'")
            lines.append(f'{copy.name},"{title} (replica {r})","{meta.issuer}",{meta.date},en')
            out.append(copy)
    manifest = workdir / "manifest.csv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out, manifest, rounds * per_round


def bench_segment_and_tag(files: list[Path], gold_classifier) -> dict[str, float]:  # type: ignore[no-untyped-def]
    tax = load_taxonomy()
    start = time.perf_counter()
    texts = []
    for f in files:
        for s in segment_blocks(parse_file(f)[0].blocks):
            texts.append("\n".join(x for x in (s.title, s.text) if x))
    seg_s = time.perf_counter() - start
    sample = texts[: min(len(texts), 20000)]
    start = time.perf_counter()
    suggest_tags(sample, tax)
    rules_s = time.perf_counter() - start
    start = time.perf_counter()
    suggest_tags(sample, tax, gold_classifier)
    both_s = time.perf_counter() - start
    return {"provisions": len(texts), "segment_per_s": len(texts) / seg_s,
            "tag_rules_per_s": len(sample) / rules_s, "tag_rules_clf_per_s": len(sample) / both_s}


def gold_classifier(source: Path):  # type: ignore[no-untyped-def]
    """A classifier trained on the gold labels (texts resolved from a one-copy import)."""
    from detente.knowledge._review import gold_examples, read_gold

    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(f"sqlite:///{tmp}/gold.db")
        upgrade(engine)
        import_documents(engine, sorted(source.glob("*.en.md")), manifest=source / "manifest.csv")
        with session_scope(engine) as db:
            gold = read_gold(REPO / "tests/knowledge/data/gold/labels.csv")
            texts, labels = gold_examples(db, gold)
        engine.dispose()
    return train_classifier(texts, labels)


def bench_backend(
    url: str, files: list[Path], manifest: Path, batch: int, semantic: bool = False
) -> dict[str, float]:
    engine = create_db_engine(url)
    upgrade(engine)
    start = time.perf_counter()
    for i in range(0, len(files), batch):
        import_documents(engine, files[i:i + batch], manifest=manifest)
    import_s = time.perf_counter() - start
    zh = REPO / "tests/knowledge/data/zh-regulation.txt"
    import_documents(engine, [zh], defaults=DocumentMeta(issuer="test", title="zh sample"))
    with engine.connect() as connection:
        provisions = connection.execute(text("select count(*) from kb_provisions")).scalar_one()
        tags = connection.execute(text("select count(*) from kb_tags")).scalar_one()
    latencies = _latencies(engine)
    result = {"provisions": provisions, "tags": tags, "import_s": import_s,
              "import_per_s": (provisions - 15) / import_s,
              "search_p50_ms": statistics.median(latencies),
              "search_p99_ms": latencies[int(0.99 * (len(latencies) - 1))],
              "queries": len(latencies)}
    if semantic:
        from detente.knowledge import embed_provisions

        start = time.perf_counter()
        report = embed_provisions(engine)
        embed_s = time.perf_counter() - start
        by_meaning = _latencies(engine)
        result.update({"embedded": report.embedded, "embed_s": embed_s,
                       "semantic_p50_ms": statistics.median(by_meaning),
                       "semantic_p99_ms": by_meaning[int(0.99 * (len(by_meaning) - 1))]})
    engine.dispose()
    return result


def _latencies(engine: Engine) -> list[float]:
    """Milliseconds per search over ten rounds of the query mix, after one warm-up round."""
    latencies = []
    with session_scope(engine) as db:
        for q in QUERIES:  # warm-up
            search(db, q, limit=20)
        for _ in range(10):
            for q in QUERIES:
                t0 = time.perf_counter()
                search(db, q, limit=20)
                latencies.append((time.perf_counter() - t0) * 1000)
    return sorted(latencies)


def _report(backend: str, r: dict[str, float]) -> str:
    line = (f"{backend}: {r['provisions']} provisions, {r['tags']} tags; import "
            f"{r['import_s']:.1f} s = {r['import_per_s']:.0f} provisions/s; search p50 "
            f"{r['search_p50_ms']:.1f} ms, p99 {r['search_p99_ms']:.1f} ms "
            f"({r['queries']} queries)")
    if "embed_s" in r:
        line += (f"\n  kb embed: {r['embedded']} provisions in {r['embed_s']:.1f} s = "
                 f"{r['embedded'] / r['embed_s']:.0f}/s; search by words and meaning p50 "
                 f"{r['semantic_p50_ms']:.1f} ms, p99 {r['semantic_p99_ms']:.1f} ms")
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--batch", type=int, default=8, help="files per import transaction")
    parser.add_argument("--semantic", action="store_true",
                        help="then embed the provisions and time search by meaning too")
    args = parser.parse_args()
    import numpy

    print(f"machine: {platform.platform()}, nproc={os.cpu_count()}, "
          f"Python {platform.python_version()}, numpy {numpy.__version__}")
    source = shared_dir() / "data" / "governance-texts"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files, manifest, expected = replicate(source, args.target, work)
        print(f"corpus: {len(files)} files, ~{expected} provisions")
        classifier = gold_classifier(source)
        s = bench_segment_and_tag(files, classifier)
        print(f"parse+segment: {s['segment_per_s']:.0f} provisions/s over {s['provisions']}; "
              f"tagging (rules): {s['tag_rules_per_s']:.0f}/s; "
              f"tagging (rules+classifier): {s['tag_rules_clf_per_s']:.0f}/s")
        if args.backend in {"sqlite", "both"}:
            r = bench_backend(f"sqlite:///{work / 'bench.db'}", files, manifest, args.batch,
                              args.semantic)
            print(_report("sqlite", r))
        if args.backend in {"postgresql", "both"}:
            name = f"detente_kb_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
                r = bench_backend(url, files, manifest, args.batch, args.semantic)
                print(_report("postgresql", r))
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
