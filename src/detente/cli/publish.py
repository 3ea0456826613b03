"""Publications on the command line: ``detente report``, ``proposals``, ``media``, ``news``.

A thin layer over :mod:`detente.reports`: every command opens one transaction, and domain
errors become one line on stderr with exit status 2.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from detente.capabilities import command_help
from detente.cli._common import (
    DetenteTyper,
    aside,
    content_lang_option,
    json_option,
    open_engine,
    pad,
    write_json,
)
from detente.errors import InputError
from detente.i18n import DEFAULT_LANGUAGE, current_language, paren, pick, punct
from detente.i18n import gettext as _

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from detente.reports import NewsItem, Proposal

proposals_app = DetenteTyper(help=command_help("proposals"))
media_app = DetenteTyper(help=command_help("media"))
news_app = DetenteTyper(help=command_help("news"))


def register(root: typer.Typer) -> None:
    """Add ``detente report`` and the ``proposals``, ``media`` and ``news`` groups."""
    root.command("report", help=command_help("report", _REPORT_MORE))(report)
    root.add_typer(proposals_app, name="proposals")
    root.add_typer(media_app, name="media")
    root.add_typer(news_app, name="news")


def _media_dir() -> Path:
    from detente.settings import load_settings

    return load_settings().media_path


_REASON_HELP = ("Publish text held under the Chatham House rule anyway, for this reason "
                "(written to the audit log).")


def session_scope(engine: Engine) -> AbstractContextManager[Session]:
    """:func:`detente.store.session_scope`, imported when a command runs."""
    from detente.store import session_scope as scope

    return scope(engine)


@contextmanager
def _held_hint() -> Iterator[None]:
    """Say how to publish held text anyway when the attribution policy refuses it."""
    from detente.forum import AttributionHeld

    try:
        yield
    except AttributionHeld as exc:
        raise InputError(_("%(message)s; to publish it anyway give --override-reason REASON")
                         % {"message": exc.message},
                         location=exc.location) from exc


_REPORT_MORE = ("Organizer-written text held under the Chatham House rule is left out and "
                "listed on standard error; --override-reason publishes it anyway.")


def report(
    ctx: typer.Context,
    event: str = typer.Argument(..., help="Event slug or id."),
    fmt: str = typer.Option("pdf", "--format", metavar="FORMAT", help="html, pdf or md."),
    content_lang: str | None = content_lang_option(
        None, "Language of the report: en or zh (default: the command line's, DETENTE_LANG)."),
    out: Path | None = typer.Option(None, "--out", metavar="FILE", help="File to write (default: "
                                    "<event>-report-<lang>.<format>; - for stdout, not pdf)."),
    override_reason: str | None = typer.Option(None, "--override-reason", help=_REASON_HELP),
) -> None:
    """``detente report`` (its help: :func:`detente.capabilities.command_help`)."""
    from detente.reports import (
        FORMATS,
        build_report,
        override_report_holds,
        render_report,
        write_report,
    )

    if fmt not in FORMATS:
        raise InputError(_("unknown format %(format)s; use html, pdf or md")
                         % {"format": f"{punct('lquote')}{fmt}{punct('rquote')}"},
                         location="--format")
    lang = content_lang or current_language()
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        if override_reason is not None:
            for hold in override_report_holds(db, event, override_reason):
                typer.echo(_("published anyway: %(label)s: %(text)s")
                           % {"label": hold.label, "text": hold.text[:80]}, err=True)
        data = build_report(db, event, lang)
        for hold in data.held:
            for reason in hold.reasons():
                typer.echo(_("held, left out: %(label)s (%(target)s): %(reason)s")
                           % {"label": hold.label, "target": hold.target, "reason": reason},
                           err=True)
        if out is not None and str(out) == "-":
            if fmt == "pdf":
                raise InputError(_("write PDF to a file"), location="--out")
            typer.echo(render_report(data, fmt, _media_dir()).decode("utf-8"), nl=False)
            return
        target = out or Path(f"{data.event.slug}-report-{lang}.{fmt}")
        write_report(data, fmt, _media_dir(), target)
    typer.echo(_("wrote %(file)s (%(size)s bytes)")
               % {"file": target, "size": f"{target.stat().st_size:,}"})


# --- proposals --------------------------------------------------------------------------------

def _status(code: str) -> str:
    """A proposal's status as a person reads it: the code in English (what ``--status``
    takes), its label in Chinese (``--json`` keeps the code)."""
    if current_language() == DEFAULT_LANGUAGE:
        return code
    labels = {"draft": _("Draft"), "endorsed": _("Endorsed"), "published": _("Published"),
              "taken_up": _("Taken up")}
    return labels.get(code, code)


def _kind(kind: str) -> str:
    """An evidence link's kind as a person reads it: the code in English (what ``proposals
    link`` takes), its label in Chinese."""
    if current_language() == DEFAULT_LANGUAGE:
        return kind
    from detente.reports import EVIDENCE_KINDS

    found = EVIDENCE_KINDS.get(kind)
    return _(found.label) if found else kind


def _proposal_row(p: Proposal) -> dict[str, Any]:
    return {
        "id": p.id, "event": p.event.slug, "session": p.session.position if p.session else None,
        "status": p.status.value, "illustrative": p.illustrative, "title": p.title,
        "title_local": p.title_local, "text": p.text, "text_local": p.text_local,
        "themes": [t.slug for t in p.themes],
        "evidence": [{"id": e.id, "kind": e.kind, "reference": e.reference, "label": e.label,
                      "note": e.note} for e in p.evidence],
    }


@proposals_app.command("list")
def proposals_list(
    ctx: typer.Context,
    event: str | None = typer.Argument(None, metavar="EVENT", help="Only this event (slug or id)."),
    json_out: str | None = json_option,
) -> None:
    """List proposals with their status."""
    from detente.forum import get_event
    from detente.reports import list_proposals

    with session_scope(open_engine(ctx)) as db:
        rows = [_proposal_row(p) for p in
                list_proposals(db, get_event(db, event) if event else None)]
    if json_out is not None:
        write_json(rows, json_out)
        return
    for row in rows:
        mark = paren(_("illustrative")) if row["illustrative"] else ""
        title = pick(row["title"], row["title_local"])
        typer.echo(f"{row['id']:>4}  {pad(_status(row['status']), 9)} {row['event']}  "
                   f"{title}{mark}")


@proposals_app.command("show")
def proposals_show(
    ctx: typer.Context,
    proposal_id: int = typer.Argument(..., metavar="ID", help="The proposal's number."),
    json_out: str | None = json_option,
) -> None:
    """Print one proposal with its evidence links."""
    from detente.reports import get_proposal

    with session_scope(open_engine(ctx)) as db:
        row = _proposal_row(get_proposal(db, proposal_id))
    if json_out is not None:
        write_json(row, json_out)
        return
    mark = paren(_("illustrative")) if row["illustrative"] else ""
    typer.echo(f"{row['id']}  {_status(row['status'])}  {row['event']}  {row['title']}{mark}")
    if row["title_local"]:
        typer.echo(f"    {row['title_local']}")
    for text in (row["text"], row["text_local"]):
        if text:
            typer.echo(f"\n{text}")
    if row["themes"]:
        typer.echo("\n" + _("themes: %(themes)s") % {"themes": punct("enum").join(row["themes"])})
    for link in row["evidence"]:
        note = aside(link["note"]) if link["note"] else ""
        typer.echo(_("evidence %(id)s: %(kind)s %(reference)s")
                   % {"id": link["id"], "kind": _kind(link["kind"]),
                      "reference": link["reference"]}
                   + note)


def _read(text: str | None, file: Path | None, name: str) -> str | None:
    if text is not None and file is not None:
        raise InputError(_("give --%(name)s or --%(name)s-file, not both") % {"name": name},
                         location=f"--{name}")
    if file is not None:
        from detente.inputs import read_text

        return read_text(file)  # UTF-8 without NUL, or one line naming the file and line
    return text


@proposals_app.command("add")
def proposals_add(
    ctx: typer.Context,
    event: str = typer.Argument(..., help="Event slug or id."),
    title: str = typer.Option(..., "--title"),
    text: str | None = typer.Option(None, "--text"),
    text_file: Path | None = typer.Option(None, "--text-file", help="UTF-8 file with the text."),
    title_zh: str | None = typer.Option(None, "--title-zh"),
    text_zh: str | None = typer.Option(None, "--text-zh"),
    session: int | None = typer.Option(None, "--session", help="Session position it came from."),
    theme: list[str] = typer.Option([], "--theme", help="Theme id; repeat for several."),
    status: str = typer.Option("draft", "--status",
                               help="draft, endorsed, published or taken_up."),
    override_reason: str | None = typer.Option(None, "--override-reason", help=_REASON_HELP),
) -> None:
    """Add a proposal to an event's register; prints its id.

    A public proposal (not a draft) is checked under the event's attribution policy.
    """
    from detente.forum import get_event
    from detente.reports import create_proposal

    body = _read(text, text_file, "text")
    with session_scope(open_engine(ctx)) as db, _held_hint():
        proposal = create_proposal(db, get_event(db, event), title=title, text=body or "",
                                   title_local=title_zh, text_local=text_zh,
                                   session_position=session, themes=theme, status=status,
                                   override_reason=override_reason)
        typer.echo(proposal.id)


@proposals_app.command("edit")
def proposals_edit(
    ctx: typer.Context,
    proposal_id: int = typer.Argument(..., metavar="ID"),
    title: str | None = typer.Option(None, "--title"),
    text: str | None = typer.Option(None, "--text"),
    text_file: Path | None = typer.Option(None, "--text-file"),
    title_zh: str | None = typer.Option(None, "--title-zh", help="\"\" clears it."),
    text_zh: str | None = typer.Option(None, "--text-zh", help="\"\" clears it."),
    session: int | None = typer.Option(None, "--session", help="0 detaches it from a session."),
    theme: list[str] | None = typer.Option(None, "--theme", help="Replaces the themes."),
    status: str | None = typer.Option(None, "--status"),
    override_reason: str | None = typer.Option(None, "--override-reason", help=_REASON_HELP),
) -> None:
    """Change a proposal's fields (those given) or its status.

    A proposal that is public after the change is checked under the event's attribution policy.
    """
    from detente.reports import get_proposal, update_proposal

    body = _read(text, text_file, "text")
    with session_scope(open_engine(ctx)) as db, _held_hint():
        proposal = get_proposal(db, proposal_id)
        update_proposal(db, proposal, title=title, text=body, title_local=title_zh,
                        text_local=text_zh, session_position=session,
                        themes=theme or None, status=status, override_reason=override_reason)
        typer.echo(_("proposal %(id)s: %(status)s")
                   % {"id": proposal.id, "status": _status(proposal.status.value)})


@proposals_app.command("link")
def proposals_link(
    ctx: typer.Context,
    proposal_id: int = typer.Argument(..., metavar="ID"),
    kind: str = typer.Argument(..., help="deliberation, consensus_statement, state_finding, "
                                         "kb_gap, kb_document, session or url."),
    reference: str = typer.Argument(..., help="What it points at, e.g. 3:17 or my-forum#2."),
    note: str | None = typer.Option(None, "--note", help="Why it supports the proposal."),
) -> None:
    """Link a proposal to its evidence (the target is checked to exist)."""
    from detente.reports import add_evidence, get_proposal

    with session_scope(open_engine(ctx)) as db:
        link = add_evidence(db, get_proposal(db, proposal_id), kind, reference, note)
        typer.echo(_("link %(id)s: %(kind)s %(reference)s")
                   % {"id": link.id, "kind": _kind(kind), "reference": link.reference})


@proposals_app.command("unlink")
def proposals_unlink(
    ctx: typer.Context,
    proposal_id: int = typer.Argument(..., metavar="ID"),
    link_id: int = typer.Argument(..., metavar="LINK"),
) -> None:
    """Remove one evidence link."""
    from detente.reports import get_proposal, remove_evidence

    with session_scope(open_engine(ctx)) as db:
        remove_evidence(db, get_proposal(db, proposal_id), link_id)
    typer.echo(_("removed link %(id)s") % {"id": link_id})


@proposals_app.command("draft-from")
def proposals_draft_from(
    ctx: typer.Context,
    deliberation_id: int = typer.Argument(..., metavar="DELIBERATION_ID"),
) -> None:
    """Draft a proposal from a deliberation's consensus statements; prints its id."""
    from detente.reports import draft_from_deliberation

    with session_scope(open_engine(ctx)) as db:
        proposal = draft_from_deliberation(db, deliberation_id)
        typer.echo(proposal.id)


