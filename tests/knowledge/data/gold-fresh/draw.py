"""Draw the fresh tagging test sample: provisions of the shared corpus the old gold set lacks.

Usage (from the repository root):

    python tests/knowledge/data/gold-fresh/draw.py [--shared ../shared] [--seed 20261201]

prints ``file,path,stratum`` for the drawn provisions, ordered by document and position. The
corpus is imported into a temporary SQLite database with ``detente.knowledge.import_documents``
(the same segmentation as ``detente kb import``); only provision keys, kinds and texts are read.

Eligible, as for the old gold set (``../gold/GUIDE.md``): not a preamble, 60-1,200 characters of
own text, and not in ``../gold/labels.csv``. Two strata, drawn uniformly without replacement
with ``random.Random(seed).sample`` over the eligible provisions sorted by file and position:
125 from the EU AI Act and 125 from the three US instruments together (the corpus is 70% EU AI
Act; the US half keeps the security domains from vanishing without selecting by keywords).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from pathlib import Path

from sqlalchemy import Engine, select

from detente.knowledge import import_documents
from detente.store import create_db_engine, session_scope, upgrade
from detente.store.models.knowledge import KbDocument, KbProvision

HERE = Path(__file__).resolve().parent
OLD_GOLD = HERE.parent / "gold" / "labels.csv"
SEED = 20261201
PER_STRATUM = 125
EU_FILE = "eu-ai-act-regulation-2024-1689.en.md"


def eligible_in(engine: Engine) -> list[tuple[str, str, int]]:
    """Eligible (file, path, position) triples of an imported corpus, by file and position."""
    with OLD_GOLD.open(encoding="utf-8", newline="") as handle:
        old = {(row["file"], row["path"]) for row in csv.DictReader(handle)}
    with session_scope(engine) as db:
        rows = db.execute(
            select(KbDocument.file_name, KbProvision.path, KbProvision.position, KbProvision.text)
            .join(KbDocument)
            .where(KbProvision.kind != "preamble")
        ).all()
    out = [
        (f, p, pos)
        for f, p, pos, text in rows
        if 60 <= len(text or "") <= 1200 and (f, p) not in old
    ]
    return sorted(out, key=lambda r: (r[0], r[2]))


def draw_from(pool: list[tuple[str, str, int]], seed: int = SEED) -> list[tuple[str, str, str]]:
    """The drawn (file, path, stratum) triples, ordered by file and position."""
    strata = {
        "eu": [r for r in pool if r[0] == EU_FILE],
        "us": [r for r in pool if r[0] != EU_FILE],
    }
    rng = random.Random(seed)
    chosen = []
    for name in ("eu", "us"):
        chosen += [(f, p, pos, name) for f, p, pos in rng.sample(strata[name], PER_STRATUM)]
    chosen.sort(key=lambda r: (r[0], r[2]))
    return [(f, p, name) for f, p, _pos, name in chosen]


def draw(shared: Path, seed: int = SEED) -> list[tuple[str, str, str]]:
    """Import the shared corpus into a temporary database and draw the sample."""
    folder = shared / "data" / "governance-texts"
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(f"sqlite:///{Path(tmp) / 'kb.db'}")
        upgrade(engine)
        import_documents(engine, sorted(folder.glob("*.en.md")), manifest=folder / "manifest.csv")
        pool = eligible_in(engine)
        engine.dispose()
    return draw_from(pool, seed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["file", "path", "stratum"])
    writer.writerows(draw(args.shared, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
