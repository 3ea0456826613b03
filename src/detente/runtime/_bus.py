"""Notifications between processes: "statements changed", "results changed", per deliberation.

One :class:`EventBus` per process. Anything that changes what others show publishes an
:class:`Event` once its transaction has committed (:meth:`EventBus.publish_after_commit`);
every process receives it:

- internal listeners (:meth:`EventBus.add_listener`) react at once, e.g. the vote cache drops
  its set of open statements when a statement is rejected;
- subscribers (:meth:`EventBus.subscribe`) get the events of one deliberation as an async
  iterator, which is what server-sent events for a live view or a participant's phone read.

Two implementations share the interface: :class:`LocalBus` (the single-process default: the
events never leave the process) and :class:`RedisBus` (Redis pub/sub: every process on every
host). Delivery is at most once. Whenever events may have been missed (a subscriber too slow
to keep up, a lost connection to Redis, its restart) the subscriber receives an event of kind
``resync``: re-read the state instead of relying on the stream. While the bus cannot guarantee
delivery, :attr:`EventBus.healthy` is False, and caches that depend on it must not cache.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session as DbSession

__all__ = ["EVENT_KINDS", "Event", "EventBus", "LocalBus", "RedisBus", "Subscription"]

log = logging.getLogger(__name__)

#: What an event says changed.
EVENT_KINDS = ("statements", "status", "results", "counts", "resync")


@dataclass(frozen=True)
class Event:
    """Something changed in a deliberation.

    ``kind`` is one of :data:`EVENT_KINDS`:

    - ``statements``: the statements open for votes changed (seeded, accepted, rejected) or a
      statement was submitted for moderation; ``data`` has ``change`` and, where one statement
      is concerned, ``statement`` (its id);
    - ``status``: the deliberation was opened, closed or set back to draft (``data["status"]``);
    - ``results``: a new result snapshot is stored (``computed_at``, ``vote_count``,
      ``participants``, ``groups``);
    - ``counts``: votes were committed or a participant joined (``change``: ``votes`` or
      ``joined``); sent at most every half second per deliberation and process, for live
      counters; caches ignore it;
    - ``resync``: events may have been missed; re-read what you show.
    """

    kind: str
    deliberation_id: int
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind, "deliberation": self.deliberation_id,
                           "data": self.data}, separators=(",", ":"), default=str)

    @classmethod
    def from_json(cls, text: str | bytes) -> Event:
        raw = json.loads(text)
        return cls(str(raw["kind"]), int(raw["deliberation"]), dict(raw.get("data") or {}))


RESYNC_ALL = -1


class Subscription:
    """The events of one deliberation (or of all, ``deliberation_id=None``), in order; only
    those of ``kinds`` when given (``resync`` always).

    Use as ``async with bus.subscribe(7) as events: async for event in events: ...``.
    At most ``maxsize`` events wait; when a subscriber falls further behind, the waiting
    events are replaced by one ``resync``.
    """

    def __init__(self, bus: EventBus, deliberation_id: int | None, maxsize: int,
                 kinds: Collection[str] | None = None) -> None:
        self.bus = bus
        self.deliberation_id = deliberation_id
        self.kinds = frozenset(kinds) if kinds is not None else None
        self._queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=maxsize)
        self._loop = asyncio.get_running_loop()
        self.closed = False

    def wants(self, event: Event) -> bool:
        if event.deliberation_id == RESYNC_ALL:
            return True
        if self.kinds is not None and event.kind not in self.kinds and event.kind != "resync":
            return False
        return self.deliberation_id is None or event.deliberation_id == self.deliberation_id

    def _put(self, event: Event) -> None:
        """On the subscriber's loop."""
        if event.deliberation_id == RESYNC_ALL:
            event = Event("resync", self.deliberation_id or RESYNC_ALL, event.data)
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            while not self._queue.empty():
                self._queue.get_nowait()
            self._queue.put_nowait(Event("resync", event.deliberation_id,
                                         {"reason": "too slow"}))

    def deliver(self, event: Event) -> None:
        """From any thread."""
        if self.closed:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._put(event)
        else:
            with contextlib.suppress(RuntimeError):  # the loop is closed
                self._loop.call_soon_threadsafe(self._put, event)

    async def get(self, timeout: float | None = None) -> Event | None:
        """The next event, or None after ``timeout`` seconds without one."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Event]:
        while not self.closed:
            yield await self._queue.get()

    def close(self) -> None:
        self.closed = True
        self.bus._remove(self)

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


class EventBus:
    """The interface; :class:`LocalBus` and :class:`RedisBus` implement it."""

    #: Whether events reach other processes (False for the in-process bus).
    shared: bool = False

    @property
    def healthy(self) -> bool:
        """Whether events published in other processes are being received right now."""
        return True

    def __init__(self) -> None:
        self._listeners: list[Callable[[Event], None]] = []
        self._subscriptions: list[Subscription] = []
        self._lock = threading.Lock()

    # --- receiving ------------------------------------------------------------------------

    def add_listener(self, callback: Callable[[Event], None]) -> None:
        """Call ``callback(event)`` for every event (from the publishing thread for this
        process's events, from the event loop for other processes'); it must be quick and
        must not raise."""
        with self._lock:
            self._listeners.append(callback)

    def remove_listener(self, callback: Callable[[Event], None]) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._listeners.remove(callback)

    def subscribe(self, deliberation_id: int | None = None, maxsize: int = 100,
                  kinds: Collection[str] | None = None) -> Subscription:
        """Events of one deliberation (None: all) from now on, of these ``kinds`` only when
        given (``resync`` always comes through); call from async code."""
        subscription = Subscription(self, deliberation_id, maxsize, kinds)
        with self._lock:
            self._subscriptions.append(subscription)
        return subscription

    def _remove(self, subscription: Subscription) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._subscriptions.remove(subscription)

    def _dispatch(self, event: Event) -> None:
        with self._lock:
            listeners = list(self._listeners)
            subscriptions = list(self._subscriptions)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # one broken listener must not stop the others
                log.exception("event listener failed on %s", event)
        for subscription in subscriptions:
            if subscription.wants(event):
                subscription.deliver(event)

    def _resync_everyone(self, reason: str) -> None:
        self._dispatch(Event("resync", RESYNC_ALL, {"reason": reason}))

    # --- publishing -----------------------------------------------------------------------

    def publish(self, event: Event) -> None:
        """Send ``event`` to every process (this one at once). Never raises: a failure to
        reach other processes is logged."""
        raise NotImplementedError

    def publish_after_commit(self, db: DbSession, event: Event) -> None:
        """Publish ``event`` when ``db``'s transaction commits (never if it rolls back).

        The event waits in ``db.info`` with the (innermost) transaction it belongs to; a
        rollback of that transaction, or of one around it, drops it, so that it cannot go out
        with a later commit of the same session. One pair of listeners per session.
        """
        if not db.in_transaction():
            self.publish(event)
            return
        pending = db.info.get(_PENDING)
        if pending is None:
            pending = db.info[_PENDING] = []
            sa_event.listen(db, "after_commit", _publish_pending)
            sa_event.listen(db, "after_soft_rollback", _drop_rolled_back)
        transaction = db.get_nested_transaction() or db.get_transaction()
        pending.append((self, event, transaction))

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Begin receiving events from other processes (no-op in process)."""

    async def stop(self) -> None:
        """Stop receiving; close connections."""