# --- media ------------------------------------------------------------------------------------

def _media_kind(kind: str) -> str:
    """A media item's kind (image, document) in the interface language."""
    return {"image": _("image"), "document": _("document")}.get(kind, kind)


def _caption(text: str | None) -> str:
    """A caption as printed: "—" for none."""
    return text or "—"


@media_app.command("add")
def media_add(
    ctx: typer.Context,
    event: str = typer.Argument(..., help="Event slug or id."),
    file: Path = typer.Argument(..., help="JPEG, PNG, WebP or GIF image, or a PDF."),
    session: int | None = typer.Option(None, "--session", help="Session position."),
    caption: str | None = typer.Option(None, "--caption"),
    caption_zh: str | None = typer.Option(None, "--caption-zh"),
    credit: str | None = typer.Option(None, "--credit", help="Photographer or source."),
    override_reason: str | None = typer.Option(None, "--override-reason", help=_REASON_HELP),
) -> None:
    """Attach a photo or document to an event; prints its token.

    Captions are checked under the event's attribution policy.
    """
    from detente.forum import get_event
    from detente.reports import add_media

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(_("cannot read the file: %(reason)s") % {"reason": exc.strerror},
                         location=str(file)) from exc
    declared = mimetypes.guess_type(file.name)[0]
    with session_scope(open_engine(ctx)) as db, _held_hint():
        item = add_media(db, _media_dir(), get_event(db, event), data, file.name,
                         declared_type=declared, session_position=session, caption=caption,
                         caption_local=caption_zh, credit=credit,
                         override_reason=override_reason)
        about = [_media_kind(item.kind.value), item.content_type]
        if item.width:
            about.append(f"{item.width} x {item.height}")
        typer.echo(item.token + paren(punct("comma").join(about)))


