"""Time and peak memory of `detente forum import` refusing hostile or invalid files.

Each case runs the real command in a child process on a fresh SQLite database and reports its
exit status, wall time, peak resident memory (the child's ``ru_maxrss``) and the first line of
its error. Cases:

- ``invalid-11.7MB``: a forum file of about 11.7 MB (``--mb``) in which every person carries an
  unknown field (a typo repeated 70,000 times);
- ``invalid-at-end``: the same size, valid except for the last person;
- ``nested-50k``: one value nested 50,000 levels deep;
- ``alias-bomb``: nine levels of nine aliases each ("billion laughs", 9^9 strings);
- ``valid-50k-people``: a valid file with 50,000 people and one event listing them all.

``--src DIR`` runs another checkout's ``src`` folder instead of the installed package, to
compare with an older version (``git archive COMMIT src | tar -x -C DIR``).

Usage::

    python benchmarks/import_limits.py
    python benchmarks/import_limits.py --src /tmp/before/src --cases invalid-11.7MB
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_load import forum_file

_RUN = ("import sys\nfrom detente.cli import app\nsys.argv[0] = 'detente'\napp()\n")
#: Runs a command and prints its peak resident memory (KiB) as the last line of stderr.
_MEASURE = ("import resource, subprocess, sys\n"
            "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
            "sys.stdout.write(done.stdout); sys.stderr.write(done.stderr)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
            "sys.exit(done.returncode)\n")


def _people_document(people: int, typo: str | None, last_only: bool) -> dict:
    persons = []
    for i in range(people):
        entry = {"id": f"person-{i:06d}", "name": f"Person number {i}",
                 "name_local": f"人员{i}", "title": f"Senior research fellow, team {i % 97}",
                 "title_local": f"研究团队{i % 97}高级研究员", "affiliation": "inst-a"}
        if typo and (not last_only or i == people - 1):
            entry[typo] = "oops"
        persons.append(entry)
    return {"format": "detente-forum/1",
            "institutions": [{"id": "inst-a", "name": "Institute A"}], "people": persons}


def sized_invalid(path: Path, megabytes: float, last_only: bool) -> None:
    """A file of about ``megabytes`` MB whose people carry an unknown field ``nmae``."""
    people = 1000
    while True:
        text = yaml.safe_dump(_people_document(people, "nmae", last_only),
                              allow_unicode=True, sort_keys=False)
        size = len(text.encode("utf-8")) / 2**20
        if size >= megabytes:
            break
        people = int(people * megabytes / size) + 1
    path.write_text(text, encoding="utf-8")


def nested(path: Path, depth: int = 50_000) -> None:
    path.write_text("events: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")


def alias_bomb(path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


CASES = {
    "invalid-11.7MB": lambda path, mb: sized_invalid(path, mb, last_only=False),
    "invalid-at-end": lambda path, mb: sized_invalid(path, mb, last_only=True),
    "nested-50k": lambda path, mb: nested(path),
    "alias-bomb": lambda path, mb: alias_bomb(path),
    "valid-50k-people": lambda path, mb: forum_file(path, 50_000),
}


def run_case(name: str, src: str | None, megabytes: float, timeout: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="detente-limits-") as tmp:
        path = Path(tmp) / f"{name}.yaml"
        CASES[name](path, megabytes)
        env = dict(os.environ, LANG="C.UTF-8")
        if src:
            env["PYTHONPATH"] = src
        command = [sys.executable, "-c", _RUN, "--database", f"sqlite:///{tmp}/bench.db",
                   "forum", "import", str(path)]
        subprocess.run([*command[:4], "db", "upgrade"], env=env, capture_output=True,
                       check=False)
        started = time.perf_counter()
        peak: float | None = None
        try:
            done = subprocess.run([sys.executable, "-c", _MEASURE, *command], env=env,
                                  capture_output=True, text=True, timeout=timeout, check=False)
            code = done.returncode
            *lines, last = (done.stderr.strip().splitlines() or ["0"])
            peak = round(int(last) / 1024) if last.isdigit() else None
            lines = lines or done.stdout.strip().splitlines()
        except subprocess.TimeoutExpired:
            code, lines = None, [f"still running after {timeout:.0f} s (stopped)"]
        seconds = time.perf_counter() - started
        return {"case": name, "file_mb": round(path.stat().st_size / 2**20, 1), "exit": code,
                "seconds": round(seconds, 2), "peak_rss_mb": peak,
                "output_lines": len(lines), "first_line": (lines[0] if lines else "")[:160]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated case names")
    parser.add_argument("--src", default=None, help="run this src folder instead")
    parser.add_argument("--mb", type=float, default=11.7, help="size of the invalid files")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [run_case(name, args.src, args.mb, args.timeout)
               for name in args.cases.split(",")]
    if args.json:
        print(json.dumps(results, indent=1, ensure_ascii=False))
        return
    for row in results:
        print(f"{row['case']:>17} {row['file_mb']:>6} MB  exit {row['exit']}  "
              f"{row['seconds']:>7} s  peak {row['peak_rss_mb']} MB  "
              f"{row['output_lines']} line(s): {row['first_line']}")


if __name__ == "__main__":
    main()
