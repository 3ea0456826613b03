"""The declarative base shared by every capability's models.

Constraint names follow one convention so that Alembic migrations name them the same way on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import DateTime, MetaData, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "TimestampMixin", "utcnow"]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base of all detente tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # Every model maps one declared table (no joined or selectable mappings), so its
        # ``__table__`` is a ``Table``: insert/update/delete take it as their target.
        __table__: ClassVar[Table]


class TimestampMixin:
    """Adds ``created_at`` to a model."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
