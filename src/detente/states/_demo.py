"""The shipped AI facts (instruments, positions, the autonomous-weapons votes) as demo data.

The files live in ``detente/data/states/`` and are compiled by
``benchmarks/states_build_facts.py``; loading them twice changes nothing. The shared
``unga-votes`` history is never loaded by the demo (the package works without it).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine

from detente.states._importer import import_positions, import_votes

__all__ = ["FactsSummary", "facts_dir", "load_facts"]


@dataclass(frozen=True, slots=True)
class FactsSummary:
    """What loading the shipped facts wrote."""

    instruments: int
    positions: int
    roll_calls: int
    votes: int

    def describe(self) -> str:
        """One line for ``detente demo``."""
        def count(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        return (f"{count(self.instruments, 'AI instrument', 'AI instruments')}, "
                f"{count(self.positions, 'position', 'positions')}, "
                f"{count(self.roll_calls, 'roll call', 'roll calls')} with "
                f"{count(self.votes, 'vote', 'votes')}")


def facts_dir() -> Path:
    """The folder of the shipped facts files."""
    return Path(str(resources.files("detente").joinpath("data/states")))


def load_facts(engine: Engine) -> FactsSummary:
    """Load the shipped AI instruments, positions and autonomous-weapons votes (idempotent)."""
    folder = facts_dir()
    positions = import_positions(engine, folder / "ai_positions.csv",
                                 instruments_file=folder / "ai_instruments.csv")
    votes = import_votes(engine, folder / "laws_votes.csv")
    return FactsSummary(positions.roll_calls, positions.votes, votes.roll_calls, votes.votes)
