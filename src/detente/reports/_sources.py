"""What publications take from the other capabilities, through their public service functions.

Deliberations (:mod:`detente.deliberation`), state positions (:mod:`detente.states`) and the
knowledge base (:mod:`detente.knowledge`) are imported like any other service. Each section
function here returns a :class:`Section` whose ``available`` is False (with a note saying why)
when the capability holds nothing for the event, so that a report shows a section where data
exists and says what is missing where it does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session as DbSession

from detente import deliberation, knowledge, states
from detente.charts import group_name
from detente.errors import InputError, NotFoundError
from detente.i18n import gettext, ngettext, pick
from detente.store.models.deliberation import Deliberation
from detente.store.models.forum import Event

__all__ = [
    "Choice",
    "ChoiceGroup",
    "DeliberationSummary",
    "Finding",
    "Section",
    "StatementLine",
    "consensus_statement_label",
    "deliberation_label",
    "deliberation_summary",
    "deliberations_for_event",
    "kb_document_choices",
    "kb_document_label",
    "kb_gap_choices",
    "kb_gap_label",
    "kb_gaps_for_event",
    "state_finding_choices",
    "state_finding_label",
    "state_findings_for_event",
]


@dataclass(frozen=True)
class StatementLine:
    """A statement of a deliberation with its vote shares (0-1)."""

    id: str
    text: str
    text_local: str | None
    direction: str
    agree: float
    disagree: float
    #: (opinion group name, share agreeing), in the engine's group order.
    group_agree: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class DeliberationSummary:
    """A deliberation's results as a report shows them (no participant is ever named)."""

    id: int
    question: str
    question_local: str | None
    description: str | None
    description_local: str | None
    session_position: int | None
    simulated: bool
    voters: int
    votes: int
    statements: int
    groups: tuple[tuple[str, int], ...]
    consensus: tuple[StatementLine, ...]
    divisive: tuple[StatementLine, ...]
    result: dict[str, Any] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Section:
    """Items of one report section, or the reason there are none (``note``, English)."""

    items: tuple[Any, ...]
    available: bool
    note: str | None = None
    sources: tuple[str, ...] = ()
    #: What the items rest on, said before them (English, and Chinese).
    intro: str | None = None
    intro_local: str | None = None


@dataclass(frozen=True)
class Choice:
    """An existing target an evidence link may point to: the reference the link stores and
    what a person reads (in English and, where known, in Chinese)."""

    reference: str
    label: str
    label_local: str | None = None


@dataclass(frozen=True)
class ChoiceGroup:
    """Choices that belong together (one risk domain, one event), with the group's name."""

    label: str
    label_local: str | None
    choices: tuple[Choice, ...]


# --- deliberations ---------------------------------------------------------------------------

def _statement_lines(entries: Sequence[dict[str, Any]], texts: dict[str, Any],
                     labels: dict[str, str]) -> tuple[StatementLine, ...]:
    lines = []
    for entry in entries:
        key = str(entry["statement"])
        statement = texts.get(key)
        if statement is None:
            continue
        shares = entry.get("group_agree_shares") or {}
        lines.append(StatementLine(
            id=key, text=statement.text, text_local=statement.text_local,
            direction=str(entry.get("direction", "agree")),
            agree=float(entry.get("agree_share", 0.0) or 0.0),
            disagree=float(entry.get("disagree_share", 0.0) or 0.0),
            group_agree=tuple((labels.get(str(g), str(g)), float(v))
                              for g, v in shares.items() if v is not None),
        ))
    return tuple(lines)


