"""Exploration (attr7): on the test6 fold (fit on the other six sets), the rows whose verdict
differs between the current model (refitted) and a candidate, at each one's nested threshold."""
import sys

import loso as L

FOLD = sys.argv[2] if len(sys.argv) > 2 else "test6"
base, cand = L.VARIANTS["tfidf"], L.VARIANTS[sys.argv[1] if len(sys.argv) > 1 else "tfidf+emb-w3"]
out = {}
for v in (base, cand):
    th = L.threshold(v, FOLD)
    rows, s = L.item_scores(v, L.scores(v, frozenset({FOLD})), [FOLD])
    out[v.name] = (rows, s, th)
rows = out[base.name][0]
for k, r in enumerate(rows):
    fb = out[base.name][1][k] >= max(out[base.name][2], 0)
    fc = out[cand.name][1][k] >= max(out[cand.name][2], 0)
    if fb != fc or (fc and not L.R_Y[r]):
        tag = ("released by candidate" if fb and not fc else "flagged by candidate only"
               if fc and not fb else "fp in both")
        print(f"{tag:26} y={int(L.R_Y[r])} base={out[base.name][1][k]:.2f} "
              f"cand={out[cand.name][1][k]:.2f} {L.ROWS[r]['text'][:150]}")
