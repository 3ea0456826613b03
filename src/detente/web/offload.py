"""CPU-heavy work off the event loop, in a bounded pool of threads.

The event loop answers every request of its worker; a handler that decodes a 49-megapixel
photo, lays out a PDF or analyses decades of roll calls on it makes every other request wait.
Such work goes through :func:`run_cpu`: it runs in one of ``DETENTE_CPU_WORKERS`` threads of
the app (the rest queue), while the loop goes on serving. Pillow, WeasyPrint's text shaping and
numpy release the interpreter lock for most of their work, so the loop keeps a fair share of
the processor too. The interface language of the request follows the work into the thread.

A database session from :func:`detente.web.deps.get_db` may be handed to the work: it is used
by one thread at a time (the handler waits for the result).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from fastapi import FastAPI, Request

__all__ = ["CpuPool", "run_cpu"]

P = ParamSpec("P")
T = TypeVar("T")


class CpuPool:
    """A fixed number of threads for CPU-heavy work; extra work waits its turn."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor = ThreadPoolExecutor(max_workers=workers,
                                            thread_name_prefix="detente-cpu")

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args, **kwargs)`` in a pool thread, with this task's context (language)."""
        context = contextvars.copy_context()
        call = functools.partial(context.run, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def shutdown(self) -> None:
        """Finish queued work and stop the threads."""
        self._executor.shutdown(wait=True)


def cpu_pool(app: FastAPI) -> CpuPool:
    """The app's pool, created on first use with ``DETENTE_CPU_WORKERS`` threads."""
    pool = getattr(app.state, "cpu_pool", None)
    if pool is None:
        pool = CpuPool(app.state.settings.cpu_workers)
        app.state.cpu_pool = pool
    return pool


async def run_cpu(request: Request, fn: Callable[P, T], /, *args: P.args,
                  **kwargs: P.kwargs) -> T:
    """Run ``fn`` in the app's CPU pool and wait for its result without blocking the loop."""
    return await cpu_pool(request.app).run(fn, *args, **kwargs)
