"""Deliberation pages: take part (join, vote, add statements), results, organizer tools.

The participant's secret token lives in an HttpOnly cookie scoped to the deliberation's path;
it never appears in a URL. The one exception is the personal invitation link, whose one-time
token is exchanged (by a POST with CSRF) for the cookie. Every form carries a CSRF token;
organizer pages require log-in; votes and statements are rate limited per participant and per
address. The background workers (vote writer, debounced recompute) start in :func:`lifespan`.
"""

from __future__ import annotations

import asyncio
import io
import tempfile
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session as DbSession

from detente import deliberation as service
from detente.accounts import User
from detente.deliberation import Acting, Deliberation, results_view
from detente.errors import DetenteError, NotFoundError
from detente.forum import list_events
from detente.i18n import error_message, error_text, punct
from detente.i18n import gettext as _
from detente.web.deps import get_db
from detente.web.edge import FormId, Id, content_disposition
from detente.web.offload import run_cpu
from detente.web.routes.deliberation_api import api, client_address, limit_address, runtime
from detente.web.routes.deliberation_live import live
from detente.web.security import csrf_token, current_user, require_organizer, verify_csrf
from detente.web.templating import render

__all__ = ["lifespan", "pages", "router"]

pages = APIRouter(include_in_schema=False)

@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the vote writer and the debounced recompute task; stop them on shutdown."""
    state = runtime(app)
    state.recomputer.start()
    try:
        yield
    finally:
        await state.recomputer.stop()
        state.writer.stop()
        state.activity.stop()
        app.state.deliberation = None


def cookie_name(deliberation_id: int) -> str:
    """Name of the cookie that holds a participant's token for one deliberation."""
    return f"detente_p{deliberation_id}"


def _set_participant_cookie(request: Request, response: Response, deliberation_id: int,
                            token: str) -> None:
    response.set_cookie(
        cookie_name(deliberation_id), token, max_age=180 * 24 * 3600,
        path=f"/deliberations/{deliberation_id}", httponly=True, samesite="lax",
        secure=request.app.state.settings.secure_cookies)


def _acting(request: Request, deliberation_id: int) -> Acting | None:
    acting = runtime(request.app).cache.acting(request.cookies.get(cookie_name(deliberation_id)))
    if acting is not None and acting.deliberation_id != deliberation_id:
        return None
    return acting


def _visible(db: DbSession, deliberation_id: int, user: User | None) -> Deliberation:
    deliberation = service.get_deliberation(db, deliberation_id)
    if deliberation.status == "draft" and not (user and user.is_organizer):
        raise NotFoundError(_("no deliberation %(id)s") % {"id": deliberation_id})
    return deliberation


def _back(deliberation_id: int, suffix: str = "") -> RedirectResponse:
    return RedirectResponse(f"/deliberations/{deliberation_id}{suffix}", status_code=303)


def _flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session["deliberation_flash"] = [kind, message]


# --- taking part ----------------------------------------------------------------------------


@pages.get("/deliberations", response_class=HTMLResponse)
def deliberation_list(request: Request, db: DbSession = Depends(get_db),
                      user: User | None = Depends(current_user)) -> HTMLResponse:
    """Open and closed deliberations (drafts too for organizers)."""
    items = service.list_deliberations(db, include_drafts=bool(user and user.is_organizer))
    return render(request, "deliberation/list.html", {
        "deliberations": items, "organizer": bool(user and user.is_organizer)})


def _participate_context(request: Request, db: DbSession, deliberation: Deliberation,
                         acting: Acting | None) -> dict[str, Any]:
    view = service.participate_view(db, deliberation,
                                    acting.participant_id if acting is not None else None)
    csrf_token(request)
    return {
        "d": deliberation, "acting": acting, "statement": view.statement, "voted": view.voted,
        "counts": view.counts, "waiting": view.waiting,
        "flash": request.session.pop("deliberation_flash", None),
        "event": deliberation.session.event, "session": deliberation.session,
        "error": None, "draft_text": "",
    }


@pages.get("/deliberations/{deliberation_id:int}", response_class=HTMLResponse)
def participate(deliberation_id: Id, request: Request, db: DbSession = Depends(get_db),
                user: User | None = Depends(current_user)) -> HTMLResponse:
    """The participant's page: join, then the next statement to vote on."""
    deliberation = _visible(db, deliberation_id, user)
    context = _participate_context(request, db, deliberation, _acting(request, deliberation_id))
    return render(request, "deliberation/participate.html", context)


@pages.post("/deliberations/{deliberation_id:int}/join",
            dependencies=[Depends(verify_csrf), Depends(limit_address)])
