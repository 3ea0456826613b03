"""Governance knowledge base: documents, provisions, tags, risks, classifiers and search indexes.

Revision ID: knowledge_0001
Revises:
Depends on: 0001_forum
"""

import sqlalchemy as sa
from alembic import op

revision = "knowledge_0001"
down_revision = None
branch_labels = ("knowledge",)
depends_on = "0001_forum"

TZ = sa.DateTime(timezone=True)

#: The PostgreSQL full-text vector, stored in the generated column ``search_vector`` (GIN index).
PG_TSVECTOR = "(to_tsvector('english'::regconfig, search_text) || to_tsvector('simple'::regconfig, search_text))"


#: Keep the external-content FTS5 table in step with kb_provisions.
SQLITE_TRIGGERS = (
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


def upgrade() -> None:
    op.create_table(
        "kb_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("issuer", sa.String(300), nullable=False),
        sa.Column("issuer_type", sa.String(20), nullable=True),
        sa.Column("jurisdiction", sa.String(60), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("kind", sa.String(40), nullable=True),
        sa.Column("kind_inferred", sa.Boolean(), nullable=False),
        sa.Column("binding", sa.Boolean(), nullable=True),
        sa.Column("binding_inferred", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("source_url", sa.String(1000), nullable=True),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("file_format", sa.String(10), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kb_documents"),
        sa.UniqueConstraint("content_hash", name="uq_kb_documents_content_hash"),
    )
    op.create_index("ix_kb_documents_issuer", "kb_documents", ["issuer"])
    op.create_table(
        "kb_provisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("number", sa.String(40), nullable=True),
        sa.Column("label", sa.String(80), nullable=False),
        sa.Column("path", sa.String(400), nullable=False),
        sa.Column("title", sa.String(500), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kb_provisions"),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["kb_documents.id"],
            ondelete="CASCADE",
            name="fk_kb_provisions_document_id_kb_documents",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["kb_provisions.id"],
            ondelete="CASCADE",
            name="fk_kb_provisions_parent_id_kb_provisions",
        ),
        sa.UniqueConstraint("document_id", "path", name="uq_kb_provisions_document_id"),
    )
    op.create_index("ix_kb_provisions_document_id", "kb_provisions", ["document_id"])
    op.create_table(
        "kb_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provision_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(80), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_kb_tags"),
        sa.ForeignKeyConstraint(
            ["provision_id"],
            ["kb_provisions.id"],
            ondelete="CASCADE",
            name="fk_kb_tags_provision_id_kb_provisions",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["users.id"], ondelete="SET NULL", name="fk_kb_tags_reviewed_by_users"
        ),
        sa.UniqueConstraint("provision_id", "term", name="uq_kb_tags_provision_id"),
    )
    op.create_index("ix_kb_tags_provision_id", "kb_tags", ["provision_id"])
    op.create_index("ix_kb_tags_term", "kb_tags", ["term"])
    op.create_table(
        "kb_risks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ev_id", sa.String(40), nullable=False),
        sa.Column("source_title", sa.String(500), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("subcategory", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("entity", sa.String(40), nullable=True),
        sa.Column("intent", sa.String(40), nullable=True),
        sa.Column("timing", sa.String(40), nullable=True),
        sa.Column("domain", sa.String(120), nullable=True),
        sa.Column("subdomain", sa.String(200), nullable=True),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kb_risks"),
        sa.UniqueConstraint("ev_id", name="uq_kb_risks_ev_id"),
    )
    op.create_index("ix_kb_risks_domain", "kb_risks", ["domain"])
    op.create_table(
        "kb_classifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trained_at", TZ, nullable=False),
        sa.Column("n_examples", sa.Integer(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("model", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kb_classifiers"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE kb_provision_fts USING fts5(search_text, content='kb_provisions',"
            " content_rowid='id', tokenize='porter unicode61')"
        )
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE kb_provisions ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS {PG_TSVECTOR} STORED"
        )
        op.execute("CREATE INDEX ix_kb_provisions_fts ON kb_provisions USING gin (search_vector)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("kb_provisions_fts_ai", "kb_provisions_fts_ad", "kb_provisions_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS kb_provision_fts")
    for table in ("kb_classifiers", "kb_risks", "kb_tags", "kb_provisions", "kb_documents"):
        op.drop_table(table)
