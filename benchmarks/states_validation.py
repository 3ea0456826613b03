"""Validity checks of the state-positions analysis on the full 1946-2019 history.

Prints the markdown of the "State positions" section of docs/validation.md::

    python benchmarks/states_validation.py > /tmp/states-validation.md

It imports ``../shared/data/unga-votes`` (unvotes tables and the autonomous-weapons file) into
a temporary SQLite database, then reports: the Cold War blocs by session, the agreement of
well-known pairs, ideal-point orderings and their correlation with the first principal
dimension, a sample of agreement figures recomputed in plain Python straight from the CSV, and
the blocs of the autonomous-weapons votes.
"""

from __future__ import annotations

import csv
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from detente.states import (
    Selection,
    agreement_matrix,
    analyze,
    country_name,
    ideal_points,
    import_votes,
    load_votes,
)
from detente.store import create_db_engine, session_scope, upgrade

ROOT = Path(__file__).resolve().parents[1]
WEST = ["USA", "GBR", "FRA", "CAN", "AUS", "NLD", "BEL", "ITA", "JPN", "ISR", "DEU", "NOR"]
EAST = ["SUN", "POL", "CSK", "DDR", "HUN", "BGR", "UKR", "BLR", "MNG", "CUB", "ROU"]
NONALIGNED = ["IND", "EGY", "IDN", "DZA", "NGA", "GHA", "IRQ", "SYR", "TZA", "YUG", "LKA"]


