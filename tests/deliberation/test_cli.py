"""``detente deliberation``: create, seed, moderate, close, invite, export, import, results."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app
from tests.conftest import run_async

runner = CliRunner()


def _consensus_cli():  # type: ignore[no-untyped-def]
    """``detente consensus`` on its own (it reads the export back as any Polis folder)."""
    import typer

    from detente.cli import consensus

    alone = typer.Typer()
    consensus.register(alone)
    return alone


def _run(url: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--database", url, *args])


def test_create_seed_export_and_results(sqlite_url: str, tmp_path: Path) -> None:
    from detente.forum import DEMO_EVENT_SLUG

    assert _run(sqlite_url, "demo", "--no-serve").exit_code == 0
    created = _run(sqlite_url, "deliberation", "create", DEMO_EVENT_SLUG, "2",
                   "--question", "Is verification of military AI limits possible?",
                   "--question-zh", "军事人工智能限制的核查可行吗？")
    assert created.exit_code == 0, created.output
    new_id = created.stdout.strip()
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("Verification needs on-site inspections.\t核查需要进行现场实地检查。\n\n"
                     "Software cannot be verified like warheads.\n", encoding="utf-8")
    seeded = _run(sqlite_url, "deliberation", "seed", new_id, str(seeds))
    assert seeded.exit_code == 0 and "added 2" in seeded.stdout
    listed = _run(sqlite_url, "deliberation", "list")
    assert "Is verification" in listed.stdout and "2 statements" in listed.stdout
    exported = _run(sqlite_url, "deliberation", "export", "1", str(tmp_path / "out"))
    assert exported.exit_code == 0
    assert (tmp_path / "out" / "participants-votes.csv").exists()
    read_back = runner.invoke(_consensus_cli(), [str(tmp_path / "out"), "--json", "-"])
    assert read_back.exit_code == 0, read_back.output
    assert '"groups"' in read_back.stdout and '"sim01"' in read_back.stdout
    results = _run(sqlite_url, "deliberation", "results", "1", "--json", "-")
    assert results.exit_code == 0 and '"groups"' in results.stdout


def test_seed_error_names_file_and_line_and_adds_nothing(sqlite_url: str, tmp_path: Path) -> None:
    from detente.forum import DEMO_EVENT_SLUG

    _run(sqlite_url, "demo", "--no-serve")
    new_id = _run(sqlite_url, "deliberation", "create", DEMO_EVENT_SLUG, "2",
                  "--question", "A question for this test?").stdout.strip()
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("A first statement long enough\n\ntiny\n", encoding="utf-8")
    result = _run(sqlite_url, "deliberation", "seed", new_id, str(seeds))
    assert result.exit_code == 2
    assert f"{seeds}:3" in result.stderr
    assert "0 statements" in _run(sqlite_url, "deliberation", "list").stdout


def test_moderate_close_reopen_and_invite(sqlite_url: str) -> None:
    from detente.forum import DEMO_EVENT_SLUG

    _run(sqlite_url, "demo", "--no-serve")
    new_id = _run(sqlite_url, "deliberation", "create", DEMO_EVENT_SLUG, "1", "--invite-only",
                  "--question", "Who should set the rules?").stdout.strip()
    invites = _run(sqlite_url, "deliberation", "invite", new_id, "--count", "3")
    links = invites.stdout.split()
    assert len(links) == 3 and all(f"/deliberations/{new_id}/invite/" in x for x in links)
    assert _run(sqlite_url, "deliberation", "moderate", "1", "reject").exit_code == 0
    assert _run(sqlite_url, "deliberation", "close", new_id).exit_code == 0
    assert "closed" in _run(sqlite_url, "deliberation", "list").stdout
    assert _run(sqlite_url, "deliberation", "open", new_id).exit_code == 0
    bad = _run(sqlite_url, "deliberation", "moderate", "1", "maybe")
    assert bad.exit_code == 2


def test_import_polis_creates_a_closed_deliberation(sqlite_url: str, shared_dir: Path) -> None:
    from detente.forum import DEMO_EVENT_SLUG

    folder = shared_dir / "data" / "polis-opendata" / "london.youth.policing"
    _run(sqlite_url, "demo", "--no-serve")
    result = _run(sqlite_url, "deliberation", "import-polis", str(folder),
                  "--event", DEMO_EVENT_SLUG, "--session", "3")
    assert result.exit_code == 0, result.output
    assert "closed" in _run(sqlite_url, "deliberation", "list").stdout


def test_import_polis_of_a_missing_folder_is_one_line_error(sqlite_url: str,
                                                            tmp_path: Path) -> None:
    result = _run(sqlite_url, "deliberation", "import-polis", str(tmp_path / "nope"),
                  "--event", "x", "--session", "1")
    assert result.exit_code == 2 and "not a folder" in result.stderr


def test_cli_moderation_reaches_running_servers_through_redis(
        sqlite_engine, sqlite_url: str, redis_url: str, redis_prefix: str,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A statement rejected from the command line is announced on the event bus, so every
    server's vote cache drops it at once."""
    import asyncio

    from detente.deliberation import statements_of
    from detente.forum import load_demo_forum
    from detente.runtime import RedisBus
    from detente.store import session_scope

    from .conftest import make_deliberation

    load_demo_forum(sqlite_engine)
    d = make_deliberation(sqlite_engine)
    with session_scope(sqlite_engine) as db:
        statement = statements_of(db, d)[0].id
    monkeypatch.setenv("DETENTE_REDIS_URL", redis_url)
    monkeypatch.setenv("DETENTE_REDIS_PREFIX", redis_prefix)

    async def scenario() -> list[tuple[str, dict]]:
        bus = RedisBus(redis_url, redis_prefix)
        await bus.start()
        try:
            async with bus.subscribe(d) as events:
                result = await asyncio.to_thread(
                    _run, sqlite_url, "deliberation", "moderate", str(statement), "reject")
                assert result.exit_code == 0, result.output
                got = await events.get(timeout=3)
                return [(got.kind, got.data)] if got else []
        finally:
            await bus.stop()

    assert run_async(scenario) == [("statements", {"change": "rejected",
                                                       "statement": statement})]
