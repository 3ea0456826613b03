"""Publication pages: news items and their Atom feed, the proposals register, media, reports.

Public pages show only what :func:`detente.forum.public_event` allows; organizer pages need a
login and every form posts a CSRF token. Uploaded files are served with the type detente decided
from their decoded content, never one derived from the request or the file name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session as DbSession

from detente import i18n
from detente.accounts import User, audit
from detente.errors import ConflictError, InputError, NotFoundError
from detente.forum import (
    AttributionHeld,
    Hold,
    attribution_guard,
    get_event,
    list_events,
    public_event,
)
from detente.reports import (
    EVIDENCE_KINDS,
    MAX_UPLOAD_BYTES,
    PUBLIC_STATUSES,
    MediaKind,
    NewsItem,
    Proposal,
    ProposalStatus,
    add_evidence,
    add_media,
    atom_feed,
    build_report,
    create_news,
    create_proposal,
    delete_media,
    deliberations_for_event,
    draft_from_deliberation,
    edit_news,
    event_news,
    evidence_choices,
    evidence_unavailable,
    get_media,
    get_news,
    get_proposal,
    is_published,
    list_media,
    list_news,
    list_proposals,
    media_file,
    neighbours,
    news_view,
    proposal_texts,
    public_proposals,
    publish_news,
    remove_evidence,
    render_report,
    update_media,
    update_proposal,
)
from detente.web.deps import get_db
from detente.web.edge import Id, content_disposition
from detente.web.offload import run_cpu
from detente.web.security import current_user, require_organizer, verify_csrf
from detente.web.templating import render

router = APIRouter(include_in_schema=False)

Organizer = Annotated[User, Depends(require_organizer)]
Db = Annotated[DbSession, Depends(get_db)]
MaybeUser = Annotated[User | None, Depends(current_user)]
CSRF = [Depends(verify_csrf)]
_CHUNK = 1024 * 1024


def _media_dir(request: Request) -> Path:
    return request.app.state.settings.media_path


def _is_organizer(user: User | None) -> bool:
    return user is not None and user.is_organizer


def _see(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _upload_refused(exc: InputError) -> str:
    """An upload's refusal: the file's name, then what is wrong with it, punctuated in the
    interface language."""
    if exc.location and not isinstance(exc, AttributionHeld):
        return f"{exc.location}{i18n.punct('colon')}{exc.message}"
    return str(exc)


def _holds(exc: Exception) -> tuple[Hold, ...]:
    """The held texts of a refusal under the Chatham House rule (none for other errors)."""
    return exc.holds if isinstance(exc, AttributionHeld) else ()


# --- news -------------------------------------------------------------------------------------

@router.get("/news", response_class=HTMLResponse)
def news_list(request: Request, db: Db, user: MaybeUser) -> HTMLResponse:
    """Published news items, newest first (organizers also see drafts)."""
    items = list_news(db, include_drafts=_is_organizer(user))
    lang = i18n.current_language()
    views = [(item, news_view(db, item, lang)) for item in reversed(items)]
    events_without = []
    if _is_organizer(user):
        covered = {item.event_id for item in items}
        events_without = [e for e in list_events(db) if e.id not in covered]
    return render(request, "publications/news_list.html",
                  {"views": views, "events_without": events_without})


@router.get("/news/feed.atom")
def news_feed(request: Request, db: Db) -> Response:
    """The Atom feed of published news items (absolute URLs)."""
    lang = i18n.current_language()
    entries = [(item, news_view(db, item, lang)) for item in list_news(db)]
    body = atom_feed(str(request.base_url).rstrip("/"), entries,
                     title=i18n.gettext("detente news"), language=lang)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/news/{slug}", response_class=HTMLResponse)
def news_page(slug: str, request: Request, db: Db, user: MaybeUser) -> HTMLResponse:
    """One news item, with previous / next items in date order."""
    item = get_news(db, slug)
    if item.published_on is None and not _is_organizer(user):
        raise NotFoundError(i18n.gettext("no news item %(slug)r") % {"slug": slug})
    view = news_view(db, item, i18n.current_language())
    earlier, later = neighbours(db, item)
    lang = i18n.current_language()
    return render(request, "publications/news.html", {
        "item": item, "view": view, "holds": view.held if _is_organizer(user) else (),
        "previous": news_view(db, earlier, lang) if earlier else None,
        "next": news_view(db, later, lang) if later else None,
    })


@router.post("/events/{slug}/news", dependencies=CSRF)
def news_create(slug: str, db: Db, user: Organizer) -> Response:
    """Create the (draft) news item of an event."""
    item = create_news(db, slug, user=user)
    return _see(f"/news/{item.slug}/edit")


def _publishing_refused(request: Request, db: DbSession, item: NewsItem,
                        exc: AttributionHeld) -> HTMLResponse:
    """The news item's editor again, naming the texts held under the Chatham House rule."""
    return render(request, "publications/news_edit.html", {
        "item": item, "en": news_view(db, item, "en", guarded=False),
        "zh": news_view(db, item, "zh", guarded=False), "error": str(exc),
        "today": dt.date.today(), "holds": exc.holds, "submitted": None}, status_code=400)


