"""Recomputation as jobs on the PostgreSQL queue: one waiting and one running per deliberation,
coalesced across web processes, run by a worker, recovered from a killed worker."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import Engine, text

from detente.deliberation import (
    QueueScheduler,
    ensure_queue_schema,
    job_app,
    run_worker,
    stored_result,
)
from detente.deliberation._jobs import recover_stalled_jobs
from detente.runtime import Event, LocalBus
from detente.store import create_db_engine, session_scope, upgrade

from .conftest import make_deliberation, run_async
from .test_results import two_camps

pytestmark = pytest.mark.postgres


@pytest.fixture
def queue_engine(postgres_url: str) -> Engine:
    from detente.forum import load_demo_forum

    engine = create_db_engine(postgres_url)
    upgrade(engine)
    load_demo_forum(engine)

    async def schema() -> None:
        assert await ensure_queue_schema(postgres_url) is True
        assert await ensure_queue_schema(postgres_url) is False  # idempotent

    run_async(schema)
    yield engine
    engine.dispose()


def _jobs(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as connection:
        return [(r[0], r[1]) for r in connection.execute(text(
            "SELECT status, (args->>'deliberation_id')::int FROM procrastinate_jobs "
            "ORDER BY id"))]


def test_a_burst_from_several_web_processes_queues_one_recompute(queue_engine: Engine) -> None:
    url = queue_engine.url.render_as_string(hide_password=False)
    d = make_deliberation(queue_engine)

    async def burst() -> tuple[int, int]:
        schedulers = [QueueScheduler(url, delay=30) for _ in range(3)]
        for scheduler in schedulers:
            await scheduler.app.open_async()
        try:
            for _ in range(5):
                for scheduler in schedulers:
                    scheduler.mark({d})
                    await scheduler.run_due()
        finally:
            for scheduler in schedulers:
                await scheduler.app.close_async()
        return (sum(s.deferred for s in schedulers), sum(s.coalesced for s in schedulers))

    deferred, coalesced = run_async(burst)  # type: ignore[misc]
    assert (deferred, coalesced) == (1, 14)
    assert _jobs(queue_engine) == [("todo", d)]


def test_the_worker_recomputes_stores_and_announces(queue_engine: Engine) -> None:
    url = queue_engine.url.render_as_string(hide_password=False)
    d = make_deliberation(queue_engine)
    two_camps(queue_engine, d, 6)
    bus = LocalBus()
    heard: list[Event] = []
    bus.add_listener(heard.append)

    async def scenario() -> None:
        scheduler = QueueScheduler(url, delay=0)
        await scheduler.app.open_async()
        scheduler.mark({d})
        await scheduler.run_due()
        await scheduler.app.close_async()
        worker = asyncio.create_task(run_worker(url, queue_engine, bus, name="test"))
        for _ in range(200):
            await asyncio.sleep(0.1)
            if heard:
                break
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)

    run_async(scenario)
    assert [(e.kind, e.deliberation_id) for e in heard] == [("results", d)]
    with session_scope(queue_engine) as db:
        assert stored_result(db, d) is not None
    assert _jobs(queue_engine) == [("succeeded", d)]


def test_the_job_of_a_killed_worker_goes_back_to_the_queue(queue_engine: Engine) -> None:
    url = queue_engine.url.render_as_string(hide_password=False)
    d = make_deliberation(queue_engine)
    with queue_engine.begin() as connection:  # a worker that died mid-job 60 s ago
        worker_id = connection.execute(text(
            "INSERT INTO procrastinate_workers (last_heartbeat) "
            "VALUES (now() - interval '60 seconds') RETURNING id")).scalar()
        connection.execute(text(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, lock, queueing_lock, args, "
            "status, worker_id) VALUES ('detente-recompute', 'detente.recompute', :lock, :lock, "
            "CAST(:args AS jsonb), 'doing', :worker)"),
            {"lock": f"recompute:{d}", "args": f'{{"deliberation_id": {d}}}',
             "worker": worker_id})

    async def recover() -> int:
        app = job_app(url)
        async with app.open_async():
            return await recover_stalled_jobs(app, stalled_after=10)

    assert run_async(recover) == 1
    assert _jobs(queue_engine) == [("todo", d)]
