"""``detente serve`` (the web app, one or several workers) and ``detente worker`` (the jobs).

``serve`` refuses set-ups that would silently misbehave: several workers, or an address other
than loopback, without ``DETENTE_SECRET_KEY`` (every process would sign cookies with its own
key); several workers without PostgreSQL, Redis and the job queue (limits, caches and
recomputes would be per process). Each refusal is one line naming what to set, exit status 2.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
from typing import Any

import typer

from detente.capabilities import command_help
from detente.cli._common import open_engine
from detente.errors import InputError
from detente.i18n import gettext as _
from detente.settings import SETTINGS, Settings, load_settings

__all__ = ["check_deployment", "ensure_queue", "register", "run_server"]

KEY_HINT = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


def register(root: typer.Typer) -> None:
    """Add ``serve`` and ``worker`` to the root command."""
    root.command("serve", help=command_help("serve"))(serve)
    root.command("worker", help=command_help("worker"))(worker)


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback
                       for info in socket.getaddrinfo(host, None))
        except (OSError, ValueError):
            return False


def check_deployment(settings: Settings, host: str, workers: int) -> None:
    """Raise an InputError naming what to set when this set-up would misbehave."""
    if workers < 1:
        raise InputError(_("give at least one worker"), location="--workers")
    exposed = not _is_loopback(host)
    if (workers > 1 or exposed) and not settings.secret_key_given:
        why = (_("%(n)d workers would each sign cookies with their own key") % {"n": workers}
               if workers > 1 else
               _("a server on %(host)s needs a key that survives restarts") % {"host": host})
        raise InputError(
            _("not set: %(why)s; set it to at least 16 random characters, e.g. the output of "
              "%(hint)s") % {"why": why, "hint": KEY_HINT},
            location="DETENTE_SECRET_KEY")
    if workers > 1:
        missing = []
        if not settings.is_postgresql:
            missing.append("DETENTE_DATABASE_URL=postgresql+psycopg://USER@HOST/DB")
        if not settings.redis_url:
            missing.append("DETENTE_REDIS_URL=redis://HOST:6379/0")
        if settings.job_queue != "postgresql":
            missing.append("DETENTE_JOB_QUEUE=postgresql")
        if missing:
            raise InputError(
                _("several workers share rate limits, caches and recomputations only through "
                  "PostgreSQL, Redis and the job queue; set %(settings)s (and run "
                  "`detente worker`), or serve with --workers 1")
                % {"settings": ", ".join(missing)}, location="--workers")


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="Address to serve on."),
    port: int = typer.Option(8000, help="Port to serve on."),
    workers: int = typer.Option(1, help="Web worker processes (several need PostgreSQL, "
                                        "Redis and DETENTE_JOB_QUEUE=postgresql)."),
) -> None:
    """``detente serve`` (its help: :func:`detente.capabilities.command_help`)."""
    database = (ctx.find_root().obj or {}).get("database")
    settings = load_settings(database_url=database)
    check_deployment(settings, host, workers)
    open_engine(ctx)
    if settings.job_queue == "postgresql":
        ensure_queue(settings)
    run_server(settings, host, port, workers)


def run_server(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Run uvicorn; with several workers each process builds the app from the environment."""
    import uvicorn

    # uvicorn must not believe X-Forwarded-For from anyone: the app does it, from the
    # proxies in DETENTE_TRUSTED_PROXIES only.
    # A worker importing the app holds the interpreter lock for seconds on a busy machine and
    # cannot answer uvicorn's health pings meanwhile: wait for it rather than kill it.
    options: dict[str, Any] = {
        "host": host, "port": port, "log_level": "warning", "proxy_headers": False,
        "timeout_graceful_shutdown": 10, "timeout_worker_healthcheck": 60}
    typer.echo(_("detente is serving on http://%(host)s:%(port)d (%(n)d worker(s))")
               % {"host": host, "port": port, "n": workers})
    if workers == 1:
        from detente.web.app import create_app

        uvicorn.run(create_app(settings), **options)
        return
    os.environ[SETTINGS["database_url"].env] = settings.database_url
    uvicorn.run("detente.web.app:create_app", factory=True, workers=workers,
                **options)


def ensure_queue(settings: Settings) -> None:
    """Create the job queue's tables in the PostgreSQL database unless they exist."""
    import asyncio

    from detente.deliberation import ensure_queue_schema

    asyncio.run(ensure_queue_schema(settings.database_url))


def worker(
    ctx: typer.Context,
    concurrency: int = typer.Option(1, help="Jobs run at once by this process."),
    name: str | None = typer.Option(None, help="Name in the logs (default: host and pid)."),
    heartbeat: float = typer.Option(2.0, help="Seconds between this worker's heartbeats."),
    stalled_after: float = typer.Option(
        10.0, help="Seconds without a heartbeat after which another worker's jobs are "
                   "taken back into the queue."),
) -> None:
    """``detente worker`` (its help: :func:`detente.capabilities.command_help`)."""
    import asyncio
    import logging

    from detente.deliberation import run_worker
    from detente.runtime import connect

    database = (ctx.find_root().obj or {}).get("database")
    settings = load_settings(database_url=database)
    if not settings.is_postgresql:
        raise InputError(_("the job queue lives in PostgreSQL; set DETENTE_DATABASE_URL="
                           "postgresql+psycopg://USER@HOST/DB"), location="DETENTE_DATABASE_URL")
    if not 1 <= concurrency <= 64:
        raise InputError(_("give 1 to 64 jobs at once"), location="--concurrency")
    engine = open_engine(ctx)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    label = name or f"{socket.gethostname()}-{os.getpid()}"
    bus = connect(settings).bus
    typer.echo(_("detente worker %(name)s is running recompute jobs") % {"name": label},
               err=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_worker(settings.database_url, engine, bus, name=label,
                               concurrency=concurrency, heartbeat=heartbeat,
                               stalled_after=stalled_after))
