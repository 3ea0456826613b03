"""Legal effect: the role of each provision and the status of each instrument over time.

Adds ``kb_provisions.role`` (recital, definition, scope, exclusion, obligation, prohibition,
other) and ``kb_documents.status``, ``status_date`` and ``status_by``. Existing rows are filled
in: statuses from the manifest columns that earlier imports kept in ``extra``, roles by reading
each provision's wording in document order (a point without wording of its own takes its
paragraph's role) with the rules of ``detente.knowledge._legal`` as they were at this revision.

Revision ID: knowledge_0002
Revises: knowledge_0001
"""

import re
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "knowledge_0002"
down_revision = "knowledge_0001"
branch_labels = None
depends_on = None


def _status(value: object) -> str | None:
    status = re.sub(r"[\s-]+", "_", str(value or "").strip().lower())
    return status if status in {"in_force", "revoked", "superseded", "draft", "unknown"} else None


def _date(value: object) -> date | None:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(value or "").strip())
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return None


def upgrade() -> None:
    op.add_column("kb_documents", sa.Column("status", sa.String(20), nullable=True))
    op.add_column("kb_documents", sa.Column("status_date", sa.Date(), nullable=True))
    op.add_column("kb_documents", sa.Column("status_by", sa.String(500), nullable=True))
    op.add_column(
        "kb_provisions",
        sa.Column("role", sa.String(20), nullable=False, server_default="other"),
    )
    op.create_index("ix_kb_provisions_role", "kb_provisions", ["role"])
    bind = op.get_bind()
    documents = sa.table(
        "kb_documents",
        sa.column("id", sa.Integer),
        sa.column("extra", sa.JSON),
        sa.column("status", sa.String),
        sa.column("status_date", sa.Date),
        sa.column("status_by", sa.String),
    )
    for doc_id, extra in bind.execute(sa.select(documents.c.id, documents.c.extra)).all():
        extra = dict(extra or {})
        values = {
            "status": _status(extra.pop("status", None)),
            "status_date": _date(extra.pop("status_date", None)),
            "status_by": (str(extra.pop("status_by", "") or "").strip() or None),
            "extra": extra,
        }
        bind.execute(documents.update().where(documents.c.id == doc_id).values(**values))
    from detente.knowledge._legal import provision_role

    provisions = sa.table(
        "kb_provisions",
        sa.column("id", sa.Integer),
        sa.column("document_id", sa.Integer),
        sa.column("parent_id", sa.Integer),
        sa.column("position", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("title", sa.String),
        sa.column("text", sa.Text),
        sa.column("role", sa.String),
    )
    roles: dict[int, str] = {}
    updates = []
    rows = bind.execute(
        sa.select(
            provisions.c.id, provisions.c.parent_id, provisions.c.kind, provisions.c.title,
            provisions.c.text,
        ).order_by(provisions.c.document_id, provisions.c.position)
    )
    for pid, parent, kind, title, text in rows:
        roles[pid] = provision_role(kind, title, text or "", roles.get(parent) if parent else None)
        if roles[pid] != "other":
            updates.append({"pid": pid, "role": roles[pid]})
    if updates:
        bind.execute(
            provisions.update()
            .where(provisions.c.id == sa.bindparam("pid"))
            .values(role=sa.bindparam("role")),
            updates,
        )


def downgrade() -> None:
    op.drop_index("ix_kb_provisions_role", table_name="kb_provisions")
    with op.batch_alter_table("kb_provisions") as batch:
        batch.drop_column("role")
    with op.batch_alter_table("kb_documents") as batch:
        batch.drop_column("status_by")
        batch.drop_column("status_date")
        batch.drop_column("status")