@router.post("/events/{slug}/publish", dependencies=CSRF)
def event_publish(slug: str, request: Request, db: Db, user: Organizer) -> Response:
    """Publish the event from its page: its news item (written first if there is none) goes
    out today, and with it the report. Held text sends the organizer to the news item."""
    event = get_event(db, slug)
    item = event_news(db, event) or create_news(db, event.id, user=user)
    try:
        publish_news(db, item, dt.date.today(), user=user)
    except AttributionHeld as exc:
        return _publishing_refused(request, db, item, exc)
    return _see(f"/events/{event.slug}")


@router.get("/news/{slug}/edit", response_class=HTMLResponse)
def news_edit_form(slug: str, request: Request, db: Db, user: Organizer) -> HTMLResponse:
    """Edit the title, lead and body in each language; publish or withdraw."""
    item = get_news(db, slug)
    en = news_view(db, item, "en", guarded=False)
    return render(request, "publications/news_edit.html", {
        "item": item, "en": en, "zh": news_view(db, item, "zh", guarded=False),
        "error": None, "today": dt.date.today(), "holds": en.held, "submitted": None,
    })


@router.post("/news/{slug}/edit", dependencies=CSRF)
def news_edit(slug: str, request: Request, db: Db, user: Organizer,
              lang: str = Form(...), title: str = Form(""), lead: str = Form(""),
              body: str = Form(""), override_reason: str = Form("")) -> Response:
    """Keep the organizer's text; an emptied field returns to the composed text.

    Under the Chatham House rule a text that attributes a view to a participant is refused
    (the page says which sentence and whom it names) unless a reason is given to publish it.
    """
    item = get_news(db, slug)
    en, zh = news_view(db, item, "en", guarded=False), news_view(db, item, "zh", guarded=False)
    composed = en if lang == "en" else zh
    # Text left exactly as composed is not stored, so later record changes still show.
    values = {
        "title": "" if title.strip() == composed.title else title,
        "lead": "" if lead.strip() == composed.lead else lead,
        "body": "" if body.strip() == "\n\n".join(p.text for p in composed.paragraphs) else body,
    }
    try:
        edit_news(db, item, lang, user=user, override_reason=override_reason or None, **values)
    except InputError as exc:
        return render(request, "publications/news_edit.html", {
            "item": item, "en": en, "zh": zh, "error": str(exc), "today": dt.date.today(),
            "error_message": exc.message, "error_field": exc.location,
            "holds": _holds(exc), "submitted": {"lang": lang, "title": title, "lead": lead,
                                                "body": body, "reason": override_reason}},
            status_code=400)
    return _see(f"/news/{item.slug}?lang={lang}")


@router.post("/news/{slug}/publish", dependencies=CSRF)
def news_publish(slug: str, request: Request, db: Db, user: Organizer, on: str = Form(""),
                 withdraw: str = Form(""), override_reason: str = Form("")) -> Response:
    """Publish on a date (default today) or withdraw to draft; held text blocks publishing
    unless a reason is given."""
    item = get_news(db, slug)
    try:
        day = None if withdraw else (dt.date.fromisoformat(on) if on else dt.date.today())
    except ValueError as exc:
        raise InputError(i18n.gettext("use YYYY-MM-DD"), location="date") from exc
    try:
        publish_news(db, item, day, user=user, override_reason=override_reason or None)
    except AttributionHeld as exc:
        return _publishing_refused(request, db, item, exc)
    return _see(f"/news/{item.slug}")


