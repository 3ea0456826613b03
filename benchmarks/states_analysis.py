"""Time the per-session analysis of the 1946-2019 history.

    DETENTE_DATABASE_URL=sqlite:///path/with/history.db python benchmarks/states_analysis.py

The database must hold the unvotes history (``detente states import-unga
../shared/data/unga-votes``). For each session, times loading the votes, the bloc analysis
(consensus engine, ideal points, agreement matrix: :func:`detente.states.analyze`) and, for
the whole history, two states' agreement over time.
"""

from __future__ import annotations

import statistics
import time

from states_import import machine  # type: ignore[import-not-found]

from detente.states import Selection, agreement_over_time, analyze, lineage, load_votes
from detente.store import create_db_engine, session_scope


def main() -> None:
    """Analyse every session once and print the distribution of times."""
    engine = create_db_engine()
    times, sizes = [], []
    with session_scope(engine) as db:
        for session in range(1, 75):
            started = time.perf_counter()
            try:
                result = analyze(db, Selection(start=session, end=session))
            except Exception:  # a session without roll calls (19, in 1964-65, had one)
                continue
            times.append(time.perf_counter() - started)
            sizes.append((len(result["states"]), len(result["roll_calls"])))
        started = time.perf_counter()
        data = load_votes(db, Selection(), lineage("USA") + lineage("RUS"))
        series = agreement_over_time(data, "USA", "RUS")
        pair = time.perf_counter() - started
        started = time.perf_counter()
        everything = load_votes(db, Selection())
        load_all = time.perf_counter() - started
    print(machine())
    print(f"sessions analysed: {len(times)}; states x roll calls per session: "
          f"median {statistics.median(s[0] for s in sizes)} x "
          f"{statistics.median(s[1] for s in sizes)}, largest "
          f"{max(s[0] for s in sizes)} x {max(s[1] for s in sizes)}")
    print(f"analyse one session (load + blocs + ideal points + agreement): median "
          f"{statistics.median(times):.3f} s, max {max(times):.3f} s, total {sum(times):.1f} s")
    print(f"USA-RUS agreement over {len(series)} sessions (load included): {pair:.3f} s")
    print(f"load the whole history as a matrix ({everything.codes.shape[0]} x "
          f"{everything.codes.shape[1]}): {load_all:.2f} s")


if __name__ == "__main__":
    main()
