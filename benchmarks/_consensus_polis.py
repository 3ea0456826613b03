"""Helpers shared by the consensus fidelity benchmark and its test (no side effects).

Finding the shared Polis exports, reading Polis's groups, the adjusted Rand index, and the
inference of the in-conv rule an export was made with.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from detente.consensus import PolisConversation

__all__ = [
    "ari",
    "compare",
    "conversation_folders",
    "infer_min_votes",
    "polis_labels",
    "shared_dir",
]


def shared_dir() -> Path | None:
    """../shared next to the repo, $DETENTE_SHARED_DIR or /work/shared."""
    for cand in (
        os.environ.get("DETENTE_SHARED_DIR"),
        Path(__file__).resolve().parents[2] / "shared",
        "/work/shared",
    ):
        if cand and (Path(cand) / "data" / "polis-opendata").is_dir():
            return Path(cand)
    return None


def conversation_folders(root: Path) -> list[Path]:
    """Folders (at any depth) holding votes.csv or participants-votes.csv."""
    found = {p.parent for name in ("votes.csv", "participants-votes.csv") for p in root.rglob(name)}
    return sorted(found)


def ari(a: np.ndarray, b: np.ndarray) -> float:
    """Adjusted Rand index of two labelings (Hubert & Arabie 1985), plain numpy."""
    if a.size < 2:
        return float("nan")
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(table, (ai, bi), 1)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    index, rows, cols = pairs(table), pairs(table.sum(1)), pairs(table.sum(0))
    total = a.size * (a.size - 1) / 2
    expected = rows * cols / total
    best = (rows + cols) / 2
    return 1.0 if best == expected else (index - expected) / (best - expected)


def infer_min_votes(conv: PolisConversation) -> int:
    """Polis's in-conv threshold for this export: 7, or 1 for the older rule.

    Current Polis clusters participants with >= min(7, n_comments) votes (monotone over
    updates). Exports from 2017 group nearly every voter, many with 1-6 votes, more than the
    monotone rule can explain: when over 5% of the grouped participants have fewer than
    min(7, n_comments) votes we infer the older "every voter" rule (threshold 1).
    """
    m = conv.matrix
    counts = m.row_counts()
    grouped = np.array([conv.group_ids.get(p) is not None for p in m.participant_ids.tolist()])
    few = grouped & (counts < min(7, m.shape[1]))
    return 1 if few.sum() > 0.05 * max(grouped.sum(), 1) else 7


def polis_labels(conv: PolisConversation) -> np.ndarray:
    return np.array(
        [
            -1 if conv.group_ids.get(p) is None else conv.group_ids[p]
            for p in conv.matrix.participant_ids.tolist()
        ]
    )


def compare(polis: np.ndarray, ours: np.ndarray) -> float:
    both = (polis >= 0) & (ours >= 0)
    return ari(polis[both], ours[both])
