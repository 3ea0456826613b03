"""Organizer accounts: creation, password checks (Argon2id) and the audit log."""

from __future__ import annotations

import contextlib
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from detente.errors import ConflictError, InputError
from detente.store.models.auth import AuditEntry, User

__all__ = ["audit", "authenticate", "create_user", "get_user", "set_password"]

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
        raise InputError("use 2-80 letters, digits or . _ @ -", location="username")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"at least {MIN_PASSWORD_LENGTH} characters", location="password")
    if db.scalar(select(User).where(User.username == username)) is not None:
        raise ConflictError(f"user {username!r} exists")
    user = User(username=username, password_hash=_hasher.hash(password), is_organizer=organizer)
    db.add(user)
    db.flush()
    audit(db, user, "user.create", f"user:{user.id}", "organizer" if organizer else None)
    return user


def set_password(db: DbSession, user: User, password: str) -> None:
    """Replace a user's password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"at least {MIN_PASSWORD_LENGTH} characters", location="password")
    user.password_hash = _hasher.hash(password)


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
