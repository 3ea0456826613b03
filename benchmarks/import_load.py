"""Vote latency on the live server while a CLI import of a 50,000-person forum file runs.

The script builds a fresh SQLite database with the demo forum and an open deliberation
(``--participants`` x ``--statements``, as ``deliberation_load.py`` does), starts the real
server (uvicorn, one worker), keeps ``--connections`` keep-alive connections voting without
pause, and after ``--baseline`` seconds runs ``detente forum import`` in a separate process on
a generated forum file: ``--people`` people (with titles and affiliations) and one event
listing every one of them as a participant. It reports the vote latency percentiles before
and during the import, every non-2xx answer, the import's wall time and how many
transactions it committed.

``--single-transaction`` runs the same import with batching switched off (one transaction,
as imports were written before), to show what the batches buy.

Loopback only; bounded in time (the import plus a few seconds); writes only to a temporary
folder. Usage::

    python benchmarks/import_load.py                       # 50,000 people, batched
    python benchmarks/import_load.py --single-transaction  # the same, one transaction
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deliberation_load import (
    Stats,
    _tasks,
    free_port,
    kill,
    make_database,
    percentile,
    prepare,
    start_server,
)

_IMPORT = ("import sys\n"
           "from detente.store import _batches\n"
           "if sys.argv.pop(1) == 'single':\n"
           "    _batches.ATOMIC_ROWS = 10 ** 12\n"
           "from detente.cli import app\n"
           "sys.argv[0] = 'detente'\n"
           "app()\n")


def forum_file(path: Path, people: int, seed: int = 3) -> int:
    """Write a forum file with ``people`` people and one event listing them all."""
    rng = random.Random(seed)
    institutions = [{"id": f"inst-{i:03d}", "name": f"Institute {i}",
                     "name_local": f"研究院{i}", "country": rng.choice(["CHN", "USA", "DEU"])}
                    for i in range(100)]
    persons = [{"id": f"person-{i:06d}", "name": f"Person {i}", "name_local": f"人员{i}",
                "title": f"Research fellow {i % 97}",
                "affiliation": f"inst-{rng.randrange(100):03d}"} for i in range(people)]
    event = {"id": "load-test-forum", "title": "A very large forum", "host": "inst-000",
             "date": "2026-06-01", "languages": ["en", "zh"], "attribution": "chatham_house",
             "participants": [{"person": p["id"], "role": "participant"} for p in persons],
             "sessions": [{"title": f"Session {i}", "chair": persons[i]["id"]}
                          for i in range(4)]}
    document = {"format": "detente-forum/1", "institutions": institutions, "people": persons,
                "events": [event]}
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path.stat().st_size


def summarise(latencies: list[float]) -> dict[str, float]:
    return {"votes": len(latencies),
            "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
            "max_ms": round(max(latencies, default=float("nan")) * 1000, 1)}


async def measure(url: str, forum: Path, clients: list, deliberation_id: int, port: int,
                  args: argparse.Namespace) -> dict[str, object]:
    stats = Stats()
    measuring = {"on": True}
    stop = asyncio.Event()
    tasks = _tasks(clients, args.connections, deliberation_id, port, stats, measuring, stop, 11)
    await asyncio.sleep(1.0)  # warm-up
    stats.latencies, stats.statuses = [], {}
    await asyncio.sleep(args.baseline)
    baseline = (stats.latencies, stats.statuses)
    stats.latencies, stats.statuses = [], {}
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _IMPORT, "single" if args.single_transaction else "batched",
        "--database", url, "forum", "import", str(forum),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    import_seconds = time.perf_counter() - started
    during = (stats.latencies, stats.statuses)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "import_exit": process.returncode,
        "import_output": (out.decode() + err.decode()).strip()[-400:],
        "import_seconds": round(import_seconds, 2),
        "before_import": {**summarise(baseline[0]), "statuses": baseline[1]},
        "during_import": {**summarise(during[0]), "statuses": during[1]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--statements", type=int, default=150)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--baseline", type=float, default=3.0,
                        help="seconds of votes measured before the import starts")
    parser.add_argument("--single-transaction", action="store_true",
                        help="write the import in one transaction (no batches)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="detente-import-load-") as tmp:
        url, _ = make_database("sqlite", Path(tmp))
        deliberation_id, clients = prepare(url, args.participants, args.statements, 1)
        forum = Path(tmp) / "forum.yaml"
        size = forum_file(forum, args.people)
        port = free_port()
        server = start_server(url, port, 1)
        try:
            figures = asyncio.run(measure(url, forum, clients, deliberation_id, port, args))
        finally:
            kill(server)
    figures.update({"people": args.people, "file_mb": round(size / 2**20, 1),
                    "mode": "one transaction" if args.single_transaction else "batched",
                    "connections": args.connections})
    if args.json:
        print(json.dumps(figures, indent=1))
        return
    print(f"import of {args.people:,} people ({figures['file_mb']} MB), {figures['mode']}: "
          f"{figures['import_seconds']} s, exit {figures['import_exit']}")
    print(f"  {figures['import_output'].splitlines()[-1] if figures['import_output'] else ''}")
    for phase in ("before_import", "during_import"):
        data = figures[phase]
        assert isinstance(data, dict)
        print(f"  votes {phase.replace('_', ' ')}: {data['votes']:,}, p50 {data['p50_ms']} ms, "
              f"p99 {data['p99_ms']} ms, max {data['max_ms']} ms, answers {data['statuses']}")


if __name__ == "__main__":
    main()
