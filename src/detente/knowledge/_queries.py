"""Read-side queries: documents with provision counts, a document's provisions with tags."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, selectinload

from detente.errors import InputError, NotFoundError
from detente.i18n import gettext as _
from detente.knowledge._legal import in_force_on, is_illustrative, status_on
from detente.knowledge._metadata import issuer_needles
from detente.store.models.knowledge import KbDocument, KbProvision

__all__ = [
    "STATUS_FILTERS",
    "document_json",
    "document_status",
    "documents_with_status",
    "get_document",
    "issuer_filter",
    "list_documents",
    "provision_json",
    "status_filter",
    "status_group",
]

#: Status filters of the document list and of search: instruments in force today, those no
#: longer or not yet in force (revoked, superseded, a draft, not yet in force), and those whose
#: status is not established (illustrative samples included).
STATUS_FILTERS = ("in_force", "not_in_force", "unknown")


def status_filter(status: str | None, location: str = "status") -> str | None:
    """``status`` as a filter (None for none), or an input error naming ``location`` (the
    field or option) and the choices."""
    if status and status not in STATUS_FILTERS:
        raise InputError(
            _("unknown status %(status)r: use %(choices)s")
            % {"status": status, "choices": ", ".join(STATUS_FILTERS)},
            location=location,
        )
    return status or None


def document_status(document: KbDocument, on: date | None = None) -> dict[str, Any]:
    """An instrument's status as pages and JSON show it, on ``on`` (today by default):
    ``status`` (as recorded), ``status_on_date`` ('in_force', 'revoked', 'superseded',
    'draft', 'not_yet_in_force', 'unknown', or 'illustrative' for a sample that is not an
    instrument), ``status_date``, ``status_by`` and ``in_force``."""
    on = on or date.today()
    illustrative = is_illustrative(document.extra)
    return {
        "status": document.status or "unknown",
        "status_date": document.status_date.isoformat() if document.status_date else None,
        "status_by": document.status_by,
        "status_on_date": "illustrative"
        if illustrative
        else status_on(document.status, document.status_date, document.date, on),
        "in_force": not illustrative
        and in_force_on(document.status, document.status_date, document.date, on),
        "illustrative": illustrative,
    }


def status_group(status_on_date: str) -> str:
    """The status filter (:data:`STATUS_FILTERS`) a status on a date falls under."""
    if status_on_date == "in_force":
        return "in_force"
    if status_on_date in {"unknown", "illustrative"}:
        return "unknown"
    return "not_in_force"


def documents_with_status(session: Session, status: str, on: date | None = None) -> set[int]:
    """The ids of the documents whose status on ``on`` (today) falls under ``status``.

    Raises
    ------
    InputError
        When ``status`` is not one of :data:`STATUS_FILTERS`.
    """
    status_filter(status)
    return {
        d.id
        for d in session.scalars(select(KbDocument))
        if status_group(str(document_status(d, on)["status_on_date"])) == status
    }


def issuer_filter(issuer: str) -> ColumnElement[bool]:
    """Documents whose issuer or jurisdiction holds ``issuer`` (case-insensitive), or its name
    in the other language (美国 finds "United States")."""
    return or_(
        *(
            clause
            for needle in issuer_needles(issuer)
            for clause in (
                func.lower(KbDocument.issuer).like(f"%{needle}%"),
                func.lower(KbDocument.jurisdiction).like(f"%{needle}%"),
            )
        )
    )


def list_documents(
    session: Session,
    *,
    issuer: str | None = None,
    kind: str | None = None,
    binding: bool | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Documents (newest first) with their provision counts, optionally filtered (``status``:
    one of :data:`STATUS_FILTERS`, on today's date).

    Raises
    ------
    InputError
        When ``status`` is not one of :data:`STATUS_FILTERS`.
    """
    status = status_filter(status)
    counts = (
        select(KbProvision.document_id, func.count().label("n"))
        .group_by(KbProvision.document_id)
        .subquery()
    )
    statement = (
        select(KbDocument, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.document_id == KbDocument.id)
        .order_by(KbDocument.date.desc(), KbDocument.id)
    )
    if issuer:
        statement = statement.where(issuer_filter(issuer))
    if kind:
        statement = statement.where(KbDocument.kind == kind)
    if binding is not None:
        statement = statement.where(KbDocument.binding.is_(binding))
    rows = [{**_meta(d), "provisions": int(n)} for d, n in session.execute(statement).all()]
    if status:
        rows = [r for r in rows if status_group(str(r["status_on_date"])) == status]
    return rows


def _meta(d: KbDocument) -> dict[str, object]:
    return {
        "id": d.id,
        "title": d.title,
        "issuer": d.issuer,
        "issuer_type": d.issuer_type,
        "jurisdiction": d.jurisdiction,
        "date": d.date.isoformat() if d.date else None,
        "kind": d.kind,
        "kind_inferred": d.kind_inferred,
        "binding": d.binding,
        "binding_inferred": d.binding_inferred,
        "language": d.language,
        "source_url": d.source_url,
        "file": d.file_name,
        "format": d.file_format,
        "extra": d.extra or {},
        **document_status(d),
    }


def get_document(session: Session, ref: str | int) -> KbDocument:
    """A document by id, or by file name or content hash prefix."""
    statement = select(KbDocument).options(
        selectinload(KbDocument.provisions).selectinload(KbProvision.tags)
    )
    text = str(ref)
    if text.isdigit():
        document = session.scalars(statement.where(KbDocument.id == int(text))).first()
    else:
        document = session.scalars(
            statement.where(
                (KbDocument.file_name == text) | KbDocument.content_hash.startswith(text)
            )
        ).first()
    if document is None:
        raise NotFoundError(_("no document %(ref)r") % {"ref": ref})
    return document


def provision_json(p: KbProvision, labels: dict[int, str] | None = None) -> dict[str, object]:
    """A provision as JSON: kind, number, parent (its path), text and tags with evidence."""
    return {
        "id": p.id,
        "position": p.position,
        "kind": p.kind,
        "role": p.role,
        "number": p.number,
        "label": p.label,
        "path": p.path,
        "depth": p.depth,
        "parent": (labels or {}).get(p.parent_id) if p.parent_id else None,
        "parent_id": p.parent_id,
        "title": p.title,
        "text": p.text,
        "tags": [
            {
                "term": t.term,
                "source": t.source,
                "confidence": t.confidence,
                "status": t.status,
                "evidence": t.evidence,
            }
            for t in p.tags
        ],
    }


def document_json(document: KbDocument) -> dict[str, Any]:
    """A document with all its provisions in order."""
    paths = {p.id: p.path for p in document.provisions}
    return {
        **_meta(document),
        "provisions": [provision_json(p, paths) for p in document.provisions],
    }
