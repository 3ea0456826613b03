"""What live views cost one web worker: memory per open stream and how fast news fans out.

Starts `detente serve` (one worker, SQLite, a deliberation of 8 statements) and opens
``--phones`` participant streams and ``--projectors`` projector streams against it, then:

1. reads the server's resident memory before and after opening the streams (KiB per stream);
2. seeds one statement through the organizer's form and times until every phone stream has
   said "1 new statement" (fan-out of one moderation event to every phone);
3. casts ``--votes`` votes through the API and times, from the last acknowledged vote, until
   every projector stream shows them all (the throttled ``counts`` path);
4. reports the server's CPU seconds for steps 2 and 3.

Usage::

    python benchmarks/live_streams.py                      # 500 phones, 10 projectors
    python benchmarks/live_streams.py --phones 900 --json out.json
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from detente.accounts import create_user
from detente.deliberation import create_deliberation, seed_statements
from detente.forum import DEMO_EVENT_SLUG, load_demo_forum
from detente.store import create_db_engine, session_scope, upgrade

PASSWORD = "live streams benchmark password"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Reader:
    """One event stream over a raw connection; remembers when each awaited message came."""

    def __init__(self, port: int, path: str) -> None:
        self.port, self.path = port, path
        self.messages: list[tuple[float, str, dict]] = []
        self.changed = asyncio.Event()
        self.task: asyncio.Task | None = None

    async def open(self) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port, limit=2**22)
        writer.write(f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Accept: text/event-stream\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(head.decode("latin-1").split("\r\n", 1)[0])
        self.writer = writer
        self.task = asyncio.create_task(self._read(reader))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        event, data = None, None
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError,
                                 asyncio.CancelledError):
            while True:
                line = (await reader.readline()).decode().rstrip("\r\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif not line:
                    if event and data:
                        with contextlib.suppress(ValueError):
                            self.messages.append((time.monotonic(), event, json.loads(data)))
                            self.changed.set()
                    event = data = None
                # Chunked transfer: each message is one chunk, its size line is skipped above.

    async def until(self, event: str, test) -> float:  # type: ignore[no-untyped-def]
        while True:
            for at, kind, data in self.messages:
                if kind == event and test(data):
                    return at
            self.changed.clear()
            await self.changed.wait()

    def close(self) -> None:
        if self.task:
            self.task.cancel()
        with contextlib.suppress(Exception):
            self.writer.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


async def measure(port: int, pid: int, d: int, args: argparse.Namespace) -> dict[str, object]:
    base = f"http://127.0.0.1:{port}"
    report: dict[str, object] = {"phones": args.phones, "projectors": args.projectors}
    before = rss_kib(pid)
    phones = [Reader(port, f"/deliberations/{d}/events?waiting=8") for _ in range(args.phones)]
    projectors = [Reader(port, f"/deliberations/{d}/live/events")
                  for _ in range(args.projectors)]
    started = time.monotonic()
    for batch in range(0, len(phones), 50):
        await asyncio.gather(*(r.open() for r in phones[batch:batch + 50]))
    await asyncio.gather(*(r.open() for r in projectors))
    await asyncio.gather(*(r.until("statements", lambda _d: True) for r in phones))
    await asyncio.gather(*(r.until("board", lambda _d: True) for r in projectors))
    report["open_s"] = round(time.monotonic() - started, 2)
    await asyncio.sleep(1.0)
    after = rss_kib(pid)
    report["rss_kib_before"] = before
    report["rss_kib_after"] = after
    report["kib_per_stream"] = round((after - before) / (args.phones + args.projectors), 1)

    async with httpx.AsyncClient(base_url=base, timeout=30) as organizer:
        token = CSRF.search((await organizer.get("/login")).text).group(1)
        await organizer.post("/login", data={"username": "organizer", "password": PASSWORD,
                                             "next": "/", "csrf_token": token})
        token = CSRF.search((await organizer.get(f"/deliberations/{d}/manage")).text).group(1)
        cpu = cpu_seconds(pid)
        sent = time.monotonic()
        answer = await organizer.post(f"/deliberations/{d}/seed", data={
            "csrf_token": token, "statements": "Crisis hotlines should cover AI incidents."})
        assert answer.status_code == 303, answer.status_code
        arrived = await asyncio.wait_for(asyncio.gather(
            *(r.until("statements", lambda data: data.get("new") == 1) for r in phones)), 120)
        delays = [at - sent for at in arrived]
        report["seed_fanout_ms"] = {
            "p50": round(statistics.median(delays) * 1000, 1),
            "p99": round(percentile(delays, 0.99) * 1000, 1),
            "max": round(max(delays) * 1000, 1)}
        report["seed_fanout_cpu_s"] = round(cpu_seconds(pid) - cpu, 2)

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        voters = []
        for _ in range(max(1, args.votes // 9)):
            voters.append((await client.post(f"/api/deliberations/{d}/participants")).json())
        cpu = cpu_seconds(pid)
        cast = 0
        for voter in voters:
            headers = {"Authorization": f"Bearer {voter['token']}"}
            while cast < args.votes:
                nxt = await client.get(f"/api/deliberations/{d}/next", headers=headers)
                if nxt.status_code != 200:
                    break
                statement = nxt.json()["statement"]["id"]
                vote = await client.post(f"/api/deliberations/{d}/votes", headers=headers,
                                         json={"statement": statement, "vote": 1})
                assert vote.status_code == 201, vote.status_code
                cast += 1
        last_ack = time.monotonic()
        arrived = await asyncio.wait_for(asyncio.gather(
            *(r.until("counts", lambda data: data.get("votes") == cast) for r in projectors)),
            60)
        delays = [at - last_ack for at in arrived]
        report["votes_cast"] = cast
        report["counts_after_last_vote_ms"] = {
            "p50": round(statistics.median(delays) * 1000, 1),
            "max": round(max(delays) * 1000, 1)}
        report["votes_cpu_s"] = round(cpu_seconds(pid) - cpu, 2)
    for reader in phones + projectors:
        reader.close()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--projectors", type=int, default=10)
    parser.add_argument("--votes", type=int, default=90)
    parser.add_argument("--json", help="write the report here as well")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="detente-live-"))
    url = f"sqlite:///{folder / 'live.db'}"
    engine = create_db_engine(url)
    upgrade(engine)
    load_demo_forum(engine)
    with session_scope(engine) as db:
        create_user(db, "organizer", PASSWORD, organizer=True)
        deliberation = create_deliberation(db, DEMO_EVENT_SLUG, 2, "Live streams benchmark")
        seed_statements(db, deliberation, [
            "Nuclear launch decisions must stay with humans.",
            "Lethal autonomous weapons should be banned by treaty.",
            "Militaries should publish how they test AI systems.",
            "Major powers need a standing dialogue on AI incidents.",
            "Falling behind in military AI is the greater danger.",
            "Existing humanitarian law already covers autonomy.",
            "Verification of limits on military AI is impossible.",
            "Defensive autonomy such as missile defence needs no limits."])
        d = deliberation.id
    engine.dispose()
    port = free_port()
    env = {**os.environ, "DETENTE_DATABASE_URL": url,
           "DETENTE_LIVE_STREAMS": str(args.phones + args.projectors + 10),
           "DETENTE_VOTE_RATE_LIMIT": "100000/60", "DETENTE_ADDRESS_RATE_LIMIT": "100000/60",
           "DETENTE_MEDIA_DIR": str(folder / "media")}
    detente = Path(sys.executable).parent / "detente"
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen([str(detente), "serve", "--port", str(port)], env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=0.3).close()
                break
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"the server did not start; see {folder}/server.log")
            time.sleep(0.1)
        report = asyncio.run(measure(port, server.pid, d, args))
        report["machine"] = f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
