"""Round 7 (adoption): per-fold nested leave-one-set-out, pooled over the six folds other than
test6 (the figures the choice was made on) and test6 apart. Reads cache/round7.json, written by
``ATTR7_RESULTS=round7.json python scripts/attr7/loso.py tfidf tfidf+emb tfidf+emb-guard
tfidf+emb-w2 tfidf+emb-w2-guard``."""
import json
import sys
from pathlib import Path

from _counts import cell

R = json.loads((Path(__file__).resolve().parent / "cache" / "round7.json").read_text())
SIX = ("dev", "test", "test2", "test3", "test4", "test5")



names = sys.argv[1:] or list(R)
print("| variant | " + " | ".join(SIX) + " | **pooled six: P / R** | tp / fp / fn / tn | "
      "**test6: P / R** | tp / fp / fn / tn | thresholds (dev … test6) |")
print("|---|" + "---:|" * (len(SIX) + 5))
for n in names:
    f = R[n]["folds"]
    six = [sum(f[s]["counts"][i] for s in SIX) for i in range(4)]
    t6 = f["test6"]["counts"]
    ths = " ".join(f"{f[s]['threshold']:.3f}" for s in (*SIX, "test6"))
    print(f"| {n} | " + " | ".join(cell(f[s]["counts"]) for s in SIX)
          + f" | **{cell(six)}** | {' / '.join(map(str, six))} | **{cell(t6)}** | "
          + f"{' / '.join(map(str, t6))} | {ths} |")
