"""The state-position findings of a forum report, written in English and in Chinese.

:func:`report_findings` analyses a topic's roll calls and AI instruments and says what the
evidence supports, in both languages at once: the blocs and what set each apart (counted over
all its members), where every bloc's majority voted alike (and what was adopted without a
vote), where the blocs split, and who took part in the declarations and conventions (every
share over the 193 member states). Titles that exist only in English are marked as such in the
Chinese text; sources are written in each language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session as DbSession

from detente.charts import bloc_name
from detente.i18n import current_language, use_language
from detente.i18n import gettext as _
from detente.states._analysis import analyze
from detente.states._countries import country_name, name_sort_key
from detente.states._select import Selection
from detente.states._service import InstrumentView, chinese_titles, list_instruments
from detente.states._standing import instrument_headline, instrument_title, vote_phrase
from detente.states._tally import basis_phrase, bloc_tally, fragile_note, tally_phrases
from detente.states._text import full_stop, join, part_label, sentence

__all__ = ["ReportFinding", "ReportFindings", "report_findings", "statement_words"]

_EXAMPLES = 6
_P5 = ("USA", "CHN", "RUS", "GBR", "FRA")
_SPLITS = 3
_TOPIC_NAMES = {"ai": "AI and security"}


@dataclass(frozen=True, slots=True)
class ReportFinding:
    """One finding in English and in Chinese, with its source in each language."""

    title: str
    title_zh: str
    text: str
    text_zh: str
    source: str | None = None
    source_zh: str | None = None


@dataclass(frozen=True, slots=True)
class ReportFindings:
    """The findings of a topic, and the sources they rest on as (English, Chinese) pairs."""

    findings: tuple[ReportFinding, ...]
    sources: tuple[tuple[str, str], ...]


def _both(write: Callable[[], str]) -> tuple[str, str]:
    """``write()`` in English and in Chinese."""
    with use_language("en"):
        english = write()
    with use_language("zh"):
        chinese = write()
    return english, chinese


def report_findings(db: DbSession, topic: str = "ai") -> ReportFindings:
    """What the roll calls and instruments of ``topic`` show, for a report.

    Returns no findings when the votes are too few to form blocs.

    Raises
    ------
    NotFoundError
        When no roll call of the topic is recorded.
    InputError
        For an unknown topic.
    """
    selection = Selection(topic=topic)
    result = analyze(db, selection)
    if not result.get("groups"):
        return ReportFindings((), ())
    views = list_instruments(db) if selection.with_instruments() else []
    titles = chinese_titles(db)
    meta = {s["key"]: s for s in result["roll_calls"]}

    def statement(key: str) -> str:
        return statement_words(meta[key], titles)

    findings = [_overview(result, topic, titles), *_blocs(result, statement),
                _converge(result, views, statement)]
    if result.get("divisive"):
        findings.append(_split(result, statement))
    if any(v.item.basis in ("endorsement", "issuer") and v.item.positions for v in views):
        findings.append(_instruments(views))
    return ReportFindings(tuple(findings), _sources(result, views, topic))


def statement_words(meta: dict[str, Any], titles: dict[str, str]) -> str:
    """"A/RES/78/241 Lethal autonomous weapons systems (2023)" in the current language; an
    English-only title is marked in Chinese, a vote on a paragraph or an amendment says so."""
    zh = meta.get("title_zh") or titles.get(meta.get("resolution") or "")
    if current_language() == "zh":
        title = zh or f"{meta.get('title') or ''}{_('(no Chinese text)')}"
        year = f"（{meta['year']}年）" if meta.get("year") else ""
    else:
        title = meta.get("title") or ""
        year = f" ({meta['year']})" if meta.get("year") else ""
    symbol = meta.get("resolution") or ""
    return f"{symbol} {title}".strip() + part_label(meta) + year


def _colon() -> str:
    return "：" if current_language() == "zh" else ": "


def _overview(result: dict[str, Any], topic: str, titles: dict[str, str]) -> ReportFinding:
    groups = result["groups"]
    roll_calls = [s for s in result["roll_calls"] if s["kind"] == "roll_call"]

    def title() -> str:
        # Named after what the blocs rest on, not after the topic: three votes on one subject
        # are no map of states "on AI and security".
        return _("%(num)d blocs of states at the UN General Assembly, from %(basis)s") % {
            "num": len(groups), "basis": basis_phrase(result, titles)}

    def text() -> str:
        sizes = join(_("%(bloc)s: %(num)d states") % {"bloc": bloc_name(i),
                                                      "num": len(g["members"])}
                     for i, g in enumerate(groups))
        who, *others = tally_phrases(bloc_tally(result))
        parts = [_("Grouped by their votes on %(num)d recorded roll calls, %(who)s "
                   "(%(sizes)s).") % {"num": len(roll_calls), "who": who, "sizes": sizes}]
        parts += [full_stop(phrase) for phrase in others]
        parts.append(fragile_note(result) or "")
        if any(s["kind"] == "instrument" for s in result["roll_calls"]):
            parts.append(_("Instruments open to every member state whose record is complete "
                           "count as votes."))
        parts.append(_("Declarations and conventions that only some states could sign, or "
                       "whose lists of signatories are partial, do not enter the grouping; "
                       "who took part in them is set out below."))
        return sentence(parts)

    def source() -> str:
        return _("detente state-position analysis (topic: %(topic)s) of UN Digital Library "
                 "voting records") % {"topic": _(_TOPIC_NAMES.get(topic, topic))}

    (t_en, t_zh), (x_en, x_zh), (s_en, s_zh) = _both(title), _both(text), _both(source)
    return ReportFinding(t_en, t_zh, x_en, x_zh, s_en, s_zh)


def _blocs(result: dict[str, Any], statement: Callable[[str], str]) -> list[ReportFinding]:
    facts = {b["id"]: b for b in result.get("blocs", [])}
    x = {p["participant"]: p["x"] for p in result.get("projection", [])}
    findings = []
    for index, group in enumerate(result["groups"]):
        members = sorted(group["members"], key=lambda s: (x.get(s, 0.0), s))
        step = max(1, len(members) // _EXAMPLES)
        known = [s for s in members if s in _P5]  # the permanent five first, then a spread
        examples = list(dict.fromkeys(known + members[::step]))[:_EXAMPLES]
        bloc = facts.get(group["id"], {"size": len(members), "representative": []})

        def title(index: int = index, size: int = len(members)) -> str:
            return _("%(bloc)s: %(num)d states") % {"bloc": bloc_name(index), "num": size}

        def text(examples: list[str] = examples, bloc: dict[str, Any] = bloc) -> str:
            names = sorted(examples, key=name_sort_key)
            parts = [_("Among them: %(names)s.") % {"names": join(country_name(c)
                                                                  for c in names)}]
            if bloc["representative"]:
                first = bloc["representative"][0]
                parts.append(_("What set it apart: %(statement)s: %(votes)s.") % {
                    "statement": statement(first["statement"]),
                    "votes": vote_phrase(first["counts"], bloc["size"], _("members"))})
            return sentence(parts)

        (t_en, t_zh), (x_en, x_zh) = _both(title), _both(text)
        findings.append(ReportFinding(t_en, t_zh, x_en, x_zh))
    return findings


def _converge(result: dict[str, Any], views: list[InstrumentView],
              statement: Callable[[str], str]) -> ReportFinding:
    counts = {c["statement"]: c["counts"] for c in result.get("consensus", [])}
    total = len(result["states"])
    without_vote = [v.item for v in views if v.item.basis == "without-vote"]

    def text() -> str:
        parts = []
        if result.get("converge"):
            parts.append(_("A majority of every bloc voted the same way on: %(list)s.") % {
                "list": ("；" if current_language() == "zh" else "; ").join(
                    f"{statement(key)}{_colon()}{vote_phrase(counts[key], total, _('states'))}"
                    for key in result["converge"])})
        else:
            parts.append(_("No recorded roll call has a majority of every bloc voting the "
                           "same way."))
        if without_vote:
            parts.append(_("Adopted without a vote, so that no state's vote is recorded: "
                           "%(list)s.") % {"list": join(
                               f"{item.symbol} {instrument_title(item)[0]}".strip()
                               + (_("(no Chinese text)") if instrument_title(item)[1] else "")
                               for item in without_vote)})
        return sentence(parts)

    (t_en, t_zh), (x_en, x_zh) = _both(lambda: _("Where all blocs converge")), _both(text)
    return ReportFinding(t_en, t_zh, x_en, x_zh)


def _split(result: dict[str, Any], statement: Callable[[str], str]) -> ReportFinding:
    def text() -> str:
        lines = []
        for entry in result["divisive"][:_SPLITS]:
            blocs = ("；" if current_language() == "zh" else "; ").join(
                f"{bloc_name(i)}{_colon()}{vote_phrase(b['counts'], b['size'], _('members'))}"
                for i, b in enumerate(entry["blocs"]))
            lines.append(full_stop(f"{statement(entry['statement'])}{_colon()}{blocs}"))
        return sentence(lines)

    (t_en, t_zh), (x_en, x_zh) = _both(lambda: _("Where the blocs divide")), _both(text)
    return ReportFinding(t_en, t_zh, x_en, x_zh)


def _instruments(views: list[InstrumentView]) -> ReportFinding:
    chosen = [v for v in views if v.item.basis in ("endorsement", "issuer") and v.item.positions]

    def text() -> str:
        parts = []
        for view in chosen:
            shown, english = instrument_title(view.item)
            name = shown + (_("(no Chinese text)") if english else "")
            parts.append(f"{name}{_colon()}{instrument_headline(view.item, view.standings)}")
        return sentence(parts)

    title = _both(lambda: _("Who took part in the AI declarations and conventions"))
    (x_en, x_zh) = _both(text)
    return ReportFinding(title[0], title[1], x_en, x_zh)


def _sources(result: dict[str, Any], views: list[InstrumentView],
             topic: str) -> tuple[tuple[str, str], ...]:
    sources = [_both(lambda: _("detente state-position analysis of UN General Assembly roll "
                               "calls and AI instruments (topic: %(topic)s)") % {
        "topic": _(_TOPIC_NAMES.get(topic, topic))})]
    for meta in result["roll_calls"]:
        if meta["kind"] == "roll_call" and meta.get("url"):
            sources.append(_both(_record_source(meta.get("resolution") or meta["key"],
                                                meta["url"])))
    for view in views:
        if view.item.source_url and view.item.basis in ("endorsement", "issuer") \
                and view.item.positions:
            sources.append(_both(_instrument_source(view)))
    return tuple(dict.fromkeys(sources))


def _record_source(symbol: str, url: str) -> Callable[[], str]:
    def write() -> str:
        return _("UN Digital Library voting record of %(symbol)s: %(url)s") % {
            "symbol": symbol, "url": url}
    return write


def _instrument_source(view: InstrumentView) -> Callable[[], str]:
    def write() -> str:
        shown, english = instrument_title(view.item)
        return (shown + (_("(no Chinese text)") if english else "") + _colon()
                + str(view.item.source_url))
    return write
