"""Evidence links of proposals: the kinds, and how each kind's reference is checked.

A link is ``(kind, reference, note)``. Kinds whose targets live in this repository's forum
records (``session``) or need no look-up (``url``) are always checked; kinds that point into
another capability (deliberations, state positions, the knowledge base) are checked through
that capability's public service functions when it is installed, and accepted as given (marked
unverified) when it is not.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from sqlalchemy.orm import Session as DbSession

from detente.errors import InputError, NotFoundError
from detente.forum import get_event

__all__ = ["EVIDENCE_KINDS", "EvidenceKind", "LinkCheck", "check_link"]


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
    """The outcome of checking a link: a readable label, and whether the target was found."""

    label: str | None
    verified: bool


def _check_session(db: DbSession, reference: str) -> LinkCheck:
    slug, sep, position = reference.partition("#")
    if not sep or not position.isdigit():
        raise InputError("use EVENT#POSITION, e.g. my-forum#2", location="reference")
    event = get_event(db, slug)
    for session in event.sessions:
        if session.position == int(position):
            return LinkCheck(f"{event.title}, session {position}: {session.title}", True)
    raise NotFoundError(f"event {slug!r} has no session {position}")


def _check_url(_db: DbSession, reference: str) -> LinkCheck:
    parsed = urlparse(reference)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise InputError("use an http:// or https:// URL", location="reference")
    return LinkCheck(None, True)


#: Checkers of other capabilities, found at run time: kind -> (module, function name).
#: The function takes ``(db, reference)`` and returns a label, raising NotFoundError.
_CAPABILITY_CHECKERS: dict[str, tuple[str, str]] = {
    "deliberation": ("detente.reports._sources", "deliberation_label"),
    "consensus_statement": ("detente.reports._sources", "consensus_statement_label"),
    "state_finding": ("detente.reports._sources", "state_finding_label"),
    "kb_gap": ("detente.reports._sources", "kb_gap_label"),
    "kb_document": ("detente.reports._sources", "kb_document_label"),
}

_LOCAL_CHECKERS: dict[str, Callable[[DbSession, str], LinkCheck]] = {
    "session": _check_session,
    "url": _check_url,
}


def check_link(db: DbSession, kind: str, reference: str) -> LinkCheck:
    """Check that ``reference`` names an existing target of ``kind``.

    Raises
    ------
    InputError
        For an unknown kind or a malformed reference.
    NotFoundError
        When the target capability is installed and has no such record.
    """
    if kind not in EVIDENCE_KINDS:
        raise InputError(f"unknown evidence kind {kind!r}; use one of "
                         f"{', '.join(EVIDENCE_KINDS)}", location="kind")
    reference = reference.strip()
    if not reference:
        raise InputError("the reference is empty", location="reference")
    if kind in _LOCAL_CHECKERS:
        return _LOCAL_CHECKERS[kind](db, reference)
    module_name, function_name = _CAPABILITY_CHECKERS[kind]
    checker = getattr(importlib.import_module(module_name), function_name)
    label = checker(db, reference)
    if label is None:  # the capability is not installed: keep the link, unverified
        return LinkCheck(None, False)
    return LinkCheck(label, True)
