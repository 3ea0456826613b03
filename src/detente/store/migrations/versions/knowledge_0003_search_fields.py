"""Search fields: a provision's own title and the headings above it are indexed apart.

Adds ``kb_provisions.search_title`` (the provision's own title) and ``search_heading`` (the
titles of the provisions above it, outermost first: "general-purpose ai models … obligations
for providers of general-purpose ai models with systemic risk"), both lower-cased with Chinese
segmented like ``search_text``, fills them in for existing rows, and rebuilds the full-text
indexes with the three fields, so that ranking can weigh a match in a title, in the headings
above a provision and in its own text differently:

- SQLite: the FTS5 table ``kb_provision_fts`` gets the columns (search_text, search_title,
  search_heading), kept in step by triggers;
- PostgreSQL: ``search_vector`` becomes title (weight A) || own text (B) || headings (C).

Revision ID: knowledge_0003
Revises: knowledge_0002
"""

import logging
import re

import sqlalchemy as sa
from alembic import op

revision = "knowledge_0003"
down_revision = "knowledge_0002"
branch_labels = None
depends_on = None


def _vector(column: str, weight: str) -> str:
    return (
        f"setweight(to_tsvector('english'::regconfig, {column}) || "
        f"to_tsvector('simple'::regconfig, {column}), '{weight}')"
    )


#: The PostgreSQL full-text vector: title A, own text (title included) B, headings above C.
PG_TSVECTOR = (
    f"({_vector('search_title', 'A')} || {_vector('search_text', 'B')} || "
    f"{_vector('search_heading', 'C')})"
)
OLD_PG_TSVECTOR = (
    "(to_tsvector('english'::regconfig, search_text) || "
    "to_tsvector('simple'::regconfig, search_text))"
)

_FIELDS = "search_text, search_title, search_heading"
_NEW = "new.search_text, new.search_title, new.search_heading"
_OLD = "old.search_text, old.search_title, old.search_heading"
SQLITE_TRIGGERS = (
    "CREATE TRIGGER kb_provisions_fts_ai AFTER INSERT ON kb_provisions BEGIN"
    f" INSERT INTO kb_provision_fts(rowid, {_FIELDS}) VALUES (new.id, {_NEW}); END",
    "CREATE TRIGGER kb_provisions_fts_ad AFTER DELETE ON kb_provisions BEGIN"
    f" INSERT INTO kb_provision_fts(kb_provision_fts, rowid, {_FIELDS})"
    f" VALUES ('delete', old.id, {_OLD}); END",
    "CREATE TRIGGER kb_provisions_fts_au AFTER UPDATE OF search_text, search_title,"
    " search_heading ON kb_provisions BEGIN"
    f" INSERT INTO kb_provision_fts(kb_provision_fts, rowid, {_FIELDS})"
    f" VALUES ('delete', old.id, {_OLD});"
    f" INSERT INTO kb_provision_fts(rowid, {_FIELDS}) VALUES (new.id, {_NEW}); END",
)
OLD_SQLITE_TRIGGERS = (
    "CREATE TRIGGER kb_provisions_fts_ai AFTER INSERT ON kb_provisions BEGIN"
    " INSERT INTO kb_provision_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER kb_provisions_fts_ad AFTER DELETE ON kb_provisions BEGIN"
    " INSERT INTO kb_provision_fts(kb_provision_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER kb_provisions_fts_au AFTER UPDATE OF search_text ON kb_provisions BEGIN"
    " INSERT INTO kb_provision_fts(kb_provision_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO kb_provision_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
_TRIGGER_NAMES = ("kb_provisions_fts_ai", "kb_provisions_fts_ad", "kb_provisions_fts_au")

# search_text as it is at this revision (detente.knowledge._text), frozen here.
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _search_text(text: str) -> str:
    lowered = text.lower()
    if not _CJK_RUN.search(lowered):
        return lowered
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return _CJK_RUN.sub(
        lambda m: " " + " ".join(w for w in jieba.cut_for_search(m.group()) if w.strip()) + " ",
        lowered,
    )


def _fill() -> None:
    bind = op.get_bind()
    provisions = sa.table(
        "kb_provisions",
        sa.column("id", sa.Integer),
        sa.column("document_id", sa.Integer),
        sa.column("parent_id", sa.Integer),
        sa.column("position", sa.Integer),
        sa.column("title", sa.String),
        sa.column("search_title", sa.Text),
        sa.column("search_heading", sa.Text),
    )
    rows = bind.execute(
        sa.select(provisions.c.id, provisions.c.parent_id, provisions.c.title).order_by(
            provisions.c.document_id, provisions.c.position
        )
    ).all()
    titles = {pid: title or "" for pid, _, title in rows}
    parents = {pid: parent for pid, parent, _ in rows}
    headings: dict[int, str] = {}

    def heading(pid: int) -> str:
        if pid not in headings:
            parent = parents.get(pid)
            above = heading(parent) if parent is not None else ""
            own = titles.get(parent, "") if parent is not None else ""
            headings[pid] = " ".join(x for x in (above, own) if x)
        return headings[pid]

    updates = [
        {"pid": pid, "t": _search_text(titles[pid]), "h": _search_text(heading(pid))}
        for pid, _, _ in rows
    ]
    if updates:
        bind.execute(
            provisions.update()
            .where(provisions.c.id == sa.bindparam("pid"))
            .values(search_title=sa.bindparam("t"), search_heading=sa.bindparam("h")),
            updates,
        )


def _drop_search_index(dialect: str) -> None:
    """Drop the full-text index of either layout (the one each direction rebuilds)."""
    if dialect == "sqlite":
        for trigger in _TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS kb_provision_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_kb_provisions_fts")
        op.execute("ALTER TABLE kb_provisions DROP COLUMN IF EXISTS search_vector")


def upgrade() -> None:
    bind = op.get_bind()
    _drop_search_index(bind.dialect.name)
    op.add_column(
        "kb_provisions", sa.Column("search_title", sa.Text(), nullable=False, server_default="")
    )
    op.add_column(
        "kb_provisions", sa.Column("search_heading", sa.Text(), nullable=False, server_default="")
    )
    _fill()
    if bind.dialect.name == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE kb_provision_fts USING fts5({_FIELDS},"
            " content='kb_provisions', content_rowid='id', tokenize='porter unicode61')"
        )
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
        op.execute("INSERT INTO kb_provision_fts(kb_provision_fts) VALUES ('rebuild')")
    elif bind.dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE kb_provisions ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS {PG_TSVECTOR} STORED"
        )
        op.execute("CREATE INDEX ix_kb_provisions_fts ON kb_provisions USING gin (search_vector)")


def downgrade() -> None:
    bind = op.get_bind()
    _drop_search_index(bind.dialect.name)
    op.drop_column("kb_provisions", "search_heading")
    op.drop_column("kb_provisions", "search_title")
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE kb_provision_fts USING fts5(search_text,"
            " content='kb_provisions', content_rowid='id', tokenize='porter unicode61')"
        )
        for statement in OLD_SQLITE_TRIGGERS:
            op.execute(statement)
        op.execute("INSERT INTO kb_provision_fts(kb_provision_fts) VALUES ('rebuild')")
    elif bind.dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE kb_provisions ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS {OLD_PG_TSVECTOR} STORED"
        )
        op.execute("CREATE INDEX ix_kb_provisions_fts ON kb_provisions USING gin (search_vector)")
