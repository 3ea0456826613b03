"""Organizer accounts: creation, password checks (Argon2id), log-in sessions and the audit log.

A log-in creates a server-side session: the browser's signed cookie carries a random session id,
the database keeps only its SHA-256 (``user_sessions``). Logging out deletes the row, so a copy
of the cookie taken before stops working on every worker and host at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from detente.errors import ConflictError, InputError
from detente.i18n import gettext as _
from detente.store.base import utcnow
from detente.store.models.auth import AuditEntry, User, UserSession

__all__ = [
    "SESSION_LIFETIME",
    "User",
    "audit",
    "authenticate",
    "create_user",
    "end_session",
    "end_user_sessions",
    "get_user",
    "session_user",
    "set_password",
    "start_session",
]

#: How long a log-in lasts without logging in again.
SESSION_LIFETIME = timedelta(days=14)

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,80}$")
MIN_PASSWORD_LENGTH = 10
# A hash of a random password, checked when the user does not exist so that the time an answer
# takes does not tell whether a username exists.
_DUMMY_HASH = _hasher.hash("detente-no-such-user-padding")


def create_user(db: DbSession, username: str, password: str, *, organizer: bool = False) -> User:
    """Add an account; the password is stored only as an Argon2id hash.

    Raises
    ------
    InputError
        For a malformed username or a password shorter than 10 characters.
    ConflictError
        When the username is taken.
    """
    if not _USERNAME.match(username):
        raise InputError(_("use 2-80 letters, digits or . _ @ -"), location="username")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(_("at least %(min)d characters") % {"min": MIN_PASSWORD_LENGTH},
                         location="password")
    if db.scalar(select(User).where(User.username == username)) is not None:
        raise ConflictError(_("user %(name)r exists") % {"name": username})
    user = User(username=username, password_hash=_hasher.hash(password), is_organizer=organizer)
    db.add(user)
    db.flush()
    audit(db, user, "user.create", f"user:{user.id}", "organizer" if organizer else None)
    return user


def set_password(db: DbSession, user: User, password: str) -> None:
    """Replace a user's password (and end every session of the user)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(_("at least %(min)d characters") % {"min": MIN_PASSWORD_LENGTH},
                         location="password")
    user.password_hash = _hasher.hash(password)
    if user.id is not None:
        end_user_sessions(db, user)


def _session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def start_session(db: DbSession, user: User) -> str:
    """A new log-in session for ``user``; returns the secret id to keep in the cookie."""
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(UserSession(id=_session_hash(session_id), user_id=user.id, created_at=now,
                       expires_at=now + SESSION_LIFETIME))
    db.execute(delete(UserSession).where(UserSession.user_id == user.id,
                                         UserSession.expires_at < now))
    return session_id


def session_user(db: DbSession, session_id: object) -> User | None:
    """The active user of a live session, or None (unknown, ended or expired)."""
    if not isinstance(session_id, str) or not session_id:
        return None
    row = db.get(UserSession, _session_hash(session_id))
    if row is None:
        return None
    expires = row.expires_at
    if expires.tzinfo is None:  # SQLite hands back naive datetimes; they are UTC
        expires = expires.replace(tzinfo=utcnow().tzinfo)
    if expires < utcnow():
        return None
    return get_user(db, row.user_id)


def end_session(db: DbSession, session_id: object) -> None:
    """Log out: the session id stops working everywhere."""
    if isinstance(session_id, str) and session_id:
        db.execute(delete(UserSession).where(UserSession.id == _session_hash(session_id)))


def end_user_sessions(db: DbSession, user: User) -> None:
    """End every session of ``user`` (password change, deactivation)."""
    db.execute(delete(UserSession).where(UserSession.user_id == user.id))


def get_user(db: DbSession, user_id: int) -> User | None:
    """An active user by id."""
    user = db.get(User, user_id)
    return user if user is not None and user.is_active else None


def authenticate(db: DbSession, username: str, password: str) -> User | None:
    """The active user with these credentials, or None. Rehashes outdated hashes."""
    user = db.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def audit(db: DbSession, user: User | None, action: str, target: str,
          detail: str | None = None) -> AuditEntry:
    """Record an organizer action in the audit log."""
    entry = AuditEntry(user=user, action=action, target=target, detail=detail)
    db.add(entry)
    return entry
