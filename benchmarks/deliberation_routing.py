"""Time choosing the next statement and recomputing results on a large deliberation.

Builds a fresh SQLite deliberation of ``--participants`` x ``--statements`` with ``--votes``
random votes per participant (the load benchmark's set-up), recomputes its results once, then
times :func:`detente.deliberation.next_statement` for ``--samples`` participants. Writes only
to a temporary folder.

Usage::

    python benchmarks/deliberation_routing.py --participants 400 --statements 150 --votes 120
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deliberation_load import make_database, prepare

from detente.deliberation import VoteRow, next_statement, recompute, record_votes
from detente.store import create_db_engine, session_scope
from detente.store.base import utcnow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--statements", type=int, default=150)
    parser.add_argument("--votes", type=int, default=120, help="votes per participant")
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="detente-routing-") as tmp:
        url, _ = make_database("sqlite", Path(tmp))
        deliberation_id, clients = prepare(url, args.participants, args.statements, 1)
        engine = create_db_engine(url)
        rng = random.Random(0)
        rows = [VoteRow(deliberation_id, c.participant_id, s, rng.choice((1, -1, 0)), utcnow())
                for c in clients for s in c.todo[:args.votes]]
        with engine.begin() as connection:
            record_votes(connection, rows)
        started = time.perf_counter()
        recompute(engine, deliberation_id)
        print(f"recompute: {time.perf_counter() - started:.2f} s for {len(rows)} votes")
        times = []
        for client in clients[:args.samples]:
            started = time.perf_counter()
            with session_scope(engine) as db:
                next_statement(db, deliberation_id, client.participant_id)
            times.append(time.perf_counter() - started)
        print(f"next_statement: median {statistics.median(times) * 1000:.1f} ms, first "
              f"{times[0] * 1000:.1f} ms (parses the new snapshot), max "
              f"{max(times) * 1000:.1f} ms over {len(times)} participants")
        engine.dispose()


if __name__ == "__main__":
    main()
