"""Attribution policy: overrides of held texts (event, target, text digest, reason, user).

Revision ID: attribution_0001
Revises:
Depends on: 0001_forum
"""

import sqlalchemy as sa
from alembic import op

revision = "attribution_0001"
down_revision = None
branch_labels = ("attribution",)
depends_on = "0001_forum"


def upgrade() -> None:
    op.create_table(
        "attribution_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_attribution_overrides"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name="fk_attribution_overrides_event_id_events",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name="fk_attribution_overrides_user_id_users",
                                ondelete="SET NULL"),
        sa.UniqueConstraint("event_id", "target", "digest",
                            name="uq_attribution_overrides_event_id"),
    )
    op.create_index("ix_attribution_overrides_event_id", "attribution_overrides",
                    ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_attribution_overrides_event_id", table_name="attribution_overrides")
    op.drop_table("attribution_overrides")
