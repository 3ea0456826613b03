"""Fidelity of detente's consensus engine to Polis, stage by stage, beside red-dwarf.

For every Polis export in the shared open-data copy whose groups are known (each
conversation once), both engines are fitted blind -- with their defaults, on votes whose
Polis group ids have been removed (``_consensus_polis.Case``) -- and only afterwards
compared with Polis's ``group-id``:

- summary: the k and group sizes each engine picks and the adjusted Rand index (ARI)
  against Polis over the participants both cluster;
- stages: who is clustered (in-conv), the PCA projection (detente against red-dwarf), the
  clustering at Polis's k (taken from the candidates each engine computes for every k in
  its range, without being told Polis's k), and the k choice;
- speed of both engines on the same votes.

    python -W ignore benchmarks/consensus_fidelity.py              # all tables (markdown)
    python -W ignore benchmarks/consensus_fidelity.py --repeat 1   # one timing run each

BLAS runs single-threaded for both engines (set before numpy loads): on a shared 2-core
machine multi-threaded BLAS calls on small matrices stall whenever the other core is busy.
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
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _consensus_polis import Case, load_cases, shared_dir  # noqa: E402

from detente.consensus import Consensus, PolisConversation  # noqa: E402


@dataclass
class Fit:
    """What one engine produced on one conversation (all computed blind)."""

    labels: np.ndarray  # per participant row of the conversation's matrix, -1 = unclustered
    projection: np.ndarray  # (n, 2), NaN where the engine has none
    candidates: dict[int, np.ndarray]  # labels for every k the engine considered
    scores: dict[int, float] = field(default_factory=dict)  # silhouette per k
    seconds: float = 0.0

    @property
    def k(self) -> int:
        return len(set(self.labels[self.labels >= 0].tolist()))

    def sizes(self) -> list[int]:
        lab = self.labels[self.labels >= 0]
        return sorted(np.bincount(lab).tolist(), reverse=True) if lab.size else []


def fit_detente(conv: PolisConversation, repeat: int) -> Fit:
    """``Consensus(random_state=0)`` with its defaults: the fit a user gets."""
    times = []
    for _ in range(repeat):
        est = Consensus(random_state=0)
        t0 = time.perf_counter()
        est.fit(conv.matrix, conv.moderated_out)
        times.append(time.perf_counter() - t0)
    base = est.state_.base
    candidates = {}
    for k, cl in est.state_.by_k.items():
        lab = np.full(conv.matrix.shape[0], -1)
        lab[base.keys] = cl.labels[base.labels]
        candidates[k] = lab
    return Fit(est.labels_, est.projection_, candidates, est.silhouettes_, float(np.median(times)))


def _reddwarf_votes(conv: PolisConversation) -> list[dict]:
    m = conv.matrix
    r, c, v = m.to_long()
    stamps = np.zeros(r.size) if m.timestamps is None else m.timestamps
    return [
        {
            "participant_id": m.participant_ids[i],
            "statement_id": m.statement_ids[j],
            "vote": int(x),
            "modified": float(t),
        }
        for i, j, x, t in zip(r.tolist(), c.tolist(), v.tolist(), stamps.tolist(), strict=True)
    ]


def _reddwarf_run(conv: PolisConversation, votes: list[dict], **kwargs):  # type: ignore[no-untyped-def]
    from reddwarf.implementations.base import run_pipeline

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return run_pipeline(
            votes, mod_out_statement_ids=list(conv.moderated_out), random_state=0, **kwargs
        )


def _reddwarf_labels(conv: PolisConversation, res) -> np.ndarray:  # type: ignore[no-untyped-def]
    import pandas as pd

    cluster = res.participants_df["cluster_id"]
    lookup = {pid: (-1 if pd.isna(cid) else int(cid)) for pid, cid in cluster.items()}
    return np.array([lookup.get(p, -1) for p in conv.matrix.participant_ids.tolist()])


def fit_reddwarf(conv: PolisConversation, repeat: int) -> Fit | None:
    """red-dwarf 0.4 ``run_pipeline`` with its defaults, and with each k of its range forced."""
    try:
        import reddwarf  # noqa: F401
    except ImportError:
        return None
    votes = _reddwarf_votes(conv)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = _reddwarf_run(conv, votes)
        times.append(time.perf_counter() - t0)
    labels = _reddwarf_labels(conv, res)
    df = res.participants_df
    proj = np.full((conv.matrix.shape[0], 2), np.nan)
    pos = {pid: (x, y) for pid, x, y in zip(df.index, df["x"], df["y"], strict=True)}
    for i, p in enumerate(conv.matrix.participant_ids.tolist()):
        if p in pos:
            proj[i] = pos[p]
    candidates = {
        k: _reddwarf_labels(conv, _reddwarf_run(conv, votes, force_group_count=k))
        for k in range(2, 6)
    }
    return Fit(labels, proj, candidates, {}, float(np.median(times)))


def _axis_r(a: np.ndarray, b: np.ndarray) -> str:
    ok = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1)
    rs = []
    for axis in range(2):
        x, y = a[ok, axis], b[ok, axis]
        if x.std() == 0 or y.std() == 0:
            rs.append(float("nan"))
        else:
            rs.append(abs(float(np.corrcoef(x, y)[0, 1])))
    return " / ".join(f"{r:.3f}" for r in rs)


def _sizes(s: list[int]) -> str:
    return "/".join(map(str, s)) or "–"


@dataclass
class Row:
    case: Case
    detente: Fit
    reddwarf: Fit | None


def evaluate(cases: list[Case], repeat: int) -> list[Row]:
    """Fit every case with both engines (blind), then nothing else: scoring comes after."""
    rows = []
    for case in cases:
        det = case.fit(lambda conv: fit_detente(conv, repeat))
        rd = case.fit(lambda conv: fit_reddwarf(conv, repeat))
        rows.append(Row(case, det, rd))
        print(f"fitted {case.name}", file=sys.stderr, flush=True)
    return rows


def report(rows: list[Row]) -> str:
    """The markdown tables; Polis's groups are read here, after every fit."""
    out = []
    summary, stages, speed = [], [], []
    med: dict[str, list[float]] = {"det": [], "rd": []}
    for row in rows:
        conv = row.case.conversation
        ref = row.case.reference
        pids = conv.matrix.participant_ids
        polis = ref.labels(pids)
        det, rd = row.detente, row.reddwarf
        a_det = ref.score(pids, det.labels)
        med["det"].append(a_det)
        a_rd = ref.score(pids, rd.labels) if rd else float("nan")
        if rd:
            med["rd"].append(a_rd)
        summary.append(
            f"| {row.case.name} | {conv.source} | {conv.matrix.n_votes:,} "
            f"| {ref.k} ({_sizes(ref.sizes())}) | {det.k} ({_sizes(det.sizes())}) | {a_det:.3f} "
            + (f"| {rd.k} ({_sizes(rd.sizes())}) | {a_rd:.3f} |" if rd else "| – | – |")
        )
        grouped = polis >= 0
        inconv = (
            f"{int(grouped.sum())} / {int((det.labels >= 0).sum())} "
            f"({int(((det.labels >= 0) & grouped).sum())})"
        )
        if rd:
            rd_in = rd.labels >= 0
            inconv += f" / {int(rd_in.sum())} ({int((rd_in & grouped).sum())})"
        at_k_det = ref.score(pids, det.candidates[ref.k]) if ref.k in det.candidates else None
        at_k_rd = ref.score(pids, rd.candidates[ref.k]) if rd and ref.k in rd.candidates else None
        sil = " ".join(f"{k}:{s:.2f}" for k, s in sorted(det.scores.items()))
        stages.append(
            f"| {row.case.name} | {inconv} "
            f"| {_axis_r(det.projection, rd.projection) if rd else '–'} "
            f"| {'–' if at_k_det is None else f'{at_k_det:.3f}'} "
            f"/ {'–' if at_k_rd is None else f'{at_k_rd:.3f}'} "
            f"| {ref.k} / {det.k} / {rd.k if rd else '–'} | {sil} "
            f"| {a_det:.3f} / {a_rd:.3f} |"
        )
        if rd:
            speed.append(
                f"| {row.case.name} | {conv.matrix.n_votes:,} | {det.seconds * 1000:.1f} "
                f"| {rd.seconds * 1000:.0f} | {rd.seconds / det.seconds:.0f}× |"
            )
    m_det = np.median(med["det"])
    m_rd = np.median(med["rd"]) if med["rd"] else float("nan")
    out.append(
        "| conversation | source | votes | Polis k (sizes) | detente k (sizes) | detente ARI "
        "| red-dwarf k (sizes) | red-dwarf ARI |"
    )
    out.append("|---|---|---|---|---|---|---|---|")
    out += summary
    out.append(
        f"| **median** ({len(rows)} conversations) | | | | | **{m_det:.3f}** | | {m_rd:.3f} |"
    )
    out.append("")
    out.append(
        "| conversation | clustered: Polis / detente (∩ Polis) / red-dwarf (∩ Polis) "
        "| PCA: \\|r\\| axis 1 / axis 2, detente vs red-dwarf "
        "| ARI at Polis's k: detente / red-dwarf | k: Polis / detente / red-dwarf "
        "| detente silhouette by k | final ARI: detente / red-dwarf |"
    )
    out.append("|---|---|---|---|---|---|---|")
    out += stages
    if speed:
        out.append("")
        out.append(
            "| conversation | votes | detente fit ms | red-dwarf run_pipeline ms | speed-up |"
        )
        out.append("|---|---|---|---|---|")
        out += speed
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timing runs (median reported)")
    parser.add_argument("--only", default="", help="only conversations whose name contains this")
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        sys.exit("shared data (polis-opendata) not found")
    cases = [c for c in load_cases(shared / "data" / "polis-opendata") if args.only in c.name]
    print(report(evaluate(cases, args.repeat)))


if __name__ == "__main__":
    main()
