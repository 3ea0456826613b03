"""Background recomputation of results after new votes, debounced.

:class:`Recomputer` remembers which deliberations got votes and when. Its asyncio task
wakes up regularly and recomputes (in a worker thread, so requests keep flowing) every
deliberation whose first unprocessed vote is at least ``delay`` seconds old: a burst of votes
costs one computation per ``delay`` seconds, and a vote never waits for the math.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine

from detente.deliberation._results import recompute

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
        ``compute(engine, deliberation_id)``; :func:`recompute` by default.
    """

    def __init__(self, engine: Engine, delay: float,
                 compute: Callable[[Engine, int], object] = recompute) -> None:
        self.engine = engine
        self.delay = max(0.0, float(delay))
        self.compute = compute
        self._dirty: dict[int, float] = {}
        self._lock = threading.Lock()
        self._task: asyncio.Task | None = None
        self.runs = 0

    def mark(self, deliberation_ids: set[int] | list[int]) -> None:
        """Note new votes in these deliberations (thread-safe)."""
        now = time.monotonic()
        with self._lock:
            for deliberation_id in deliberation_ids:
                self._dirty.setdefault(deliberation_id, now)

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
                await asyncio.to_thread(self.compute, self.engine, deliberation_id)
                self.runs += 1
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
