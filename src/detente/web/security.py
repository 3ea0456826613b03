"""Security helpers shared by every page: login, CSRF, rate limits.

- Login state lives in a signed session cookie (HttpOnly, SameSite=Lax); it holds the user id.
- CSRF: each session carries a random token; every HTML form sends it back in the hidden field
  ``csrf_token`` (templates call ``csrf_field()``) and :func:`verify_csrf` checks it in constant
  time on every unsafe request that a form makes.
- Rate limits: :class:`RateLimiter` is a sliding-window counter per key (participant, address).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi import Depends, HTTPException, Request
from markupsafe import Markup, escape
from sqlalchemy.orm import Session as DbSession

from detente.accounts import get_user
from detente.store.models.auth import User
from detente.web.deps import get_db

__all__ = [
    "CSRF_FIELD",
    "LoginRequired",
    "RateLimiter",
    "csrf_field",
    "csrf_token",
    "current_user",
    "parse_rate",
    "require_organizer",
    "verify_csrf",
]

CSRF_FIELD = "csrf_token"


class LoginRequired(Exception):
    """Raised when a page needs a logged-in organizer; the app redirects to the login page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def csrf_field(request: Request) -> Markup:
    """The hidden form field that carries the CSRF token."""
    return Markup(
        f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(csrf_token(request))}">'
    )


async def verify_csrf(request: Request) -> None:
    """Dependency for form posts: refuse the request unless its token matches the session's."""
    expected = request.session.get(CSRF_FIELD)
    form = await request.form()
    sent = form.get(CSRF_FIELD) or request.headers.get("x-csrf-token")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(expected, sent):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong")


def current_user(request: Request, db: DbSession = Depends(get_db)) -> User | None:
    """The logged-in user, or None."""
    user_id = request.session.get("user_id")
    if not isinstance(user_id, int):
        return None
    return get_user(db, user_id)


def require_organizer(
    request: Request, user: User | None = Depends(current_user)
) -> User:
    """Dependency for organizer pages: the logged-in organizer, or a redirect to log in."""
    if user is None or not user.is_organizer:
        if request.url.path.startswith("/api/"):
            raise HTTPException(status_code=401, detail="organizer login required")
        raise LoginRequired(str(request.url.path))
    return user


def parse_rate(rate: str) -> tuple[int, float]:
    """``"120/60"`` -> (120 events, 60.0 seconds)."""
    count, _, seconds = rate.partition("/")
    return int(count), float(seconds or 60)


class RateLimiter:
    """At most ``limit`` events per key in any ``window`` seconds (sliding window, in memory)."""

    def __init__(self, limit: int, window: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record an event for ``key``; False when the key is over its limit."""
        now = self._clock()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and now - events[0] >= self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(now)
            if len(self._events) > 100_000:
                self._forget_idle(now)
            return True

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, v in self._events.items() if not v or now - v[-1] >= self.window]
        for key in idle:
            del self._events[key]

    def check(self, key: str) -> None:
        """Raise HTTP 429 when ``key`` is over its limit."""
        if not self.allow(key):
            raise HTTPException(
                status_code=429, detail="too many requests; try again shortly",
                headers={"Retry-After": str(int(self.window))},
            )
