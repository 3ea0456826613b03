"""Organizer log-in and log-out, with CSRF checks and a rate limit on attempts.

Log-in starts a server-side session (its id in the signed cookie), log-out ends it: a copy of
the cookie does not outlive the log-out. Attempts are limited per client address across every
worker (shared rate limits); the address comes from a trusted proxy's header or the peer.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session as DbSession

from detente.accounts import User, audit, authenticate, end_session, start_session
from detente.i18n import gettext as _
from detente.reports import organizer_dashboard
from detente.runtime import Rule
from detente.web.deps import get_db, shared
from detente.web.security import (
    SESSION_ID,
    client_address,
    csrf_token,
    require_organizer,
    verify_csrf,
)
from detente.web.templating import render

router = APIRouter(include_in_schema=False)

#: Log-in attempts allowed per client address and minute, whatever the username.
LOGIN_ATTEMPTS_PER_MINUTE = 10
LOGIN_RULE = Rule("login", LOGIN_ATTEMPTS_PER_MINUTE, 60)


async def limit_login(request: Request) -> None:
    """Count a log-in attempt for the client's address (429 over the limit)."""
    await shared(request.app).limits.check(LOGIN_RULE, client_address(request))


def _safe_next(next_url: str | None) -> str:
    """Only local paths: never redirect to another site after logging in."""
    if next_url and next_url.startswith("/") and not next_url.startswith("//"):
        return next_url
    return "/"


def _after_login(next_url: str, organizer: bool) -> str:
    """Where log-in leads: the page asked for, else organizers' dashboard."""
    if next_url == "/" and organizer:
        return "/dashboard"
    return next_url


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    csrf_token(request)
    return render(request, "auth/login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", dependencies=[Depends(verify_csrf), Depends(limit_login)])
def login(
    request: Request,
    username: str = Form(...),
    password: str = Form(...),
    next: str = Form("/"),
    db: DbSession = Depends(get_db),
) -> Response:
    user = authenticate(db, username, password)
    if user is None:
        return render(request, "auth/login.html",
                      {"next": _safe_next(next), "error": _("Wrong username or password.")},
                      status_code=401)
    request.session.clear()
    request.session[SESSION_ID] = start_session(db, user)
    request.session["user_id"] = user.id
    request.session["user_name"] = user.username
    request.session["organizer"] = user.is_organizer
    audit(db, user, "user.login", f"user:{user.id}")
    return RedirectResponse(_after_login(_safe_next(next), user.is_organizer), status_code=303)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, db: DbSession = Depends(get_db),
              user: User = Depends(require_organizer)) -> HTMLResponse:
    """The organizer's dashboard: events, open deliberations with pending moderation, drafts
    waiting to be published and recent changes in words."""
    csrf_token(request)
    return render(request, "auth/dashboard.html", {"board": organizer_dashboard(db)})


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request, db: DbSession = Depends(get_db)) -> Response:
    end_session(db, request.session.get(SESSION_ID))
    request.session.clear()
    return RedirectResponse("/", status_code=303)
