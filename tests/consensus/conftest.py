"""Fixtures and generators shared by the consensus engine tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detente.consensus import VoteMatrix


def planted(
    sizes: tuple[int, ...],
    n_statements: int,
    *,
    seed: int = 0,
    density: float = 0.8,
    fidelity: float = 0.9,
) -> tuple[VoteMatrix, np.ndarray]:
    """A conversation with clear camps: camp c agrees with statement j when pattern[c, j] = 1.

    Returns the matrix (ids "p0", "p1", ... and "s0", ...) and the true camp of each row.
    """
    rng = np.random.default_rng(seed)
    n_camps = len(sizes)
    # camp c agrees where j % n_camps == c: any two camps disagree on 2/n_camps of the
    # statements (all of them for two camps); columns are then shuffled and sign-flipped.
    pattern = np.where(
        np.arange(n_statements)[None, :] % n_camps == np.arange(n_camps)[:, None], 1, -1
    )
    pattern = pattern[:, rng.permutation(n_statements)] * rng.choice([-1, 1], size=n_statements)
    camp = np.repeat(np.arange(len(sizes)), sizes)
    rows, cols, votes = [], [], []
    for i, c in enumerate(camp.tolist()):
        seen = np.flatnonzero(rng.random(n_statements) < density)
        if seen.size < 8:
            seen = np.arange(min(8, n_statements))
        for j in seen.tolist():
            u = rng.random()
            v = (
                pattern[c, j]
                if u < fidelity
                else (0 if u < fidelity + (1 - fidelity) / 2 else -pattern[c, j])
            )
            rows.append(f"p{i}")
            cols.append(f"s{j}")
            votes.append(int(v))
    return VoteMatrix.from_long(rows, cols, votes), camp


@pytest.fixture
def two_camps() -> tuple[VoteMatrix, np.ndarray]:
    """60 participants in two clear camps over 20 statements."""
    return planted((35, 25), 20, seed=1)


@pytest.fixture(scope="session")
def polis_data(shared_dir: Path) -> Path:
    """The shared Polis open-data folder, or skip."""
    folder = shared_dir / "data" / "polis-opendata"
    if not folder.is_dir():
        pytest.skip("polis-opendata is absent from shared data")
    return folder