def join(deliberation_id: Id, request: Request, db: DbSession = Depends(get_db)) -> Response:
    """Join an open deliberation: the token goes into an HttpOnly cookie."""
    if _acting(request, deliberation_id) is not None:
        return _back(deliberation_id)
    joined = service.join(db, service.get_deliberation(db, deliberation_id))
    runtime(request.app).joined(db, deliberation_id)
    response = _back(deliberation_id)
    _set_participant_cookie(request, response, deliberation_id, joined.token)
    return response


@pages.get("/deliberations/{deliberation_id:int}/invite/{invite}", response_class=HTMLResponse)
def invite_page(deliberation_id: Id, invite: str, request: Request,
                db: DbSession = Depends(get_db)) -> Response:
    """A personal invitation: a button exchanges it (one time) for the participant cookie.
    One already used (or a closed deliberation) says so instead of offering the button."""
    if _acting(request, deliberation_id) is not None:
        return _back(deliberation_id)  # accepted on this device already
    deliberation = service.get_deliberation(db, deliberation_id)
    csrf_token(request)
    usable = service.invitation_usable(db, deliberation, invite)
    return render(request, "deliberation/invite.html",
                  {"d": deliberation, "invite": invite, "usable": usable},
                  status_code=200 if usable else 410)


@pages.post("/deliberations/{deliberation_id:int}/invite/{invite}",
             dependencies=[Depends(verify_csrf), Depends(limit_address)])
def redeem(deliberation_id: Id, invite: str, request: Request,
           db: DbSession = Depends(get_db)) -> Response:
    """Exchange the invitation for the token cookie and redirect to a URL without it."""
    deliberation = service.get_deliberation(db, deliberation_id)
    if not service.invitation_usable(db, deliberation, invite):
        return render(request, "deliberation/invite.html",
                      {"d": deliberation, "invite": invite, "usable": False}, status_code=410)
    joined = service.redeem_invite(db, deliberation, invite)
    runtime(request.app).joined(db, deliberation_id)
    response = _back(deliberation_id)
    _set_participant_cookie(request, response, deliberation_id, joined.token)
    return response


@pages.post("/deliberations/{deliberation_id:int}/vote", dependencies=[Depends(verify_csrf)])
async def vote(deliberation_id: Id, request: Request, statement: FormId,
               vote: int = Form(...)) -> Response:
    """Record a vote from the plain form and show the next statement."""
    acting = _acting(request, deliberation_id)
    if acting is None:
        _flash(request, _("Join the deliberation to vote."), "error")
        return _back(deliberation_id)
    state = runtime(request.app)
    await state.limit_vote(acting, client_address(request))
    try:
        row = state.cache.check_vote(acting, deliberation_id, statement, vote)
    except DetenteError as exc:
        _flash(request, error_text(exc), "error")
        return _back(deliberation_id)
    await state.writer.submit(row)
    return _back(deliberation_id)


async def _limit_page_statement(deliberation_id: Id, request: Request) -> None:
    """Count one statement for the cookie's participant and the address."""
    state = runtime(request.app)
    token = request.cookies.get(cookie_name(deliberation_id))
    acting = state.cache.cached(token)
    if acting is None and token:
        acting = await asyncio.to_thread(state.cache.acting, token)
    if acting is not None and acting.deliberation_id == deliberation_id:
        await state.limit_statement(acting.participant_id, client_address(request))
    else:
        await state.limit_address(client_address(request))


@pages.post("/deliberations/{deliberation_id:int}/statements",
            dependencies=[Depends(verify_csrf), Depends(_limit_page_statement)])
def add_statement(deliberation_id: Id, request: Request, text: str = Form(""),
                  db: DbSession = Depends(get_db), user: User | None = Depends(current_user)
                  ) -> Response:
    """Add a statement (pending moderation); duplicates are refused saying which they repeat."""
    acting = _acting(request, deliberation_id)
    deliberation = _visible(db, deliberation_id, user)
    if acting is None:
        _flash(request, _("Join the deliberation to add statements."), "error")
        return _back(deliberation_id)
    participant = service.get_participant(db, acting.participant_id)
    try:
        statement = service.add_statement(db, deliberation, participant, text)
    except DetenteError as exc:
        context = _participate_context(request, db, deliberation, acting)
        # The message alone: the form has one field, and the location is the field's name.
        context.update(error=error_message(exc), draft_text=text)
        return render(request, "deliberation/participate.html", context,
                      status_code=exc.status_code)
    runtime(request.app).changed(deliberation_id, "statements", db, change="submitted",
                                 statement=statement.id)
    if service.statement_holds(db, deliberation, [statement]):
        _flash(request, _("Thank you. Your statement names or identifies a participant and "
                          "attributes a view to them; under the Chatham House rule it is held "
                          "until a moderator reviews it."))
        return _back(deliberation_id)
    _flash(request, _("Thank you. Your statement will be shown to others once a moderator "
                      "accepts it."))
    return _back(deliberation_id)