def _summary(db: DbSession, record: Deliberation) -> DeliberationSummary:
    stored = deliberation.stored_result(db, record.id)
    counts = deliberation.statement_counts(db, record.id)
    statements = deliberation.statements_of(db, record.id)
    texts = {str(s.id): s for s in statements}
    result = dict(stored.result) if stored is not None else None
    groups: tuple[tuple[str, int], ...] = ()
    consensus: tuple[StatementLine, ...] = ()
    divisive: tuple[StatementLine, ...] = ()
    if result:
        ids = [g["id"] for g in result.get("groups", [])]
        labels = {str(gid): group_name(i) for i, gid in enumerate(ids)}
        groups = tuple((labels[str(g["id"])], len(g.get("members", [])))
                       for g in result.get("groups", []))
        consensus = _statement_lines(result.get("consensus", []), texts, labels)
        divisive = _statement_lines(result.get("divisive", []), texts, labels)
    session = record.session
    return DeliberationSummary(
        id=record.id, question=record.question,
        question_local=record.question_local, description=record.description,
        description_local=record.description_local,
        session_position=session.position if session is not None else None,
        simulated=bool(record.is_simulated),
        voters=int(counts.get("voters", 0)), votes=int(counts.get("votes", 0)),
        statements=len(statements), groups=groups, consensus=consensus, divisive=divisive,
        result=result if result and result.get("projection") else None,
    )


def deliberations_for_event(db: DbSession, event: Event) -> Section:
    """The results of the (non-draft) deliberations held in ``event``'s sessions."""
    session_ids = {s.id for s in event.sessions}
    found = [d for d in deliberation.list_deliberations(db) if d.session_id in session_ids]
    if not found:
        return Section((), False, "No deliberation was held at this event.")
    found.sort(key=lambda d: (d.session.position if d.session else 0, d.id))
    summaries = tuple(_summary(db, d) for d in found)
    return Section(summaries, True, sources=tuple(
        (gettext("detente deliberation “%(question)s” (simulated votes)") if s.simulated
         else gettext("detente deliberation “%(question)s”"))
        % {"question": pick(s.question, s.question_local)} for s in summaries))


def deliberation_summary(db: DbSession, deliberation_id: int) -> DeliberationSummary:
    """One deliberation's results.

    Raises
    ------
    NotFoundError
        When there is no such deliberation.
    """
    return _summary(db, deliberation.get_deliberation(db, deliberation_id))


def _deliberation_id(reference: str) -> int:
    if not reference.strip().isdigit():
        raise InputError(gettext("a deliberation is referred to by its number, e.g. 3"),
                         location="reference")
    return int(reference)


def deliberation_label(db: DbSession, reference: str) -> str:
    """The question of deliberation ``reference``."""
    return str(deliberation.get_deliberation(db, _deliberation_id(reference)).question)


def consensus_statement_label(db: DbSession, reference: str) -> str:
    """The text of statement ``DELIBERATION:STATEMENT``."""
    deliberation_ref, sep, statement_ref = reference.partition(":")
    if not sep or not statement_ref.strip().isdigit():
        raise InputError(gettext("use DELIBERATION:STATEMENT, e.g. 3:17"), location="reference")
    record = deliberation.get_deliberation(db, _deliberation_id(deliberation_ref))
    for statement in deliberation.statements_of(db, record.id):
        if statement.id == int(statement_ref):
            return str(statement.text)
    raise NotFoundError(gettext("deliberation %(id)s has no accepted statement %(statement)s")
                        % {"id": record.id, "statement": statement_ref})


@dataclass(frozen=True)
class Finding:
    """A state-position finding or a knowledge-base gap, as a report lists it."""

    title: str
    title_local: str | None
    text: str | None
    text_local: str | None
    source: str | None = None
    source_local: str | None = None


# --- state positions ---------------------------------------------------------------------------

#: The topic preset of the state-position capability that a forum on AI and security draws on.
STATES_TOPIC = "ai"


def state_findings_for_event(db: DbSession, event: Event) -> Section:
    """State-position findings for a forum on AI, as the state-position capability writes them
    (:func:`detente.states.report_findings`): blocs and what set each apart, where all converge,
    where they split, who took part in the AI declarations; in English and in Chinese."""
    try:
        found = states.report_findings(db, STATES_TOPIC)
    except NotFoundError:
        return Section((), False, "The state-position records hold no votes on AI; import "
                                  "them with detente states.")
    if not found.findings:
        return Section((), False, "The state-position votes on AI are too few to form blocs.")
    findings = tuple(Finding(title=f.title, title_local=f.title_zh, text=f.text,
                             text_local=f.text_zh, source=f.source, source_local=f.source_zh)
                     for f in found.findings)
    return Section(findings, True, sources=tuple(pick(en, zh) or en for en, zh in found.sources))


