"""Evidence links of proposals: the kinds, and how each kind's reference is checked.

A link is ``(kind, reference, note)``. Every kind's reference is checked when the link is
added: forum sessions against the forum records, URLs by their form, and kinds that point into
another capability (deliberations, state positions, the knowledge base) through that
capability's public service functions (see :mod:`detente.reports._sources`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from sqlalchemy.orm import Session as DbSession

from detente.errors import InputError, NotFoundError
from detente.forum import get_event, list_events
from detente.i18n import gettext as _
from detente.knowledge import coverage_assessable

from ._sources import (
    Choice,
    ChoiceGroup,
    consensus_statement_label,
    deliberation_label,
    kb_document_choices,
    kb_document_label,
    kb_gap_choices,
    kb_gap_label,
    kb_not_assessable,
    state_finding_choices,
    state_finding_label,
)

__all__ = ["EVIDENCE_KINDS", "Choice", "ChoiceGroup", "EvidenceKind", "LinkCheck",
           "check_link", "evidence_choices", "evidence_unavailable"]


@dataclass(frozen=True)
class EvidenceKind:
    """A kind of evidence: its name, what its reference looks like and which capability."""

    name: str
    label: str
    reference_help: str
    capability: str | None


EVIDENCE_KINDS: dict[str, EvidenceKind] = {
    kind.name: kind
    for kind in (
        EvidenceKind("deliberation", "Deliberation", "deliberation id, e.g. 3", "deliberation"),
        EvidenceKind("consensus_statement", "Consensus statement of a deliberation",
                     "DELIBERATION:STATEMENT, e.g. 3:17", "deliberation"),
        EvidenceKind("state_finding", "State-position finding",
                     "finding id of the state-position analysis", "states"),
        EvidenceKind("kb_gap", "Knowledge-base gap", "gap id in the knowledge base", "knowledge"),
        EvidenceKind("kb_document", "Knowledge-base document",
                     "document id in the knowledge base", "knowledge"),
        EvidenceKind("session", "Forum session", "EVENT#POSITION, e.g. my-forum#2", None),
        EvidenceKind("url", "Published source", "an http(s) URL", None),
    )
}


@dataclass(frozen=True)
class LinkCheck:
    """The outcome of checking a link: a readable label of its target (None for a URL)."""

    label: str | None


def _check_session(db: DbSession, reference: str) -> LinkCheck:
    slug, sep, position = reference.partition("#")
    if not sep or not position.isdigit():
        raise InputError(_("use EVENT#POSITION, e.g. my-forum#2"), location="reference")
    event = get_event(db, slug)
    for session in event.sessions:
        if session.position == int(position):
            return LinkCheck(f"{event.title}, session {position}: {session.title}")
    raise NotFoundError(_("event %(event)r has no session %(position)s")
                        % {"event": slug, "position": position})


def _check_url(_db: DbSession, reference: str) -> LinkCheck:
    parsed = urlparse(reference)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise InputError(_("use an address that starts with http:// or https://"),
                         location="reference")
    return LinkCheck(None)


def _checked(label: Callable[[DbSession, str], str]) -> Callable[[DbSession, str], LinkCheck]:
    def check(db: DbSession, reference: str) -> LinkCheck:
        return LinkCheck(label(db, reference))

    return check


#: How each kind's reference is checked; each checker raises InputError or NotFoundError.
_CHECKERS: dict[str, Callable[[DbSession, str], LinkCheck]] = {
    "deliberation": _checked(deliberation_label),
    "consensus_statement": _checked(consensus_statement_label),
    "state_finding": _checked(state_finding_label),
    "kb_gap": _checked(kb_gap_label),
    "kb_document": _checked(kb_document_label),
    "session": _check_session,
    "url": _check_url,
}


def _session_choices(db: DbSession) -> tuple[ChoiceGroup, ...]:
    """Every session of every event, grouped by event (newest event first)."""
    groups = []
    for event in list_events(db):
        choices = tuple(
            Choice(f"{event.slug}#{s.position}", f"Session {s.position}: {s.title}",
                   f"第{s.position}单元：{s.title_local}" if s.title_local else None)
            for s in sorted(event.sessions, key=lambda s: s.position))
        if choices:
            groups.append(ChoiceGroup(event.title, event.title_local, choices))
    return tuple(groups)


def evidence_choices(db: DbSession) -> dict[str, tuple[ChoiceGroup, ...]]:
    """What a person can link, per kind whose targets are records (not URLs or the
    deliberations ticked on the proposal form): existing items, in words, grouped; each
    choice's ``reference`` is what :func:`check_link` takes for that kind."""
    return {
        "state_finding": state_finding_choices(db),
        "kb_gap": kb_gap_choices(db),
        "kb_document": kb_document_choices(db),
        "session": _session_choices(db),
    }


def evidence_unavailable(db: DbSession) -> dict[str, str]:
    """Per kind that cannot be linked now for a reason other than an empty list, the reason
    in words: a knowledge-base gap while no instrument could count as coverage."""
    return {} if coverage_assessable(db) else {"kb_gap": kb_not_assessable()}


def check_link(db: DbSession, kind: str, reference: str) -> LinkCheck:
    """Check that ``reference`` names an existing target of ``kind``.

    Raises
    ------
    InputError
        For an unknown kind or a malformed reference.
    NotFoundError
        When the target does not exist.
    """
    if kind not in EVIDENCE_KINDS:
        raise InputError(_("unknown evidence kind %(kind)r; use one of %(choices)s")
                         % {"kind": kind, "choices": ", ".join(EVIDENCE_KINDS)}, location="kind")
    reference = reference.strip()
    if not reference:
        raise InputError(_("choose an item from the list") if kind != "url"
                         else _("write the address of the source"), location="reference")
    return _CHECKERS[kind](db, reference)
