"""State positions: what a listed position rests on (``evidence``): named by the source
(empty), inferred from a role or a membership (``inferred``), or named by one source and not
by others (``one-source``).

Revision ID: states_0003
Revises: states_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "states_0003"
down_revision = "states_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("state_positions") as batch:
        batch.add_column(sa.Column("evidence", sa.String(20), nullable=False, server_default=""))
    with op.batch_alter_table("state_positions") as batch:
        batch.alter_column("evidence", existing_type=sa.String(20), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("state_positions") as batch:
        batch.drop_column("evidence")