def _roll_call_title(meta: dict[str, Any]) -> str:
    symbol = meta.get("resolution")
    title = str(meta.get("title") or meta.get("key"))
    return f"{symbol}: {title}" if symbol and symbol not in title else title


def state_finding_label(db: DbSession, reference: str) -> str:
    """The roll call or instrument a reference names (key, id or resolution symbol)."""
    data = states.load_votes(db, states.Selection(roll_calls=(reference,)))
    if not data.statements:
        raise NotFoundError(gettext("the state-position records have no roll call %(id)r")
                            % {"id": reference})
    return _roll_call_title(data.statements[0])


def state_finding_choices(db: DbSession) -> tuple[ChoiceGroup, ...]:
    """The roll calls on AI that the state-position findings of a report draw on (their
    key, resolution and title, with the Chinese title where the records hold one)."""
    try:
        roll_calls = states.list_roll_calls_with_counts(db, states.Selection(topic=STATES_TOPIC))
    except NotFoundError:
        return ()
    titles_zh = states.chinese_titles(db)
    choices = []
    for meta in roll_calls:
        symbol = str(meta.get("resolution") or "")
        title = str(meta.get("title") or meta["key"])
        title_zh = titles_zh.get(symbol)
        day = str(meta.get("date") or "")
        label = f"{symbol}: {title}" if symbol and symbol not in title else title
        local = (f"{symbol}：{title_zh}" if symbol else title_zh) if title_zh else None
        choices.append(Choice(str(meta["key"]), f"{label} ({day})" if day else label,
                              f"{local}（{day}）" if local and day else local))
    if not choices:
        return ()
    return (ChoiceGroup("UN General Assembly roll calls on AI", "联合国大会关于人工智能的记录表决",
                        tuple(choices)),)


# --- the knowledge base ----------------------------------------------------------------------

_GAPS_SHOWN = 5
#: The risk domains of the knowledge-base taxonomy that international-security forums address.
SECURITY_DOMAINS = ("military-autonomous-weapons", "nuclear-command-control", "cyber",
                    "biological", "chemical", "information-operations",
                    "critical-infrastructure", "loss-of-control")


def _not_yet_applicable(row: list[dict[str, Any]]) -> tuple[int, list[str], str] | None:
    """Of a row's uncovered cells, how many are addressed by provisions in force that do not yet
    apply on the date, by which instruments, and from when the first of them applies."""
    waiting = [c["not_yet_applicable"] for c in row
               if c["status"] != "binding" and c.get("not_yet_applicable")]
    if not waiting:
        return None
    entries = [x for cell in waiting for x in cell]
    instruments = sorted({str(x["short_title"]) for x in entries})
    return len(waiting), instruments, min(str(x["applies_from"]) for x in entries)


def _application_sources(coverage: dict[str, Any]) -> tuple[str, ...]:
    """A source line per counted instrument that applies in stages: its dates of application
    and the provision that sets them."""
    lines = []
    for document in coverage["documents"]:
        stages = document.get("application") or []
        if not document.get("counted") or not stages:
            continue
        days = sorted(str(x["applies_from"]) for x in stages)
        lines.append(gettext("%(instrument)s: dates of application from %(first)s to "
                             "%(last)s, by part (%(source)s); a provision counts from its "
                             "date of application")
                     % {"instrument": document["short_title"], "first": days[0],
                        "last": days[-1], "source": stages[0]["cited"]})
    return tuple(lines)


