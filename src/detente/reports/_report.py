"""The forum report: everything detente holds about an event, in one document.

:func:`build_report` gathers the data (through :func:`detente.forum.public_event`, so the
Chatham House rule holds, and through the other capabilities' public services);
:func:`render_report` writes it as a standalone HTML page, a PDF typeset by WeasyPrint (fonts
embedded, charts as vector SVG, page numbers, table of contents) or Markdown.
"""

from __future__ import annotations

import base64
import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy.orm import Session as DbSession

from detente import i18n
from detente.charts import opinion_map
from detente.errors import InputError
from detente.forum import (
    Guard,
    Hold,
    PublicEvent,
    attribution_guard,
    get_event,
    guarded_event,
    public_event,
)
from detente.i18n import gettext as _
from detente.store.models.auth import User
from detente.store.models.publications import MediaItem, MediaKind, Proposal

from ._evidence import EVIDENCE_KINDS
from ._markdown import report_markdown
from ._media import ShownMedia, caption_texts, list_media, media_file, shown_media
from ._proposals import PUBLIC_STATUSES, list_proposals, proposal_texts
from ._sources import (
    Section,
    deliberations_for_event,
    kb_gaps_for_event,
    state_findings_for_event,
)

__all__ = ["FORMATS", "ReportData", "build_report", "override_report_holds", "render_report",
           "report_holds", "write_report"]

