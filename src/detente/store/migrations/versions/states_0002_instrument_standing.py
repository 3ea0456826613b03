"""State positions: what the sources say about who took part in an instrument, Chinese titles,
and the data version that keys cached analyses.

Revision ID: states_0002
Revises: states_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "states_0002"
down_revision = "states_0001"
branch_labels = None
depends_on = None

_TEXT_COLUMNS = (
    ("symbol", sa.String(60)), ("title_zh", sa.Text()), ("title_zh_status", sa.String(20)),
    ("title_zh_source", sa.String(500)), ("date_note", sa.String(40)),
    ("body_zh", sa.String(200)), ("basis", sa.String(20)), ("open_to", sa.String(20)),
    ("as_of", sa.String(20)), ("organisations", sa.String(100)), ("remark", sa.Text()),
    ("remark_zh", sa.Text()),
)
_COUNTS = ("reported_yes", "reported_no", "reported_abstain", "reported_low", "reported_high")


def upgrade() -> None:
    with op.batch_alter_table("state_instruments") as batch:
        for name, kind in _TEXT_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=False, server_default=""))
        # Lists loaded before this revision named only some states: the others are unknown.
        batch.add_column(sa.Column("record", sa.String(20), nullable=False,
                                   server_default="partial"))
        for name in _COUNTS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
    op.execute("UPDATE state_instruments SET basis = 'recorded-vote' WHERE kind = 'unga-vote'")
    op.execute("UPDATE state_instruments SET basis = 'endorsement' "
               "WHERE kind IN ('declaration', 'convention')")
    with op.batch_alter_table("state_instruments") as batch:
        for name, kind in (*_TEXT_COLUMNS, ("record", sa.String(20))):
            batch.alter_column(name, existing_type=kind, server_default=None)
    with op.batch_alter_table("state_positions") as batch:
        batch.add_column(sa.Column("note_zh", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("state_positions") as batch:
        batch.alter_column("note_zh", existing_type=sa.Text(), server_default=None)
    op.create_table(
        "state_data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_state_data_version"),
    )


def downgrade() -> None:
    op.drop_table("state_data_version")
    with op.batch_alter_table("state_positions") as batch:
        batch.drop_column("note_zh")
    with op.batch_alter_table("state_instruments") as batch:
        for name in (*(n for n, _ in _TEXT_COLUMNS), "record", *_COUNTS):
            batch.drop_column(name)
