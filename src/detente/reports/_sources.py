"""What publications take from the other capabilities, through their public service functions.

Deliberations (:mod:`detente.deliberation`), state positions (:mod:`detente.states`) and the
knowledge base (:mod:`detente.knowledge`) are built separately. Each section function here
returns a :class:`Section` whose ``available`` is False (with a note saying why) when the
capability is not installed or holds nothing for the event, so that a report shows a section
where data exists and says what is missing where it does not.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from sqlalchemy.orm import Session as DbSession

from detente.errors import InputError, NotFoundError
from detente.store.models.forum import Event

from ._charts import group_label

__all__ = [
    "DeliberationSummary",
    "Finding",
    "Section",
    "StatementLine",
    "consensus_statement_label",
    "deliberation_label",
    "deliberation_summary",
    "deliberations_for_event",
    "kb_document_label",
    "kb_gap_label",
    "kb_gaps_for_event",
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


def _capability(name: str, *functions: str) -> ModuleType | None:
    """The capability's package if it is installed and exposes ``functions``."""
    try:
        module = importlib.import_module(f"detente.{name}")
    except ImportError:
        return None
    exported = set(getattr(module, "__all__", ()))
    return module if all(f in exported for f in functions) else None


# --- deliberations ---------------------------------------------------------------------------

_DELIBERATION_API = ("list_deliberations", "get_deliberation", "stored_result", "statements_of",
                     "statement_counts")


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


def _summary(api: ModuleType, db: DbSession, deliberation: Any) -> DeliberationSummary:
    stored = api.stored_result(db, deliberation.id)
    counts = api.statement_counts(db, deliberation.id)
    statements = api.statements_of(db, deliberation.id)
    texts = {str(s.id): s for s in statements}
    result = dict(stored.result) if stored is not None else None
    groups: tuple[tuple[str, int], ...] = ()
    consensus: tuple[StatementLine, ...] = ()
    divisive: tuple[StatementLine, ...] = ()
    if result:
        ids = [g["id"] for g in result.get("groups", [])]
        labels = {str(gid): group_label(i) for i, gid in enumerate(ids)}
        groups = tuple((labels[str(g["id"])], len(g.get("members", [])))
                       for g in result.get("groups", []))
        consensus = _statement_lines(result.get("consensus", []), texts, labels)
        divisive = _statement_lines(result.get("divisive", []), texts, labels)
    session = getattr(deliberation, "session", None)
    return DeliberationSummary(
        id=deliberation.id, question=deliberation.question,
        question_local=deliberation.question_local, description=deliberation.description,
        description_local=deliberation.description_local,
        session_position=session.position if session is not None else None,
        simulated=bool(getattr(deliberation, "is_simulated", False)),
        voters=int(counts.get("voters", 0)), votes=int(counts.get("votes", 0)),
        statements=len(statements), groups=groups, consensus=consensus, divisive=divisive,
        result=result if result and result.get("projection") else None,
    )


def deliberations_for_event(db: DbSession, event: Event) -> Section:
    """The results of the (non-draft) deliberations held in ``event``'s sessions."""
    api = _capability("deliberation", *_DELIBERATION_API)
    if api is None:
        return Section((), False, "The deliberation capability is not installed.")
    session_ids = {s.id for s in event.sessions}
    found = [d for d in api.list_deliberations(db) if d.session_id in session_ids]
    if not found:
        return Section((), False, "No deliberation was held at this event.")
    found.sort(key=lambda d: (d.session.position if d.session else 0, d.id))
    summaries = tuple(_summary(api, db, d) for d in found)
    return Section(summaries, True, sources=tuple(
        f"detente deliberation {s.id}" + (" (simulated votes)" if s.simulated else "")
        for s in summaries))


