"""FastAPI dependencies for the database.

The request's database session is committed **before** the response is sent: the session
comes from a dependency in FastAPI's "function" scope, whose exit runs when the handler
returns, not after the response went out. So a 303 after log-in or a 201 after a write means
the transaction is committed; a failed commit becomes an error answer, never a lost write.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Depends, FastAPI, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session as DbSession

from detente.runtime import Shared
from detente.store import session_scope

__all__ = ["get_db", "get_engine", "shared"]


def shared(app: FastAPI) -> Shared:
    """The app's shared state: rate limits and the event bus (see :mod:`detente.runtime`)."""
    return app.state.shared


def get_engine(request: Request) -> Engine:
    """The app's engine."""
    return request.app.state.engine


def _db_session(request: Request) -> Iterator[DbSession]:
    with session_scope(request.app.state.engine) as session:
        yield session


def get_db(session: DbSession = Depends(_db_session, scope="function")) -> DbSession:
    """A session per request, committed when the handler returns without error and before
    the response is sent."""
    return session
