"""Background recomputation of results after new votes, debounced.

:class:`Recomputer` remembers which deliberations got votes and when. Its asyncio task
wakes up regularly and recomputes every deliberation whose first unprocessed vote is at least
``delay`` seconds old: a burst of votes costs one computation per ``delay`` seconds, and a
vote never waits for the math.

The computation runs in a separate, lower-priority process (one worker, started on first
use): numpy code holding the interpreter lock in the server process would otherwise stall the
vote path for the length of each computation. That process watches its parent and exits when
the server is gone, even after a SIGKILL of the server (no orphan holds the database).

This is the single-process default (``DETENTE_JOB_QUEUE=inline``); with several workers or
hosts, recomputations are jobs on the queue instead (:mod:`detente.deliberation._jobs`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from sqlalchemy import Engine

from detente.deliberation._results import StoredResult, recompute
from detente.runtime import watch_parent

__all__ = ["Recomputer"]

log = logging.getLogger(__name__)


class Recomputer:
    """Debounced background recomputation of deliberation results.

    Parameters
    ----------
    engine : Engine
    delay : float
        Seconds between the first new vote and the recomputation it triggers.
    compute : callable, optional
        ``compute(engine, deliberation_id)``, run in a thread of this process. By default
        :func:`recompute` runs in a separate process on the engine's URL.
    on_result : callable, optional
        ``on_result(deliberation_id, stored)`` after a snapshot was stored (announces it).
    """

    def __init__(self, engine: Engine, delay: float,
                 compute: Callable[[Engine, int], object] | None = None,
                 on_result: Callable[[int, StoredResult], None] | None = None) -> None:
        self.engine = engine
        self.delay = max(0.0, float(delay))
        self.compute = compute
        self.on_result = on_result
        self._dirty: dict[int, float] = {}
        self._lock = threading.Lock()
        self._task: asyncio.Task | None = None
        self._executor: ProcessPoolExecutor | None = None
        self.runs = 0

    def _pool(self) -> ProcessPoolExecutor:
        """The worker process, started (and warmed up) on the first vote, not per request."""
        with self._lock:
            if self._executor is None:
                executor = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_child_setup, initargs=(os.getpid(),))
                try:
                    executor.submit(_warm_up)
                except (RuntimeError, OSError, BrokenProcessPool):
                    # No worker process possible here (e.g. a main module that is not
                    # import-safe): compute in a thread of this process instead.
                    log.warning("no worker process for recomputation; using a thread")
                    executor.shutdown(wait=False)
                    self.compute = recompute
                    raise
                self._executor = executor
            return self._executor

    async def _compute(self, deliberation_id: int) -> None:
        if self.compute is None:
            with contextlib.suppress(RuntimeError, OSError, BrokenProcessPool):
                self._pool()
        if self.compute is not None:
            stored = await asyncio.to_thread(self.compute, self.engine, deliberation_id)
        else:
            pool = self._pool()
            url = self.engine.url.render_as_string(hide_password=False)
            stored = await asyncio.get_running_loop().run_in_executor(
                pool, _recompute_by_url, url, deliberation_id)
        if isinstance(stored, StoredResult) and self.on_result is not None:
            self.on_result(deliberation_id, stored)

    def mark(self, deliberation_ids: set[int] | list[int]) -> None:
        """Note new votes in these deliberations (thread-safe)."""
        now = time.monotonic()
        with self._lock:
            for deliberation_id in deliberation_ids:
                self._dirty.setdefault(deliberation_id, now)
        if self.compute is None and self._executor is None:
            with contextlib.suppress(RuntimeError, OSError, BrokenProcessPool):
                self._pool()

    def _due(self) -> list[int]:
        now = time.monotonic()
        with self._lock:
            due = [d for d, since in self._dirty.items() if now - since >= self.delay]
            for deliberation_id in due:
                del self._dirty[deliberation_id]
        return due

    async def run_due(self) -> int:
        """Recompute every deliberation that is due; returns how many ran."""
        due = self._due()
        for deliberation_id in due:
            try:
                await self._compute(deliberation_id)
                self.runs += 1
            except BrokenProcessPool:
                log.exception("the recompute process died; starting a new one")
                self._executor = None
            except Exception:
                log.exception("recomputing deliberation %s failed", deliberation_id)
        return len(due)

    async def _loop(self) -> None:
        tick = min(max(self.delay / 4, 0.05), 1.0)
        while True:
            await asyncio.sleep(tick)
            await self.run_due()

    def start(self) -> None:
        """Start the background task on the running event loop."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        """Stop the background task."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


_ENGINES: dict[str, Engine] = {}


def _child_setup(parent_pid: int) -> None:
    """Runs in the worker process: yield the CPU to the server when both want it, and exit
    as soon as the server is gone (see :func:`watch_parent`)."""
    with contextlib.suppress(OSError):
        os.nice(10)
    watch_parent(parent_pid)


def _warm_up() -> None:
    """Import the consensus engine in the worker before the first real computation."""
    import detente.consensus  # noqa: F401


def _recompute_by_url(url: str, deliberation_id: int) -> StoredResult | None:
    """Recompute in the worker process, reusing one engine per database URL."""
    from detente.store import create_db_engine

    engine = _ENGINES.get(url)
    if engine is None:
        engine = _ENGINES[url] = create_db_engine(url)
    return recompute(engine, deliberation_id)