def deliberation_summary(db: DbSession, deliberation_id: int) -> DeliberationSummary:
    """One deliberation's results.

    Raises
    ------
    InputError
        When the deliberation capability is not installed.
    NotFoundError
        When there is no such deliberation.
    """
    api = _capability("deliberation", *_DELIBERATION_API)
    if api is None:
        raise InputError("the deliberation capability is not installed")
    return _summary(api, db, api.get_deliberation(db, deliberation_id))


def _deliberation_id(reference: str) -> int:
    if not reference.strip().isdigit():
        raise InputError("a deliberation is referred to by its number, e.g. 3",
                         location="reference")
    return int(reference)


def deliberation_label(db: DbSession, reference: str) -> str | None:
    """The question of deliberation ``reference`` (None: capability not installed)."""
    api = _capability("deliberation", *_DELIBERATION_API)
    if api is None:
        return None
    return str(api.get_deliberation(db, _deliberation_id(reference)).question)


def consensus_statement_label(db: DbSession, reference: str) -> str | None:
    """The text of statement ``DELIBERATION:STATEMENT`` (None: capability not installed)."""
    deliberation_ref, sep, statement_ref = reference.partition(":")
    if not sep or not statement_ref.strip().isdigit():
        raise InputError("use DELIBERATION:STATEMENT, e.g. 3:17", location="reference")
    api = _capability("deliberation", *_DELIBERATION_API)
    if api is None:
        return None
    deliberation = api.get_deliberation(db, _deliberation_id(deliberation_ref))
    for statement in api.statements_of(db, deliberation.id):
        if statement.id == int(statement_ref):
            return str(statement.text)
    raise NotFoundError(f"deliberation {deliberation.id} has no accepted statement "
                        f"{statement_ref}")


# --- state positions and the knowledge base --------------------------------------------------

def state_finding_label(db: DbSession, reference: str) -> str | None:
    """The title of a state-position finding (None: capability offers no look-up)."""
    api = _capability("states", "get_finding")
    if api is None:
        return None
    return str(api.get_finding(db, reference).title)


def kb_gap_label(db: DbSession, reference: str) -> str | None:
    """The title of a knowledge-base gap (None: capability offers no look-up)."""
    api = _capability("knowledge", "get_gap")
    if api is None:
        return None
    return str(api.get_gap(db, reference).title)


def kb_document_label(db: DbSession, reference: str) -> str | None:
    """The title of a knowledge-base document (None: capability offers no look-up)."""
    api = _capability("knowledge", "get_document")
    if api is None:
        return None
    return str(api.get_document(db, reference).title)


@dataclass(frozen=True)
class Finding:
    """A state-position finding or a knowledge-base gap, as a report lists it."""

    title: str
    title_local: str | None
    text: str | None
    text_local: str | None
    source: str | None = None


def state_findings_for_event(db: DbSession, event: Event) -> Section:
    """State-position findings relevant to ``event``'s themes (e.g. the AI-topic blocs)."""
    api = _capability("states", "findings_for_themes")
    if api is None:
        return Section((), False, "The state-position capability is not installed.")
    themes = sorted({t.slug for s in event.sessions for t in s.themes})
    items = tuple(api.findings_for_themes(db, themes))
    if not items:
        return Section((), False, "The state-position analysis holds no finding on this "
                                  "event's themes.")
    return Section(items, True, sources=tuple(
        dict.fromkeys(i.source for i in items if getattr(i, "source", None))))


def kb_gaps_for_event(db: DbSession, event: Event) -> Section:
    """Knowledge-base gaps on ``event``'s themes: questions the governance texts leave open."""
    api = _capability("knowledge", "gaps_for_themes")
    if api is None:
        return Section((), False, "The knowledge base is not installed.")
    themes = sorted({t.slug for s in event.sessions for t in s.themes})
    items = tuple(api.gaps_for_themes(db, themes))
    if not items:
        return Section((), False, "The knowledge base records no gap on this event's themes.")
    return Section(items, True, sources=tuple(
        dict.fromkeys(i.source for i in items if getattr(i, "source", None))))
