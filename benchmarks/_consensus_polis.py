"""Polis exports as benchmark cases, with Polis's own answer sealed until the fits are done.

A :class:`Case` hands its fits a *blind* conversation (``group_ids`` emptied) and keeps Polis's
groups in a :class:`Reference` that cannot be read before the case has been fitted, nor while
a fit runs, and no fit may start once it has been read. Benchmarks and tests reach Polis's
groups only through this module (a test checks that), so no reference output -- group ids,
k, group sizes -- can steer a fit: it is compared afterwards.

Also: finding the shared Polis exports, and the adjusted Rand index.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from detente.consensus import PolisConversation, read_polis_conversation

__all__ = [
    "Case",
    "Reference",
    "ReferenceLeak",
    "ari",
    "compare",
    "conversation_folders",
    "load_cases",
    "shared_dir",
]

T = TypeVar("T")


class ReferenceLeak(RuntimeError):
    """Polis's answer was asked for before or during a fit, or a fit came after reading it."""


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


def compare(reference: np.ndarray, ours: np.ndarray) -> float:
    """ARI over the participants both labelings cluster (label >= 0)."""
    both = (reference >= 0) & (ours >= 0)
    return ari(reference[both], ours[both])


@dataclass(frozen=True, eq=False)
class Reference:
    """Polis's groups for one conversation (``group-id`` of participants-votes.csv)."""

    _groups: dict[Any, int | None]
    _case: Case

    def _check(self) -> None:
        self._case._reading()

    def labels(self, participant_ids: np.ndarray) -> np.ndarray:
        """Polis's group per participant (-1 = not grouped), in the given order."""
        self._check()
        g = self._groups
        return np.array([-1 if g.get(p) is None else int(g[p]) for p in participant_ids.tolist()])

    def sizes(self) -> list[int]:
        """Group sizes, largest first."""
        self._check()
        values = [v for v in self._groups.values() if v is not None]
        return sorted(np.bincount(values).tolist(), reverse=True) if values else []

    @property
    def k(self) -> int:
        """Number of Polis groups."""
        return len(self.sizes())

    def score(self, participant_ids: np.ndarray, labels: np.ndarray) -> float:
        """ARI of ``labels`` against Polis over the participants both cluster."""
        return compare(self.labels(participant_ids), labels)


@dataclass(eq=False)
class Case:
    """One Polis export: a blind conversation to fit, Polis's groups sealed until afterwards."""

    name: str
    conversation: PolisConversation
    _groups: dict[Any, int | None] = field(repr=False)
    _fitting: bool = False
    _fits: int = 0
    _opened: bool = False

    def fit(self, run: Callable[[PolisConversation], T]) -> T:
        """Run one fit (any engine) on the blind conversation and return what it returns."""
        if self._opened:
            raise ReferenceLeak(f"{self.name}: a fit after Polis's groups were read")
        self._fitting = True
        try:
            return run(self.conversation)
        finally:
            self._fitting = False
            self._fits += 1

    def _reading(self) -> None:
        if self._fitting:
            raise ReferenceLeak(f"{self.name}: Polis's groups read during a fit")
        if self._fits == 0:
            raise ReferenceLeak(f"{self.name}: Polis's groups read before any fit")
        self._opened = True

    def sealed_copy(self) -> Case:
        """The same conversation as a new, sealed case (for an independent experiment)."""
        return Case(self.name, self.conversation, self._groups)

    @property
    def reference(self) -> Reference:
        """Polis's groups; only after this case's fits (reading it ends the fitting)."""
        self._reading()
        return Reference(self._groups, self)


def _votes_digest(conv: PolisConversation) -> str:
    m = conv.matrix
    h = hashlib.sha1()
    for a in (m.indptr, m.indices, m.values):
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def load_cases(root: Path) -> list[Case]:
    """Every export under ``root`` whose Polis groups are known, as blind cases.

    An export holding exactly the same votes as one already loaded (the taxes conversation
    ships a nested copy of itself) is skipped, so that no conversation counts twice.
    """
    cases, seen = [], set()
    for folder in conversation_folders(root):
        conv = read_polis_conversation(folder)
        if not any(g is not None for g in conv.group_ids.values()):
            continue
        digest = _votes_digest(conv)
        if digest in seen:
            continue
        seen.add(digest)
        blind = replace(conv, group_ids={})
        cases.append(Case(str(folder.relative_to(root)), blind, dict(conv.group_ids)))
    return cases
