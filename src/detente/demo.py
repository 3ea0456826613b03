"""``detente demo``: the demo data of every capability, loaded idempotently.

Each capability with a demo names its loader in :data:`detente.capabilities.CAPABILITIES`;
they run in the registry's order, and running the demo twice changes nothing.
"""

from __future__ import annotations

from sqlalchemy import Engine

from detente.capabilities import demo_loaders

__all__ = ["load_demo"]


def load_demo(engine: Engine) -> list[tuple[str, str]]:
    """Run every demo loader; return (name, what it did) pairs."""
    report = []
    for name, loader in demo_loaders():
        outcome = loader(engine)
        describe = getattr(outcome, "describe", None)
        report.append((name, describe() if callable(describe) else str(outcome or "done")))
    return report
