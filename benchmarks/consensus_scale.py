"""Scale benchmark of the consensus engine on synthetic two-camp conversations.

Each size runs in its own subprocess so that its peak RSS (``resource.getrusage``) is its
own: generation + matrix + full fit. Fit time excludes generation.

    python benchmarks/consensus_scale.py                       # 1M, 10M, 30M votes
    python benchmarks/consensus_scale.py --sizes 1e6,1e7,3e7,1e8
    python benchmarks/consensus_scale.py --one 1000000 10000 0.01   # a single run

Prints one markdown table row per size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

#: votes -> (participants, statements, density)
SHAPES = {
    1_000_000: (10_000, 10_000, 0.01),
    10_000_000: (100_000, 10_000, 0.01),
    30_000_000: (300_000, 10_000, 0.01),
    100_000_000: (1_000_000, 10_000, 0.01),
}


def run_one(n: int, m: int, density: float, update_fraction: float) -> dict:
    import numpy as np
    from _consensus_synth import synthetic_matrix

    from detente.consensus import Consensus, VoteMatrix

    t0 = time.perf_counter()
    matrix, camp = synthetic_matrix(n, m, density)
    t1 = time.perf_counter()
    est = Consensus(random_state=0)
    result = est.fit(matrix).result_
    t2 = time.perf_counter()
    both = result.labels >= 0
    agree = float(np.mean(result.labels[both] == camp[both]))
    out = {
        "participants": n,
        "statements": m,
        "votes": matrix.n_votes,
        "generate_s": round(t1 - t0, 2),
        "fit_s": round(t2 - t1, 2),
        "k": result.k,
        "camp_accuracy": round(max(agree, 1 - agree), 4) if result.k == 2 else None,
    }
    if update_fraction > 0:
        # a batch of new votes from existing and new participants, warm-started update
        rng = np.random.default_rng(1)
        nb = max(1, int(matrix.n_votes * update_fraction))
        rows = rng.integers(0, int(n * 1.01), size=nb)
        cols = rng.integers(0, m, size=nb)
        vals = rng.choice(np.array([-1, 0, 1], dtype=np.int8), size=nb)
        batch = VoteMatrix.from_codes(rows, cols, vals, shape=(int(n * 1.01), m))
        t3 = time.perf_counter()
        est.update(batch)
        out["update_votes"] = nb
        out["update_s"] = round(time.perf_counter() - t3, 2)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e6,1e7,3e7", help="comma-separated vote counts")
    parser.add_argument("--one", nargs=3, metavar=("N", "M", "DENSITY"))
    parser.add_argument(
        "--update",
        type=float,
        default=0.0,
        help="also time an update with this fraction of new votes",
    )
    args = parser.parse_args()
    if args.one:
        n, m, d = int(args.one[0]), int(args.one[1]), float(args.one[2])
        print(json.dumps(run_one(n, m, d, args.update)))
        return
    print(
        "| votes | participants × statements | generate s | fit s | update s (votes) "
        "| peak RSS MB | k | camp accuracy |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size in (int(float(s)) for s in args.sizes.split(",")):
        n, m, d = SHAPES[size]
        cmd = [
            sys.executable,
            __file__,
            "--one",
            str(n),
            str(m),
            str(d),
            "--update",
            str(args.update),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy())
        if proc.returncode:
            print(f"| {size:,} | failed: {proc.stderr.strip().splitlines()[-1]} |")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        upd = f"{r['update_s']} ({r['update_votes']:,})" if "update_s" in r else "–"
        print(
            f"| {r['votes']:,} | {n:,} × {m:,} | {r['generate_s']} | {r['fit_s']} | {upd} "
            f"| {r['peak_rss_mb']:,} | {r['k']} | {r['camp_accuracy']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
