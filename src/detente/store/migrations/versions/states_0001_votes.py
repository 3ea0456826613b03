"""State positions: UN roll calls, state votes, AI instruments and positions.

Revision ID: states_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "states_0001"
down_revision = None
branch_labels = ("states",)
depends_on = "0001_forum"


def upgrade() -> None:
    op.create_table(
        "state_roll_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("session", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("resolution", sa.String(60), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("issues", sa.String(200), nullable=False),
        sa.Column("amendment", sa.Boolean(), nullable=False),
        sa.Column("paragraph", sa.Boolean(), nullable=False),
        sa.Column("important", sa.Boolean(), nullable=False),
        sa.Column("url", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_state_roll_calls"),
        sa.UniqueConstraint("key", name="uq_state_roll_calls_key"),
    )
    op.create_index("ix_state_roll_calls_session", "state_roll_calls", ["session"])
    op.create_table(
        "state_votes",
        sa.Column("roll_call_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(3), nullable=False),
        sa.Column("vote", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("roll_call_id", "state", name="pk_state_votes"),
        sa.ForeignKeyConstraint(["roll_call_id"], ["state_roll_calls.id"],
                                name="fk_state_votes_roll_call_id_state_roll_calls", ondelete="CASCADE"),
    )
    op.create_index("ix_state_votes_state", "state_votes", ["state"])
    op.create_table(
        "state_instruments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(120), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("date", sa.String(40), nullable=False),
        sa.Column("body", sa.String(200), nullable=False),
        sa.Column("totals", sa.Text(), nullable=False),
        sa.Column("source_url", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_state_instruments"),
        sa.UniqueConstraint("slug", name="uq_state_instruments_slug"),
    )
    op.create_table(
        "state_positions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(3), nullable=False),
        sa.Column("position", sa.String(30), nullable=False),
        sa.Column("source_url", sa.String(500), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_state_positions"),
        sa.UniqueConstraint("instrument_id", "state", name="uq_state_positions_instrument_id"),
        sa.ForeignKeyConstraint(["instrument_id"], ["state_instruments.id"],
                                name="fk_state_positions_instrument_id_state_instruments", ondelete="CASCADE"),
    )
    op.create_index("ix_state_positions_instrument_id", "state_positions", ["instrument_id"])
    op.create_index("ix_state_positions_state", "state_positions", ["state"])


def downgrade() -> None:
    op.drop_table("state_positions")
    op.drop_table("state_instruments")
    op.drop_table("state_votes")
    op.drop_table("state_roll_calls")
