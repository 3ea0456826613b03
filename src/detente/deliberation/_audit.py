"""Audit entries of deliberations in words, for organizers, in the current language.

The audit log keeps terse records (``deliberation.seed``, ``deliberation:3``, ``4 statements``);
the pages say what happened: "Added 4 statements to the deliberation “…”".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session as DbSession

from detente import i18n
from detente.store.models.auth import AuditEntry
from detente.store.models.deliberation import Deliberation, DeliberationStatement

__all__ = ["AuditLine", "audit_line", "describe_deliberation_entry", "short_quote"]

#: Quoted record texts are cut to this many characters.
QUOTE_LIMIT = 80


@dataclass(frozen=True)
class AuditLine:
    """One audit entry as organizers read it."""

    at: datetime
    user: str | None
    text: str


def short_quote(text: str | None, limit: int = QUOTE_LIMIT) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    cleaned = " ".join((text or "").split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"


def _number(detail: str | None) -> int:
    found = re.match(r"\s*(\d+)", detail or "")
    return int(found.group(1)) if found else 0


def _record_id(target: str) -> int | None:
    _kind, _sep, key = target.partition(":")
    return int(key) if key.isdigit() else None


def describe_deliberation_entry(db: DbSession, entry: AuditEntry) -> str | None:
    """``entry`` in words when it is about a deliberation or one of its statements (``None``
    for other entries)."""
    _ = i18n.gettext
    kind = entry.action.partition(".")[0]
    key = _record_id(entry.target)
    if kind == "deliberation":
        record = db.get(Deliberation, key) if key is not None else None
        question = short_quote(i18n.pick(record.question, record.question_local) if record
                         else entry.detail)
        count = _number(entry.detail)
        texts = {
            "deliberation.create": _("Created the deliberation “%(q)s”") % {"q": question},
            "deliberation.close": _("Closed the deliberation “%(q)s”") % {"q": question},
            "deliberation.open": _("Opened the deliberation “%(q)s”") % {"q": question},
            "deliberation.draft": _("Set the deliberation “%(q)s” back to draft")
            % {"q": question},
            "deliberation.seed": i18n.ngettext(
                "Added %(n)d statement to the deliberation “%(q)s”",
                "Added %(n)d statements to the deliberation “%(q)s”", count)
            % {"n": count, "q": question},
            "deliberation.invite": i18n.ngettext(
                "Created %(n)d invitation to the deliberation “%(q)s”",
                "Created %(n)d invitations to the deliberation “%(q)s”", count)
            % {"n": count, "q": question},
        }
        return texts.get(entry.action)
    if kind == "statement":
        statement = db.get(DeliberationStatement, key) if key is not None else None
        if statement is None:
            return None
        text = short_quote(i18n.pick(statement.text, statement.text_local))
        texts = {
            "statement.accepted": _("Accepted the statement “%(s)s”"),
            "statement.rejected": _("Rejected the statement “%(s)s”"),
            "statement.pending": _("Returned the statement “%(s)s” to moderation"),
        }
        found = texts.get(entry.action)
        return found % {"s": text} if found else None
    return None


def audit_line(entry: AuditEntry, text: str | None) -> AuditLine:
    """``entry`` with its text in words (``text``), or its raw record where there is none."""
    raw = " ".join(part for part in (entry.action, entry.detail) if part)
    return AuditLine(at=entry.at, user=entry.user.username if entry.user else None,
                     text=text or raw)