@pages.get("/deliberations/{deliberation_id:int}/results", response_class=HTMLResponse)
def results(deliberation_id: Id, request: Request, db: DbSession = Depends(get_db),
            user: User | None = Depends(current_user)) -> HTMLResponse:
    """The map of opinion groups, their statements, consensus and divisive statements."""
    deliberation = _visible(db, deliberation_id, user)
    acting = _acting(request, deliberation_id)
    stored = service.stored_result(db, deliberation_id)
    view = results_view(db, deliberation, stored, acting.public_id if acting else None)
    return render(request, "deliberation/results.html", {
        "d": deliberation, "view": view, "counts": service.statement_counts(db, deliberation_id),
        "live_votes": service.live_vote_count(db, deliberation_id),
        "event": deliberation.session.event, "session": deliberation.session})


# --- organizers -----------------------------------------------------------------------------


@pages.get("/deliberations/new", response_class=HTMLResponse)
def new_form(request: Request, db: DbSession = Depends(get_db),
             user: User = Depends(require_organizer), session: str = "") -> HTMLResponse:
    """Form to create a deliberation on a session (``session``, ``EVENT_ID:POSITION``, chosen
    when the form is opened from the event page)."""
    csrf_token(request)
    return render(request, "deliberation/new.html", {"events": list_events(db), "error": None,
                                                     "chosen": session, "values": {}})


@pages.post("/deliberations/new", dependencies=[Depends(verify_csrf)])
def create(request: Request, session: str = Form(...), question: str = Form(...),
           question_local: str = Form(""), description: str = Form(""),
           language: str = Form("en"), allow_statements: bool = Form(False),
           invite_only: bool = Form(False), status: str = Form("open"),
           override_reason: str = Form(""),
           db: DbSession = Depends(get_db), user: User = Depends(require_organizer)
           ) -> Response:
    """Create a deliberation; ``session`` is ``EVENT_ID:POSITION``. A question that attributes
    a view to a participant under the Chatham House rule needs a reason."""
    event_id, _sep, position = session.partition(":")
    try:
        deliberation = service.create_deliberation(
            db, int(event_id), int(position), question, question_local=question_local or None,
            description=description or None, language=language,
            allow_statements=allow_statements, invite_only=invite_only, status=status,
            user=user, override_reason=override_reason or None)
    except (DetenteError, ValueError) as exc:
        db.rollback()
        values = {"question": question, "question_local": question_local,
                  "description": description}
        # The field by its label on the form, in the interface language.
        labels = {"question": _("Question"),
                  "question_local": _("Question in Chinese (optional)"),
                  "description": _("Description (optional)"), "language": _("Language"),
                  "status": _("Status")}
        where = getattr(exc, "location", None)
        error = (f"{labels[where]}{punct('colon')}{error_message(exc)}"
                 if isinstance(exc, DetenteError) and where in labels
                 else error_text(exc) if isinstance(exc, DetenteError) else str(exc))
        return render(request, "deliberation/new.html",
                      {"events": list_events(db), "error": error, "chosen": session,
                       "values": values, "error_field": where}, status_code=400)
    return _back(deliberation.id, "/manage")


@pages.get("/deliberations/{deliberation_id:int}/manage", response_class=HTMLResponse)
def manage(deliberation_id: Id, request: Request, db: DbSession = Depends(get_db),
           user: User = Depends(require_organizer)) -> HTMLResponse:
    """Organizer page: moderation queue, seeding, status, invitations, export, audit log."""
    return _manage_page(request, db, deliberation_id)


def _manage_page(request: Request, db: DbSession, deliberation_id: int,
                 invites: list[str] | None = None, seed_text: str = "",
                 seed_error: str | None = None, status_code: int = 200) -> HTMLResponse:
    deliberation = service.get_deliberation(db, deliberation_id)
    csrf_token(request)
    view = service.manage_view(db, deliberation_id)
    return render(request, "deliberation/manage.html", {
        "d": deliberation, "statements": view.statements, "pending": view.pending,
        "held": view.held, "counts": view.counts, "audit_log": view.audit_log,
        "invites": invites, "seed_text": seed_text, "seed_error": seed_error,
        "flash": request.session.pop("deliberation_flash", None)}, status_code=status_code)


