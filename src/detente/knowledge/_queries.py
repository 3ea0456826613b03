"""Read-side queries: documents with provision counts, a document's provisions with tags."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from detente.errors import NotFoundError
from detente.i18n import gettext as _
from detente.knowledge._legal import in_force_on, status_on
from detente.store.models.knowledge import KbDocument, KbProvision

__all__ = ["document_json", "get_document", "list_documents", "provision_json"]


def list_documents(
    session: Session,
    *,
    issuer: str | None = None,
    kind: str | None = None,
    binding: bool | None = None,
) -> list[dict[str, Any]]:
    """Documents (newest first) with their provision counts, optionally filtered."""
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
        needle = f"%{issuer.lower()}%"
        statement = statement.where(
            func.lower(KbDocument.issuer).like(needle)
            | func.lower(KbDocument.jurisdiction).like(needle)
        )
    if kind:
        statement = statement.where(KbDocument.kind == kind)
    if binding is not None:
        statement = statement.where(KbDocument.binding.is_(binding))
    return [{**_meta(d), "provisions": int(n)} for d, n in session.execute(statement).all()]


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
        "status": d.status or "unknown",
        "status_date": d.status_date.isoformat() if d.status_date else None,
        "status_by": d.status_by,
        "status_on_date": status_on(d.status, d.status_date, d.date, date.today()),
        "in_force": in_force_on(d.status, d.status_date, d.date, date.today()),
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
