"""Drafting a proposal from a deliberation's consensus statements, in one step."""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from detente.errors import InputError
from detente.i18n import gettext as _
from detente.store.models.auth import User
from detente.store.models.forum import Session
from detente.store.models.publications import Proposal

from ._proposals import add_evidence, create_proposal
from ._sources import deliberation_summary

__all__ = ["draft_from_deliberation"]


def _share(value: float) -> str:
    return f"{round(100 * value)}%"


def draft_from_deliberation(db: DbSession, deliberation_id: int, *,
                            user: User | None = None) -> Proposal:
    """A draft proposal whose text lists the deliberation's consensus statements.

    The draft belongs to the deliberation's session and event, takes the session's themes and
    links the deliberation and each consensus statement as evidence. Organizers then rewrite
    it in their own words.

    Raises
    ------
    InputError
        When the deliberation has no consensus statements (yet).
    NotFoundError
        When there is no such deliberation.
    """
    summary = deliberation_summary(db, deliberation_id)
    if not summary.consensus:
        raise InputError(_("deliberation %(id)s has no consensus statements yet")
                         % {"id": deliberation_id})
    session = None
    if summary.session_position is not None:
        from detente.deliberation import get_deliberation

        session = db.get(Session, get_deliberation(db, deliberation_id).session_id)
    if session is None:
        raise InputError(_("deliberation %(id)s is not held in a forum session")
                         % {"id": deliberation_id})
    agreed = [c for c in summary.consensus if c.direction != "disagree"]
    rejected = [c for c in summary.consensus if c.direction == "disagree"]
    text = [f"Across the opinion groups of the deliberation “{summary.question}”, "
            "participants agreed that:"]
    text += [f"- {c.text} ({_share(c.agree)} agree)" for c in agreed]
    if rejected:
        text.append("They broadly rejected that:")
        text += [f"- {c.text} ({_share(c.disagree)} disagree)" for c in rejected]
    local = None
    if summary.question_local:
        local = [f"在“{summary.question_local}”的审议中，各观点群组的参与者一致认为："]
        local += [f"- {c.text_local or c.text}（{_share(c.agree)} 同意）" for c in agreed]
        if rejected:
            local.append("参与者普遍不同意：")
            local += [f"- {c.text_local or c.text}（{_share(c.disagree)} 不同意）"
                      for c in rejected]
    proposal = create_proposal(
        db, session.event,
        title=f"Draft from the deliberation: {summary.question}"[:300],
        title_local=f"审议草案：{summary.question_local}"[:300] if summary.question_local
        else None,
        text="\n".join(text[:1]) + "\n\n" + "\n".join(text[1:]),
        text_local=("\n".join(local[:1]) + "\n\n" + "\n".join(local[1:])) if local else None,
        session_position=session.position, themes=[t.slug for t in session.themes],
        user=user,
    )
    add_evidence(db, proposal, "deliberation", str(deliberation_id),
                 "consensus statements drafted from", user=user)
    for line in summary.consensus:
        add_evidence(db, proposal, "consensus_statement", f"{deliberation_id}:{line.id}",
                     f"{_share(line.agree)} agree, {_share(line.disagree)} disagree", user=user)
    return proposal
