"""Tagging quality: the gold provisions (rules, cross-validated classifier, both) and the MIT AI
Risk Repository domain task (held-out split, beside majority and keyword baselines).

Usage::

    python benchmarks/knowledge_validation.py [--per-term]

Imports the shared corpus into a temporary SQLite database (the gold labels reference provisions
by document file and path), prints the figures reported in docs/validation.md, keeps nothing.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from detente.knowledge import import_documents, load_taxonomy
from detente.knowledge._evaluate import evaluate_gold, evaluate_mit, evaluate_test_set
from detente.store import create_db_engine, session_scope, upgrade

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "knowledge" / "data" / "gold" / "labels.csv"
FRESH = REPO / "tests" / "knowledge" / "data" / "gold-fresh" / "labels.csv"


def shared_dir() -> Path:
    for candidate in (os.environ.get("DETENTE_SHARED_DIR"), REPO.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "data" / "governance-texts").is_dir():
            return Path(candidate)
    raise SystemExit("shared data not found (../shared or DETENTE_SHARED_DIR)")


def _line(name: str, m: dict) -> str:
    return f"  {name:10} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-term", action="store_true", help="print per-term scores")
    parser.add_argument("--fresh", action="store_true",
                        help="also score the frozen tagger on the fresh test set (gold-fresh)")
    args = parser.parse_args()
    shared = shared_dir()
    taxonomy = load_taxonomy()
    folder = shared / "data" / "governance-texts"
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(f"sqlite:///{tmp}/kb.db")
        upgrade(engine)
        import_documents(engine, sorted(folder.glob("*.en.md")), manifest=folder / "manifest.csv")
        with session_scope(engine) as db:
            gold = evaluate_gold(db, GOLD, taxonomy)
            fresh = evaluate_test_set(db, FRESH, GOLD, taxonomy) if args.fresh else None
        engine.dispose()
    print(f"gold: {gold['provisions']} provisions, {gold['label_count']} labels, "
          f"{gold['terms']} terms, classifier {gold['folds']}-fold cross-validated")
    for part in ("all", "dev", "held_out"):
        data = gold if part == "all" else gold[part]
        print(f"{part} ({data['provisions']} provisions), micro / macro:")
        for method in ("rules", "classifier", "combined"):
            print(_line(method, data[method]["micro"]) + "  |  macro F1="
                  f"{data[method]['macro']['f1']:.3f}")
    if fresh is not None:
        print(f"fresh test set ({fresh['provisions']} provisions, {fresh['label_count']} labels), "
              "micro / macro:")
        for method in ("rules", "combined"):
            print(_line(method, fresh[method]["micro"]) + "  |  macro F1="
                  f"{fresh[method]['macro']['f1']:.3f}")
    if args.per_term:
        print("per term on the held-out half (combined): support P R F1")
        for term, m in sorted(gold["held_out"]["combined"]["per_term"].items(),
                              key=lambda x: -x[1]["support"]):
            print(f"  {term:30} {m['support']:3d} {m['precision']:.2f} {m['recall']:.2f} "
                  f"{m['f1']:.2f}")
    mit = evaluate_mit(shared / "data" / "ai-risks", taxonomy)
    print(f"MIT AI Risk Repository: {mit['risks']} risks with a domain, train {mit['train']}, "
          f"held-out test {mit['test']}")
    for name in ("classifier", "keyword_baseline", "majority_baseline"):
        m = mit[name]
        print(f"  {name:18} accuracy={m['accuracy']:.3f} macro-F1={m['macro_f1']:.3f}")


if __name__ == "__main__":
    main()