@pages.post("/deliberations/{deliberation_id:int}/seed", dependencies=[Depends(verify_csrf)])
def seed(deliberation_id: Id, request: Request, statements: str = Form(""),
         override_reason: str = Form(""),
         db: DbSession = Depends(get_db), user: User = Depends(require_organizer)) -> Response:
    """Seed statements, one per line (accepted at once; held ones need a reason). A refused
    line refuses the batch: the form comes back with the text as typed and names the line."""
    deliberation = service.get_deliberation(db, deliberation_id)
    numbered = [(n, line) for n, line in enumerate(statements.splitlines(), 1) if line.strip()]
    try:
        added = service.seed_statements(db, deliberation, [line for _n, line in numbered], user,
                                        source="line", line_numbers=[n for n, _l in numbered],
                                        override_reason=override_reason or None)
    except DetenteError as exc:
        db.rollback()
        where = getattr(exc, "location", None) or ""
        error = (_("Line %(line)s: %(message)s") % {"line": where.partition(":")[2],
                                                     "message": error_message(exc)}
                 if where.startswith("line:") else error_text(exc))
        return _manage_page(request, db, deliberation_id, seed_text=statements,
                            seed_error=error, status_code=exc.status_code)
    runtime(request.app).changed(deliberation_id, "statements", db, change="seeded",
                                 count=len(added), statements=[s.id for s in added])
    _flash(request, _("%(n)d statements added.") % {"n": len(added)})
    return _back(deliberation_id, "/manage")


@pages.post("/deliberations/{deliberation_id:int}/moderate/{statement_id}",
             dependencies=[Depends(verify_csrf)])
def moderate(deliberation_id: Id, statement_id: Id, request: Request,
             decision: str = Form(...), override_reason: str = Form(""),
             db: DbSession = Depends(get_db),
             user: User = Depends(require_organizer)) -> Response:
    """Accept or reject a statement (audited); accepting a held one needs a reason."""
    statement = service.get_statement(db, statement_id, deliberation_id)
    try:
        service.moderate(db, statement, decision, user, override_reason=override_reason or None)
    except DetenteError as exc:
        db.rollback()
        _flash(request, error_text(exc), "error")
        return _back(deliberation_id, "/manage")
    db.commit()
    runtime(request.app).changed(deliberation_id, "statements", change=statement.moderation,
                                 statement=statement.id)
    return _back(deliberation_id, "/manage")


@pages.get("/deliberations/{deliberation_id:int}/close", response_class=HTMLResponse)
def close_form(deliberation_id: Id, request: Request, db: DbSession = Depends(get_db),
               user: User = Depends(require_organizer)) -> HTMLResponse:
    """Ask before closing: closing ends the voting for everyone in the room."""
    csrf_token(request)
    return render(request, "deliberation/close.html", {
        "d": service.get_deliberation(db, deliberation_id),
        "counts": service.statement_counts(db, deliberation_id)})


@pages.post("/deliberations/{deliberation_id:int}/status", dependencies=[Depends(verify_csrf)])
def change_status(deliberation_id: Id, request: Request, status: str = Form(...),
                  db: DbSession = Depends(get_db), user: User = Depends(require_organizer)
                  ) -> Response:
    """Open, close or reopen (audited)."""
    service.set_status(db, service.get_deliberation(db, deliberation_id), status, user)
    db.commit()
    runtime(request.app).changed(deliberation_id, "status", status=status)
    return _back(deliberation_id, "/manage")


@pages.post("/deliberations/{deliberation_id:int}/invites", dependencies=[Depends(verify_csrf)])
def invites(deliberation_id: Id, request: Request, count: int = Form(1),
            db: DbSession = Depends(get_db), user: User = Depends(require_organizer)
            ) -> Response:
    """Create personal invitation links, shown once in this response (never stored)."""
    deliberation = service.get_deliberation(db, deliberation_id)
    created = service.create_invites(db, deliberation, count, user=user)
    db.commit()
    base = str(request.base_url).rstrip("/")
    links = [f"{base}/deliberations/{deliberation_id}/invite/{token}" for _p, token in created]
    response = _manage_page(request, db, deliberation_id, links)
    response.headers["cache-control"] = "no-store"
    return response


def _export_zip_bytes(db: DbSession, deliberation_id: int) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        service.export_polis(db, deliberation_id, folder)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).iterdir()):
                archive.write(path, f"deliberation-{deliberation_id}/{path.name}")
    return buffer.getvalue()


@pages.get("/deliberations/{deliberation_id:int}/export.zip")
async def export_zip(request: Request, deliberation_id: Id, db: DbSession = Depends(get_db),
                     user: User = Depends(require_organizer)) -> Response:
    """The Polis open-data export (comments.csv, votes.csv, participants-votes.csv) as a zip
    (built in the CPU pool: it runs a fresh consensus analysis)."""
    body = await run_cpu(request, _export_zip_bytes, db, deliberation_id)
    return Response(body, media_type="application/zip", headers={
        "content-disposition": content_disposition("attachment",
                                                   f"deliberation-{deliberation_id}.zip")})


#: The API comes first so that the vote route, nearly every request under load, is matched
#: after the fewest others (routes are tried in order).
router = APIRouter()
router.include_router(api)
router.include_router(pages)
router.include_router(live)