@media_app.command("list")
def media_list(
    ctx: typer.Context,
    event: str = typer.Argument(..., help="Event slug or id."),
    json_out: str | None = json_option,
) -> None:
    """List an event's media."""
    from detente.forum import get_event
    from detente.reports import list_media

    with session_scope(open_engine(ctx)) as db:
        rows = [{"token": m.token, "kind": m.kind.value, "content_type": m.content_type,
                 "name": m.original_name, "session": m.session.position if m.session else None,
                 "width": m.width, "height": m.height, "caption": m.caption,
                 "caption_local": m.caption_local, "credit": m.credit}
                for m in list_media(db, get_event(db, event))]
    if json_out is not None:
        write_json(rows, json_out)
        return
    for row in rows:  # the caption in the interface language where there is one
        caption = (row["caption_local"] if current_language() == "zh" else None) or row["caption"]
        typer.echo(f"{row['token']}  {pad(_media_kind(str(row['kind'])), 8)} {row['name']}  "
                   f"{caption or ''}".rstrip())


@media_app.command("caption")
def media_caption(
    ctx: typer.Context,
    token: str = typer.Argument(...),
    caption: str | None = typer.Option(None, "--caption", help="\"\" removes it."),
    caption_zh: str | None = typer.Option(None, "--caption-zh", help="\"\" removes it."),
    credit: str | None = typer.Option(None, "--credit"),
    override_reason: str | None = typer.Option(None, "--override-reason", help=_REASON_HELP),
) -> None:
    """Change the captions or credit of a media item (checked under the attribution policy)."""
    from detente.reports import get_media, update_media

    with session_scope(open_engine(ctx)) as db, _held_hint():
        item = update_media(get_media(db, token), caption=caption, caption_local=caption_zh,
                            credit=credit, override_reason=override_reason)
        typer.echo(f"{item.token}{punct('colon')}{_caption(item.caption)} / "
                   f"{_caption(item.caption_local)}")


