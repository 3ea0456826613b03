"""Does a departure from Polis's algorithm earn its place? Leave-one-conversation-out.

Each candidate departure is an alternative to one step of Polis's cold update. Every
variant is fitted blind on every shared Polis conversation (``_consensus_polis.Case``);
only then are Polis's groups read. For each conversation left out in turn, the variant
(Polis's step or the departure) with the higher median ARI on the *other* conversations is
chosen (ties go to Polis) and scored on the one left out. A departure is justified when the
median of those left-out scores beats Polis's own step.

    python -W ignore benchmarks/consensus_departures.py            # markdown tables
    python -W ignore benchmarks/consensus_departures.py --details  # ARI per conversation too
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _consensus_polis import Case, load_cases, shared_dir  # noqa: E402

from detente.consensus import Clustering, Consensus, PolisConversation  # noqa: E402

Labels = Callable[[PolisConversation], np.ndarray]


class WeightedSilhouette(Consensus):
    """k chosen by a participant-weighted silhouette: each base cluster counts (in the
    mean and in the within/between distances) as many times as it has members, an
    approximation of the silhouette over participants that red-dwarf computes."""

    def _silhouette(self, base: Clustering, groups: Clustering, distances: np.ndarray) -> float:
        w = base.sizes().astype(np.float64)
        labels = groups.labels
        onehot = np.zeros((labels.size, int(labels.max()) + 1))
        onehot[np.arange(labels.size), labels] = w
        sums = distances @ onehot
        totals = onehot.sum(axis=0)
        rows = np.arange(labels.size)
        own_total = totals[labels] - w
        a = sums[rows, labels] / np.maximum(own_total, 1e-12)
        means = sums / totals
        means[rows, labels] = np.inf
        b = means.min(axis=1)
        denom = np.maximum(a, b)
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.where((own_total > 0) & (denom > 0), (b - a) / denom, 0.0)
        return float((s * w).sum() / w.sum())


def _fit(estimator: Consensus) -> Labels:
    def run(conv: PolisConversation) -> np.ndarray:
        return estimator.fit(conv.matrix, conv.moderated_out).labels_.copy()

    return run


def _replay(conv: PolisConversation) -> np.ndarray:
    est = Consensus(random_state=0)
    if conv.matrix.timestamps is None:  # participants-votes.csv: no history to replay
        return est.fit(conv.matrix, conv.moderated_out).labels_.copy()
    return est.fit_history(conv.matrix, conv.moderated_out, window=3_600_000).labels_.copy()


@dataclass(frozen=True)
class Candidate:
    name: str
    polis: str
    departure: str
    run: Labels


POLIS: Labels = _fit(Consensus(random_state=0))

CANDIDATES = [
    Candidate(
        "exact PCA",
        "100 power-iteration rounds from a random start (pca.clj)",
        "the converged top-2 eigenvectors (`pca_solver=\"exact\"`)",
        _fit(Consensus(random_state=0, pca_solver="exact")),
    ),
    Candidate(
        "group k-means to convergence",
        "at most 20 Lloyd steps per update",
        "up to 1,000 steps (`group_iters=1000`), what many warm updates approach",
        _fit(Consensus(random_state=0, group_iters=1000)),
    ),
    Candidate(
        "base k-means capped at 20",
        "up to 100 steps (`base-iters`)",
        "20 steps (`base_iters=20`), in case the caller's option name is ignored there too",
        _fit(Consensus(random_state=0, base_iters=20)),
    ),
    Candidate(
        "no base clusters",
        "group k-means on 100 base-cluster centres",
        "on every participant (`base_k` above the participant count), as red-dwarf",
        _fit(Consensus(random_state=0, base_k=1_000_000)),
    ),
    Candidate(
        "participant-weighted silhouette",
        "mean silhouette over base-cluster centres, unweighted",
        "each base centre weighted by its members (close to red-dwarf's silhouette)",
        _fit(WeightedSilhouette(random_state=0)),
    ),
    Candidate(
        "every voter clustered",
        "in-conv needs min(7, statements) votes",
        "one vote is enough (`min_votes=1`), the apparent 2017 rule",
        _fit(Consensus(random_state=0, min_votes=1)),
    ),
    Candidate(
        "history replay",
        "one cold update on the final votes",
        "one warm update per hour of votes (`fit_history`, votes.csv only)",
        _replay,
    ),
]


def loo(polis: np.ndarray, departure: np.ndarray, stat=np.median) -> tuple[np.ndarray, int]:
    """Left-out scores when each conversation's variant is chosen on the others by ``stat``."""
    n = polis.size
    scores, chose = np.empty(n), 0
    for i in range(n):
        others = np.arange(n) != i
        if stat(departure[others]) > stat(polis[others]):
            scores[i], chose = departure[i], chose + 1
        else:
            scores[i] = polis[i]
    return scores, chose


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="ARI per conversation")
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        sys.exit("shared data (polis-opendata) not found")
    cases: list[Case] = load_cases(shared / "data" / "polis-opendata")
    labels: dict[str, list[np.ndarray]] = {"Polis": [], **{c.name: [] for c in CANDIDATES}}
    for case in cases:  # every fit first, blind
        labels["Polis"].append(case.fit(POLIS))
        for cand in CANDIDATES:
            labels[cand.name].append(case.fit(cand.run))
        print(f"fitted {case.name}", file=sys.stderr, flush=True)
    ari = {
        name: np.array(
            [
                case.reference.score(case.conversation.matrix.participant_ids, lab)
                for case, lab in zip(cases, labs, strict=True)
            ]
        )
        for name, labs in labels.items()
    }
    polis = ari["Polis"]
    print(f"Polis's cold update (detente's defaults): median ARI {np.median(polis):.3f}, "
          f"mean {np.mean(polis):.3f} over {len(cases)} conversations\n")
    print("| departure | Polis does | the departure | median ARI, all | wins / losses "
          "| LOO: chosen in | LOO median | gain over Polis | LOO by mean: gain |")
    print("|---|---|---|---|---|---|---|---|---|")
    for cand in CANDIDATES:
        dep = ari[cand.name]
        scores, chose = loo(polis, dep)
        by_mean, _ = loo(polis, dep, np.mean)
        wins = int(np.sum(dep > polis + 1e-9))
        losses = int(np.sum(dep < polis - 1e-9))
        print(
            f"| {cand.name} | {cand.polis} | {cand.departure} | {np.median(dep):.3f} "
            f"| {wins} / {losses} | {chose} of {len(cases)} folds | {np.median(scores):.3f} "
            f"| {np.median(scores) - np.median(polis):+.3f} "
            f"| {np.mean(by_mean) - np.mean(polis):+.3f} |"
        )
    if args.details:
        names = list(ari)
        print("\n| conversation | " + " | ".join(names) + " |")
        print("|---|" + "---|" * len(names))
        for i, case in enumerate(cases):
            print(f"| {case.name} | " + " | ".join(f"{ari[n][i]:.3f}" for n in names) + " |")


if __name__ == "__main__":
    main()
