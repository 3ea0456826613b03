"""Organizer log-in and log-out, with CSRF checks and a rate limit on attempts."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session as DbSession

from detente.accounts import audit, authenticate
from detente.i18n import gettext as _
from detente.web.deps import get_db
from detente.web.security import RateLimiter, csrf_token, verify_csrf
from detente.web.templating import render

router = APIRouter(include_in_schema=False)

#: Log-in attempts allowed per client address and minute, whatever the username.
LOGIN_ATTEMPTS_PER_MINUTE = 10


def login_limiter(request: Request) -> RateLimiter:
    """The app's limiter of log-in attempts (one per app, so two apps never share counts)."""
    state = request.app.state
    if not hasattr(state, "login_limiter"):
        state.login_limiter = RateLimiter(limit=LOGIN_ATTEMPTS_PER_MINUTE, window=60)
    return state.login_limiter


def _safe_next(next_url: str | None) -> str:
    """Only local paths: never redirect to another site after logging in."""
    if next_url and next_url.startswith("/") and not next_url.startswith("//"):
        return next_url
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    csrf_token(request)
    return render(request, "auth/login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", dependencies=[Depends(verify_csrf)])
def login(
    request: Request,
    username: str = Form(...),
    password: str = Form(...),
    next: str = Form("/"),
    db: DbSession = Depends(get_db),
) -> Response:
    address = request.client.host if request.client else "unknown"
    login_limiter(request).check(f"login:{address}")
    user = authenticate(db, username, password)
    if user is None:
        return render(request, "auth/login.html",
                      {"next": _safe_next(next), "error": _("Wrong username or password.")},
                      status_code=401)
    request.session.clear()
    request.session["user_id"] = user.id
    request.session["user_name"] = user.username
    request.session["organizer"] = user.is_organizer
    audit(db, user, "user.login", f"user:{user.id}")
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/", status_code=303)