@media_app.command("remove")
def media_remove(ctx: typer.Context, token: str = typer.Argument(...)) -> None:
    """Remove a media item and its files."""
    from detente.reports import delete_media, get_media

    with session_scope(open_engine(ctx)) as db:
        delete_media(db, _media_dir(), get_media(db, token))
    typer.echo(_("removed %(token)s") % {"token": token})


# --- news -------------------------------------------------------------------------------------

def _news_item(db: Session, event: str) -> NewsItem:
    from detente.reports import get_news

    return get_news(db, event)


@news_app.command("create")
def news_create(
    ctx: typer.Context,
    event: str = typer.Argument(..., help="Event slug or id."),
    slug: str | None = typer.Option(None, "--slug", help="Page address (default: the event's)."),
    publish: bool = typer.Option(False, "--publish", help="Publish it today."),
) -> None:
    """Create the news item of an event (a draft unless --publish)."""
    from detente.reports import create_news, publish_news

    with session_scope(open_engine(ctx)) as db:
        item = create_news(db, event, slug=slug)
        if publish:
            publish_news(db, item, dt.date.today())
        typer.echo(f"/news/{item.slug}" + ("" if publish else paren(_("draft"))))


@news_app.command("publish")
def news_publish(
    ctx: typer.Context,
    news: str = typer.Argument(..., metavar="SLUG", help="News slug or event slug."),
    on: str | None = typer.Option(None, "--date", help="Publication date YYYY-MM-DD "
                                                       "(default today)."),
    withdraw: bool = typer.Option(False, "--withdraw", help="Return it to draft."),
    override_reason: str | None = typer.Option(None, "--override-reason", help=_REASON_HELP),
) -> None:
    """Publish a news item (or withdraw it); refused while a text of it is held under the
    Chatham House rule."""
    from detente.reports import publish_news

    try:
        day = None if withdraw else (dt.date.fromisoformat(on) if on else dt.date.today())
    except ValueError as exc:
        raise InputError(_("use YYYY-MM-DD"), location="--date") from exc
    with session_scope(open_engine(ctx)) as db, _held_hint():
        item = publish_news(db, _news_item(db, news), day, override_reason=override_reason)
        state = _("published %(date)s") % {"date": day} if day else _("draft")
        typer.echo(f"/news/{item.slug}{punct('colon')}{state}")


