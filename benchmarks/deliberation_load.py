"""Load and durability benchmark of the deliberation vote API on the real server.

For each backend (SQLite file, PostgreSQL database created for the run) the script:

1. creates and upgrades a fresh database, adds a deliberation with ``--statements`` accepted
   statements and ``--participants`` participants (tokens kept in memory);
2. starts the real server (``uvicorn detente.web.app:create_app --factory``, uvloop +
   httptools) on 127.0.0.1 on a free port, rate limits raised so that they do not bind;
3. runs ``--connections`` keep-alive connections concurrently, each voting without pause for
   its share of the participants in turn (``POST /api/deliberations/{id}/votes``, every
   participant's statements in random order, one vote per statement), and measures sustained
   votes/s and latency percentiles over ``--duration`` seconds (after a one-second warm-up);
4. keeps the load running, SIGKILLs the server's process group mid-run, restarts it, and
   checks that every vote that got a 2xx answer is in the database; then checks the restarted
   server takes votes again.

Loopback only; bounded in participants and time; it writes only to a temporary folder and the
database it creates (dropped at the end for PostgreSQL). Prints a summary; ``--json`` prints
the figures as JSON too.

Usage::

    python benchmarks/deliberation_load.py --backend sqlite --connections 16 --duration 10
    python benchmarks/deliberation_load.py --backend postgresql
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from detente.deliberation import create_deliberation, join
from detente.forum import DEMO_EVENT_SLUG, load_demo_forum
from detente.store import create_db_engine, session_scope, upgrade
from detente.store.base import utcnow
from detente.store.models.deliberation import DeliberationStatement, DeliberationVote

POSTGRES_ADMIN = os.environ.get("DETENTE_BENCH_POSTGRES",
                                "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@dataclass
class Client:
    """One participant: token, statements still to vote on, acknowledged votes."""

    participant_id: int
    token: str
    todo: list[int]
    acked: list[tuple[int, int]] = field(default_factory=list)  # (statement, value)
    #: Statements held back for the check after the restart, so that it has votes to cast
    #: however fast the first run got through ``todo``.
    reserve: list[int] = field(default_factory=list)


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    server_cpu: float = 0.0
    client_cpu: float = 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- database set-up ------------------------------------------------------------------------


def make_database(backend: str, folder: Path) -> tuple[str, str | None]:
    """A fresh database URL (and, for PostgreSQL, the database name to drop afterwards)."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'bench.db'}", None
    name = f"detente_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(POSTGRES_ADMIN).set(database=name).render_as_string(hide_password=False)
    return url, name


