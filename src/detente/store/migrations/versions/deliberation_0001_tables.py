"""Deliberations: statements, pseudonymous participants, votes, vote history, results.

Revision ID: deliberation_0001
Revises:
Depends on: 0001_forum
"""

import sqlalchemy as sa
from alembic import op

revision = "deliberation_0001"
down_revision = None
branch_labels = ("deliberation",)
depends_on = "0001_forum"

TZ = sa.DateTime(timezone=True)


def _fk_name(table: str, column: str, referred: str) -> str:
    """The naming convention's name, or the short form the model sets where that is too long."""
    name = f"fk_{table}_{column}_{referred}"
    return name if len(name) <= 63 else f"fk_{table}_{column}"


def upgrade() -> None:
    op.create_table(
        "deliberations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(500), nullable=False),
        sa.Column("question_local", sa.String(500), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("description_local", sa.Text(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("allow_statements", sa.Boolean(), nullable=False),
        sa.Column("invite_only", sa.Boolean(), nullable=False),
        sa.Column("is_simulated", sa.Boolean(), nullable=False),
        sa.Column("closed_at", TZ, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deliberations"),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"],
                                name="fk_deliberations_session_id_sessions", ondelete="CASCADE"),
    )
    op.create_index("ix_deliberations_session_id", "deliberations", ["session_id"])
    op.create_table(
        "deliberation_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deliberation_id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(40), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("invite_hash", sa.String(64), nullable=True),
        sa.Column("invite_used_at", TZ, nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deliberation_participants"),
        sa.ForeignKeyConstraint(
            ["deliberation_id"], ["deliberations.id"],
            name="fk_deliberation_participants_deliberation_id_deliberations",
            ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name="fk_deliberation_participants_person_id_people",
                                ondelete="SET NULL"),
        sa.UniqueConstraint("deliberation_id", "public_id",
                            name="uq_deliberation_participants_deliberation_id"),
        sa.UniqueConstraint("token_hash", name="uq_deliberation_participants_token_hash"),
        sa.UniqueConstraint("invite_hash", name="uq_deliberation_participants_invite_hash"),
    )
    op.create_index("ix_deliberation_participants_deliberation_id",
                    "deliberation_participants", ["deliberation_id"])
    op.create_table(
        "deliberation_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deliberation_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(1000), nullable=False),
        sa.Column("text_local", sa.String(1000), nullable=True),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("author_participant_id", sa.Integer(), nullable=True),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column("moderation", sa.String(10), nullable=False),
        sa.Column("is_seed", sa.Boolean(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deliberation_statements"),
        sa.ForeignKeyConstraint(
            ["deliberation_id"], ["deliberations.id"],
            name="fk_deliberation_statements_deliberation_id_deliberations", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["author_participant_id"], ["deliberation_participants.id"],
            name="fk_deliberation_statements_author_participant_id",
            ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["author_user_id"], ["users.id"],
                                name="fk_deliberation_statements_author_user_id_users",
                                ondelete="SET NULL"),
    )
    op.create_index("ix_deliberation_statements_deliberation_id",
                    "deliberation_statements", ["deliberation_id"])
    for table, extra_index in (("deliberation_votes", True), ("deliberation_vote_history", False)):
        constraints: list = [
            sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
            sa.ForeignKeyConstraint(["deliberation_id"], ["deliberations.id"],
                                    name=f"fk_{table}_deliberation_id_deliberations",
                                    ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["participant_id"], ["deliberation_participants.id"],
                                    name=_fk_name(table, "participant_id", "deliberation_participants"),
                                    ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["statement_id"], ["deliberation_statements.id"],
                                    name=_fk_name(table, "statement_id", "deliberation_statements"),
                                    ondelete="CASCADE"),
        ]
        if extra_index:
            constraints.append(sa.UniqueConstraint("participant_id", "statement_id",
                                                   name=f"uq_{table}_participant_id"))
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("deliberation_id", sa.Integer(), nullable=False),
            sa.Column("participant_id", sa.Integer(), nullable=False),
            sa.Column("statement_id", sa.Integer(), nullable=False),
            sa.Column("value", sa.SmallInteger(), nullable=False),
            sa.Column("voted_at", TZ, nullable=False),
            *constraints,
        )
        op.create_index(f"ix_{table}_deliberation_id", table, ["deliberation_id"])
        if extra_index:
            op.create_index(f"ix_{table}_statement_id", table, ["statement_id"])
    op.create_table(
        "deliberation_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deliberation_id", sa.Integer(), nullable=False),
        sa.Column("computed_at", TZ, nullable=False),
        sa.Column("vote_count", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deliberation_results"),
        sa.ForeignKeyConstraint(["deliberation_id"], ["deliberations.id"],
                                name="fk_deliberation_results_deliberation_id_deliberations",
                                ondelete="CASCADE"),
        sa.UniqueConstraint("deliberation_id", name="uq_deliberation_results_deliberation_id"),
    )


def downgrade() -> None:
    for table in ("deliberation_results", "deliberation_vote_history", "deliberation_votes",
                  "deliberation_statements", "deliberation_participants", "deliberations"):
        op.drop_table(table)
