"""The store: SQLAlchemy models and Alembic migrations, one module and branch per capability."""

from detente.store._batches import Batches, import_lock, write_batches
from detente.store.base import Base
from detente.store.db import (
    BUSY_TIMEOUT,
    busy_error,
    create_db_engine,
    database_url,
    is_busy_error,
    retry_when_busy,
    session_scope,
    upgrade,
)

__all__ = [
    "BUSY_TIMEOUT",
    "Base",
    "Batches",
    "busy_error",
    "create_db_engine",
    "database_url",
    "import_lock",
    "is_busy_error",
    "retry_when_busy",
    "session_scope",
    "upgrade",
    "write_batches",
]
