"""What several processes share at run time, each behind one interface.

- :class:`RateLimits` (:mod:`._limits`): rate limits with the ``limits`` library, counted in
  Redis when ``DETENTE_REDIS_URL`` is set, in the process otherwise;
- :class:`EventBus` (:mod:`._bus`): "statements changed" / "results changed" notifications per
  deliberation, through Redis pub/sub or within the process; caches invalidate on them and
  server-sent events can subscribe to them;
- :class:`MediaStore` (:mod:`._media_store`): where uploaded files live (a folder that every
  host mounts);
- the recompute job queue lives with the deliberations (:mod:`detente.deliberation._jobs`).

:func:`connect` builds the first two from the settings. On the embedded default (SQLite, one
process, no Redis) everything stays in the process, as before. See docs/deployment.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from detente.runtime._bus import EVENT_KINDS, Event, EventBus, LocalBus, RedisBus, Subscription
from detente.runtime._limits import RateLimits, Rule, parse_rate
from detente.runtime._media_store import FolderStore, MediaStore
from detente.runtime._process import watch_parent
from detente.settings import Settings

__all__ = [
    "EVENT_KINDS",
    "Event",
    "EventBus",
    "FolderStore",
    "LocalBus",
    "MediaStore",
    "RateLimits",
    "RedisBus",
    "Rule",
    "Shared",
    "Subscription",
    "connect",
    "parse_rate",
    "watch_parent",
]


@dataclass
class Shared:
    """The shared state of one process: rate limits and the event bus."""

    limits: RateLimits
    bus: EventBus

    @property
    def distributed(self) -> bool:
        """True when limits and events reach every process (Redis is configured)."""
        return self.limits.shared and self.bus.shared

    async def start(self) -> None:
        await self.bus.start()

    async def stop(self) -> None:
        await self.bus.stop()


def connect(settings: Settings) -> Shared:
    """Rate limits and the event bus for these settings (Redis when configured)."""
    if settings.redis_url:
        return Shared(RateLimits(settings.redis_url, settings.redis_prefix),
                      RedisBus(settings.redis_url, settings.redis_prefix))
    return Shared(RateLimits(None), LocalBus())
