"""Cached analyses, so that a page never waits for a long computation.

Analysing every roll call of the UN history takes tens of seconds; the state-position pages
therefore ask :func:`cached` for a result. A result is kept under a key made of what was asked
and the state data version (raised by every import, so an import makes every cached result
stale at once). On a miss, a small computation runs at once; a large one is handed to the
background runner and the caller gets a :class:`Pending` (the page says so and reloads itself).

**Hooks for shared infrastructure** (clearly the only two places to change): the result store
and the background runner are behind the :class:`ResultStore` and :class:`Runner` protocols.
The defaults live in this process (a small LRU store and one background thread), which is right
for one server over SQLite. A deployment with several workers plugs in a shared store (and,
if it has one, a task queue) at start-up with :func:`set_result_store` and :func:`set_runner`;
nothing else changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session as DbSession

from detente import errors
from detente.errors import DetenteError
from detente.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language, gettext, use_language
from detente.store.models.states import StateDataVersion

__all__ = [
    "MemoryResultStore",
    "Pending",
    "ResultStore",
    "Runner",
    "ThreadRunner",
    "cached",
    "data_version",
    "result_store",
    "set_result_store",
    "set_runner",
]

log = logging.getLogger(__name__)

#: The key under which a failed computation keeps what went wrong (so pages stop waiting):
#: ``{"kind": the DetenteError class's name, "messages": {language: message}}``, or
#: ``{"kind": None}`` for a bug (said in the reader's language: :func:`_stored_error`).
ERROR_KEY = "__error__"


class ResultStore(Protocol):
    """Where computed results are kept, by key (JSON-serialisable dicts)."""

    def get(self, key: str) -> dict[str, Any] | None:
        """The result stored under ``key``, or None."""

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Keep ``value`` under ``key``."""


class Runner(Protocol):
    """Runs computations in the background, each key once at a time."""

    def submit(self, key: str, job: Callable[[], None]) -> None:
        """Run ``job`` unless a job with the same ``key`` is already queued or running."""


class MemoryResultStore:
    """The in-process default: the ``size`` most recently used results."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._items: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        """The result stored under ``key``, or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Keep ``value`` under ``key``, forgetting the least recently used beyond ``size``."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()


class ThreadRunner:
    """The in-process default: one background thread, each key queued at most once."""

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._running: set[str] = set()
        self._lock = threading.Lock()

    def submit(self, key: str, job: Callable[[], None]) -> None:
        """Run ``job`` in the background thread unless ``key`` is already in flight."""
        with self._lock:
            if key in self._running:
                return
            self._running.add(key)
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="detente-states")
            executor = self._executor

        def run() -> None:
            try:
                job()
            finally:
                with self._lock:
                    self._running.discard(key)

        executor.submit(run)

    def running(self, key: str) -> bool:
        """Whether a job for ``key`` is queued or running."""
        with self._lock:
            return key in self._running


_store: ResultStore = MemoryResultStore()
_runner: Runner = ThreadRunner()


def set_result_store(store: ResultStore) -> None:
    """Hook: keep results in ``store`` (a store shared by every worker) from now on."""
    global _store
    _store = store


def set_runner(runner: Runner) -> None:
    """Hook: run background computations with ``runner`` (a task queue) from now on."""
    global _runner
    _runner = runner


def result_store() -> ResultStore:
    """The result store in use."""
    return _store


def data_version(db: DbSession) -> int:
    """The state data version (0 before the first import)."""
    return int(db.scalar(select(StateDataVersion.version).where(StateDataVersion.id == 1)) or 0)


@dataclass(frozen=True, slots=True)
class Pending:
    """A result being computed in the background; ``size`` says how large the task is."""

    key: str
    size: int


#: The shape of a cached result. Raise it in a release whose analyses hold other keys, so that a
#: shared store (Redis) never serves a result from before the upgrade to code that expects the
#: new keys (2: each bloc's "declined" and "inferred" counts).
RESULT_FORMAT = 2


def cache_key(kind: str, params: dict[str, Any], version: int) -> str:
    """A short, stable key for ``kind`` computed with ``params`` on data ``version`` by this
    release's :data:`RESULT_FORMAT`."""
    text = json.dumps({"kind": kind, "params": params, "version": version,
                       "format": RESULT_FORMAT}, sort_keys=True)
    return f"states:{kind}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def cached(db: DbSession, kind: str, params: dict[str, Any],
           compute: Callable[[DbSession], dict[str, Any]], *, size: int = 0,
           background_from: int | None = None) -> dict[str, Any] | Pending:
    """The result of ``compute(db)`` for ``params``, from the store when it holds one.

    Parameters
    ----------
    kind, params
        What is computed; with the data version they make the key.
    compute
        Computes the result from a database session (a fresh one in the background).
    size, background_from
        When ``background_from`` is given and ``size`` (e.g. the number of roll calls) reaches
        it, a missing result is computed in the background and a :class:`Pending` returned.

    Raises
    ------
    DetenteError
        What ``compute`` raised (also when it failed in the background).
    """
    key = cache_key(kind, params, data_version(db))
    found = _store.get(key)
    if found is not None:
        if ERROR_KEY in found:
            raise _stored_error(found[ERROR_KEY])
        return found
    if background_from is None or size < background_from:
        result = compute(db)
        _store.put(key, result)
        return result
    bind = db.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    _runner.submit(key, lambda: _compute_into_store(engine, key, compute))
    return Pending(key, size)


def _compute_into_store(engine: Engine, key: str,
                        compute: Callable[[DbSession], dict[str, Any]]) -> None:
    from detente.store import session_scope

    try:
        # English: the stored message is shared by every later request, whatever its language
        with use_language(DEFAULT_LANGUAGE), session_scope(engine) as db:
            result = compute(db)
    except DetenteError as exc:
        result = {ERROR_KEY: _failure(exc, engine, compute)}
    except Exception:  # a bug: log it, and let the page say the computation failed
        log.exception("background state analysis %s failed", key)
        result = {ERROR_KEY: {"kind": None}}
    _store.put(key, result)


def _failure(exc: DetenteError, engine: Engine,
             compute: Callable[[DbSession], dict[str, Any]]) -> dict[str, Any]:
    """What a computation that raised ``exc`` (in English) keeps: the error's class and its
    message in every interface language.

    A message is made in one language when it is raised, so the computation runs again in each
    other language to say it there (a failure comes from the selection and the data, so it
    fails again, and most fail early; a run that does not fail the same way leaves English).
    """
    from detente.store import session_scope

    messages = {DEFAULT_LANGUAGE: str(exc)}
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue
        try:
            with use_language(language), session_scope(engine) as db:
                compute(db)
        except DetenteError as again:
            if type(again) is type(exc):
                messages[language] = str(again)
        except Exception:  # the English message stands
            log.exception("background state analysis failed again in %s", language)
    return {"kind": type(exc).__name__, "messages": messages}


def _stored_error(stored: Any) -> DetenteError:
    """The error a stored failure stands for, in the current language."""
    if isinstance(stored, str):  # kept by an earlier version: its message as it was
        return DetenteError(stored)
    kind = stored.get("kind")
    if not kind:
        return errors.ComputationFailedError(
            gettext("the computation failed; see the server log"))
    found = getattr(errors, kind, None) if kind in errors.__all__ else None
    error_class = found if isinstance(found, type) and issubclass(found, DetenteError) \
        else DetenteError
    messages = stored.get("messages") or {}
    return error_class(messages.get(current_language()) or messages.get(DEFAULT_LANGUAGE, ""))
