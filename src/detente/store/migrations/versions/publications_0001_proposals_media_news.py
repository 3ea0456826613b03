"""Publications: proposals and their evidence links, media files, news items.

Revision ID: publications_0001
Revises:
Depends on: 0001_forum
"""

import sqlalchemy as sa
from alembic import op

revision = "publications_0001"
down_revision = None
branch_labels = ("publications",)
depends_on = "0001_forum"

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("title_local", sa.String(300), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_local", sa.Text(), nullable=True),
        sa.Column("status", sa.Enum("draft", "endorsed", "published", "taken_up",
                                    name="proposal_status", native_enum=False, length=20),
                  nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_proposals"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name="fk_proposals_event_id_events", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"],
                                name="fk_proposals_session_id_sessions", ondelete="SET NULL"),
    )
    op.create_index("ix_proposals_event_id", "proposals", ["event_id"])
    op.create_table(
        "proposal_themes",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("proposal_id", "theme_id", name="pk_proposal_themes"),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"],
                                name="fk_proposal_themes_proposal_id_proposals",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["theme_id"], ["themes.id"],
                                name="fk_proposal_themes_theme_id_themes", ondelete="RESTRICT"),
    )
    op.create_table(
        "proposal_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("reference", sa.String(300), nullable=False),
        sa.Column("label", sa.String(500), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_proposal_evidence"),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"],
                                name="fk_proposal_evidence_proposal_id_proposals",
                                ondelete="CASCADE"),
        sa.UniqueConstraint("proposal_id", "kind", "reference",
                            name="uq_proposal_evidence_proposal_id"),
    )
    op.create_index("ix_proposal_evidence_proposal_id", "proposal_evidence", ["proposal_id"])
    op.create_table(
        "media_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.Enum("image", "document", name="media_kind", native_enum=False,
                                  length=20), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("extension", sa.String(10), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("variant_format", sa.String(10), nullable=True),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("caption_local", sa.Text(), nullable=True),
        sa.Column("credit", sa.String(300), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_media_items"),
        sa.UniqueConstraint("token", name="uq_media_items_token"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name="fk_media_items_event_id_events", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"],
                                name="fk_media_items_session_id_sessions", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"],
                                name="fk_media_items_uploaded_by_id_users", ondelete="SET NULL"),
    )
    op.create_index("ix_media_items_event_id", "media_items", ["event_id"])
    op.create_table(
        "news_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(160), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("title", sa.String(300), nullable=True),
        sa.Column("title_local", sa.String(300), nullable=True),
        sa.Column("lead", sa.Text(), nullable=True),
        sa.Column("lead_local", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("body_local", sa.Text(), nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_news_items"),
        sa.UniqueConstraint("event_id", name="uq_news_items_event_id"),
        sa.UniqueConstraint("slug", name="uq_news_items_slug"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name="fk_news_items_event_id_events", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name="fk_news_items_updated_by_id_users", ondelete="SET NULL"),
    )


def downgrade() -> None:
    op.drop_table("news_items")
    op.drop_index("ix_media_items_event_id", table_name="media_items")
    op.drop_table("media_items")
    op.drop_index("ix_proposal_evidence_proposal_id", table_name="proposal_evidence")
    op.drop_table("proposal_evidence")
    op.drop_table("proposal_themes")
    op.drop_index("ix_proposals_event_id", table_name="proposals")
    op.drop_table("proposals")