def shared_dir() -> Path:
    """../shared, $DETENTE_SHARED_DIR or /work/shared."""
    for candidate in (os.environ.get("DETENTE_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "data").is_dir():
            return Path(candidate)
    sys.exit("shared data folder not found")


def _table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def cold_war_blocs(db) -> str:  # type: ignore[no-untyped-def]
    """Where the Western, Soviet and non-aligned reference states fall, session by session."""
    rows = []
    for session in (5, 15, 25, 30, 35, 40, 44, 50, 60, 70):
        result = analyze(db, Selection(start=session, end=session))
        blocs = {m: g["id"] + 1 for g in result["groups"] for m in g["members"]}

        def where(group: list[str], blocs: dict[str, int] = blocs) -> str:
            counts: dict[int, int] = defaultdict(int)
            for state in group:
                if state in blocs:
                    counts[blocs[state]] += 1
            return ", ".join(f"bloc {b}: {n}" for b, n in sorted(counts.items()))

        rows.append([session, 1945 + session, result["k"], where(WEST), where(EAST),
                     where(NONALIGNED)])
    return _table(["session", "year", "blocs", "Western (12)", "Soviet bloc (11)",
                   "non-aligned (11)"], rows)


def pair_table(db) -> str:  # type: ignore[no-untyped-def]
    """Mean per-session agreement of well-known pairs, by decade."""
    data = load_votes(db, Selection(start=1, end=74))
    from detente.states import agreement_over_time

    pairs = [("USA", "ISR"), ("USA", "GBR"), ("USA", "RUS"), ("CUB", "RUS"), ("IND", "RUS"),
             ("CHN", "RUS"), ("USA", "CHN")]
    decades = list(range(1950, 2020, 10))
    rows = []
    for a, b in pairs:
        series = agreement_over_time(data, a, b)
        cells = []
        for decade in decades:
            values = [r["agreement"] for r in series if decade <= r["year"] < decade + 10]
            cells.append(f"{np.mean(values):.2f}" if values else "–")
        rows.append([f"{a}–{b}", *cells])
    return _table(["pair (successors followed)", *[f"{d}s" for d in decades]], rows)


def ideal_table(db) -> tuple[str, list[float]]:  # type: ignore[no-untyped-def]
    """Ideal-point order of reference states per era, and correlation with PC1 per session."""
    data = load_votes(db, Selection(start=1, end=74))
    sessions = np.array([s["session"] for s in data.statements])
    correlations, rows = [], []
    order_checks: dict[str, list[bool]] = defaultdict(list)
    for session in sorted(set(sessions.tolist())):
        part = data.subset(np.flatnonzero(sessions == session))
        if part.codes.shape[1] < 10:
            continue
        points = ideal_points(part.codes, part.states)
        x = points.as_dict()
        correlations.append(points.correlation_with_pca())
        era = "1946-1991" if session <= 46 else "1992-2019"
        east = "SUN" if session <= 46 else "RUS"
        for west in ("USA", "ISR"):
            for other in ("CUB", "PRK", east):
                if west in x and other in x:
                    order_checks[f"{era}: {west} > {other if other != east else 'SUN/RUS'}"].append(
                        x[west] > x[other])
        if session in (10, 30, 45, 60, 74):
            shown = {s: f"{x[s]:+.2f}" for s in ("USA", "ISR", "GBR", "FRA", "IND", "CHN",
                                                 "SUN", "RUS", "CUB", "PRK") if s in x}
            rows.append([session, len(part.statements), points.iterations,
                         f"{points.correlation_with_pca():.3f}",
                         " ".join(f"{k} {v}" for k, v in shown.items())])
    checks = [[name, f"{sum(v)}/{len(v)}"] for name, v in sorted(order_checks.items())]
    text = (_table(["session", "roll calls", "EM iterations", "r with PC1",
                    "ideal points (USA positive)"], rows)
            + "\n\nOrdering checks (sessions where the first state lies above the second):\n\n"
            + _table(["check", "sessions"], checks))
    return text, correlations


def reference_sample(db, folder: Path, n_pairs: int = 12) -> str:  # type: ignore[no-untyped-def]
    """Agreement recomputed in plain Python from the CSV rows, against the pipeline."""
    sessions: dict[str, int] = {}
    with (folder / "unvotes_un_roll_calls.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            sessions[row["rcid"]] = int(row["session"])
    votes: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    with (folder / "unvotes_un_votes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            votes[(row["country_code"], sessions[row["rcid"]])][row["rcid"]] = row["vote"]
    rng = random.Random(2026)
    picks = [("US", "IL", 40), ("US", "GB", 70), ("CN", "IN", 60), ("CU", "KP", 55)]
    codes = sorted({c for c, _ in votes if c and c not in ("RU", "YU")})
    while len(picks) < n_pairs:
        a, b = rng.sample(codes, 2)
        session = rng.randint(30, 74)
        if votes.get((a, session)) and votes.get((b, session)):
            picks.append((a, b, session))
    from detente.states import iso3_from_unvotes

    rows = []
    for a, b, session in picks:
        va, vb = votes[(a, session)], votes[(b, session)]
        score = joint = 0.0
        for rcid in set(va) & set(vb):
            joint += 1
            if va[rcid] == vb[rcid]:
                score += 1
            elif "abstain" in (va[rcid], vb[rcid]):
                score += 0.5
        plain = score / joint
        data = load_votes(db, Selection(start=session, end=session))
        ia = data.states.index(iso3_from_unvotes(a, "", None) or "")
        ib = data.states.index(iso3_from_unvotes(b, "", None) or "")
        agreement, n = agreement_matrix(data.codes[[ia, ib]])
        rows.append([f"{data.states[ia]}–{data.states[ib]}", session, int(joint), f"{plain:.4f}",
                     f"{agreement[0, 1]:.4f}", int(n[0, 1]),
                     "yes" if abs(plain - agreement[0, 1]) < 1e-12 and joint == n[0, 1] else "NO"])
    return _table(["pair", "session", "joint (plain)", "agreement (plain Python)",
                   "agreement (detente)", "joint (detente)", "equal"], rows)


def laws_blocs(db) -> str:  # type: ignore[no-untyped-def]
    """Each bloc of the three autonomous-weapons votes and its states."""
    result = analyze(db, Selection(topic="ai"))
    counts = {c["statement"]: c for c in result["vote_counts"]}
    lines = []
    for meta in result["roll_calls"]:
        c = counts[meta["key"]]
        lines.append(f"- {meta['resolution']} ({meta['date']}): yes {c['yes']}, no {c['no']}, "
                     f"abstain {c['abstain']}, non-voting {c['absent']}")
    symbol = {m["key"]: m["resolution"] for m in result["roll_calls"]}
    for group in result["groups"]:
        shares = ", ".join(f"{symbol[r['statement']]} yes {r['agree_share']:.0%}"
                           for r in group["representative"][:3])
        names = ", ".join(f"{country_name(m)} ({m})" for m in group["members"])
        lines.append(f"\n**Bloc {group['id'] + 1}** ({len(group['members'])} states; {shares}): "
                     f"{names}")
    if result.get("unclustered"):
        lines.append(f"\n**Not grouped** (fewer than three yes/no/abstain votes cast): "
                     f"{', '.join(result['unclustered'])}")
    return "\n".join(lines)


def main() -> None:
    """Import, analyse and print the markdown."""
    folder = shared_dir() / "data" / "unga-votes"
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(f"sqlite:///{tmp}/validation.db")
        upgrade(engine)
        started = time.perf_counter()
        import_votes(engine, folder)
        import_votes(engine, folder / "laws_resolutions_2023_2025.csv")
        print(f"<!-- imported in {time.perf_counter() - started:.1f} s -->")
        with session_scope(engine) as db:
            print("#### Cold War blocs by session\n")
            print(cold_war_blocs(db))
            print("\n#### Agreement of well-known pairs (mean of per-session agreement)\n")
            print(pair_table(db))
            print("\n#### Ideal points\n")
            text, correlations = ideal_table(db)
            print(text)
            print(f"\nCorrelation of EM ideal points with the first principal dimension over "
                  f"{len(correlations)} sessions with at least 10 roll calls: median "
                  f"{np.median(correlations):.3f}, minimum {np.min(correlations):.3f}.")
            print("\n#### Agreement recomputed in plain Python from the CSV\n")
            print(reference_sample(db, folder))
            print("\n#### Autonomous-weapons votes (A/RES/78/241, 79/62, 80/57): blocs\n")
            print(laws_blocs(db))
        engine.dispose()


if __name__ == "__main__":
    main()
