"""Round 9: what the rules alone (no model) hold on each set, and pooled; a model can only
release what they hold, so their recall is the ceiling of the checker's.

    PYTHONPATH=src python scripts/attr7/rules_alone.py    # ATTR_SETS=dev,test,… to choose sets
"""
import os
from pathlib import Path

from detente.forum import AttributionChecker
from detente.forum._corpus import demo_checker, read_corpus, score

SETS = os.environ.get("ATTR_SETS", "dev,test,test2,test3,test4,test5,test6,test7,test8")
base = demo_checker()
rules = AttributionChecker(base.participants, base.sessions, use_model=False)
data = Path(__file__).resolve().parents[2] / "tests" / "forum" / "data" / "attribution"
total = [0, 0, 0, 0]
for name in SETS.split(","):
    s = score(rules, read_corpus(data / f"{name}.csv"))["all"]
    total = [a + b for a, b in zip(total, [s.tp, s.fp, s.fn, s.tn], strict=True)]
    missed = [row.id for kind, row in s.errors if kind == "missed"]
    print(name, f"{s.precision:.3f} / {s.recall:.3f}", s.tp, s.fp, s.fn, s.tn, missed)
tp, fp, fn, tn = total
print("pooled", f"{tp / (tp + fp):.3f} / {tp / (tp + fn):.3f}", total)
