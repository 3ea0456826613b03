"""Which rules made a tag: ``kb_tags.rules``, the digest of the tagging rules at tagging time.

A suggested tag records the digest of the rules that made it (the taxonomy's lexicon and the
rules written in code, ``detente.knowledge._tagger.rules_digest``), so that a database tagged
before a rule changed can say so and point to ``detente kb retag``. Tags that exist before this
revision have none: nothing records which rules made them, and they are reported as made by
older rules until re-tagged.

Revision ID: knowledge_0005
Revises: knowledge_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "knowledge_0005"
down_revision = "knowledge_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("kb_tags", sa.Column("rules", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kb_tags") as batch:
        batch.drop_column("rules")
