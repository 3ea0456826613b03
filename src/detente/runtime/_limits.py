"""Rate limits that hold across every worker and host: the ``limits`` library's moving window.

One :class:`RateLimits` per process; its storage is Redis when ``DETENTE_REDIS_URL`` is set (so
N workers on M hosts share one count per key) and the process's memory otherwise (the
single-process default). A check that cannot reach Redis raises
:class:`~detente.errors.UnavailableError` (503): a limit that cannot be counted is not waived.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from detente.errors import InputError, RateLimitedError, UnavailableError
from detente.i18n import gettext as _

if TYPE_CHECKING:
    from limits import RateLimitItem

__all__ = ["RateLimits", "Rule", "parse_rate"]

log = logging.getLogger(__name__)


def parse_rate(rate: str, location: str = "rate") -> tuple[int, float]:
    """``"120/60"`` -> (120 events, 60.0 seconds); an InputError for anything else."""
    count, _slash, seconds = rate.partition("/")
    try:
        parsed = int(count), float(seconds or 60)
    except ValueError as exc:
        raise InputError(_("expected COUNT/SECONDS such as 120/60, got %(rate)r") % {"rate": rate},
                         location=location) from exc
    if parsed[0] < 1 or parsed[1] <= 0:
        raise InputError(_("expected a positive COUNT/SECONDS, got %(rate)r") % {"rate": rate},
                         location=location)
    return parsed


@dataclass(frozen=True)
class Rule:
    """At most ``count`` events per key in any ``seconds`` (a moving window)."""

    name: str
    count: int
    seconds: float

    @classmethod
    def parse(cls, name: str, rate: str, location: str = "rate") -> Rule:
        count, seconds = parse_rate(rate, location)
        return cls(name, count, seconds)

    def item(self) -> RateLimitItem:
        from limits import RateLimitItemPerSecond

        return RateLimitItemPerSecond(self.count, max(1, round(self.seconds)))


class RateLimits:
    """Counts events per (rule, key) in Redis or in this process's memory.

    Parameters
    ----------
    redis_url : str, optional
        ``redis://HOST:PORT/DB``; None keeps the counts in this process.
    prefix : str
        Namespace of the keys in Redis.
    """

    def __init__(self, redis_url: str | None = None, prefix: str = "detente") -> None:
        # Imported here: the CLI should not pay for them on every command.
        from limits.aio.strategies import MovingWindowRateLimiter
        from limits.storage import storage_from_string

        self.shared = redis_url is not None
        storage: Any
        if redis_url is None:
            storage = storage_from_string("async+memory://")
        else:
            # The async redis-py client: one connection pool per process, no thread hand-off.
            storage = storage_from_string(
                "async+" + redis_url, implementation="redispy", key_prefix=f"{prefix}:limits",
                socket_timeout=1.0, socket_connect_timeout=1.0)
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)
        self._items: dict[Rule, RateLimitItem] = {}

    def _item(self, rule: Rule) -> RateLimitItem:
        item = self._items.get(rule)
        if item is None:
            item = self._items[rule] = rule.item()
        return item

    async def hit(self, rule: Rule, key: str) -> bool:
        """Count one event for ``key``; False when the key is already at its limit.

        Raises
        ------
        UnavailableError
            When the shared store does not answer.
        """
        item = self._item(rule)
        # After Redis restarts, each pooled connection to the old server fails once on its
        # first use ("Connection closed by server") and is then dropped: a second try takes a
        # fresh one. Redis down fails both, at once on a refused connection.
        for attempt in range(2 if self.shared else 1):
            try:
                return await self._limiter.hit(item, rule.name, key)
            except Exception as exc:  # redis-py, limits and OS errors: the store is unreachable
                failure = exc
                log.warning("rate limit store did not answer (try %d): %s", attempt + 1, exc)
        raise UnavailableError(_("The rate-limit service does not answer; try again in a "
                                 "moment."), retry_after=2) from failure

    async def check(self, rule: Rule, key: str) -> None:
        """Count one event; raise :class:`RateLimitedError` (429) when over the limit."""
        if not await self.hit(rule, key):
            raise RateLimitedError(_("Too many requests; try again shortly."),
                                   retry_after=int(rule.seconds))

    async def clear(self, rule: Rule, key: str) -> None:
        """Forget the events of ``key`` (tests, and an organizer lifting a block)."""
        await self._limiter.clear(self._item(rule), rule.name, key)
