"""The register of governance proposals: create, edit, move through statuses, link evidence.

Every change made by an organizer is written to the audit log by the caller-supplied user (the
web app and the CLI both pass one where they have it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from detente.accounts import audit
from detente.errors import ConflictError, InputError, NotFoundError
from detente.forum import Guard, Text, attribution_guard
from detente.i18n import gettext as _
from detente.inputs import text_field
from detente.store.models.auth import User
from detente.store.models.forum import Event, Theme
from detente.store.models.publications import Proposal, ProposalEvidence, ProposalStatus

from ._evidence import check_link

__all__ = [
    "PUBLIC_STATUSES",
    "add_evidence",
    "create_proposal",
    "get_proposal",
    "list_proposals",
    "parse_status",
    "proposal_texts",
    "public_proposals",
    "remove_evidence",
    "update_proposal",
]

#: Statuses shown to the public (news items, public pages); drafts are for organizers.
PUBLIC_STATUSES = (ProposalStatus.ENDORSED, ProposalStatus.PUBLISHED, ProposalStatus.TAKEN_UP)
_TITLE_MAX = 300


def parse_status(value: str) -> ProposalStatus:
    """A status from its name (``draft``, ``endorsed``, ``published``, ``taken_up``)."""
    try:
        return ProposalStatus(value.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError as exc:
        raise InputError(_("unknown status %(value)r; use one of %(choices)s")
                         % {"value": value, "choices": ", ".join(s.value for s in ProposalStatus)},
                         location="status") from exc


def proposal_texts(proposal: Proposal | None, key: str | int | None = None,
                   **values: str | None) -> list[Text]:
    """The texts of a proposal (or the given ``values`` of title, text, title_local,
    text_local) as the attribution policy checks them."""
    key = key if key is not None else (proposal.id if proposal is not None else "new")
    texts = []
    for name, field, language in (("title", "title", "en"), ("text", "text", "en"),
                                  ("title_local", "title", "zh"), ("text_local", "text", "zh")):
        value = values[name] if name in values else getattr(proposal, name, None)
        texts.append(Text(f"proposal:{key}:{name}", field, value, language))
    return texts


def _is_shown(guard: Guard, proposal: Proposal) -> bool:
    return all(guard.allows(t) for t in proposal_texts(proposal))


def public_proposals(db: DbSession, event: Event | None = None) -> list[Proposal]:
    """Proposals a visitor may see: public statuses, and no text held under the Chatham House
    rule."""
    guards: dict[int, Guard] = {}
    shown = []
    for proposal in list_proposals(db, event, statuses=PUBLIC_STATUSES):
        guard = guards.setdefault(proposal.event_id, attribution_guard(db, proposal.event))
        if _is_shown(guard, proposal):
            shown.append(proposal)
    return shown


def _themes(db: DbSession, slugs: Iterable[str]) -> list[Theme]:
    wanted = [s.strip() for s in slugs if s and s.strip()]
    if not wanted:
        return []
    found = {t.slug: t for t in db.scalars(select(Theme).where(Theme.slug.in_(wanted)))}
    missing = [s for s in wanted if s not in found]
    if missing:
        raise InputError(_("unknown theme %(theme)s") % {"theme": repr(missing[0])},
                         location="themes")
    return [found[s] for s in dict.fromkeys(wanted)]


def _session_id(event: Event, position: int | None) -> int | None:
    if not position:
        return None
    for session in event.sessions:
        if session.position == position:
            return session.id
    raise InputError(_("the event has no session %(num)d") % {"num": position},
                     location="session")


def create_proposal(
    db: DbSession,
    event: Event,
    *,
    title: str,
    text: str,
    title_local: str | None = None,
    text_local: str | None = None,
    session_position: int | None = None,
    themes: Sequence[str] = (),
    status: ProposalStatus | str = ProposalStatus.DRAFT,
    illustrative: bool = False,
    user: User | None = None,
    override_reason: str | None = None,
) -> Proposal:
    """Add a proposal to ``event``'s register.

    A proposal with a public status is checked under the event's attribution policy first; a
    held text is refused unless ``override_reason`` says why it may be published (audited).
    Drafts are not public and are not checked until they are made public.

    Raises
    ------
    InputError
        For an empty title or text, an unknown theme, session or status.
    AttributionHeld
        For a public proposal whose text attributes a view to a participant, without
        ``override_reason``. Nothing is written then.
    """
    values = {
        "title": text_field(title, "title", required=True, limit=_TITLE_MAX),
        "title_local": text_field(title_local, "title_local", required=False, limit=_TITLE_MAX),
        "text": text_field(text, "text", required=True),
        "text_local": text_field(text_local, "text_local", required=False),
    }
    chosen = parse_status(status) if isinstance(status, str) else status
    session_id = _session_id(event, session_position)
    theme_rows = _themes(db, themes)
    guard = attribution_guard(db, event)
    held = guard.enforce(proposal_texts(None, **values), reason=override_reason, user=user,
                         record=False) if chosen in PUBLIC_STATUSES else []
    proposal = Proposal(event_id=event.id, session_id=session_id, status=chosen,
                        illustrative=illustrative, themes=theme_rows, **values)
    db.add(proposal)
    db.flush()
    for hold in held:
        guard.override(hold, override_reason or "", user,
                       target=hold.target.replace(":new:", f":{proposal.id}:"))
    audit(db, user, "proposal.create", f"proposal:{proposal.id}", proposal.title)
    return proposal


def update_proposal(
    db: DbSession,
    proposal: Proposal,
    *,
    title: str | None = None,
    text: str | None = None,
    title_local: str | None = None,
    text_local: str | None = None,
    session_position: int | None = None,
    themes: Sequence[str] | None = None,
    status: ProposalStatus | str | None = None,
    user: User | None = None,
    override_reason: str | None = None,
) -> Proposal:
    """Change the fields given (None leaves a field alone; "" clears an optional one).

    When the proposal is public after the change, its texts are checked under the event's
    attribution policy first (see :func:`create_proposal`).

    Raises
    ------
    AttributionHeld
        For a public proposal whose text attributes a view to a participant, without
        ``override_reason``. Nothing is changed then.
    """
    values: dict[str, str | None] = {}
    if title is not None:
        values["title"] = text_field(title, "title", required=True, limit=_TITLE_MAX)
    if text is not None:
        values["text"] = text_field(text, "text", required=True)
    if title_local is not None:
        values["title_local"] = text_field(title_local, "title_local", required=False,
                                      limit=_TITLE_MAX)
    if text_local is not None:
        values["text_local"] = text_field(text_local, "text_local", required=False)
    session_id = _session_id(proposal.event, session_position) if session_position else None
    theme_rows = _themes(db, themes) if themes is not None else None
    new_status = (parse_status(status) if isinstance(status, str) else status) \
        if status is not None else proposal.status
    if new_status in PUBLIC_STATUSES:
        attribution_guard(db, proposal.event).enforce(
            proposal_texts(proposal, **values), reason=override_reason, user=user)
    changed: list[str] = []
    for name, value in values.items():
        setattr(proposal, name, value)
        changed.append(name)
    if session_position is not None:
        proposal.session_id = session_id
        changed.append("session")
    if theme_rows is not None:
        proposal.themes = theme_rows
        changed.append("themes")
    if new_status != proposal.status:
        changed.append(f"status {proposal.status.value}->{new_status.value}")
        proposal.status = new_status
    db.flush()
    if changed:
        audit(db, user, "proposal.update", f"proposal:{proposal.id}", ", ".join(changed))
    return proposal


def get_proposal(db: DbSession, proposal_id: int) -> Proposal:
    """A proposal by id, with its themes and evidence loaded."""
    proposal = db.scalar(
        select(Proposal).options(selectinload(Proposal.themes), selectinload(Proposal.evidence),
                                 selectinload(Proposal.session))
        .where(Proposal.id == proposal_id))
    if proposal is None:
        raise NotFoundError(_("no proposal %(id)s") % {"id": proposal_id})
    return proposal


def list_proposals(db: DbSession, event: Event | None = None, *,
                   statuses: Sequence[ProposalStatus] | None = None) -> list[Proposal]:
    """Proposals (of one event, with the given statuses), in the order they were made."""
    query = select(Proposal).options(selectinload(Proposal.themes),
                                     selectinload(Proposal.evidence),
                                     selectinload(Proposal.session),
                                     selectinload(Proposal.event))
    if event is not None:
        query = query.where(Proposal.event_id == event.id)
    if statuses is not None:
        query = query.where(Proposal.status.in_(list(statuses)))
    return list(db.scalars(query.order_by(Proposal.event_id, Proposal.id)))


def add_evidence(db: DbSession, proposal: Proposal, kind: str, reference: str,
                 note: str | None = None, *, user: User | None = None) -> ProposalEvidence:
    """Link ``proposal`` to a piece of evidence, checked against its target where possible.

    Raises
    ------
    InputError
        For an unknown kind or a malformed reference.
    NotFoundError
        When the target's capability is installed and has no such record.
    ConflictError
        When the proposal already links to this target.
    """
    check = check_link(db, kind, reference)
    reference = reference.strip()
    if any(e.kind == kind and e.reference == reference for e in proposal.evidence):
        raise ConflictError(_("proposal %(id)s already links %(kind)s %(reference)s")
                            % {"id": proposal.id, "kind": kind, "reference": reference})
    position = db.scalar(select(func.coalesce(func.max(ProposalEvidence.position), 0))
                         .where(ProposalEvidence.proposal_id == proposal.id)) or 0
    link = ProposalEvidence(kind=kind, reference=reference, label=check.label,
                            note=text_field(note, "note", required=False), position=position + 1)
    proposal.evidence.append(link)
    db.flush()
    audit(db, user, "proposal.evidence.add", f"proposal:{proposal.id}",
          f"{kind} {reference}")
    return link


def remove_evidence(db: DbSession, proposal: Proposal, evidence_id: int, *,
                    user: User | None = None) -> None:
    """Remove one evidence link from ``proposal``."""
    for link in proposal.evidence:
        if link.id == evidence_id:
            proposal.evidence.remove(link)
            db.flush()
            audit(db, user, "proposal.evidence.remove", f"proposal:{proposal.id}",
                  f"{link.kind} {link.reference}")
            return
    raise NotFoundError(_("proposal %(id)s has no evidence link %(link)s")
                        % {"id": proposal.id, "link": evidence_id})
