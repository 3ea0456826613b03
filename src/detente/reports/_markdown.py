"""The forum report as Markdown (CommonMark): for wikis, e-mail and version control."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from detente.i18n import current_language, ngettext, paren, pick, punct
from detente.i18n import gettext as _
from detente.store.models.publications import MediaItem

from ._evidence import EVIDENCE_KINDS
from ._media import ShownMedia

if TYPE_CHECKING:
    from detente.forum._public import PublicPerson

    from ._report import ReportData

__all__ = ["report_markdown"]

#: Where the Markdown finds a photo: its path or URL.
PhotoName = Callable[[MediaItem | ShownMedia], str]

#: Every ASCII punctuation character that CommonMark or GitHub Markdown gives a meaning:
#: emphasis, code, links and images, raw HTML and entities, headings, tables, strikethrough.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#|!&~])")
#: Text that would start a list item, a heading underline or a block at the start of a line.
_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")


def _md(text: str | None) -> str:
    """Record text as Markdown that shows exactly this text: every character that could make
    markup (a link, raw HTML, an entity, emphasis, a list...) is escaped."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join((text or "").splitlines()).strip())
    return _LINE_START.sub(
        lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1),
        escaped, count=1)


def _link(url: str, label: str | None = None) -> str:
    """A link to an http(s) URL, the URL percent-encoded so that it cannot leave the link;
    any other scheme (``javascript:``, ``data:``...) is shown as plain text, never linked."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in {"http", "https"}:
        return _md(label or url)
    target = quote(url.strip(), safe="/:?#&=%+@!$,;~-._*'[]")
    return f"[{_md(label or url)}](<{target.replace('[', '%5B').replace(']', '%5D')}>)"


def _block(paragraph: str) -> str:
    """A paragraph, or a list where every line starts with "- "."""
    lines = paragraph.strip().split("\n")
    if all(line.startswith("- ") for line in lines):
        return "\n".join(f"- {_md(line[2:])}" for line in lines) + "\n"
    return _md(paragraph) + "\n"


def _person(p: PublicPerson) -> str:
    title = pick(p.title, p.title_local)
    return _md(pick(p.name, p.name_local)) + (f"{punct('comma')}{_md(title)}" if title else "")


def _date(value: dt.date | None) -> str:
    from ._report import format_date

    return format_date(value)


def _photo(item: MediaItem | ShownMedia, name: PhotoName) -> str:
    caption = pick(item.caption, item.caption_local) or _("Photograph of the forum")
    return f"![{_md(caption)}]({name(item)})\n\n*{_md(caption)}*\n"


def _sessions(data: ReportData, name: PhotoName) -> list[str]:
    out = [f"## {_('Sessions')}\n"]
    for s in data.event.sessions:
        title = _md(pick(s.title, s.title_local))
        out.append(f"### {_('Session %(num)d') % {'num': s.position}}{punct('colon')}{title}\n")
        if s.chair:
            out.append(f"{_('Chair')}{punct('colon')}{_person(s.chair)}\n")
        if s.themes:
            themes = punct("enum").join(_md(pick(t.name, t.name_local)) for t in s.themes)
            out.append(f"{_('Themes')}{punct('colon')}{themes}\n")
        if pick(s.description, s.description_local):
            out.append(_md(pick(s.description, s.description_local)) + "\n")
        out += [_photo(p, name) for p in data.session_photos(s.position)]
    return out


def _deliberations(data: ReportData, chart: Callable[[int], str] | None) -> list[str]:
    out = [f"## {_('Deliberation results')}\n"]
    for d in data.deliberations.items:
        out.append(f"### {_md(pick(d.question, d.question_local))}\n")
        out.append(ngettext("%(num)d participant voted", "%(num)d participants voted",
                            d.voters) % {"num": d.voters} + punct("stop") + "\n")
        if d.simulated:
            out.append(f"> {_md(pick(d.description, d.description_local))}\n")
        if chart is not None and d.id in data.charts:
            out.append(f"![{_('Opinion groups')}]({chart(d.id)})\n")
        if d.groups:
            out.append(punct("comma").join(f"{g}{punct('colon')}{n}" for g, n in d.groups) + "\n")
        if d.consensus:
            out.append(f"#### {_('Consensus statements')}\n")
            out.append(f"| {_('Statement')} | {_('Agree')} | {_('Disagree')} |\n|---|---:|---:|")
            out += [f"| {_md(pick(x.text, x.text_local))} | {round(100 * x.agree)}% | "
                    f"{round(100 * x.disagree)}% |" for x in d.consensus]
            out.append("")
        if d.divisive:
            out.append(f"#### {_('Divisive statements')}\n")
            out += [f"- {_md(pick(x.text, x.text_local))}" + paren(punct("comma").join(
                f"{g}{punct('colon')}{round(100 * v)}%" for g, v in x.group_agree))
                for x in d.divisive]
            out.append("")
    return out


def _findings(title: str, items: Sequence[Any], intro: str | None = None) -> list[str]:
    out = [f"## {title}\n"]
    if intro:
        out.append(f"*{_md(intro)}*\n")
    for f in items:
        out.append(f"### {_md(pick(f.title, f.title_local))}\n")
        if pick(f.text, f.text_local):
            out.append(_md(pick(f.text, f.text_local)) + "\n")
        if getattr(f, "source", None):
            colon = "：" if current_language() == "zh" else ": "
            source = pick(f.source, getattr(f, "source_local", None))
            out.append(f"{_('Source')}{colon}{_md(source)}\n")
    return out


def _evidence_target(e: Any, ev: Any) -> str:
    """What an evidence link points to: a session of this event named from the forum records
    in the interface language, anything else by the label recorded with the link."""
    slug, _sep, position = e.reference.partition("#")
    if e.kind == "session" and slug == ev.slug:
        for s in ev.sessions:
            if str(s.position) == position:
                return (f"{_md(pick(ev.title, ev.title_local))}{punct('comma')}"
                        f"{_('Session %(num)d') % {'num': s.position}}{punct('colon')}"
                        f"{_md(pick(s.title, s.title_local))}")
    return _md(e.label or e.reference)


def _proposals(data: ReportData) -> list[str]:
    out = [f"## {_('Governance proposals')}\n"]
    for p in data.proposals:
        out.append(f"### {_md(pick(p.title, p.title_local))}\n")
        status = _(p.status.value.replace("_", " ").capitalize())
        extra = f" · {_('Illustrative example written for detente, not a proposal of the forum')}" \
            if p.illustrative else ""
        out.append(f"**{status}**{extra}\n")
        out += [_block(para) for para in (pick(p.text, p.text_local) or "").split("\n\n")]
        if p.evidence:
            out.append(f"{_('Evidence')}{punct('colon').rstrip()}\n")
            for e in p.evidence:
                kind = _(EVIDENCE_KINDS[e.kind].label) if e.kind in EVIDENCE_KINDS else e.kind
                target = (_link(e.reference) if e.kind == "url"
                          else _evidence_target(e, data.event))
                note = f" — {_md(e.note)}" if e.note else ""
                out.append(f"- {kind}{punct('colon')}{target}{note}")
            out.append("")
    return out


def report_markdown(data: ReportData, name: PhotoName,
                    chart: Callable[[int], str] | None = None) -> str:
    """The report as Markdown; ``name`` gives each photo's path, ``chart`` each chart's."""
    ev = data.event
    out = [f"# {_md(pick(ev.title, ev.title_local))}\n", f"*{_('Forum report')}*\n",
           f"{_('Date')}{punct('colon')}{_date(ev.date)}  ",
           f"{_('Host')}{punct('colon')}{_md(pick(ev.host.name, ev.host.name_local))}  "]
    if pick(ev.venue, ev.venue_local):
        out.append(f"{_('Venue')}{punct('colon')}{_md(pick(ev.venue, ev.venue_local))}  ")
    out.append("")
    if ev.chatham_house:
        rule = _("Chatham House rule: no view in this report is attributed to a named person.")
        out.append(f"> {rule}\n")
    out.append(f"## {_('Summary')}\n")
    if pick(ev.description, ev.description_local):
        out.append(_md(pick(ev.description, ev.description_local)) + "\n")
    if ev.organizers:
        out.append(f"{_('Organized by')}{punct('colon')}"
                   + punct("semicolon").join(_person(p) for p in ev.organizers) + "\n")
    if ev.institutions:
        out.append(f"{_('Participating institutions')}{punct('colon')}" + punct("enum").join(
            _md(pick(i.name, i.name_local)) for i in ev.institutions) + "\n")
    out.append(f"## {_('Programme')}\n")
    out.append(f"| # | {_('Forum session')} | {_('Chair')} |\n|---:|---|---|")
    out += [f"| {s.position} | {_md(pick(s.title, s.title_local))} | "
            f"{_person(s.chair) if s.chair else ''} |" for s in ev.sessions]
    out.append("")
    out += _sessions(data, name)
    if data.deliberations.available:
        out += _deliberations(data, chart)
    if data.findings.available:
        out += _findings(_("State positions"), data.findings.items)
    if data.gaps.available:
        out += _findings(_("Gaps in the governance record"), data.gaps.items,
                         pick(data.gaps.intro, data.gaps.intro_local))
    if data.proposals:
        out += _proposals(data)
    remarks = pick(ev.closing_remarks, ev.closing_remarks_local)
    if remarks:
        out += [f"## {_('Closing remarks')}\n", _md(remarks) + "\n"]
        if ev.closing_speaker:
            out.append(f"— {_person(ev.closing_speaker)}\n")
    if data.session_photos(None):
        out.append(f"## {_('Photographs')}\n")
        out += [_photo(p, name) for p in data.session_photos(None)]
    out.append(f"## {_('About this report')}\n")
    out.append(f"### {_('Sources')}\n")
    out += [f"{i}. {_md(s)}" for i, s in enumerate(data.sources, 1)]
    out.append("")
    if data.notes:
        out.append(f"### {_('Sections not included')}\n")
        out += [f"- {_(n)}" for n in data.notes]
        out.append("")
    out.append(f"{_('Generated on')} {_date(data.generated_on)}{punct('stop')}\n")
    return "\n".join(out)
