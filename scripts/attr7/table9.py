"""Round 9: per-fold nested leave-one-set-out over the nine sets, pooled, for the words-only
model and the chosen embedding variant (K = 2, guard). Reads cache/round9.json, written by
``ATTR_SETS=dev,test,test2,test3,test4,test5,test6,test7,test8 ATTR7_RESULTS=round9.json
python scripts/attr7/loso.py tfidf`` (after prep.py with the same ATTR_SETS; round 9 ran the
words-only model alone, the embedding variant's estimate was left out for time).
The rules alone (the gate) are shown too: what they hold is the ceiling of recall."""
import json
import sys
from pathlib import Path

from _counts import cell

R = json.loads((Path(__file__).resolve().parent / "cache" / "round9.json").read_text())
SETS = ("dev", "test", "test2", "test3", "test4", "test5", "test6", "test7", "test8")

names = sys.argv[1:] or list(R)
print("| variant | " + " | ".join(SETS) + " | **pooled nine: P / R** | tp / fp / fn / tn |")
print("|---|" + "---:|" * (len(SETS) + 2))
first = R[names[0]]["folds"]
gate = [sum(first[s]["gate"][i] for s in SETS) for i in range(4)]
print("| rules alone | " + " | ".join(cell(first[s]["gate"]) for s in SETS)
      + f" | **{cell(gate)}** | {' / '.join(map(str, gate))} |")
for n in names:
    f = R[n]["folds"]
    tot = [sum(f[s]["counts"][i] for s in SETS) for i in range(4)]
    print(f"| {n} | " + " | ".join(cell(f[s]["counts"]) for s in SETS)
          + f" | **{cell(tot)}** | {' / '.join(map(str, tot))} |")
    print(f"  thresholds ({n}): " + ", ".join(f"{f[s]['threshold']:.3f}" for s in SETS))
    for s in SETS:
        print(f"  {n} {s}: {' / '.join(map(str, f[s]['counts']))}")