def drop_database(name: str) -> None:
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def prepare(url: str, n_participants: int, n_statements: int, seed: int
            ) -> tuple[int, list[Client]]:
    """Upgrade, add the demo forum, a deliberation, statements and participants."""
    engine = create_db_engine(url)
    upgrade(engine)
    load_demo_forum(engine)
    rng = random.Random(seed)
    with session_scope(engine) as db:
        deliberation = create_deliberation(db, DEMO_EVENT_SLUG, 2, "Benchmark deliberation")
        db.execute(insert(DeliberationStatement.__table__), [
            {"deliberation_id": deliberation.id, "text": f"Benchmark statement {i:05d}",
             "language": "en", "moderation": "accepted", "is_seed": True,
             "created_at": utcnow()} for i in range(n_statements)])
        statement_ids = list(db.scalars(select(DeliberationStatement.id).where(
            DeliberationStatement.deliberation_id == deliberation.id)))
        clients = []
        for _ in range(n_participants):
            joined = join(db, deliberation)
            todo = statement_ids[:]
            rng.shuffle(todo)
            held = max(1, len(todo) // 10)
            clients.append(Client(joined.participant.id, joined.token, todo[held:],
                                  reserve=todo[:held]))
        deliberation_id = deliberation.id
    engine.dispose()
    return deliberation_id, clients


# --- server ---------------------------------------------------------------------------------


def start_server(url: str, port: int, workers: int, recompute_delay: float = 2.0,
                 shared: dict[str, str] | None = None) -> subprocess.Popen:
    env = dict(os.environ, DETENTE_DATABASE_URL=url,
               DETENTE_VOTE_RATE_LIMIT="100000000/60",
               DETENTE_ADDRESS_RATE_LIMIT="100000000/60",
               DETENTE_RECOMPUTE_DELAY=str(recompute_delay), **(shared or {}))
    command = [sys.executable, "-m", "uvicorn", "detente.web.app:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
               "--loop", "uvloop", "--http", "httptools", "--log-level", "warning",
               "--no-access-log", "--no-proxy-headers"]
    process = subprocess.Popen(command, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"GET /api/deliberations HTTP/1.1\r\nHost: x\r\n"
                             b"Connection: close\r\n\r\n")
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return process
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        time.sleep(0.2)
    kill(process)
    raise RuntimeError("server did not start within 60 s")


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the server and its workers (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds of every live process in a process group (Linux /proc)."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields[2] is the process group
            total += int(fields[11]) + int(fields[12])
    return total / tick


# --- a lean HTTP/1.1 keep-alive client -------------------------------------------------------


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def connection_loop(clients: list[Client], deliberation_id: int, port: int,
                          stats: Stats, measuring: dict[str, bool], stop: asyncio.Event,
                          rng: random.Random) -> None:
    """One keep-alive connection voting for its share of the participants in turn."""
    path = f"/api/deliberations/{deliberation_id}/votes".encode()
    reader = writer = None
    turn = 0
    while not stop.is_set():
        active = [c for c in clients if c.todo]
        if not active:
            break
        client = active[turn % len(active)]
        turn += 1
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            statement = client.todo[-1]
            value = rng.choice((1, -1, 0))
            body = json.dumps({"statement": statement, "vote": value}).encode()
            request = (b"POST " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       b"Authorization: Bearer " + client.token.encode() + b"\r\n"
                       b"Content-Type: application/json\r\nContent-Length: " +
                       str(len(body)).encode() + b"\r\n\r\n" + body)
            started = time.perf_counter()
            writer.write(request)
            status = await read_response(reader)
            elapsed = time.perf_counter() - started
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            stats.errors += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            if stop.is_set():
                return
            await asyncio.sleep(0.05)
            continue
        stats.statuses[status] = stats.statuses.get(status, 0) + 1
        if 200 <= status < 300:
            client.todo.pop()
            client.acked.append((statement, value))
            if measuring["on"]:
                stats.ok += 1
                stats.latencies.append(elapsed)
    if writer is not None:
        writer.close()


def _tasks(clients: list[Client], connections: int, deliberation_id: int, port: int,
           stats: Stats, measuring: dict[str, bool], stop: asyncio.Event,
           seed: int) -> list[asyncio.Task]:
    rng = random.Random(seed)
    return [asyncio.create_task(connection_loop(clients[i::connections], deliberation_id, port,
                                                stats, measuring, stop,
                                                random.Random(rng.random())))
            for i in range(min(connections, len(clients)))]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run_load(clients: list[Client], connections: int, deliberation_id: int, port: int,
                   duration: float, server: subprocess.Popen,
                   kill_after: float) -> tuple[Stats, float]:
    """Measure for ``duration`` s after a 1 s warm-up, then SIGKILL the server under load."""
    stats = Stats()
    measuring = {"on": False}
    stop = asyncio.Event()
    tasks = _tasks(clients, connections, deliberation_id, port, stats, measuring, stop, 7)
    await asyncio.sleep(1.0)
    measuring["on"] = True
    started = time.perf_counter()
    server_cpu, client_cpu = group_cpu_seconds(server.pid), time.process_time()
    await asyncio.sleep(duration)
    measuring["on"] = False
    window = time.perf_counter() - started
    stats.server_cpu = group_cpu_seconds(server.pid) - server_cpu
    stats.client_cpu = time.process_time() - client_cpu
    await asyncio.sleep(kill_after)  # load continues; kill while votes are in flight
    await asyncio.to_thread(kill, server)
    await asyncio.sleep(0.3)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return stats, window


def check_durability(url: str, deliberation_id: int, clients: list[Client]) -> dict[str, int]:
    engine = create_db_engine(url)
    with engine.connect() as connection:
        stored = {(p, s): v for p, s, v in connection.execute(
            select(DeliberationVote.participant_id, DeliberationVote.statement_id,
                   DeliberationVote.value)
            .where(DeliberationVote.deliberation_id == deliberation_id))}
    engine.dispose()
    acked = {(c.participant_id, s): v for c in clients for s, v in c.acked}
    missing = sum(1 for key, value in acked.items() if stored.get(key) != value)
    return {"acknowledged": len(acked), "stored": len(stored), "missing": missing,
            "stored_not_acknowledged": len(set(stored) - set(acked))}


async def votes_after_restart(clients: list[Client], deliberation_id: int, port: int) -> int:
    """Votes the restarted server accepts in 1 s, on the statements held back for it."""
    for client in clients:
        client.todo = client.reserve + client.todo
        client.reserve = []
    stats = Stats()
    stop = asyncio.Event()
    measuring = {"on": True}
    tasks = _tasks(clients, 8, deliberation_id, port, stats, measuring, stop, 1)
    await asyncio.sleep(1.0)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return stats.ok


def shared_settings(url: str) -> dict[str, str]:
    """The server as deployed on several hosts: Redis limits and events, the job queue (its
    tables created here; no job worker runs, so the jobs only wait)."""
    from detente.deliberation import ensure_queue_schema

    asyncio.run(ensure_queue_schema(url))
    return {"DETENTE_REDIS_URL": os.environ.get("DETENTE_BENCH_REDIS",
                                                "redis://127.0.0.1:6379/0"),
            "DETENTE_REDIS_PREFIX": f"detente-bench-{uuid.uuid4().hex[:8]}",
            "DETENTE_JOB_QUEUE": "postgresql"}


def commits(url: str) -> int:
    """Transactions committed in this PostgreSQL database so far."""
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.scalar(text(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"))
    engine.dispose()
    return int(found or 0)


def bench(backend: str, args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as tmp:
        url, pg_name = make_database(backend, Path(tmp))
        try:
            deliberation_id, clients = prepare(url, args.participants, args.statements, 1)
            port = free_port()
            shared = shared_settings(url) if args.shared else None
            server = start_server(url, port, args.workers, args.recompute_delay, shared)
            commits_before = commits(url) if pg_name else 0
            try:
                stats, window = asyncio.run(run_load(clients, args.connections, deliberation_id,
                                                     port, args.duration, server,
                                                     args.kill_after))
            finally:
                if server.poll() is None:
                    kill(server)
            # Includes the warm-up and the seconds before the kill: an upper bound per vote.
            committed = commits(url) - commits_before if pg_name else None
            durability = check_durability(url, deliberation_id, clients)
            server = start_server(url, port, args.workers, shared=shared)
            try:
                after = asyncio.run(votes_after_restart(clients, deliberation_id, port))
            finally:
                kill(server)
            acknowledged = durability["acknowledged"]
            return {
                "backend": backend, "shared_state": bool(args.shared),
                "postgresql_commits": committed,
                "votes_per_commit": round(acknowledged / committed, 1) if committed else None,
                "workers": args.workers, "participants": args.participants,
                "connections": args.connections, "statements": args.statements,
                "window_s": round(window, 2), "votes_ok": stats.ok,
                "votes_per_s": round(stats.ok / window, 1),
                "p50_ms": round(percentile(stats.latencies, 0.50) * 1000, 2),
                "p99_ms": round(percentile(stats.latencies, 0.99) * 1000, 2),
                "max_ms": round(max(stats.latencies, default=float("nan")) * 1000, 2),
                "mean_ms": round(statistics.fmean(stats.latencies) * 1000, 2)
                if stats.latencies else None,
                "server_cpu_ms_per_vote": round(1000 * stats.server_cpu / max(1, stats.ok), 3),
                "client_cpu_ms_per_vote": round(1000 * stats.client_cpu / max(1, stats.ok), 3),
                "load_average_1min": os.getloadavg()[0],
                "statuses": stats.statuses, "connection_errors": stats.errors,
                **durability, "votes_after_restart": after,
            }
        finally:
            if pg_name:
                drop_database(pg_name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--participants", type=int, default=400,
                        help="participants (each votes once on each statement at most)")
    parser.add_argument("--connections", type=int, default=16,
                        help="concurrent keep-alive connections (requests in flight)")
    parser.add_argument("--statements", type=int, default=150)
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--recompute-delay", type=float, default=2.0,
                        help="DETENTE_RECOMPUTE_DELAY of the server (results recomputed "
                             "in the background during the run)")
    parser.add_argument("--kill-after", type=float, default=1.5,
                        help="seconds of further load before the SIGKILL")
    parser.add_argument("--shared", action="store_true",
                        help="PostgreSQL only: run the server as on several hosts (Redis rate "
                             "limits and events at DETENTE_BENCH_REDIS or 127.0.0.1:6379, the "
                             "job queue)")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args()
    if not (1 <= args.participants <= 5000 and 1 <= args.connections <= 256
            and 1 <= args.duration <= 120 and 1 <= args.statements <= 2000):
        parser.error("participants <= 5000, connections <= 256, statements <= 2000 and "
                     "duration <= 120 s keep the run bounded")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if args.shared and backends != ["postgresql"]:
        parser.error("--shared needs --backend postgresql (the job queue lives there)")
    results = [bench(b, args) for b in backends]
    for r in results:
        print(f"{r['backend']:>10}: {r['votes_per_s']:>8} votes/s  p50 {r['p50_ms']} ms  "
              f"p99 {r['p99_ms']} ms  max {r['max_ms']} ms  ({r['votes_ok']} votes in "
              f"{r['window_s']} s; {r['participants']} participants x {r['statements']} "
              f"statements, {r['connections']} connections, {r['workers']} worker(s))")
        print(f"{'':>10}  CPU per vote: server {r['server_cpu_ms_per_vote']} ms (all its "
              f"processes, recompute included), client {r['client_cpu_ms_per_vote']} ms; "
              f"load average {r['load_average_1min']:.2f} on {os.cpu_count()} CPUs")
        if r["postgresql_commits"]:
            print(f"{'':>10}  PostgreSQL: {r['postgresql_commits']} commits, "
                  f"{r['votes_per_commit']} acknowledged votes per commit"
                  f"{' (shared state: Redis + job queue)' if r['shared_state'] else ''}")
        print(f"{'':>10}  SIGKILL under load: {r['acknowledged']} acknowledged, "
              f"{r['missing']} missing after restart, {r['stored_not_acknowledged']} stored "
              f"but unanswered; {r['votes_after_restart']} votes accepted after restart; "
              f"statuses {r['statuses']}, connection errors {r['connection_errors']}")
    if args.json:
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
