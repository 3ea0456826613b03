"""Security helpers shared by every page: login, CSRF, rate limits.

- Login state: a signed session cookie (HttpOnly, SameSite=Lax) holds a random session id that
  the database knows (``user_sessions``); logging out deletes it, so a copied cookie stops
  working (see :func:`detente.accounts.session_user`).
- CSRF: each session carries a random token; every HTML form sends it back in the hidden field
  ``csrf_token`` (templates call ``csrf_field()``) and :func:`verify_csrf` checks it in constant
  time on every unsafe request that a form makes.
- Rate limits live in :mod:`detente.runtime` (shared by every worker when Redis is configured).
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Depends, HTTPException, Request
from markupsafe import Markup, escape
from sqlalchemy.orm import Session as DbSession

from detente.accounts import User, session_user
from detente.web.deps import get_db

__all__ = [
    "CSRF_FIELD",
    "SESSION_ID",
    "LoginRequired",
    "client_address",
    "csrf_field",
    "csrf_token",
    "current_user",
    "require_organizer",
    "verify_csrf",
]

CSRF_FIELD = "csrf_token"
#: Key of the server-side session id in the signed cookie.
SESSION_ID = "sid"


class LoginRequired(Exception):
    """Raised when a page needs a logged-in organizer; the app redirects to the login page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def client_address(request: Request) -> str:
    """The client's address: the peer, or what a trusted proxy reported (see
    :class:`detente.web.middleware.TrustedProxyMiddleware`)."""
    return request.client.host if request.client else "unknown"


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
    """The logged-in user, or None (also for a cookie whose session was ended)."""
    session_id = request.session.get(SESSION_ID)
    if session_id is None:
        return None
    user = session_user(db, session_id)
    if user is None:  # logged out elsewhere, expired or revoked: forget the stale log-in
        for key in (SESSION_ID, "user_id", "user_name", "organizer"):
            request.session.pop(key, None)
    return user


def require_organizer(
    request: Request, user: User | None = Depends(current_user)
) -> User:
    """Dependency for organizer pages: the logged-in organizer, or a redirect to log in."""
    if user is None or not user.is_organizer:
        if request.url.path.startswith("/api/"):
            raise HTTPException(status_code=401, detail="organizer login required")
        raise LoginRequired(str(request.url.path))
    return user
