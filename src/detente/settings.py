"""Settings, each declared once as (name, default, help) and read from the environment.

The CLI, the docs and validation all read :data:`SETTINGS`; :func:`load_settings` casts each
value and names the variable in any error.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.errors import InputError

__all__ = ["SETTINGS", "Setting", "Settings", "load_settings"]


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, default, cast and help text."""

    env: str
    default: Any
    cast: Callable[[str], Any]
    help: str


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected a boolean, got {value!r}")


SETTINGS: dict[str, Setting] = {
    "database_url": Setting(
        "DETENTE_DATABASE_URL",
        "sqlite:///detente.db",
        str,
        "SQLAlchemy URL of the database; SQLite ./detente.db by default, "
        "postgresql+psycopg://... for a server.",
    ),
    "secret_key": Setting(
        "DETENTE_SECRET_KEY",
        None,
        str,
        "Key that signs session cookies and CSRF tokens; a random one per process if unset.",
    ),
    "media_dir": Setting(
        "DETENTE_MEDIA_DIR",
        "media",
        str,
        "Folder where uploaded photos and files are kept.",
    ),
    "secure_cookies": Setting(
        "DETENTE_SECURE_COOKIES",
        False,
        _bool,
        "Mark cookies Secure (set when served over HTTPS).",
    ),
    "recompute_delay": Setting(
        "DETENTE_RECOMPUTE_DELAY",
        2.0,
        float,
        "Seconds to wait after a vote before recomputing a deliberation's results (debounce).",
    ),
    "vote_rate_limit": Setting(
        "DETENTE_VOTE_RATE_LIMIT",
        "120/60",
        str,
        "Votes allowed per participant per window, as COUNT/SECONDS.",
    ),
    "address_rate_limit": Setting(
        "DETENTE_ADDRESS_RATE_LIMIT",
        "6000/60",
        str,
        "Requests that write allowed per client address per window, as COUNT/SECONDS.",
    ),
}


@dataclass(frozen=True)
class Settings:
    """The values in force for one process."""

    database_url: str = SETTINGS["database_url"].default
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    media_dir: str = SETTINGS["media_dir"].default
    secure_cookies: bool = False
    recompute_delay: float = 2.0
    vote_rate_limit: str = "120/60"
    address_rate_limit: str = "6000/60"

    @property
    def media_path(self) -> Path:
        return Path(self.media_dir)


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Read every setting from ``environ`` (default: the process environment).

    Keyword ``overrides`` win over the environment (the CLI passes its options this way).
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name, setting in SETTINGS.items():
        if overrides.get(name) is not None:
            values[name] = overrides[name]
        elif setting.env in env:
            raw = env[setting.env]
            try:
                values[name] = setting.cast(raw)
            except ValueError as exc:
                raise InputError(str(exc), location=setting.env) from exc
        elif setting.default is not None:
            values[name] = setting.default
    return Settings(**values)
