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
