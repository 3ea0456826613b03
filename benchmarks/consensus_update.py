"""Incremental update versus full fit on real Polis conversations.

Fits each conversation on all votes but the last ``--batch`` (by timestamp), then times
(a) ``Consensus.update`` with the last votes, warm-started from that fit, and (b) a cold
``Consensus.fit`` on all votes. Medians of ``--repeat`` runs; prints a markdown table.

    python benchmarks/consensus_update.py --batch 100 --repeat 5
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _consensus_polis import conversation_folders, shared_dir

from detente.consensus import Consensus, VoteMatrix, read_polis_conversation


def split(matrix: VoteMatrix, n_last: int) -> tuple[VoteMatrix, VoteMatrix]:
    """(votes before the last n_last, the last n_last votes) by timestamp."""
    cut = np.sort(matrix.timestamps)[-n_last - 1]
    early = matrix.until(cut)
    keep = matrix.timestamps > cut
    r, c, v = matrix.to_long()
    late = VoteMatrix.from_long(
        matrix.participant_ids[r[keep]].tolist(),
        matrix.statement_ids[c[keep]].tolist(),
        v[keep].tolist(),
    )
    return early, late


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root = shared_dir() / "data" / "polis-opendata"
    print(f"| conversation | votes | full fit ms | update ms (last {args.batch} votes) "
          "| update / fit |")
    print("|---|---|---|---|---|")
    for folder in conversation_folders(root):
        conv = read_polis_conversation(folder)
        if conv.matrix.timestamps is None or conv.source != "votes.csv":
            continue
        early, late = split(conv.matrix, args.batch)
        base = Consensus(random_state=0)
        base.fit(early, conv.moderated_out)
        fits, updates = [], []
        for _ in range(args.repeat):
            est = copy.deepcopy(base)
            t0 = time.perf_counter()
            est.update(late)
            updates.append(time.perf_counter() - t0)
            t1 = time.perf_counter()
            Consensus(random_state=0).fit(est.matrix_, conv.moderated_out)
            fits.append(time.perf_counter() - t1)
        f, u = np.median(fits) * 1000, np.median(updates) * 1000
        name = folder.relative_to(root)
        print(f"| {name} | {conv.matrix.n_votes:,} | {f:.1f} | {u:.1f} | {u / f:.2f} |", flush=True)


if __name__ == "__main__":
    main()
