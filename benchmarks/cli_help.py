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
import shutil
import subprocess
import sys
import time
from pathlib import Path


def best_time(argv: list[str], repeat: int, env: dict[str, str]) -> float:
    """The shortest wall-clock time of ``repeat`` runs of ``argv`` (stdout discarded)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                       env=env)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (best kept)")
    parser.add_argument("--limit", type=float, default=0.3, help="seconds allowed per --help")
    parser.add_argument("--lang", default="en", help="DETENTE_LANG for the runs: en or zh")
    parser.add_argument("--json", metavar="FILE", help="also write the times as JSON ('-': stdout)")
    args = parser.parse_args()
    script = shutil.which("detente", path=str(Path(sys.executable).parent)) or "detente"
    env = {**os.environ, "DETENTE_LANG": args.lang}
    rows = []
    from detente.cli import walk_commands

    for path, _command in walk_commands():
        seconds = best_time([script, *path, "--help"], args.repeat, env)
        rows.append({"command": " ".join(["detente", *path, "--help"]), "seconds": seconds})
        print(f"{seconds:6.3f} s  {rows[-1]['command']}", flush=True)
    slowest = max(rows, key=lambda row: row["seconds"])
    over = [row for row in rows if row["seconds"] > args.limit]
    print(f"{len(rows)} commands, best of {args.repeat}; slowest {slowest['seconds']:.3f} s "
          f"({slowest['command']}); {len(over)} over {args.limit} s")
    if args.json:
        text = json.dumps({"repeat": args.repeat, "limit": args.limit, "lang": args.lang,
                           "cpus": os.cpu_count(), "load": os.getloadavg()[0], "rows": rows},
                          indent=1) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            Path(args.json).write_text(text, encoding="utf-8")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
