"""The measured inputs of the capacity model in docs/performance.md ("Scale-out").

1. CPU time of one recompute job at several deliberation sizes, split into its parts: reading
   the votes from PostgreSQL (this process's CPU, and wall time, which includes the server's),
   building the vote matrix, a cold fit, a warm-started fit (``init_state`` of the previous
   fit), ``Consensus.update`` with the last 1% of the votes, and the guarded store; each size is
   a synthetic deliberation of two camps generated inside PostgreSQL.
2. PostgreSQL commits per second on this machine: ``pgbench`` with one-row insert transactions
   (synchronous commit on, as the vote writer needs) at 1, 4 and 16 clients.

Each database is created for the run and dropped afterwards. The vote path's CPU per vote is
measured by ``benchmarks/deliberation_load.py --shared`` (the server as deployed: Redis limits
and events, the job queue).

Usage::

    python benchmarks/scaleout_capacity.py                       # sizes 300x40 ... 10000x100
    python benchmarks/scaleout_capacity.py --sizes 20000x100 --json -
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from detente.deliberation import create_deliberation, current_basis, store_result
from detente.deliberation._results import _votes
from detente.forum import DEMO_EVENT_SLUG, load_demo_forum
from detente.store import create_db_engine, session_scope, upgrade

POSTGRES_ADMIN = os.environ.get("DETENTE_BENCH_POSTGRES",
                                "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def create_database(prefix: str) -> tuple[str, str]:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(POSTGRES_ADMIN).set(database=name).render_as_string(
        hide_password=False), name


def drop_database(name: str) -> None:
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def synthetic(engine, participants: int, statements: int, density: float) -> int:  # type: ignore[no-untyped-def]
    """A deliberation of two camps, generated in the database (fast at 10^6 votes)."""
    with session_scope(engine) as db:
        d = create_deliberation(db, DEMO_EVENT_SLUG, 2, "Capacity benchmark").id
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO deliberation_statements (deliberation_id, text, language, moderation, "
            "is_seed, created_at) SELECT :d, 'Capacity statement ' || i, 'en', 'accepted', "
            "true, now() FROM generate_series(1, :n) i"), {"d": d, "n": statements})
        connection.execute(text(
            "INSERT INTO deliberation_participants (deliberation_id, public_id, token_hash, "
            "created_at) SELECT :d, 'p' || lpad(to_hex(i), 8, '0'), md5(:d || '-' || i) || "
            "md5(i || '-' || :d), now() FROM generate_series(1, :n) i"),
            {"d": d, "n": participants})
        # Two camps: agree with statements of their parity, disagree with the others, with
        # 15% passes and about 20% opposite votes.
        connection.execute(text(
            "INSERT INTO deliberation_votes (deliberation_id, participant_id, statement_id, "
            "value, voted_at) SELECT :d, p.id, s.id, CASE WHEN random() < 0.15 THEN 0 "
            "WHEN random() < 0.76 THEN (CASE WHEN (p.id + s.id) % 2 = 0 THEN 1 ELSE -1 END) "
            "ELSE (CASE WHEN (p.id + s.id) % 2 = 0 THEN -1 ELSE 1 END) END, now() "
            "FROM deliberation_participants p CROSS JOIN deliberation_statements s "
            "WHERE p.deliberation_id = :d AND s.deliberation_id = :d AND random() < :density "
            "ORDER BY p.id, s.id"), {"d": d, "density": density})
        connection.execute(text(
            "INSERT INTO deliberation_vote_history (deliberation_id, participant_id, "
            "statement_id, value, voted_at) SELECT deliberation_id, participant_id, "
            "statement_id, value, voted_at FROM deliberation_votes WHERE deliberation_id = :d "
            "ORDER BY id"), {"d": d})
        connection.execute(text("ANALYZE"))
    return d


def recompute_costs(url: str, size: tuple[int, int, float], repeat: int) -> dict[str, object]:
    from detente.consensus import Consensus, VoteMatrix

    participants, statements, density = size
    engine = create_db_engine(url)
    d = synthetic(engine, participants, statements, density)
    rows: dict[str, list[tuple[float, float]]] = {}

    @contextmanager
    def clock(name: str) -> Iterator[None]:
        cpu, wall = time.process_time(), time.perf_counter()
        yield
        rows.setdefault(name, []).append((time.process_time() - cpu,
                                          time.perf_counter() - wall))

    n_votes = 0
    for _ in range(repeat):
        with session_scope(engine) as db:
            with clock("read votes"):
                people, items, values = _votes(db, d)
            n_votes = len(values)
            with clock("build matrix"):
                matrix = VoteMatrix.from_long(people, items, values)
            with clock("fit (cold)"):
                cold = Consensus(random_state=0).fit(matrix)
            with clock("fit (warm start)"):
                Consensus(random_state=0).fit(matrix, init_state=cold.state_)
            cut = max(1, n_votes // 100)
            base = Consensus(random_state=0).fit(
                VoteMatrix.from_long(people[:-cut], items[:-cut], values[:-cut]))
            tail = VoteMatrix.from_long(people[-cut:], items[-cut:], values[-cut:])
            with clock("update (last 1%)"):
                base.update(tail)
            data = cold.result_.to_json()
            data["vote_count"] = n_votes
            with clock("store (guarded upsert)"):
                store_result(db, d, data, current_basis(db, d))
    engine.dispose()
    summary = {name: {"cpu_s": round(statistics.median(c for c, _w in values), 4),
                      "wall_s": round(statistics.median(w for _c, w in values), 4)}
               for name, values in rows.items()}
    job = sum(summary[k]["cpu_s"] for k in ("read votes", "build matrix", "fit (cold)",
                                             "store (guarded upsert)"))
    return {"participants": participants, "statements": statements, "votes": n_votes,
            "parts": summary, "job_cpu_s": round(job, 4)}


def commit_rate(url: str, seconds: int) -> dict[str, object]:
    """pgbench with one-row insert transactions: commits per second at 1, 4 and 16 clients."""
    pgbench = shutil.which("pgbench") or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)
    if pgbench is None:
        return {"error": "pgbench not found (postgresql-client)"}
    parsed = make_url(url)
    engine = create_engine(parsed)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE bench_commits (id bigserial PRIMARY KEY, "
                                "v int NOT NULL, at timestamptz DEFAULT now())"))
    engine.dispose()
    out: dict[str, object] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write("INSERT INTO bench_commits (v) VALUES (1);\n")
    try:
        for clients in (1, 4, 16):
            completed = subprocess.run(
                [pgbench, "-n", "-f", script.name, "-c", str(clients), "-j", "2", "-T",
                 str(seconds), "-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432),
                 "-U", parsed.username or "postgres", parsed.database or ""],
                capture_output=True, text=True, timeout=seconds + 60)
            found = [line for line in completed.stdout.splitlines() if line.startswith("tps")]
            out[f"{clients} clients"] = (float(found[0].split("=")[1].split()[0])
                                         if found else completed.stderr.strip()[-200:])
    finally:
        os.unlink(script.name)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="300x40,2000x60,10000x100",
                        help="PARTICIPANTSxSTATEMENTS[xDENSITY], comma-separated (density "
                             "default 0.6)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--commit-seconds", type=int, default=5)
    parser.add_argument("--json", help="write the figures as JSON to FILE ('-': stdout)")
    args = parser.parse_args()
    sizes = []
    for item in args.sizes.split(","):
        parts = item.split("x")
        sizes.append((int(parts[0]), int(parts[1]), float(parts[2]) if len(parts) > 2 else 0.6))
    if any(p * s > 3_000_000 or p < 10 or s < 3 for p, s, _d in sizes) or not (
            1 <= args.repeat <= 10 and 1 <= args.commit_seconds <= 60):
        parser.error("at most 3,000,000 cells per size, 1-10 repeats, 1-60 s per pgbench run")
    url, name = create_database("detente_capacity")
    try:
        engine = create_db_engine(url)
        upgrade(engine)
        load_demo_forum(engine)
        engine.dispose()
        results = {"machine": {"cpus": os.cpu_count(), "load_average_1min": os.getloadavg()[0]},
                   "recompute": [recompute_costs(url, size, args.repeat) for size in sizes],
                   "postgresql_commits_per_s": commit_rate(url, args.commit_seconds)}
        results["machine"]["load_average_1min_after"] = os.getloadavg()[0]  # type: ignore[index]
    finally:
        drop_database(name)
    for row in results["recompute"]:  # type: ignore[union-attr]
        print(f"{row['participants']} x {row['statements']} ({row['votes']} votes): "
              f"job CPU {row['job_cpu_s']} s")
        for part, figures in row["parts"].items():
            print(f"    {part:<24} CPU {figures['cpu_s']:>8} s   wall {figures['wall_s']:>8} s")
    print(f"PostgreSQL commits/s (one-row inserts): {results['postgresql_commits_per_s']}")
    print(f"load average {results['machine']}")
    if args.json:
        payload = json.dumps(results, indent=1)
        if args.json == "-":
            print(payload)
        else:
            Path(args.json).write_text(payload)
    sys.exit(0)


if __name__ == "__main__":
    main()
