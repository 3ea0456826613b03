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


# The role rules as they were at this revision (detente.knowledge._legal), frozen here so that the
# migration does not depend on the package's later code.
_INHERITED = ("obligation", "prohibition", "definition", "exclusion", "scope")
_INSTRUMENT = r"(?:regulation|directive|order|act|convention|memorandum|law|decision|resolution)"

_EXCLUSION = re.compile(
    r"\b(?:this|the) (?:" + _INSTRUMENT[3:-1] + r"|articles?|chapters?|sections?|titles?)\b"
    r"[^.;]{0,80}?\b(?:shall|does|do|will|should) not apply\b"
    r"|\b(?:this|the) " + _INSTRUMENT + r" (?:shall )?appl(?:y|ies) neither to\b"
    r"|\bexcluded from (?:the |its )?scope\b|\bfalls? outside (?:the |its )?scope\b"
    r"|不适用",
    re.I,
)
#: Savings clauses ("shall not affect", "is without prejudice to"): not a prohibition.
_SAVINGS = re.compile(
    r"^\s*(?:this|the) [^.;]{0,80}?\b(?:shall|does|do|will) not(?:,[^,]{0,40},)? "
    r"(?:affect|prejudice|preclude|impair|limit|alter)\b|^\s*nothing in this\b",
    re.I,
)
_DEFINITION = re.compile(
    r"^\s*(?:\(\w+\)\s*)?[‘'\"“][^’'\"”]{1,120}[’'\"”]\s+(?:means|shall mean|refers to|includes)\b"
    r"|\bthe (?:term|terms|expression) [‘'\"“][^’'\"”]{1,120}[’'\"”] (?:means|has the meaning)\b"
    r"|\bthe following definitions (?:shall )?apply\b|\bfor the purposes of this "
    + _INSTRUMENT
    + r"[^.]{0,40}:\s*$|是指|本(?:办法|规定|法|条例|决定)所称",
    re.I,
)
_DEFINITION_TITLE = re.compile(r"^\s*(?:definitions?|用语含义|定义|术语)\b", re.I)
_SCOPE = re.compile(
    r"^\s*this " + _INSTRUMENT + r" (?:shall )?appl(?:y|ies) to\b|\bshall apply to\b"
    r"|适用于|适用本(?:办法|规定|法|条例)",
    re.I,
)
_SCOPE_TITLE = re.compile(r"^\s*(?:scope|适用范围)", re.I)
_PROHIBITION = re.compile(
    r"\bshall be prohibited\b|\b(?:is|are) (?:hereby )?prohibited\b|\bshall not\b|\bmust not\b"
    r"|\bmay not be (?:used|deployed|placed|developed|put)\b|\bshall refrain from\b"
    r"|\b(?:is|are) not permitted\b"
    r"|\bno (?:person|provider|deployer|one|state|party|ai system) (?:shall|may)\b"
    r"|禁止|不得|严禁",
    re.I,
)
_OBLIGATION = re.compile(
    r"\bshall\b|\bmust\b|\bshould\b|\b(?:is|are) required to\b|\b(?:is|are) (?:hereby )?directed"
    r" to\b|\bundertakes? to\b|\bcommits? to\b"
    r"|^\s*(?:\d+\.\s*)?(?:calls upon|calls on|urges|requests|decides|encourages|recommends"
    r"|invites|demands)\b|应当|必须|(?<![反响回效供])应(?![用对急答])",
    re.I,
)


def provision_role(kind: str, title: str | None, text: str, parent_role: str | None) -> str:
    """The role of a provision from its kind, its own title and text, and its parent's role."""
    if kind in {"recital", "preamble"}:
        return "recital"
    own = text.strip()
    heading = (title or "").strip()
    if not own:
        if _DEFINITION_TITLE.match(heading):
            return "definition"
        return "other"
    if _EXCLUSION.search(own):
        return "exclusion"
    if _DEFINITION.search(own) or (_DEFINITION_TITLE.match(heading) and "mean" in own.lower()):
        return "definition"
    if _SCOPE.search(own) or (_SCOPE_TITLE.match(heading) and parent_role != "exclusion"):
        return "scope"
    if _SAVINGS.search(own):
        return "other"
    if _PROHIBITION.search(own):
        return "prohibition"
    if _OBLIGATION.search(own):
        return "obligation"
    if kind == "point" and parent_role in _INHERITED:
        return parent_role
    if _DEFINITION_TITLE.match(heading):
        return "definition"
    return "other"



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
