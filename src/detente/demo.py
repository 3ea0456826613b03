"""``detente demo``: the demo data of every capability, loaded idempotently.

Each capability contributes a loader; running the demo twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from detente.deliberation import load_demo_deliberation
from detente.forum import load_demo_forum
from detente.knowledge import load_demo_knowledge
from detente.reports import load_demo_publications
from detente.states import load_demo_states

__all__ = ["DEMO_LOADERS", "load_demo"]

#: (what it loads, loader) in the order they run; later loaders may use earlier data.
DEMO_LOADERS: list[tuple[str, Callable[[Engine], object]]] = [
    ("forum", load_demo_forum),
    ("deliberation", load_demo_deliberation),
    ("publications", load_demo_publications),
    ("knowledge", load_demo_knowledge),
    ("states", load_demo_states),
]


def load_demo(engine: Engine) -> list[tuple[str, str]]:
    """Run every demo loader; return (name, what it did) pairs."""
    report = []
    for name, loader in DEMO_LOADERS:
        outcome = loader(engine)
        describe = getattr(outcome, "describe", None)
        report.append((name, describe() if callable(describe) else str(outcome or "done")))
    return report
