"""The store: SQLAlchemy models and Alembic migrations, one module and branch per capability."""

from detente.store.base import Base
from detente.store.db import create_db_engine, database_url, session_scope, upgrade

__all__ = ["Base", "create_db_engine", "database_url", "session_scope", "upgrade"]