def _language_name(code: str) -> str:
    """The text of a content language (en, zh), named in the interface language."""
    return _("English text") if code == "en" else _("Chinese text")


@news_app.command("edit")
def news_edit(
    ctx: typer.Context,
    news: str = typer.Argument(..., metavar="SLUG", help="News slug or event slug."),
    content_lang: str = content_lang_option("en", "Language of the text kept: en or zh."),
    title: str | None = typer.Option(None, "--title", help="\"\" returns to the composed text."),
    lead: str | None = typer.Option(None, "--lead"),
    lead_file: Path | None = typer.Option(None, "--lead-file"),
    body: str | None = typer.Option(None, "--body"),
    body_file: Path | None = typer.Option(None, "--body-file",
                                          help="UTF-8; paragraphs separated by blank lines."),
    override_reason: str | None = typer.Option(None, "--override-reason", help=_REASON_HELP),
) -> None:
    """Keep an organizer's title, lead or body for one language (checked under the event's
    attribution policy)."""
    from detente.reports import edit_news

    with session_scope(open_engine(ctx)) as db, _held_hint():
        item = edit_news(db, _news_item(db, news), content_lang, title=title,
                         lead=_read(lead, lead_file, "lead"), body=_read(body, body_file, "body"),
                         override_reason=override_reason)
        typer.echo(_("%(page)s (%(lang)s) saved")
                   % {"page": f"/news/{item.slug}", "lang": _language_name(content_lang)})


@news_app.command("show")
def news_show(
    ctx: typer.Context,
    news: str = typer.Argument(..., metavar="SLUG", help="News slug or event slug."),
    content_lang: str = content_lang_option("en", "Language of the text printed: en or zh."),
) -> None:
    """Print a news item as plain text (edited text where kept, composed elsewhere)."""
    from detente.reports import news_view

    with session_scope(open_engine(ctx)) as db:
        view = news_view(db, _news_item(db, news), content_lang)
    typer.echo(f"{view.title}\n\n{view.date.isoformat()}\n\n{view.lead}\n")
    for paragraph in view.paragraphs:
        typer.echo(paragraph.text + "\n")


@news_app.command("list")
def news_list(
    ctx: typer.Context,
    drafts: bool = typer.Option(False, "--drafts", help="Include drafts."),
) -> None:
    """List news items in date order."""
    from detente.reports import list_news

    with session_scope(open_engine(ctx)) as db:
        for item in list_news(db, include_drafts=drafts):
            when = item.published_on.isoformat() if item.published_on else pad(_("draft"), 10)
            typer.echo(f"{when}  /news/{item.slug}  "
                       f"{pick(item.event.title, item.event.title_local)}")
