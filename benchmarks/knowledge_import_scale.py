"""Time and peak memory of ``detente kb import`` on one large text, at several sizes.

Usage::

    python benchmarks/knowledge_import_scale.py --sizes 5 20 50

For each size (MB) the script writes one ``.txt`` file made of the shared corpus texts
(../shared/data/governance-texts, front matter removed) repeated until the size is reached, then
runs ``detente kb import`` on it in a child process over a fresh SQLite file, and prints the wall
time, the child's peak resident memory (``ru_maxrss``) and the provisions imported. Nothing is
kept.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    for candidate in (os.environ.get("DETENTE_SHARED_DIR"), REPO.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "data" / "governance-texts").is_dir():
            return Path(candidate)
    raise SystemExit("shared data not found (../shared or DETENTE_SHARED_DIR)")


def corpus_text() -> str:
    parts = []
    for path in sorted((shared_dir() / "data" / "governance-texts").glob("*.en.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text.split("\n---\n", 1)[1]
        parts.append(text)
    return "\n\n".join(parts)


def run(size_mb: int, workdir: Path, body: str) -> tuple[float, float, str]:
    target = size_mb * 1024 * 1024
    path = workdir / f"large-{size_mb}mb.txt"
    with path.open("w", encoding="utf-8") as handle:
        written = 0
        while written < target:
            chunk = body[: target - written]
            handle.write(chunk)
            written += len(chunk)
    database = workdir / f"kb-{size_mb}.db"
    command = [
        sys.executable,
        "-c",
        "from detente.cli import main; main()",
        "--database",
        f"sqlite:///{database}",
        "kb",
        "import",
        str(path),
        "--issuer",
        "Benchmark",
        "--title",
        f"Large text {size_mb} MB",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    path.unlink()
    database.unlink()
    # ru_maxrss of children is the largest child so far: sizes run in increasing order.
    return elapsed, max(peak, before) / 1024, result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 20, 50])
    args = parser.parse_args()
    body = corpus_text()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sorted(args.sizes):
            elapsed, peak, summary = run(size, Path(tmp), body)
            print(
                f"{size:4d} MB  {elapsed:7.1f} s  {elapsed / size:5.2f} s/MB  "
                f"peak {peak:7.0f} MB  {summary}"
            )


if __name__ == "__main__":
    main()
