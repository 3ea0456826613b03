"""FastAPI dependencies for the database."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session as DbSession

from detente.store import session_scope

__all__ = ["get_db", "get_engine"]


def get_engine(request: Request) -> Engine:
    """The app's engine."""
    return request.app.state.engine


def get_db(request: Request) -> Iterator[DbSession]:
    """A session per request, committed when the handler returns without error."""
    with session_scope(request.app.state.engine) as session:
        yield session