def _gap_findings(coverage: dict[str, Any]) -> list[Finding]:
    tools = {t["id"]: t for t in coverage["tools"]}
    findings = []
    for domain, row in zip(coverage["domains"], coverage["matrix"], strict=True):
        if domain["id"] not in SECURITY_DOMAINS:
            continue
        missing = [tools[c["tool"]] for c in row if c["status"] == "gap"]
        soft = [tools[c["tool"]] for c in row if c["status"] == "non-binding only"]
        if not missing and not soft:
            continue
        binding = len(row) - len(missing) - len(soft)
        text = [f"Of {len(row)} governance tools, {binding} are covered by a binding instrument, "
                f"{len(soft)} by non-binding instruments only and {len(missing)} by none."]
        local = [f"在{len(row)}种治理工具中，{binding}种有具约束力的文书涵盖，"
                 f"{len(soft)}种仅有不具约束力的文书涵盖，{len(missing)}种尚无任何文书涵盖。"]
        pending = sorted({str(x["short_title"]) for c in row if c["status"] != "binding"
                          for x in c.get("unestablished", [])})
        if pending:
            count = sum(1 for c in row if c["status"] != "binding" and c.get("unestablished"))
            whose = "whose status on that date is" if len(pending) == 1 else (
                "whose statuses on that date are")
            text.append(f"{count} of the uncovered tools {'is' if count == 1 else 'are'} "
                        f"addressed by {', '.join(pending)}, {whose} not established.")
            local.append(f"其中{count}种由{'、'.join(pending)}涉及，但其在该日的效力状态尚未确定。")
        later = _not_yet_applicable(row)
        if later:
            count, instruments, first = later
            text.append(f"{count} of the uncovered tools {'is' if count == 1 else 'are'} "
                        f"addressed by provisions of {', '.join(instruments)} that are in force "
                        f"but apply only from {first}.")
            local.append(f"其中{count}种由{'、'.join(instruments)}中已生效但自{first}起"
                         f"才适用的条款涉及。")
        exclusions = coverage.get("exclusions", {}).get(domain["id"], [])
        if exclusions:
            text.append("; ".join(str(x["text_en"]) for x in exclusions) + ".")
            local.append("；".join(str(x["text_zh"]) for x in exclusions) + "。")
        if missing:
            shown = missing[:_GAPS_SHOWN]
            more = len(missing) - len(shown)
            text.append("Not covered: " + "; ".join(t["label_en"] for t in shown)
                        + (f"; and {more} more." if more else "."))
            local.append("尚无涵盖：" + "；".join(t["label_zh"] or t["label_en"] for t in shown)
                         + (f"等{len(missing)}种。" if more else "。"))
        findings.append(Finding(title=domain["label_en"], title_local=domain["label_zh"],
                                text=" ".join(text), text_local="".join(local)))
    return findings


def kb_gaps_for_event(db: DbSession, event: Event) -> Section:
    """Gaps in the governance record on security risks: risk domain × governance tool cells
    that no instrument (or no binding instrument) in the knowledge base covers."""
    every = knowledge.list_documents(db)
    if not every:
        return Section((), False, "The knowledge base holds no governance texts yet: coverage "
                                  "cannot be assessed until instruments are imported (detente "
                                  "kb import FILE... --manifest manifest.csv).")
    # An illustrative sample (the demo's fictional text) is not an instrument: it neither
    # counts as coverage nor is named as a source.
    documents = [d for d in every if not knowledge.is_illustrative(d.get("extra"))]
    if not documents:
        return Section((), False, "The knowledge base holds only an illustrative sample, not "
                                  "real governance texts: coverage cannot be assessed until "
                                  "instruments are imported (detente kb import FILE... "
                                  "--manifest manifest.csv).")
    # Coverage as it stood on the day of the forum: obligations and prohibitions of the
    # instruments in force then (a revoked order no longer counts; recitals are context).
    coverage = knowledge.coverage_matrix(db, knowledge.load_taxonomy(),
                                         coverage=knowledge.Coverage.default(event.date))
    findings = _gap_findings(coverage)
    if not findings:
        return Section((), False, "The knowledge base records no gap on security risks.")
    titles = tuple(str(d.get("title")) for d in documents[:20])
    return Section(tuple(findings), True, sources=(
        ngettext("detente governance knowledge base: coverage of %(num)d instrument by risk "
                 "domain and governance tool, counting the obligations and prohibitions that "
                 "apply on %(date)s in instruments in force then",
                 "detente governance knowledge base: coverage of %(num)d instruments by risk "
                 "domain and governance tool, counting the obligations and prohibitions that "
                 "apply on %(date)s in instruments in force then", len(documents))
        % {"num": len(documents), "date": event.date.isoformat()},
        *_application_sources(coverage),
        *titles),
        # Every count rests on machine-suggested tags: the chapter says so before its findings.
        intro=knowledge.basis_text(coverage["basis"], "en"),
        intro_local=knowledge.basis_text(coverage["basis"], "zh"))