#: Key in ``Session.info`` of the events waiting for their transaction to commit.
_PENDING = "detente.bus.pending"


def _publish_pending(session: DbSession) -> None:
    pending = session.info.get(_PENDING) or []
    waiting = list(pending)
    pending.clear()
    for bus, event, _transaction in waiting:
        bus.publish(event)


def _drop_rolled_back(session: DbSession, previous: Any) -> None:
    """Drop the events of ``previous`` (a transaction that rolled back) and of those in it."""
    pending = session.info.get(_PENDING)
    if not pending:
        return

    def inside(transaction: Any) -> bool:
        while transaction is not None:
            if transaction is previous:
                return True
            transaction = transaction.parent
        return False

    pending[:] = [item for item in pending if not inside(item[2])]


class LocalBus(EventBus):
    """Events stay in this process: the single-process default."""

    def publish(self, event: Event) -> None:
        self._dispatch(event)


class RedisBus(EventBus):
    """Events go through one Redis pub/sub channel to every process on every host.

    Publishing is synchronous (a short ``PUBLISH`` on a pooled connection, callable from any
    thread); this process's listeners are called at once and its own echo is ignored.
    Receiving runs as a task on the event loop (:meth:`start`); when the connection drops, the
    bus is unhealthy until it is back, and every subscriber then gets a ``resync``.
    """

    shared = True

    def __init__(self, url: str, prefix: str = "detente", *, ping_interval: float = 0.5,
                 stale_after: float = 1.5) -> None:
        super().__init__()
        import redis

        self.url = url
        self.channel = f"{prefix}:events"
        self.origin = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.ping_interval = ping_interval
        self.stale_after = stale_after
        self._client = redis.Redis.from_url(url, socket_timeout=1.0,
                                            socket_connect_timeout=1.0)
        self._task: asyncio.Task | None = None
        self._last_seen = 0.0
        self._connected = False
        self.published = 0
        self.failed = 0

    @property
    def healthy(self) -> bool:
        return self._connected and time.monotonic() - self._last_seen < self.stale_after

    def publish(self, event: Event) -> None:
        self._dispatch(event)
        message = json.dumps({"origin": self.origin, "event": json.loads(event.to_json())})
        try:
            self._client.publish(self.channel, message)
            self.published += 1
        except Exception as exc:  # Redis down: other processes fall back on their own checks
            self.failed += 1
            log.warning("could not publish %s to Redis: %s", event.kind, exc)

    def _receive(self, raw: bytes | str) -> None:
        try:
            message = json.loads(raw)
            if message.get("origin") == self.origin:
                return
            event = Event.from_json(json.dumps(message["event"]))
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring a malformed event on %s", self.channel)
            return
        self._dispatch(event)

    async def _listen_once(self, first: bool) -> None:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url, socket_connect_timeout=1.0)
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(self.channel)
            self._last_seen = time.monotonic()
            self._connected = True
            if not first:  # events published while we were away are lost: say so
                self._resync_everyone("reconnected to Redis")
            next_ping = 0.0
            while True:
                now = time.monotonic()
                if now >= next_ping:
                    await pubsub.ping()
                    next_ping = now + self.ping_interval
                if now - self._last_seen > self.stale_after:
                    raise ConnectionError("no answer from Redis")
                message = await pubsub.get_message(timeout=self.ping_interval)
                if message is None:
                    continue
                self._last_seen = time.monotonic()
                if message.get("type") == "message":
                    self._receive(message["data"])
        finally:
            self._connected = False
            with contextlib.suppress(Exception):
                await pubsub.aclose()
            with contextlib.suppress(Exception):
                await client.aclose()

    async def _run(self) -> None:
        first = True
        delay = 0.1
        while True:
            try:
                await self._listen_once(first)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self._last_seen:
                    log.warning("lost the Redis event channel: %s", exc)
                self._resync_everyone("lost the connection to Redis")
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)
            else:
                delay = 0.1
            if self._last_seen:
                first = False

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
            deadline = time.monotonic() + 2.0
            while not self._connected and time.monotonic() < deadline:
                await asyncio.sleep(0.01)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        with contextlib.suppress(Exception):
            self._client.close()
