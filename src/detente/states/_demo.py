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

from detente.i18n import gettext as _
from detente.i18n import ngettext
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
        return _("%(instruments)s, %(positions)s, %(roll_calls)s with %(votes)s") % {
            "instruments": ngettext("%(n)d AI instrument", "%(n)d AI instruments",
                                    self.instruments) % {"n": self.instruments},
            "positions": ngettext("%(n)d position", "%(n)d positions", self.positions)
            % {"n": self.positions},
            "roll_calls": ngettext("%(n)d roll call", "%(n)d roll calls", self.roll_calls)
            % {"n": self.roll_calls},
            "votes": ngettext("%(n)d vote", "%(n)d votes", self.votes) % {"n": self.votes},
        }


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
