"""Upgrading a database that holds the shipped AI facts of an earlier release brings this
release's corrections to them, and leaves what came from elsewhere alone (review of
2 December, finding 4)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import Engine, create_engine, text

from detente.states._demo import load_facts
from detente.store import upgrade
from detente.store.db import _alembic_config

_USER_SOURCE = "https://example.org/own-list"


def _values(engine: Engine) -> dict[str, object]:
    with engine.connect() as connection:
        instruments = dict(connection.execute(text(
            "SELECT slug, organisations || '|' || open_to FROM state_instruments")).all())
        evidence = dict(connection.execute(text(
            "SELECT i.slug || ':' || p.state, p.evidence FROM state_positions p "
            "JOIN state_instruments i ON i.id = p.instrument_id")).all())
        version = connection.execute(text("SELECT version FROM state_data_version")).scalar()
    return {"instruments": instruments, "evidence": evidence, "version": version}


def test_upgrade_brings_the_corrected_shipped_facts(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(_alembic_config(engine), "states_0003")
    load_facts(engine)
    shipped = _values(engine)
    # The database as the earlier release left it: its shipped facts, with the values that
    # release shipped, "named" on every position; one G7 position the user imported from
    # another source.
    with engine.begin() as connection:
        connection.execute(text("UPDATE state_instruments SET organisations = 'eu' "
                                "WHERE slug = 'g7-hiroshima-2023'"))
        connection.execute(text("UPDATE state_instruments SET open_to = 'members' "
                                "WHERE slug = 'coe-framework-convention-ai'"))
        connection.execute(text("UPDATE state_positions SET evidence = ''"))
        connection.execute(text(
            "UPDATE state_positions SET source_url = :url WHERE state = 'JPN' AND "
            "instrument_id = (SELECT id FROM state_instruments WHERE slug = "
            "'g7-hiroshima-2023')"), {"url": _USER_SOURCE})
    before = _values(engine)
    assert before["instruments"] != shipped["instruments"]
    upgrade(engine)
    after = _values(engine)
    assert after["instruments"] == shipped["instruments"]
    expected = {**shipped["evidence"], "g7-hiroshima-2023:JPN": ""}  # the user's is kept
    assert after["evidence"] == expected
    assert sum(1 for e in after["evidence"].values() if e) == 11
    assert after["version"] == before["version"] + 1  # cached analyses go stale
    # A database that never held the shipped facts, or already holds this release's, is
    # left as it is.
    upgrade(engine)
    assert _values(engine) == after
