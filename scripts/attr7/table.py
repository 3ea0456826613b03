"""Exploration (attr7): markdown tables from cache/results.json."""
import json
import sys
from pathlib import Path

from _counts import cell, pr

R = json.loads((Path(__file__).resolve().parent / "cache" / "results.json").read_text())
SETS = ("dev", "test", "test2", "test3", "test4", "test5", "test6")



names = sys.argv[1:] or [n for n in R if n != "select"]
print("| variant | " + " | ".join(SETS) + " | pooled P / R | pooled tp/fp/fn/tn | "
      "pooled P at R≥0.98, threshold on the test fold |")
print("|---|" + "---:|" * (len(SETS) + 3))
for n in names:
    f = R[n]["folds"]
    orc = R[n].get("pooled_oracle")
    print(f"| {n} | " + " | ".join(cell(f[s]["counts"]) for s in SETS) +
          f" | **{cell(R[n]['pooled'])}** | {' / '.join(map(str, R[n]['pooled']))} | "
          + (f"{pr(orc)[0]:.3f}" if orc else "") + " |")
if "gate" in R.get("tfidf", {}).get("folds", {}).get("dev", {}):
    g = [R["tfidf"]["folds"][s]["gate"] for s in SETS]
    tot = [sum(x[i] for x in g) for i in range(4)]
    print("| (rules alone) | " + " | ".join(cell(x) for x in g) + f" | {cell(tot)} | "
          + " / ".join(map(str, tot)) + " | |")
    g = [R["off-tfidf"]["folds"][s]["gate"] for s in SETS]
    tot = [sum(x[i] for x in g) for i in range(4)]
    print("| (mention detector alone) | " + " | ".join(cell(x) for x in g) + f" | {cell(tot)} | "
          + " / ".join(map(str, tot)) + " | |")
