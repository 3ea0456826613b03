"""Result snapshots ordered by what they were computed from (guarded upsert).

Revision ID: deliberation_0002
Revises: deliberation_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "deliberation_0002"
down_revision = "deliberation_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliberations") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("deliberation_results") as batch:
        batch.add_column(sa.Column("basis_revision", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("basis_votes", sa.BigInteger(), nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("deliberation_results") as batch:
        batch.drop_column("basis_votes")
        batch.drop_column("basis_revision")
    with op.batch_alter_table("deliberations") as batch:
        batch.drop_column("revision")
