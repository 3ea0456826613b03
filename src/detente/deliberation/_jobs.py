"""Recomputation as jobs on a distributed task queue: Procrastinate on PostgreSQL.

Why Procrastinate: the queue lives in the database detente already needs (no broker to run,
back up or lose), a job is deferred in one ``INSERT``, and two of its features are exactly the
guarantees we need across every worker and host:

- the **queueing lock** ``recompute:<id>`` lets at most one recompute of a deliberation *wait*
  in the queue: a burst of votes from any number of web workers defers one job, the others get
  ``AlreadyEnqueued`` (coalesced);
- the **lock** ``recompute:<id>`` lets at most one recompute of a deliberation *run* at a time,
  whichever worker fetched it.

So a deliberation has at most one recompute in flight and one waiting. Each web process notes
the deliberations that got votes (:class:`QueueScheduler`) and defers once per tick, with
``schedule_in`` = ``DETENTE_RECOMPUTE_DELAY``: votes of the next ``delay`` seconds share it.
The job runs :func:`~detente.deliberation._results.recompute` (guarded upsert: an older
snapshot never replaces a newer one) in ``detente worker``, which also retries the jobs of a
worker that stopped sending heartbeats (killed), so no recompute is lost with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from detente.deliberation._results import StoredResult, recompute
from detente.runtime import Event, EventBus

if TYPE_CHECKING:  # imported where used: the CLI should not pay for it on every command
    import procrastinate

__all__ = [
    "QUEUE",
    "TASK_NAME",
    "QueueScheduler",
    "announce_change",
    "ensure_queue_schema",
    "job_app",
    "recover_stalled_jobs",
    "result_event",
    "run_worker",
]

log = logging.getLogger(__name__)

QUEUE = "detente-recompute"
TASK_NAME = "detente.recompute"

def result_event(deliberation_id: int, stored: StoredResult) -> Event:
    """The ``results`` event announcing a stored snapshot."""
    result = stored.result
    participants = result.get("participants")
    return Event("results", deliberation_id, {
        "computed_at": stored.computed_at.isoformat(), "vote_count": stored.vote_count,
        "participants": participants if isinstance(participants, int) else None,
        "groups": len(result.get("groups") or [])})


def recompute_job(context: procrastinate.JobContext, deliberation_id: int) -> int | None:
    """Recompute one deliberation; announce the snapshot on the event bus."""
    extra = context.additional_context
    engine: Engine = extra["engine"]
    bus: EventBus | None = extra.get("bus")
    started = time.process_time()
    stored = recompute(engine, deliberation_id)
    log.info("recomputed deliberation %s in %.3f s CPU (%s)", deliberation_id,
             time.process_time() - started, "stored" if stored else "nothing stored")
    if stored is not None and bus is not None:
        bus.publish(result_event(deliberation_id, stored))
    return stored.vote_count if stored is not None else None


def conninfo(database_url: str) -> str:
    """A libpq connection string from the SQLAlchemy URL."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError("the job queue needs a PostgreSQL database")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def job_app(database_url: str, *, min_size: int = 1, max_size: int = 4) -> procrastinate.App:
    """A Procrastinate app on the database (open it with ``open_async`` before use)."""
    import procrastinate

    connector = procrastinate.PsycopgConnector(
        conninfo=conninfo(database_url), min_size=min_size, max_size=max_size,
        kwargs={"application_name": "detente-jobs"})
    app = procrastinate.App(connector=connector)
    app.task(name=TASK_NAME, queue=QUEUE, pass_context=True)(recompute_job)
    return app


def _task(app: procrastinate.App) -> Any:
    return app.tasks[TASK_NAME]


async def defer_recompute(app: procrastinate.App, deliberation_id: int,
                          delay: float) -> bool:
    """Defer a recompute in ``delay`` seconds; False when one is already waiting."""
    from procrastinate import exceptions as pexc

    lock = f"recompute:{deliberation_id}"
    try:
        await _task(app).configure(
            lock=lock, queueing_lock=lock,
            schedule_in={"seconds": delay} if delay > 0 else None,
        ).defer_async(deliberation_id=deliberation_id)
    except pexc.AlreadyEnqueued:
        return False
    return True


async def ensure_queue_schema(database_url: str) -> bool:
    """Create Procrastinate's tables unless they exist, in one transaction holding an advisory
    lock (several processes starting at once do it once). True when it created them."""
    import psycopg
    from procrastinate.schema import SchemaManager

    connection = await psycopg.AsyncConnection.connect(conninfo(database_url))
    async with connection, connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock(%s)", (0x64657465,))
        cursor = await connection.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
        row = await cursor.fetchone()
        if row and row[0]:
            return False
        await connection.execute(SchemaManager.get_schema())
    return True


