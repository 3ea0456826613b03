"""Forum records, organizer accounts and the audit log.

Revision ID: 0001_forum
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_forum"
down_revision = None
branch_labels = ("forum",)
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "institutions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(120), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("short_name", sa.String(60), nullable=True),
        sa.Column("name_local", sa.String(300), nullable=True),
        sa.Column("country", sa.String(3), nullable=True),
        sa.Column("url", sa.String(500), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_institutions"),
        sa.UniqueConstraint("slug", name="uq_institutions_slug"),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(120), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_local", sa.String(200), nullable=True),
        sa.Column("title", sa.String(300), nullable=True),
        sa.Column("title_local", sa.String(300), nullable=True),
        sa.Column("affiliation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
        sa.UniqueConstraint("slug", name="uq_people_slug"),
        sa.ForeignKeyConstraint(
            ["affiliation_id"], ["institutions.id"],
            name="fk_people_affiliation_id_institutions", ondelete="SET NULL",
        ),
    )
    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(120), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_local", sa.String(300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_themes"),
        sa.UniqueConstraint("slug", name="uq_themes_slug"),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(120), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("title_local", sa.String(300), nullable=True),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("venue", sa.String(300), nullable=True),
        sa.Column("venue_local", sa.String(300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("description_local", sa.Text(), nullable=True),
        sa.Column("languages", sa.String(60), nullable=False),
        sa.Column(
            "attribution_policy",
            sa.Enum("chatham_house", "attributed", name="attribution_policy",
                    native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("closing_remarks", sa.Text(), nullable=True),
        sa.Column("closing_remarks_local", sa.Text(), nullable=True),
        sa.Column("closing_speaker_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("slug", name="uq_events_slug"),
        sa.ForeignKeyConstraint(
            ["host_id"], ["institutions.id"],
            name="fk_events_host_id_institutions", ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["closing_speaker_id"], ["people.id"],
            name="fk_events_closing_speaker_id_people", ondelete="SET NULL",
        ),
    )
    op.create_table(
        "event_institutions",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "institution_id", name="pk_event_institutions"),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"],
            name="fk_event_institutions_event_id_events", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"],
            name="fk_event_institutions_institution_id_institutions", ondelete="RESTRICT",
        ),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("title_local", sa.String(300), nullable=True),
        sa.Column("chair_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("description_local", sa.Text(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.UniqueConstraint("event_id", "position", name="uq_sessions_event_id"),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name="fk_sessions_event_id_events", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["chair_id"], ["people.id"], name="fk_sessions_chair_id_people", ondelete="SET NULL"
        ),
    )
    op.create_table(
        "session_themes",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("session_id", "theme_id", name="pk_session_themes"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"],
            name="fk_session_themes_session_id_sessions", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"],
            name="fk_session_themes_theme_id_themes", ondelete="RESTRICT",
        ),
    )
    op.create_table(
        "participations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column(
            "role",
            sa.Enum("organizer", "chair", "speaker", "participant", name="participation_role",
                    native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_participations"),
        sa.UniqueConstraint(
            "event_id", "person_id", "role", "session_id", name="uq_participations_event_id"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"],
            name="fk_participations_event_id_events", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"],
            name="fk_participations_person_id_people", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"],
            name="fk_participations_session_id_sessions", ondelete="CASCADE",
        ),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("is_organizer", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_audit_log_user_id_users", ondelete="SET NULL"
        ),
    )


def downgrade() -> None:
    for table in (
        "audit_log", "users", "participations", "session_themes", "sessions",
        "event_institutions", "events", "themes", "people", "institutions",
    ):
        op.drop_table(table)
