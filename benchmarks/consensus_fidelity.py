"""Fidelity and speed of detente's consensus engine against Polis exports and red-dwarf.

For every conversation in the shared Polis open-data copy that has ``votes.csv`` or
``participants-votes.csv``, compares the groups found with Polis's ``group-id`` (adjusted Rand
index over participants that both cluster) in several modes, runs red-dwarf 0.4's
``run_pipeline`` on the same votes when it is installed, and times both in the same run.

    python benchmarks/consensus_fidelity.py              # fidelity + speed tables (markdown)
    python benchmarks/consensus_fidelity.py --repeat 1   # quicker, one timing run each

Prints markdown; nothing is written. BLAS runs single-threaded for both engines (set before
numpy loads): on a shared 2-core machine, multi-threaded BLAS calls on small matrices stall
whenever the other core is busy, which made timings of either engine swing several-fold.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import io  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _consensus_polis import (  # noqa: E402
    compare,
    conversation_folders,
    infer_min_votes,
    polis_labels,
    shared_dir,
)

from detente.consensus import Consensus, PolisConversation, read_polis_conversation  # noqa: E402

#: One replayed update per hour of votes (Polis recomputes as votes arrive).
REPLAY_WINDOW_MS = 3_600_000.0


@dataclass
class Outcome:
    ari: float
    k: int
    clustered: int
    seconds: float


def run_detente(
    conv: PolisConversation,
    polis: np.ndarray,
    mode: str,
    min_votes: int,
    repeat: int,
    window: float = REPLAY_WINDOW_MS,
) -> Outcome | None:
    k_polis = len(set(polis[polis >= 0].tolist()))
    est = Consensus(
        random_state=0, min_votes=min_votes, force_k=k_polis if mode == "force_k" else None
    )
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        if mode == "replay":
            if conv.source != "votes.csv":
                return None
            result = est.fit_history(conv.matrix, conv.moderated_out, window=window)
        else:
            result = est.fit(conv.matrix, conv.moderated_out)
        times.append(time.perf_counter() - t0)
    return Outcome(
        compare(polis, result.labels),
        result.k,
        int((result.labels >= 0).sum()),
        float(np.median(times)),
    )


def run_reddwarf(conv: PolisConversation, polis: np.ndarray, repeat: int) -> Outcome | None:
    try:
        from reddwarf.implementations.base import run_pipeline
    except ImportError:
        return None
    m = conv.matrix
    r, c, v = m.to_long()
    stamps = np.zeros(r.size) if m.timestamps is None else m.timestamps
    votes = [
        {
            "participant_id": m.participant_ids[i],
            "statement_id": m.statement_ids[j],
            "vote": int(x),
            "modified": float(t),
        }
        for i, j, x, t in zip(r.tolist(), c.tolist(), v.tolist(), stamps.tolist(), strict=True)
    ]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            res = run_pipeline(
                votes, mod_out_statement_ids=list(conv.moderated_out), random_state=0
            )
        times.append(time.perf_counter() - t0)
    cluster = res.participants_df["cluster_id"]
    import pandas as pd

    lookup = {pid: (-1 if pd.isna(cid) else int(cid)) for pid, cid in cluster.items()}
    labels = np.array([lookup.get(p, -1) for p in m.participant_ids.tolist()])
    return Outcome(
        compare(polis, labels),
        len(set(labels[labels >= 0].tolist())),
        int((labels >= 0).sum()),
        float(np.median(times)),
    )


def fmt(o: Outcome | None) -> str:
    return "–" if o is None else f"{o.ari:.3f} (k {o.k}, {o.clustered})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timing runs (median reported)")
    parser.add_argument(
        "--replay-window",
        type=float,
        default=REPLAY_WINDOW_MS,
        help="replay: one update per this many ms of votes (default 1 hour)",
    )
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        sys.exit("shared data (polis-opendata) not found")
    root = shared / "data" / "polis-opendata"
    rows, speed, scores = [], [], {"fit": [], "replay": [], "force_k": [], "rd": []}
    for folder in conversation_folders(root):
        conv = read_polis_conversation(folder)
        polis = polis_labels(conv)
        if not (polis >= 0).any():
            continue
        min_votes = infer_min_votes(conv)
        fit = run_detente(conv, polis, "fit", min_votes, args.repeat)
        replay = run_detente(conv, polis, "replay", min_votes, 1, args.replay_window)
        forced = run_detente(conv, polis, "force_k", min_votes, 1)
        rd = run_reddwarf(conv, polis, args.repeat)
        for key, o in (("fit", fit), ("replay", replay), ("force_k", forced), ("rd", rd)):
            if o is not None:
                scores[key].append(o.ari)
        name = str(folder.relative_to(root))
        k_polis = len(set(polis[polis >= 0].tolist()))
        rows.append(
            f"| {name} | {conv.source} | {conv.matrix.n_votes:,} | {min_votes} "
            f"| {k_polis}, {int((polis >= 0).sum())} | {fmt(fit)} | {fmt(replay)} "
            f"| {fmt(forced)} | {fmt(rd)} |"
        )
        if rd is not None:
            speed.append(
                f"| {name} | {conv.matrix.n_votes:,} | {fit.seconds * 1000:.1f} "
                f"| {rd.seconds * 1000:.0f} | {rd.seconds / fit.seconds:.0f}× "
                f"| {fit.ari:.3f} / {rd.ari:.3f} |"
            )
        print(f"done {name}", file=sys.stderr, flush=True)
    print(
        "| conversation | source | votes | in-conv min votes | Polis k, grouped "
        "| detente fit: ARI (k, clustered) | detente replay | detente k = Polis k | red-dwarf 0.4 |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    med = {k: (f"{np.median(v):.3f}" if v else "–") for k, v in scores.items()}
    print(
        f"| **median** | | | | | **{med['fit']}** | {med['replay']} | {med['force_k']} "
        f"| {med['rd']} |"
    )
    if speed:
        print(
            "\n| conversation | votes | detente fit ms | red-dwarf run_pipeline ms | speed-up "
            "| ARI detente / red-dwarf |"
        )
        print("|---|---|---|---|---|---|")
        print("\n".join(speed))


if __name__ == "__main__":
    main()