async def recover_stalled_jobs(app: procrastinate.App, stalled_after: float) -> int:
    """Put back in the queue the recomputes of workers whose heartbeat stopped (killed).

    When a recompute of the same deliberation is already waiting, the stalled one is marked
    failed instead (the waiting one covers it). Returns how many were recovered."""
    import procrastinate
    from procrastinate import exceptions as pexc

    recovered = 0
    for job in await app.job_manager.get_stalled_jobs(
            task_name=TASK_NAME, seconds_since_heartbeat=stalled_after):
        try:
            await app.job_manager.retry_job(job)
        except (pexc.UniqueViolation, pexc.ConnectorException):
            await app.job_manager.finish_job(job, procrastinate.jobs.Status.FAILED,
                                             delete_job=False)
            deliberation_id = job.task_kwargs.get("deliberation_id")
            if isinstance(deliberation_id, int):
                await defer_recompute(app, deliberation_id, 0)
        log.warning("recompute job %s of a stopped worker put back in the queue", job.id)
        recovered += 1
    return recovered


class QueueScheduler:
    """The web process's side: note deliberations with new votes, defer their recompute.

    :meth:`mark` is cheap and thread-safe (the vote writer calls it after each commit); a task
    defers at most one job per marked deliberation per ``tick``. A deliberation whose defer
    fails (database unreachable) stays marked and is tried again at the next tick.
    """

    def __init__(self, database_url: str, delay: float, tick: float = 0.25) -> None:
        self.app = job_app(database_url, max_size=2)
        self.delay = max(0.0, float(delay))
        self.tick = tick
        self._dirty: set[int] = set()
        self._task: asyncio.Task | None = None
        self._opened = False
        self.deferred = 0
        self.coalesced = 0

    def mark(self, deliberation_ids: set[int] | list[int]) -> None:
        self._dirty.update(deliberation_ids)

    async def run_due(self) -> int:
        """Defer a recompute for every marked deliberation; returns how many were tried."""
        due, self._dirty = self._dirty, set()
        for deliberation_id in due:
            try:
                if await defer_recompute(self.app, deliberation_id, self.delay):
                    self.deferred += 1
                else:
                    self.coalesced += 1
            except Exception as exc:  # the database is away: keep it marked, try again
                log.warning("could not defer a recompute of %s: %s", deliberation_id, exc)
                self._dirty.add(deliberation_id)
        return len(due)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.tick)
            await self.run_due()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        await self.app.open_async()
        self._opened = True
        await self._loop()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        with contextlib.suppress(Exception):
            await self.run_due()  # what was marked last still gets its job
        if self._opened:
            with contextlib.suppress(Exception):
                await self.app.close_async()
            self._opened = False


async def run_worker(database_url: str, engine: Engine, bus: EventBus | None, *,
                     name: str | None = None, concurrency: int = 1, heartbeat: float = 2.0,
                     stalled_after: float = 10.0,
                     on_ready: Callable[[], Any] | None = None) -> None:
    """Run recompute jobs until cancelled or signalled (``detente worker``).

    Besides the Procrastinate worker, a maintenance task puts the jobs of stopped workers back
    in the queue every ``heartbeat`` seconds and deletes succeeded jobs older than a day.
    """
    app = job_app(database_url, max_size=concurrency + 3)
    await ensure_queue_schema(database_url)
    async with app.open_async():

        async def maintain() -> None:
            last_cleanup = 0.0
            while True:
                await asyncio.sleep(heartbeat)
                try:
                    await recover_stalled_jobs(app, stalled_after)
                    if time.monotonic() - last_cleanup > 3600:
                        await app.job_manager.delete_old_jobs(nb_hours=24, queue=QUEUE)
                        last_cleanup = time.monotonic()
                except Exception as exc:
                    log.warning("job maintenance failed: %s", exc)

        maintenance = asyncio.get_running_loop().create_task(maintain())
        if on_ready is not None:
            on_ready()
        try:
            await app.run_worker_async(
                queues=[QUEUE], name=name or "detente-worker", concurrency=concurrency,
                update_heartbeat_interval=heartbeat, stalled_worker_timeout=stalled_after,
                additional_context={"engine": engine, "bus": bus},
                fetch_job_polling_interval=1.0, install_signal_handlers=True)
        finally:
            maintenance.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await maintenance


def announce_change(database_url: str, redis_url: str | None, redis_prefix: str,
                    job_queue: str, deliberation_id: int, kind: str, *,
                    recompute: bool = False, **data: Any) -> None:
    """Tell running servers about a change made outside them (the CLI): publish the event on
    Redis (their vote caches drop the deliberation's open statements) and, with the job queue,
    defer a recompute. Without Redis no other process can be told: a server's cache then
    expires on its own within 2 s, and its next vote schedules the recompute."""
    from detente.runtime import RedisBus

    if redis_url:
        bus = RedisBus(redis_url, redis_prefix)
        bus.publish(Event(kind, deliberation_id, data))
    if recompute and job_queue == "postgresql":

        async def defer() -> None:
            app = job_app(database_url, max_size=1)
            async with app.open_async():
                await defer_recompute(app, deliberation_id, 0)

        asyncio.run(defer())
