"""``detente serve`` refuses set-ups that would misbehave, saying what to set."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.cli.serve import check_deployment
from detente.errors import InputError
from detente.settings import Settings, load_settings


def _settings(**values: str) -> Settings:
    return load_settings(values)


def test_several_workers_without_a_secret_key_are_refused() -> None:
    with pytest.raises(InputError, match=r"DETENTE_SECRET_KEY.*own key"):
        check_deployment(_settings(), "127.0.0.1", 2)


def test_a_public_address_without_a_secret_key_is_refused() -> None:
    with pytest.raises(InputError, match=r"DETENTE_SECRET_KEY.*0\.0\.0\.0"):
        check_deployment(_settings(), "0.0.0.0", 1)


def test_loopback_with_one_worker_needs_nothing() -> None:
    check_deployment(_settings(), "127.0.0.1", 1)
    check_deployment(_settings(), "localhost", 1)


def test_several_workers_need_postgresql_redis_and_the_queue() -> None:
    key = {"DETENTE_SECRET_KEY": "k" * 32}
    with pytest.raises(InputError) as caught:
        check_deployment(_settings(**key), "127.0.0.1", 2)
    message = str(caught.value)
    for needed in ("DETENTE_DATABASE_URL=postgresql", "DETENTE_REDIS_URL",
                   "DETENTE_JOB_QUEUE=postgresql"):
        assert needed in message
    check_deployment(_settings(**key, DETENTE_DATABASE_URL="postgresql+psycopg://u@h/d",
                               DETENTE_REDIS_URL="redis://127.0.0.1:6379/0",
                               DETENTE_JOB_QUEUE="postgresql"), "0.0.0.0", 4)


def test_the_queue_setting_is_checked() -> None:
    with pytest.raises(InputError, match="DETENTE_JOB_QUEUE"):
        _settings(DETENTE_JOB_QUEUE="celery")
    with pytest.raises(InputError, match="PostgreSQL"):
        _settings(DETENTE_JOB_QUEUE="postgresql")
    with pytest.raises(InputError, match="DETENTE_TRUSTED_PROXIES"):
        _settings(DETENTE_TRUSTED_PROXIES="10.0.0.1, not-an-address")
    with pytest.raises(InputError, match="DETENTE_REDIS_URL"):
        _settings(DETENTE_REDIS_URL="localhost:6379")


def test_serve_refusal_is_one_line_and_exit_2(sqlite_url: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DETENTE_SECRET_KEY", raising=False)
    result = CliRunner().invoke(app, ["--database", sqlite_url, "serve", "--workers", "2"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: DETENTE_SECRET_KEY")


def test_worker_needs_postgresql(sqlite_url: str) -> None:
    result = CliRunner().invoke(app, ["--database", sqlite_url, "worker"])
    assert result.exit_code == 2 and "PostgreSQL" in result.output
