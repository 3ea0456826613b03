"""How long ``detente --help`` and every command's ``--help`` take, as a person types them.

Each line is the best wall-clock time of ``--repeat`` runs of the installed ``detente`` script
in a fresh process (interpreter start-up included), so that it measures what importing the
command's modules costs; the target is 0.3 s for every one (issue 15). The commands are found
by walking the Typer app, so a new command is timed without editing this script.

    python benchmarks/cli_help.py                 # every --help, best of 5
    python benchmarks/cli_help.py --repeat 10 --json cli-help.json

Exit status 1 when one of them is over ``--limit`` seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path


def best_time(argv: list[str], repeat: int, env: dict[str, str]) -> tuple[float, float]:
    """The shortest wall-clock time and the shortest CPU time (user + system) of ``repeat``
    runs of ``argv`` (stdout discarded). On a shared, busy machine the wall-clock time includes
    waiting for a core; the CPU time does not."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                       env=env)
        best = min(best, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best_cpu = min(best_cpu, after.ru_utime - before.ru_utime
                       + after.ru_stime - before.ru_stime)
    return best, best_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (best kept)")
    parser.add_argument("--limit", type=float, default=0.3, help="seconds allowed per --help")
    parser.add_argument("--lang", default="en", help="DETENTE_LANG for the runs: en or zh")
    parser.add_argument("--pythonpath", metavar="DIR",
                        help="time the detente sources in DIR instead (e.g. an older checkout's "
                             "src, for a before/after comparison)")
    parser.add_argument("--json", metavar="FILE", help="also write the times as JSON ('-': stdout)")
    args = parser.parse_args()
    script = shutil.which("detente", path=str(Path(sys.executable).parent)) or "detente"
    env = {**os.environ, "DETENTE_LANG": args.lang}
    if args.pythonpath:
        env["PYTHONPATH"] = args.pythonpath
    rows = []
    from detente.cli import walk_commands

    for path, _command in walk_commands():
        seconds, cpu = best_time([script, *path, "--help"], args.repeat, env)
        rows.append({"command": " ".join(["detente", *path, "--help"]), "seconds": seconds,
                     "cpu_seconds": cpu})
        print(f"{seconds:6.3f} s  (CPU {cpu:5.3f} s)  {rows[-1]['command']}", flush=True)
    slowest = max(rows, key=lambda row: row["seconds"])
    over = [row for row in rows if row["seconds"] > args.limit]
    median = sorted(row["seconds"] for row in rows)[len(rows) // 2]
    print(f"{len(rows)} commands, best of {args.repeat}; median {median:.3f} s, slowest "
          f"{slowest['seconds']:.3f} s ({slowest['command']}); most CPU "
          f"{max(row['cpu_seconds'] for row in rows):.3f} s; {len(over)} over {args.limit} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.json:
        text = json.dumps({"pythonpath": args.pythonpath, "repeat": args.repeat,
                           "limit": args.limit, "lang": args.lang,
                           "cpus": os.cpu_count(), "load": os.getloadavg()[0], "rows": rows},
                          indent=1) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            Path(args.json).write_text(text, encoding="utf-8")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
