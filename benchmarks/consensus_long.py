"""Long-format votes to a fitted result: ``VoteMatrix.from_long`` on int64 id arrays, then fit.

For each size a generator process writes one vote per row -- participant id (int64),
statement id (int64), vote (int8), in random order, as a database query or a CSV would give
them -- to .npy files; a fresh process then loads them (its RSS now holds the inputs), times
``VoteMatrix.from_long`` and ``Consensus(random_state=0).fit``, and reports its peak RSS
(``resource.getrusage``: inputs + build + fit; generation is not counted).

    python benchmarks/consensus_long.py                     # 1e6, 1e7 votes
    python benchmarks/consensus_long.py --sizes 1e6,1e7,3e7,1e8

Shapes: 1% density, 10,000 statements, participants = votes / 100 (10 M votes = 100,000 x
10,000). The ids are offset (participants from 10**6, statements from 5 * 10**5) so that
they are not row numbers already. Prints one markdown row per size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

N_STATEMENTS = 10_000
DENSITY = 0.01


def generate(votes: int, folder: Path) -> None:
    """Write participants.npy, statements.npy, votes.npy (shuffled long format)."""
    import numpy as np
    from _consensus_synth import synthetic_matrix

    n = votes // int(N_STATEMENTS * DENSITY)
    matrix, _ = synthetic_matrix(n, N_STATEMENTS, DENSITY)
    rng = np.random.default_rng(2)
    order = rng.permutation(matrix.n_votes)
    rows = matrix.row_of_vote()
    np.save(folder / "participants.npy", rows[order].astype(np.int64) + 1_000_000)
    del rows
    np.save(folder / "statements.npy", matrix.indices[order].astype(np.int64) + 500_000)
    np.save(folder / "votes.npy", matrix.values[order])


def measure(folder: Path) -> dict:
    """Load the inputs, build the matrix from long format, fit; times and peak RSS."""
    import numpy as np

    from detente.consensus import Consensus, VoteMatrix

    participants = np.load(folder / "participants.npy")
    statements = np.load(folder / "statements.npy")
    votes = np.load(folder / "votes.npy")
    c0, t0 = time.process_time(), time.perf_counter()
    matrix = VoteMatrix.from_long(participants, statements, votes)
    c1, t1 = time.process_time(), time.perf_counter()
    est = Consensus(random_state=0).fit(matrix)
    c2, t2 = time.process_time(), time.perf_counter()
    return {
        "votes": int(votes.size),
        "shape": list(matrix.shape),
        "build_s": round(t1 - t0, 2),
        "fit_s": round(t2 - t1, 2),
        "total_s": round(t2 - t0, 2),
        "build_cpu_s": round(c1 - c0, 2),
        "fit_cpu_s": round(c2 - c1, 2),
        "k": est.k_,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_average": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e6,1e7", help="comma-separated vote counts")
    parser.add_argument("--generate", nargs=2, metavar=("VOTES", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--measure", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(int(float(args.generate[0])), Path(args.generate[1]))
        return
    if args.measure:
        print(json.dumps(measure(Path(args.measure))))
        return
    print(
        "| votes | participants × statements | from_long s (CPU s) | fit s (CPU s) | total s "
        "| peak RSS MB | k | load average |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size in (int(float(s)) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="detente-long-") as tmp:
            subprocess.run(
                [sys.executable, __file__, "--generate", str(size), tmp], check=True
            )
            proc = subprocess.run(
                [sys.executable, __file__, "--measure", tmp], capture_output=True, text=True
            )
        if proc.returncode:
            print(f"| {size:,} | failed: {proc.stderr.strip().splitlines()[-1]} |")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(
            f"| {r['votes']:,} | {r['shape'][0]:,} × {r['shape'][1]:,} "
            f"| {r['build_s']} ({r['build_cpu_s']}) | {r['fit_s']} ({r['fit_cpu_s']}) "
            f"| {r['total_s']} | {r['peak_rss_mb']:,} | {r['k']} "
            f"| {r['load_average']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
