"""Search by meaning: one sentence embedding per provision.

Adds ``kb_provision_vectors``: the provision, the model that embedded it, a digest of the words
embedded (so that a provision whose text changes is embedded again) and the vector as float32
bytes. Filled by ``detente kb embed``; search uses it when it holds vectors.

Revision ID: knowledge_0004
Revises: knowledge_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "knowledge_0004"
down_revision = "knowledge_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_provision_vectors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "provision_id",
            sa.Integer,
            sa.ForeignKey("kb_provisions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("model", sa.String(80), nullable=False),
        sa.Column("digest", sa.String(40), nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("provision_id", "model", name="uq_kb_provision_vectors_provision"),
    )


def downgrade() -> None:
    op.drop_table("kb_provision_vectors")
