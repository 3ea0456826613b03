"""Compile the shipped AI facts of the states view from ../shared/data.

Writes three files under ``src/detente/data/states/`` (run ``python
benchmarks/states_build_facts.py``; needs the shared data folder):

- ``ai_instruments.csv``: the AI instruments (``state-positions/instruments.csv``);
- ``ai_positions.csv``: every state's position on them, one row per state and instrument,
  each row keeping its source URL (from the per-instrument files);
- ``laws_votes.csv``: the UN Digital Library records of the three lethal-autonomous-weapons
  resolutions (A/RES/78/241, 79/62, 80/57), UN-derived data shipped for non-commercial use with
  attribution: © United Nations, digitallibrary.un.org.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/detente/data/states"


def shared_dir() -> Path:
    """../shared, or $DETENTE_SHARED_DIR, or /work/shared."""
    for candidate in (os.environ.get("DETENTE_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "data").is_dir():
            return Path(candidate)
    raise SystemExit("shared data folder not found")


def _write(path: Path, header: str, columns: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(f"# {line}\n" for line in header.strip().splitlines())
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {path.relative_to(ROOT)}")


def main() -> None:
    """Build the three files."""
    data = shared_dir() / "data"
    positions_dir = data / "state-positions"
    with (positions_dir / "instruments.csv").open(encoding="utf-8") as handle:
        instruments = list(csv.DictReader(handle))
    columns = ["id", "title", "kind", "date", "body", "totals", "source_url"]
    _write(OUT / "ai_instruments.csv", """
AI instruments: UN resolutions, declarations and conventions on AI and security.
Compiled by benchmarks/states_build_facts.py from shared/data/state-positions/instruments.csv
(facts from the public pages cited in source_url). Do not edit by hand.""",
           columns, [[row[c] for c in columns] for row in instruments])
    rows = []
    for item in instruments:
        path = positions_dir / f"{item['id']}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            rows += [[item["id"], r["iso3"], r["position"], r["source_url"], r["note"]]
                     for r in csv.DictReader(handle)]
    _write(OUT / "ai_positions.csv", """
States' positions on the AI instruments of ai_instruments.csv, one row per state and
instrument, each with the page that states it. For recorded votes only "no" and "abstain" are
listed by the sources (see docs/states.md); lists marked partial in ai_instruments.csv are partial.
Compiled by benchmarks/states_build_facts.py from shared/data/state-positions/. Do not edit.""",
           ["instrument", "state", "position", "source", "note"], rows)
    with (data / "unga-votes/laws_resolutions_2023_2025.csv").open(encoding="utf-8") as handle:
        laws = list(csv.DictReader(handle))
    columns = ["resolution", "date", "session", "undl_id", "ms_code", "ms_name", "ms_vote",
               "title", "undl_link"]
    _write(OUT / "laws_votes.csv", """
UN General Assembly recorded votes on lethal autonomous weapons systems: A/RES/78/241,
A/RES/79/62, A/RES/80/57 (UN Digital Library voting records; ms_vote Y yes, N no, A abstain,
X non-voting). Source: © United Nations, digitallibrary.un.org. UN-derived data, shipped for
non-commercial use with attribution. Transcribed by wrobinson127/machine-politics (commit
06743dff, site/votes.html); compiled by benchmarks/states_build_facts.py. Do not edit.""",
           columns, [[row[c] for c in columns] for row in laws])


if __name__ == "__main__":
    main()
