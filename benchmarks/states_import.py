"""Time importing the full 1946-2019 UN General Assembly history (unvotes tables).

    python benchmarks/states_import.py            # SQLite in a temporary folder
    python benchmarks/states_import.py --postgres postgresql+psycopg://postgres@127.0.0.1/bench

Prints the time to read and validate the CSV files, the first import (reading included) and a
re-import (idempotent: replaces the same votes), with machine and library versions.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import sqlalchemy

from detente.states import import_votes, read_votes
from detente.store import create_db_engine, upgrade

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """../shared, $DETENTE_SHARED_DIR or /work/shared."""
    for candidate in (os.environ.get("DETENTE_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "data").is_dir():
            return Path(candidate)
    sys.exit("shared data folder not found")


def machine() -> str:
    """One line: cores, Python, numpy, SQLAlchemy, SQLite versions."""
    import sqlite3

    return (f"{os.cpu_count()} cores (nproc), Python {platform.python_version()}, numpy "
            f"{np.__version__}, SQLAlchemy {sqlalchemy.__version__}, SQLite "
            f"{sqlite3.sqlite_version}")


def run(url: str, folder: Path) -> None:
    """Read once, then import twice into ``url``."""
    engine = create_db_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    data = read_votes(folder)
    read = time.perf_counter() - started
    print(f"read and validate: {read:.2f} s ({len(data.roll_calls)} roll calls, "
          f"{len(data.votes)} votes)")
    for label in ("first import", "re-import"):
        started = time.perf_counter()
        summary = import_votes(engine, folder)
        print(f"{label} ({engine.dialect.name}, reading included): "
              f"{time.perf_counter() - started:.2f} s  [{summary.describe()}]")
    engine.dispose()


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="PostgreSQL URL of an empty database")
    args = parser.parse_args()
    folder = shared_dir() / "data" / "unga-votes"
    print(machine())
    if args.postgres:
        run(args.postgres, folder)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", folder)


if __name__ == "__main__":
    main()
