"""The demo forum shipped with detente: the CISS forum of 14 January 2026."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from detente.forum._importer import ImportSummary, import_forum_file

__all__ = ["DEMO_EVENT_SLUG", "DEMO_FILE", "load_demo_forum"]

DEMO_FILE = Path(__file__).resolve().parent.parent / "data" / "demo-forum.yaml"
DEMO_EVENT_SLUG = "ciss-ai-international-security-2026"


def load_demo_forum(engine: Engine) -> ImportSummary:
    """Import the demo forum; importing it again changes nothing."""
    return import_forum_file(engine, DEMO_FILE)