# --- media ------------------------------------------------------------------------------------

@router.get("/media/{token}/{size}")
def media_serve(token: str, size: str, request: Request, db: Db, user: MaybeUser) -> Response:
    """A stored file, with the type from our own record and never sniffable as anything else.

    Originals of images may carry EXIF location data: only organizers get them.
    """
    item = get_media(db, token)
    if size == "original" and item.kind == MediaKind.IMAGE and not _is_organizer(user):
        raise NotFoundError(i18n.gettext("media %(token)r has no public size %(size)r")
                            % {"token": token, "size": size})
    found = media_file(_media_dir(request), item, size)
    disposition = "inline" if found.inline else "attachment"
    return FileResponse(found.path, media_type=found.content_type, headers={
        "Content-Disposition": content_disposition(disposition, found.download_name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "public, max-age=86400",
    })


@router.get("/events/{slug}/media", response_class=HTMLResponse)
def media_page(slug: str, request: Request, db: Db, user: Organizer) -> HTMLResponse:
    """Upload photos and documents for an event; edit captions; remove."""
    event = get_event(db, slug)
    return render(request, "publications/media.html", {
        "event": public_event(event), "media": list_media(db, event), "error": None,
        "holds": (), "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)})


async def _read_upload(upload: UploadFile, limit: int) -> bytes:
    """The upload's bytes, refusing it as soon as it passes ``limit``."""
    chunks, total = [], 0
    while chunk := await upload.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise InputError(i18n.gettext("the file is more than the %(limit)s bytes allowed")
                             % {"limit": f"{limit:,}"},
                             location=upload.filename or "file")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/events/{slug}/media", dependencies=CSRF)
async def media_upload(slug: str, request: Request, db: Db, user: Organizer,
                       file: UploadFile = File(...), session: str = Form(""),
                       caption: str = Form(""), caption_zh: str = Form(""),
                       credit: str = Form(""), override_reason: str = Form("")) -> Response:
    """Check and store one upload (refused with a clear message if it is not what it claims,
    or if a caption attributes a view to a participant under the Chatham House rule)."""
    event = get_event(db, slug)
    try:
        data = await _read_upload(file, MAX_UPLOAD_BYTES)
        # Decoding and resizing a large photo takes seconds: in the CPU pool, off the loop.
        item = await run_cpu(request, add_media, db, _media_dir(request), event, data,
                             file.filename or "upload", declared_type=file.content_type,
                             session_position=int(session) if session.isdigit() else None,
                             caption=caption, caption_local=caption_zh, credit=credit,
                             user=user, override_reason=override_reason or None)
    except InputError as exc:
        return render(request, "publications/media.html", {
            "event": public_event(event), "media": list_media(db, event),
            "error": _upload_refused(exc),
            "holds": _holds(exc), "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            status_code=400)
    audit(db, user, "media.add", f"media:{item.token}", f"{event.slug} {item.original_name}")
    return _see(f"/events/{event.slug}/media")


@router.post("/media/{token}/edit", dependencies=CSRF)
def media_edit(token: str, request: Request, db: Db, user: Organizer, caption: str = Form(""),
               caption_zh: str = Form(""), credit: str = Form(""),
               session: str = Form(""), override_reason: str = Form("")) -> Response:
    """Change an item's captions, credit or session (held captions need a reason)."""
    item = get_media(db, token)
    try:
        update_media(item, caption=caption, caption_local=caption_zh, credit=credit,
                     session_position=int(session) if session.isdigit() else 0, user=user,
                     override_reason=override_reason or None)
    except InputError as exc:
        event = item.event
        return render(request, "publications/media.html", {
            "event": public_event(event), "media": list_media(db, event), "error": str(exc),
            "holds": _holds(exc), "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            status_code=400)
    audit(db, user, "media.edit", f"media:{token}")
    return _see(f"/events/{item.event.slug}/media")


@router.post("/media/{token}/delete", dependencies=CSRF)
def media_delete(token: str, request: Request, db: Db, user: Organizer) -> Response:
    """Remove an item and its files."""
    item = get_media(db, token)
    slug = item.event.slug
    delete_media(db, _media_dir(request), item)
    audit(db, user, "media.delete", f"media:{token}", slug)
    return _see(f"/events/{slug}/media")


# --- proposals --------------------------------------------------------------------------------

@router.get("/proposals", response_class=HTMLResponse)
def proposals_page(request: Request, db: Db, user: MaybeUser) -> HTMLResponse:
    """The register: endorsed, published and taken-up proposals (organizers see drafts)."""
    proposals = list_proposals(db) if _is_organizer(user) else public_proposals(db)
    return render(request, "publications/proposals.html", {"proposals": proposals})


def _held(db: DbSession, proposal: Proposal) -> list[Hold]:
    return attribution_guard(db, proposal.event).review(proposal_texts(proposal))


def _visible(db: DbSession, proposal: Proposal, user: User | None) -> Proposal:
    """The proposal where this user may see it: organizers always; visitors when its status
    is public and none of its text is held under the Chatham House rule."""
    if not _is_organizer(user) and (proposal.status not in PUBLIC_STATUSES
                                    or _held(db, proposal)):
        raise NotFoundError(i18n.gettext("no proposal %(id)s") % {"id": proposal.id})
    return proposal


@router.get("/proposals/{proposal_id:int}", response_class=HTMLResponse)
def proposal_page(proposal_id: Id, request: Request, db: Db, user: MaybeUser) -> HTMLResponse:
    """One proposal with its evidence."""
    proposal = _visible(db, get_proposal(db, proposal_id), user)
    return render(request, "publications/proposal.html", {
        "proposal": proposal, "kinds": EVIDENCE_KINDS, "error": None,
        "holds": _held(db, proposal) if _is_organizer(user) else ()})


def _refusal(exc: Exception) -> tuple[str, str | None]:
    """A refused form's message and the field it names (None when it names none): the
    message in the interface language, the field shown by its label on the form."""
    if isinstance(exc, AttributionHeld):
        return str(exc), None
    if isinstance(exc, (InputError, NotFoundError)):
        return exc.message, exc.location
    return str(exc), None


def _form_context(db: DbSession, proposal: Proposal | None = None,
                  event_slug: str | None = None,
                  error: str | None = None, holds: tuple[Hold, ...] = (),
                  values: dict[str, Any] | None = None,
                  error_field: str | None = None) -> dict[str, object]:
    events = [public_event(e) for e in list_events(db)]
    chosen = proposal.event.slug if proposal else (event_slug or (events[0].slug if events
                                                                  else None))
    record = proposal.event if proposal else (get_event(db, chosen) if chosen else None)
    shown = public_event(record) if record is not None else None
    deliberations = deliberations_for_event(db, record).items if record is not None else ()
    linked = {(e.kind, e.reference) for e in proposal.evidence} if proposal else set()
    # The event's themes as shown and the proposal's own: both have a slug and a name.
    themes: dict[str, Any] = {t.slug: t for t in (shown.themes if shown else ())}
    if proposal is not None:
        themes.update((t.slug, t) for t in proposal.themes)
    if proposal is not None and not holds:
        holds = tuple(_held(db, proposal))
    return {"proposal": proposal, "events": events, "chosen": chosen, "error": error,
            "error_field": error_field,
            "statuses": list(ProposalStatus), "deliberations": deliberations, "holds": holds,
            "values": values, "sessions": shown.sessions if shown else (),
            "themes": sorted(themes.values(), key=lambda t: t.name), "linked": linked,
            "chosen_themes": set(values["themes"]) if values
            else {t.slug for t in proposal.themes} if proposal else set(),
            "chosen_evidence": set(values["evidence"]) if values
            else set()}


@router.get("/proposals/new", response_class=HTMLResponse)
def proposal_new_form(request: Request, db: Db, user: Organizer,
                      event: str | None = None) -> HTMLResponse:
    """A blank proposal, or one drafted from a deliberation's consensus statements."""
    return render(request, "publications/proposal_form.html", _form_context(db, None, event))


def _themes(values: list[str]) -> list[str]:
    """Theme slugs from the checkboxes (a value may also list several, comma-separated)."""
    return [t.strip() for v in values for t in v.replace("\n", ",").split(",") if t.strip()]


def _link_picked(db: DbSession, proposal: Proposal, picked: list[str], user: User) -> None:
    """Link the deliberations and consensus statements ticked on the form (``KIND:REF``)."""
    linked = {(e.kind, e.reference) for e in proposal.evidence}
    for value in picked:
        kind, _sep, reference = value.partition(":")
        if kind in ("deliberation", "consensus_statement") and (kind, reference) not in linked:
            add_evidence(db, proposal, kind, reference, "", user=user)
            linked.add((kind, reference))


@router.post("/proposals/new", dependencies=CSRF)
def proposal_create(request: Request, db: Db, user: Organizer, event: str = Form(...),
                    title: str = Form(""), text: str = Form(""), title_zh: str = Form(""),
                    text_zh: str = Form(""), session: str = Form(""),
                    themes: list[str] = Form([]), evidence: list[str] = Form([]),
                    status: str = Form("draft"), override_reason: str = Form("")) -> Response:
    """Add a proposal to the register (a public one whose text is held needs a reason),
    linking the deliberations and consensus statements ticked on the form."""
    try:
        proposal = create_proposal(
            db, get_event(db, event), title=title, text=text, title_local=title_zh,
            text_local=text_zh, session_position=int(session) if session.isdigit() else None,
            themes=_themes(themes), status=status, user=user,
            override_reason=override_reason or None)
        _link_picked(db, proposal, evidence, user)
    except (InputError, NotFoundError) as exc:
        db.rollback()
        values: dict[str, object] = {
            "title": title, "text": text, "title_zh": title_zh, "text_zh": text_zh,
            "session": session, "themes": _themes(themes), "evidence": evidence,
            "status": status, "reason": override_reason}
        message, where = _refusal(exc)
        return render(request, "publications/proposal_form.html",
                      _form_context(db, None, event, message, _holds(exc), values, where),
                      status_code=400)
    return _see(f"/proposals/{proposal.id}")


@router.post("/proposals/draft-from/{deliberation_id:int}", dependencies=CSRF)
def proposal_draft_from(deliberation_id: Id, db: Db, user: Organizer) -> Response:
    """Draft a proposal from a deliberation's consensus statements in one step."""
    proposal = draft_from_deliberation(db, deliberation_id, user=user)
    return _see(f"/proposals/{proposal.id}/edit")


def _editing(db: DbSession, proposal: Proposal, context: dict[str, object],
             link: dict[str, str] | None = None) -> dict[str, object]:
    """The proposal form's context for an existing proposal: the evidence kinds, the items
    each kind may link (picked from lists, never typed as ids) and, when a link was refused,
    what was chosen and which field is wrong (``link``: kind, reference, note, field, error)."""
    context["kinds"] = EVIDENCE_KINDS
    context["choices"] = evidence_choices(db)
    context["unavailable"] = evidence_unavailable(db)
    context["link"] = link or {}
    return context


@router.get("/proposals/{proposal_id:int}/edit", response_class=HTMLResponse)
def proposal_edit_form(proposal_id: Id, request: Request, db: Db,
                       user: Organizer) -> HTMLResponse:
    """Edit a proposal's text, status and themes; link or unlink evidence."""
    proposal = get_proposal(db, proposal_id)
    return render(request, "publications/proposal_form.html",
                  _editing(db, proposal, _form_context(db, proposal)))


@router.post("/proposals/{proposal_id:int}/edit", dependencies=CSRF)
def proposal_edit(proposal_id: Id, request: Request, db: Db, user: Organizer,
                  title: str = Form(""), text: str = Form(""), title_zh: str = Form(""),
                  text_zh: str = Form(""), session: str = Form(""),
                  themes: list[str] = Form([]), evidence: list[str] = Form([]),
                  status: str = Form("draft"), override_reason: str = Form("")) -> Response:
    """Save a proposal (audited; a public one whose text is held needs a reason) and link the
    deliberations and consensus statements ticked on the form."""
    proposal = get_proposal(db, proposal_id)
    try:
        update_proposal(db, proposal, title=title, text=text, title_local=title_zh,
                        text_local=text_zh,
                        session_position=int(session) if session.isdigit() else 0,
                        themes=_themes(themes), status=status, user=user,
                        override_reason=override_reason or None)
        _link_picked(db, proposal, evidence, user)
    except (InputError, NotFoundError) as exc:
        db.rollback()
        proposal = get_proposal(db, proposal_id)
        values: dict[str, object] = {
            "title": title, "text": text, "title_zh": title_zh, "text_zh": text_zh,
            "session": session, "themes": _themes(themes), "evidence": evidence,
            "status": status, "reason": override_reason}
        message, where = _refusal(exc)
        context = _form_context(db, proposal, error=message, holds=_holds(exc),
                                values=values, error_field=where)
        return render(request, "publications/proposal_form.html",
                      _editing(db, proposal, context), status_code=400)
    return _see(f"/proposals/{proposal.id}")


@router.post("/proposals/{proposal_id:int}/evidence", dependencies=CSRF)
def proposal_link(proposal_id: Id, request: Request, db: Db, user: Organizer,
                  kind: str = Form(...), reference: str = Form(""),
                  note: str = Form("")) -> Response:
    """Link evidence, checked against its target where the capability exists. The form picks
    the target from a list (the reference is its id, which API clients may send directly);
    a refused link comes back with what was chosen and the wrong field named."""
    proposal = get_proposal(db, proposal_id)
    try:
        add_evidence(db, proposal, kind, reference, note, user=user)
    except (InputError, NotFoundError, ConflictError) as exc:
        db.rollback()
        proposal = get_proposal(db, proposal_id)
        field = exc.location if exc.location in ("kind", "note") else "reference"
        message = (i18n.gettext("That item is no longer in the records; choose another.")
                   if isinstance(exc, NotFoundError)
                   else i18n.gettext("The proposal already links this item.")
                   if isinstance(exc, ConflictError) else exc.message)
        link = {"kind": kind, "reference": reference, "note": note, "field": field,
                "error": message}
        # Kinds without a form of their own (ticked above, or sent by hand) say it on top.
        listed = kind in EVIDENCE_KINDS and kind not in ("deliberation", "consensus_statement")
        context = _form_context(db, proposal, error=None if listed else message)
        return render(request, "publications/proposal_form.html",
                      _editing(db, proposal, context, link), status_code=400)
    return _see(f"/proposals/{proposal.id}/edit")


@router.post("/proposals/{proposal_id:int}/evidence/{link_id:int}/delete", dependencies=CSRF)
def proposal_unlink(proposal_id: Id, link_id: Id, db: Db, user: Organizer) -> Response:
    """Remove one evidence link."""
    remove_evidence(db, get_proposal(db, proposal_id), link_id, user=user)
    return _see(f"/proposals/{proposal_id}/edit")


# --- reports ----------------------------------------------------------------------------------

_REPORT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
                 "md": "text/markdown; charset=utf-8"}


def _report_file(db: DbSession, slug: str, language: str, fmt: str,
                 media: Path, visitors: bool) -> tuple[str, bytes]:
    data = build_report(db, slug, language, visitors=visitors)
    return f"{data.event.slug}-report-{data.language}.{fmt}", render_report(data, fmt, media)


@router.get("/events/{slug}/report.{fmt}")
async def report_download(slug: str, fmt: str, request: Request, db: Db, user: MaybeUser,
                          lang: str = "en") -> Response:
    """The forum report (built in the CPU pool: a PDF takes seconds). Organizers get it at any
    time to review; visitors once the event is published, under its attribution policy (the
    report leaves out what the policy holds)."""
    if fmt not in _REPORT_TYPES:
        raise NotFoundError(i18n.gettext("no report format %(format)r") % {"format": fmt})
    if not _is_organizer(user) and not is_published(db, slug):
        raise NotFoundError(i18n.gettext("the report of %(event)r is not published yet")
                            % {"event": slug})
    language = lang if lang in ("en", "zh") else "en"
    name, body = await run_cpu(request, _report_file, db, slug, language, fmt,
                               _media_dir(request), not _is_organizer(user))
    disposition = "attachment" if fmt == "md" else "inline"
    return Response(body, media_type=_REPORT_TYPES[fmt], headers={
        "Content-Disposition": content_disposition(disposition, name)})
