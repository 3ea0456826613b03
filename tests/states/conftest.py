"""Fixtures of the state-positions tests: small vote files and databases holding them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from detente.states import import_positions, import_votes

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """tests/states/data."""
    return DATA


@pytest.fixture
def votes_engine(engine: Engine) -> Engine:
    """Both backends, holding the small unvotes and UN Digital Library files and positions."""
    import_votes(engine, DATA / "unvotes")
    import_votes(engine, DATA / "undl_small.csv")
    import_positions(engine, DATA / "positions_small.csv",
                     instruments_file=DATA / "instruments_small.csv")
    return engine


@pytest.fixture
def laws_file(shared_dir: Path) -> Path:
    """The shared UN Digital Library records of the autonomous-weapons resolutions."""
    path = shared_dir / "data" / "unga-votes" / "laws_resolutions_2023_2025.csv"
    if not path.exists():
        pytest.skip("shared LAWS vote file is absent")
    return path


#: States of the built ideal-points file, from one end of the dimension to the other.
SPECTRUM = ("USA", "GBR", "FRA", "DEU", "JPN", "BRA", "IND", "ZAF", "EGY", "CHN", "IRN", "RUS")


@pytest.fixture
def spectrum_file(tmp_path: Path) -> Path:
    """A UN Digital Library CSV of two sessions (77 and 78) of nine roll calls each, on which
    the twelve states of :data:`SPECTRUM` vote by their place on one dimension: roll call j
    passes with the states left of cut-point j."""
    lines = ["undl_id,ms_code,ms_vote,session,date,resolution,title"]
    for session, year in ((77, 2022), (78, 2023)):
        for j in range(9):
            undl = f"{session}{j:02d}"
            for i, state in enumerate(SPECTRUM):
                vote = "Y" if i <= j + 1 else "N"
                if (i + j + session) % 7 == 0:
                    vote = "A"
                lines.append(f"{undl},{state},{vote},{session},{year}-12-0{j + 1},"
                             f"A/RES/{session}/{900 + j},Built roll call {j}")
    path = tmp_path / "spectrum.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