def kb_not_assessable() -> str:
    """Why no knowledge-base gap can be picked or linked while no instrument could count."""
    return gettext("coverage cannot be assessed until governance instruments are imported "
                   "(detente kb import FILE... --manifest manifest.csv): an illustrative "
                   "sample, such as the demo's, never counts, so no cell is a gap yet")


def kb_gap_label(db: DbSession, reference: str) -> str:
    """A knowledge-base gap ``DOMAIN×TOOL`` (or ``DOMAIN:TOOL``) with its coverage status."""
    domain_id, sep, tool_id = reference.replace("×", ":").partition(":")
    if not sep:
        raise InputError(gettext("use DOMAIN:TOOL, e.g. biological:testing-evaluation"),
                         location="reference")
    if not knowledge.coverage_assessable(db):
        # No instrument could count as coverage: a cell is neither covered nor a gap.
        raise InputError(kb_not_assessable(), location="reference")
    coverage = knowledge.coverage_matrix(db, knowledge.load_taxonomy())
    for domain, row in zip(coverage["domains"], coverage["matrix"], strict=True):
        for cell in row:
            if domain["id"] == domain_id and cell["tool"] == tool_id:
                tool = next(t for t in coverage["tools"] if t["id"] == tool_id)
                return f"{domain['label_en']} × {tool['label_en']}: {cell['status']}"
    raise NotFoundError(gettext("the taxonomy has no cell %(cell)r") % {"cell": reference})


def kb_document_label(db: DbSession, reference: str) -> str:
    """The title of a knowledge-base document (id, file name or hash prefix)."""
    return str(knowledge.get_document(db, reference).title)


def kb_gap_choices(db: DbSession) -> tuple[ChoiceGroup, ...]:
    """The cells of the coverage matrix that no binding instrument covers, by risk domain
    (security domains first): ``DOMAIN:TOOL`` with the tool's name and its coverage."""
    if not knowledge.coverage_assessable(db):
        return ()
    coverage = knowledge.coverage_matrix(db, knowledge.load_taxonomy())
    tools = {t["id"]: t for t in coverage["tools"]}
    status = {"gap": ("no instrument", "尚无文书涵盖"),
              "non-binding only": ("non-binding instruments only", "仅有不具约束力的文书")}
    groups = []
    for domain, row in zip(coverage["domains"], coverage["matrix"], strict=True):
        choices = []
        for cell in row:
            if cell["status"] not in status:
                continue
            tool = tools[cell["tool"]]
            en, zh = status[cell["status"]]
            choices.append(Choice(f"{domain['id']}:{tool['id']}",
                                  f"{tool['label_en']} ({en})",
                                  f"{tool['label_zh']}（{zh}）" if tool.get("label_zh")
                                  else None))
        if choices:
            groups.append(ChoiceGroup(domain["label_en"], domain.get("label_zh"),
                                      tuple(choices)))
    groups.sort(key=lambda g: g.choices[0].reference.split(":")[0] not in SECURITY_DOMAINS)
    return tuple(groups)


def kb_document_choices(db: DbSession) -> tuple[ChoiceGroup, ...]:
    """The documents of the knowledge base, newest first, by title (and date)."""
    choices = []
    for document in knowledge.list_documents(db):
        title = str(document["title"])
        extra = document.get("extra") or {}
        title_zh = extra.get("title_zh") if isinstance(extra, dict) else None
        day = document.get("date")
        choices.append(Choice(str(document["id"]), f"{title} ({day})" if day else title,
                              (f"{title_zh}（{day}）" if day else str(title_zh))
                              if title_zh else None))
    if not choices:
        return ()
    return (ChoiceGroup("Knowledge-base documents", "知识库文件", tuple(choices)),)
