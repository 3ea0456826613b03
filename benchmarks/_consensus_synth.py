"""Synthetic vote matrices for the consensus benchmarks (shared helper, not a benchmark).

Two latent camps: each participant has a camp c = ±1 and each statement a loading l = ±1;
a seen cell votes c·l with probability 0.65, -c·l with 0.20 and passes with 0.15. Cells are
seen independently with probability ``density``. The CSR arrays are generated block by
block directly in their final dtypes so that generation never holds more than one block of
64-bit temporaries.
"""

from __future__ import annotations

import numpy as np

from detente.consensus import VoteMatrix

__all__ = ["synthetic_matrix"]


def _block_positions(rng: np.random.Generator, cells: int, density: float) -> np.ndarray:
    """Sorted unique flat positions in [0, cells), each present with probability ``density``."""
    expected = cells * density
    parts = []
    start = -1
    while True:
        gaps = rng.geometric(density, size=int(expected * 1.05) + 64)
        pos = start + np.cumsum(gaps, dtype=np.int64)
        done = pos[-1] >= cells
        parts.append(pos[pos < cells])
        if done:
            break
        start = int(pos[-1])
    return np.concatenate(parts)


def synthetic_matrix(
    n_participants: int,
    n_statements: int,
    density: float,
    *,
    seed: int = 0,
    block_rows: int = 20_000,
) -> tuple[VoteMatrix, np.ndarray]:
    """A random two-camp conversation and the true camp of each participant (0/1)."""
    rng = np.random.default_rng(seed)
    camp = rng.integers(0, 2, size=n_participants).astype(np.int8)
    loading = np.where(rng.random(n_statements) < 0.5, -1, 1).astype(np.int8)
    counts = np.zeros(n_participants, dtype=np.int64)
    idx_parts, val_parts = [], []
    for r0 in range(0, n_participants, block_rows):
        r1 = min(r0 + block_rows, n_participants)
        pos = _block_positions(rng, (r1 - r0) * n_statements, density)
        rows = (pos // n_statements).astype(np.int32)
        cols = (pos % n_statements).astype(np.int32)
        del pos
        counts[r0:r1] = np.bincount(rows, minlength=r1 - r0)
        agree_side = (2 * camp[r0:r1][rows] - 1) * loading[cols]
        u = rng.random(cols.size, dtype=np.float32)
        vals = np.where(u < 0.65, agree_side, np.where(u < 0.85, -agree_side, 0)).astype(np.int8)
        idx_parts.append(cols)
        val_parts.append(vals)
    indptr = np.zeros(n_participants + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    indices = np.concatenate(idx_parts)
    del idx_parts
    values = np.concatenate(val_parts)
    del val_parts
    matrix = VoteMatrix.from_csr(indptr, indices, values, n_statements=n_statements)
    return matrix, camp
