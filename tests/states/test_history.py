"""The full 1946-2019 history (shared data): agreement against a plain-Python reference,
well-known structure (USA-ISR agreement, Cold War blocs), ideal-point order."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine

from detente.states import (
    Selection,
    agreement_matrix,
    agreement_over_time,
    analyze,
    ideal_points,
    import_votes,
    lineage,
    load_votes,
)
from detente.store import create_db_engine, session_scope, upgrade

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def unvotes_dir(shared_dir: Path) -> Path:
    folder = shared_dir / "data" / "unga-votes"
    if not (folder / "unvotes_un_votes.csv").exists():
        pytest.skip("shared unvotes tables are absent")
    return folder


@pytest.fixture(scope="module")
def history(unvotes_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path_factory.mktemp('history') / 'h.db'}")
    upgrade(engine)
    import_votes(engine, unvotes_dir)
    yield engine
    engine.dispose()


def _plain_agreement(folder: Path, a: str, b: str, session: int) -> tuple[float, int]:
    """Read the CSV rows of two ISO2 codes in one session; Lijphart's index by hand."""
    with (folder / "unvotes_un_roll_calls.csv").open(encoding="utf-8") as handle:
        rcids = {row["rcid"] for row in csv.DictReader(handle) if int(row["session"]) == session}
    votes: dict[str, dict[str, str]] = defaultdict(dict)
    with (folder / "unvotes_un_votes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["rcid"] in rcids and row["country_code"] in (a, b):
                votes[row["country_code"]][row["rcid"]] = row["vote"]
    score, joint = 0.0, 0
    for rcid in set(votes[a]) & set(votes[b]):
        joint += 1
        if votes[a][rcid] == votes[b][rcid]:
            score += 1.0
        elif "abstain" in (votes[a][rcid], votes[b][rcid]):
            score += 0.5
    return score / joint, joint


@pytest.mark.parametrize(("a", "b", "iso_a", "iso_b", "session"), [
    ("US", "IL", "USA", "ISR", 40), ("CN", "IN", "CHN", "IND", 60),
    ("FR", "CU", "FRA", "CUB", 35), ("BR", "ZA", "BRA", "ZAF", 70)])
def test_agreement_matches_a_plain_python_reference(
        history: Engine, unvotes_dir: Path, a: str, b: str, iso_a: str, iso_b: str,
        session: int) -> None:
    expected, joint = _plain_agreement(unvotes_dir, a, b, session)
    with session_scope(history) as db:
        data = load_votes(db, Selection(start=session, end=session))
    rows = [data.states.index(iso_a), data.states.index(iso_b)]
    agreement, n = agreement_matrix(data.codes[rows])
    assert n[0, 1] == joint
    assert agreement[0, 1] == pytest.approx(expected, abs=1e-12)


def test_united_states_and_israel_agree_far_more_than_the_us_and_russia(
        history: Engine) -> None:
    with session_scope(history) as db:
        data = load_votes(db, Selection(), lineage("USA") + lineage("ISR") + lineage("RUS"))
    isr = np.mean([r["agreement"] for r in agreement_over_time(data, "USA", "ISR")])
    rus = np.mean([r["agreement"] for r in agreement_over_time(data, "USA", "RUS")])
    assert isr > 0.75 > 0.45 > rus


def test_cold_war_sessions_split_west_east_and_non_aligned(history: Engine) -> None:
    with session_scope(history) as db:
        result = analyze(db, Selection(start=30, end=30))
    bloc = {m: g["id"] for g in result["groups"] for m in g["members"]}
    west = {bloc[s] for s in ("USA", "GBR", "FRA", "CAN", "NLD", "ISR")}
    east = {bloc[s] for s in ("SUN", "POL", "HUN", "BGR", "UKR", "BLR")}
    assert len(west) == 1 and len(east) == 1 and west != east


def test_ideal_points_put_the_us_and_israel_opposite_cuba_and_the_ussr(
        history: Engine) -> None:
    with session_scope(history) as db:
        for session in (25, 40, 60, 74):
            data = load_votes(db, Selection(start=session, end=session))
            x = ideal_points(data.codes, data.states).as_dict()
            east = "SUN" if session < 47 else "RUS"
            assert min(x["USA"], x["ISR"]) > max(x["CUB"], x[east])
