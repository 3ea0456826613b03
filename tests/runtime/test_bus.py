"""The event bus: per-deliberation subscriptions, after-commit publishing, Redis across
processes, and resynchronisation when Redis goes away and comes back."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import Engine
from sqlalchemy.orm import Session as DbSession

from detente.runtime import Event, LocalBus, RedisBus
from tests.conftest import run_async


def test_subscribers_get_their_deliberation_only_and_listeners_everything() -> None:
    bus = LocalBus()
    heard: list[Event] = []
    bus.add_listener(heard.append)

    async def run() -> list[Event]:
        async with bus.subscribe(7) as events:
            bus.publish(Event("statements", 8, {"change": "accepted"}))
            bus.publish(Event("results", 7, {"vote_count": 3}))
            got = await events.get(timeout=1)
            assert await events.get(timeout=0.05) is None
            return [got] if got else []

    assert [(e.kind, e.deliberation_id) for e in run_async(run)] == [("results", 7)]
    assert [e.deliberation_id for e in heard] == [8, 7]


def test_a_slow_subscriber_gets_one_resync_instead_of_a_backlog() -> None:
    bus = LocalBus()

    async def run() -> list[str]:
        async with bus.subscribe(1, maxsize=3) as events:
            for n in range(10):
                bus.publish(Event("results", 1, {"n": n}))
            first = await events.get(timeout=1)
            return [first.kind if first else "none"]

    assert run_async(run) == ["resync"]


def test_events_are_published_after_commit_and_never_after_rollback(
        sqlite_engine: Engine) -> None:
    bus = LocalBus()
    heard: list[Event] = []
    bus.add_listener(heard.append)
    with DbSession(sqlite_engine) as db:
        db.begin()
        bus.publish_after_commit(db, Event("statements", 1))
        assert heard == []
        db.commit()
        assert [e.deliberation_id for e in heard] == [1]
        db.begin()
        bus.publish_after_commit(db, Event("statements", 2))
        db.rollback()
        # The rolled-back transaction's event must not wait for the session's next commit,
        # and the session must not gather a listener per event.
        for number in range(3, 6):
            db.begin()
            bus.publish_after_commit(db, Event("statements", number))
            db.rollback()
        db.begin()
        db.commit()
        assert [e.deliberation_id for e in heard] == [1]
        assert len(db.dispatch.after_commit) == 1


def test_an_event_survives_a_rolled_back_savepoint_and_goes_with_the_commit(
        sqlite_engine: Engine) -> None:
    bus = LocalBus()
    heard: list[Event] = []
    bus.add_listener(heard.append)
    with DbSession(sqlite_engine) as db:
        db.begin()
        bus.publish_after_commit(db, Event("statements", 3))
        savepoint = db.begin_nested()
        savepoint.rollback()
        assert heard == []
        db.commit()
        assert [e.deliberation_id for e in heard] == [3]
        db.begin()
        savepoint = db.begin_nested()
        bus.publish_after_commit(db, Event("statements", 4))  # inside the savepoint
        savepoint.rollback()
        db.commit()
        assert [e.deliberation_id for e in heard] == [3]


def test_redis_bus_delivers_to_other_processes_within_100_ms(redis_url: str,
                                                             redis_prefix: str) -> None:
    async def run() -> tuple[float, list[Event], list[Event]]:
        sender, receiver = RedisBus(redis_url, redis_prefix), RedisBus(redis_url, redis_prefix)
        await sender.start()
        await receiver.start()
        assert sender.healthy and receiver.healthy
        try:
            async with receiver.subscribe(5) as far, sender.subscribe(5) as near:
                started = time.monotonic()
                sender.publish(Event("statements", 5, {"change": "rejected", "statement": 9}))
                got = await far.get(timeout=2)
                elapsed = time.monotonic() - started
                own = [await near.get(timeout=0.3)]
                own.append(await near.get(timeout=0.3))  # no echo of its own event
                return elapsed, [got] if got else [], [e for e in own if e]
        finally:
            await sender.stop()
            await receiver.stop()

    elapsed, far, near = run_async(run)
    assert [e.data for e in far] == [{"change": "rejected", "statement": 9}]
    assert len(near) == 1
    assert elapsed < 0.1


def test_lost_redis_makes_the_bus_unhealthy_and_subscribers_resync(own_redis) -> None:  # type: ignore[no-untyped-def]
    port, stop, restart = own_redis
    url = f"redis://127.0.0.1:{port}/0"

    async def run() -> tuple[list[str], bool, bool, bool]:
        bus = RedisBus(url, "t")
        other = RedisBus(url, "t")
        await bus.start()
        await other.start()
        kinds: list[str] = []
        try:
            async with bus.subscribe(3) as events:
                stop()
                deadline = time.monotonic() + 3
                while bus.healthy and time.monotonic() < deadline:
                    await asyncio.sleep(0.02)
                unhealthy_seen = not bus.healthy
                await asyncio.to_thread(restart)
                deadline = time.monotonic() + 10
                while not bus.healthy and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
                healthy_again = bus.healthy
                while (event := await events.get(timeout=0.2)) is not None:
                    kinds.append(event.kind)
                other.publish(Event("results", 3))
                after = await events.get(timeout=2)
                return kinds, unhealthy_seen, healthy_again, after is not None
        finally:
            await bus.stop()
            await other.stop()

    kinds, unhealthy_seen, healthy_again, delivered_after = run_async(run)
    assert unhealthy_seen
    assert healthy_again
    assert "resync" in kinds
    assert delivered_after