FORMATS = ("html", "pdf", "md")
TEMPLATES = Path(__file__).parent / "templates"
#: Macros shared with the web pages (``{% from "macros.html" import ... %}``).
SHARED_TEMPLATES = Path(__file__).parents[1] / "templates"
Format = Literal["html", "pdf", "md"]


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, in one language."""

    event: PublicEvent
    language: str
    generated_on: dt.date
    deliberations: Section
    findings: Section
    gaps: Section
    proposals: tuple[Proposal, ...]
    photos: tuple[MediaItem | ShownMedia, ...]
    documents: tuple[MediaItem | ShownMedia, ...]
    charts: dict[int, str]
    notes: tuple[str, ...]
    sources: tuple[str, ...]
    #: Texts left out because they are held under the Chatham House rule (for organizers).
    held: tuple[Hold, ...] = ()

    def session_photos(self, position: int | None) -> list[MediaItem | ShownMedia]:
        """Photos of one session (``None``: photos of the event as a whole)."""
        wanted = None if position is None else next(
            (s.id for s in self.event.sessions if s.position == position), -1)
        return [p for p in self.photos if p.session_id == wanted]


def report_holds(db: DbSession, event_key: str | int) -> list[Hold]:
    """Organizer-written texts of the report of ``event_key`` held under the Chatham House
    rule: the event's and sessions' descriptions, the closing remarks, proposals, captions."""
    event = get_event(db, event_key)
    guard = attribution_guard(db, event)
    _public, holds = guarded_event(guard, public_event(event))
    for proposal in list_proposals(db, event):
        holds += guard.review(proposal_texts(proposal))
    for item in list_media(db, event):
        holds += guard.review(caption_texts(item))
    return holds


def override_report_holds(db: DbSession, event_key: str | int, reason: str,
                          user: User | None = None) -> list[Hold]:
    """Publish every held text of the report of ``event_key`` anyway, for ``reason`` (each
    override is kept and audited); returns what was published."""
    event = get_event(db, event_key)
    guard = attribution_guard(db, event)
    holds = report_holds(db, event.id)
    for hold in holds:
        guard.override(hold, reason, user)
    return holds


def _shown_proposals(guard: Guard, proposals: list[Proposal]) -> list[Proposal]:
    return [p for p in proposals if not guard.review(proposal_texts(p))]


def build_report(db: DbSession, event_key: str | int, language: str,
                 today: dt.date | None = None, *, visitors: bool = False) -> ReportData:
    """Gather what the report of ``event_key`` shows in ``language`` ("en" or "zh").

    Organizer-written text held under the Chatham House rule is left out (a proposal with
    held text entirely, a held caption or description by itself); ``held`` lists it and a
    note in *About this report* says how much was left out. ``visitors`` leaves out the
    proposals visitors may not see yet (drafts), as the public register does.
    """
    if language not in ("en", "zh"):
        raise InputError(_("use en or zh"), location="--lang")
    event = get_event(db, event_key)
    guard = attribution_guard(db, event)
    held = report_holds(db, event.id)
    public, _event_holds = guarded_event(guard, public_event(event))
    with i18n.use_language(language):
        deliberations = deliberations_for_event(db, event)
        findings = state_findings_for_event(db, event)
        gaps = kb_gaps_for_event(db, event)
        charts = {
            d.id: str(opinion_map(d.result, title=i18n.gettext("Opinion groups")
                                  + i18n.punct("colon")
                                  + (i18n.pick(d.question, d.question_local) or "")))
            for d in deliberations.items if d.result
        }
    media = shown_media(guard, list_media(db, event))
    proposals = tuple(_shown_proposals(guard, list_proposals(
        db, event, statuses=PUBLIC_STATUSES if visitors else None)))
    notes = tuple(s.note for s in (deliberations, findings, gaps) if s.note)
    if not proposals:
        notes += ("No proposal has been recorded for this event.",)
    if held:
        notes += ("Organizer-written text held under the Chatham House rule was left out.",)
    with i18n.use_language(language):
        sources = (
            i18n.gettext("detente forum record “%(slug)s” (event, sessions, chairs, themes, "
                         "institutions)") % {"slug": event.slug},
            *deliberations.sources, *findings.sources, *gaps.sources,
            *(f"{i18n.gettext(EVIDENCE_KINDS[e.kind].label)}{i18n.punct('colon')}{e.reference}"
              for p in proposals for e in p.evidence if e.kind == "url"),
        )
    return ReportData(
        event=public, language=language, generated_on=today or dt.date.today(),
        deliberations=deliberations, findings=findings, gaps=gaps, proposals=proposals,
        photos=tuple(m for m in media if m.kind == MediaKind.IMAGE),
        documents=tuple(m for m in media if m.kind == MediaKind.DOCUMENT),
        charts=charts, notes=notes, sources=tuple(dict.fromkeys(sources)), held=tuple(held),
    )


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader([TEMPLATES, SHARED_TEMPLATES]),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.add_extension("jinja2.ext.i18n")
    env.add_extension("jinja2.ext.do")
    # The i18n extension adds install_gettext_callables to the environment when it is added.
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(pick=i18n.pick, punct=i18n.punct, paren=i18n.paren,
                       has_chinese=i18n.has_chinese,
                       current_language=i18n.current_language,
                       evidence_kinds=EVIDENCE_KINDS)
    env.globals["chapter_number"] = chapter_number
    env.filters["date"] = format_date
    env.filters["pct"] = lambda v: f"{round(100 * float(v))}%"
    return env


_CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """``n`` (1 to 99) in Chinese numerals: 一, 十, 十一, 二十, 二十一 (other numbers as digits)."""
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    if not tens:
        return _CHINESE_DIGITS[ones]
    return (_CHINESE_DIGITS[tens] if tens > 1 else "") + "十" + (
        _CHINESE_DIGITS[ones] if ones else "")


def chapter_number(n: int) -> str:
    """The number in front of a chapter's heading as the current language writes it: "3. " in
    English, "三、" in Chinese (top-level headings of Chinese documents are numbered so)."""
    if i18n.current_language() == "zh":
        return f"{chinese_numeral(n)}、"
    return f"{n}. "


def format_date(value: dt.date | None) -> str:
    """A date as the current language writes it."""
    if value is None:
        return ""
    if i18n.current_language() == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value.strftime('%B')} {value.year}"


def _image_source(media_dir: Path, fmt: str) -> Callable[[MediaItem | ShownMedia], str]:
    """How a photo is referenced: embedded (HTML), a file URL (PDF)."""
    size = "print" if fmt == "pdf" else "page"

    def source(item: MediaItem | ShownMedia) -> str:
        found = media_file(media_dir, item, size)
        if fmt == "pdf":
            return found.path.resolve().as_uri()
        data = base64.b64encode(found.path.read_bytes()).decode("ascii")
        return f"data:{found.content_type};base64,{data}"

    return source


def render_html(data: ReportData, media_dir: Path, *, for_pdf: bool = False) -> str:
    """The report as one standalone HTML page (photos embedded, charts inline)."""
    with i18n.use_language(data.language):
        template = _environment().get_template("report.html")
        return template.render(
            report=data, event=data.event, lang=data.language, for_pdf=for_pdf,
            image_src=_image_source(media_dir, "pdf" if for_pdf else "html"),
            charts={k: Markup(v) for k, v in data.charts.items()},
        )


#: The package to install when no font covers Chinese, named in the error (Debian, Ubuntu).
CJK_FONT_PACKAGE = "fonts-noto-cjk"


def cjk_font_available() -> bool:
    """Whether fontconfig knows a font that covers Chinese (``fc-list :lang=zh``)."""
    import subprocess

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True,
                               text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return found.returncode == 0 and bool(found.stdout.strip())


def render_pdf(data: ReportData, media_dir: Path,
               font_check: Callable[[], bool] | None = None) -> bytes:
    """The report typeset as PDF by WeasyPrint (fonts embedded and subset).

    A Chinese report needs a font that covers Chinese: without one WeasyPrint would draw every
    character as an empty box, so this stops first with an error naming the package to
    install. ``font_check`` replaces :func:`cjk_font_available` (tests simulate a machine
    without the fonts).
    """
    if data.language == "zh" and not (font_check or cjk_font_available)():
        raise InputError(
            _("no font for Chinese is installed (fc-list :lang=zh lists none), so the PDF would "
              "show empty boxes; install one, e.g. the package %(package)s on Debian or "
              "Ubuntu, and try again") % {"package": CJK_FONT_PACKAGE}, location="--lang zh")
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise InputError(_("PDF output needs WeasyPrint and Pango: %(reason)s") % {"reason": exc},
                         location="--format") from exc
    html = render_html(data, media_dir, for_pdf=True)
    document = HTML(string=html, base_url=str(TEMPLATES))
    return document.write_pdf(pdf_identifier=data.event.slug.encode(),
                              custom_metadata=True) or b""


def render_report(data: ReportData, fmt: str, media_dir: Path,
                  font_check: Callable[[], bool] | None = None) -> bytes:
    """The report in ``fmt`` ("html", "pdf" or "md") as bytes (Markdown refers to photos by
    their media file names; :func:`write_report` copies them next to it). ``font_check``:
    see :func:`render_pdf`."""
    if fmt == "html":
        return render_html(data, media_dir).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(data, media_dir, font_check)
    if fmt == "md":
        with i18n.use_language(data.language):
            return report_markdown(data, lambda item: _md_name(item)).encode("utf-8")
    raise InputError(_("unknown format %(format)s; use html, pdf or md")
                     % {"format": f"{i18n.punct('lquote')}{fmt}{i18n.punct('rquote')}"},
                     location="--format")


def _md_name(item: MediaItem | ShownMedia) -> str:
    ext = "jpg" if item.variant_format == "jpeg" else "png"
    return f"media/{item.token}-page.{ext}"


def write_report(data: ReportData, fmt: str, media_dir: Path, out: Path,
                 font_check: Callable[[], bool] | None = None) -> Path:
    """Write the report to ``out``; Markdown gets its photos and charts in ``<out>_files/``.
    Nothing is written when the report cannot be rendered (``font_check``: see
    :func:`render_pdf`)."""
    if fmt != "md":
        out.write_bytes(render_report(data, fmt, media_dir, font_check))
        return out
    folder = out.with_name(out.stem + "_files")

    def name(item: MediaItem | ShownMedia) -> str:
        found = media_file(media_dir, item, "page")
        target = folder / f"{item.token}{found.path.suffix}"
        folder.mkdir(exist_ok=True)
        shutil.copyfile(found.path, target)
        return f"{folder.name}/{target.name}"

    def chart(deliberation_id: int) -> str:
        folder.mkdir(exist_ok=True)
        target = folder / f"opinion-groups-{deliberation_id}.svg"
        target.write_text(data.charts[deliberation_id], encoding="utf-8")
        return f"{folder.name}/{target.name}"

    with i18n.use_language(data.language):
        out.write_text(report_markdown(data, name, chart), encoding="utf-8")
    return out
