"""What every sub-command shares: error rendering, ``--json``, and opening the database."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import Engine
from typer.core import TyperGroup

from detente.errors import DetenteError, InputError
from detente.settings import load_settings
from detente.store import create_db_engine, upgrade

__all__ = ["DetenteGroup", "database_option", "json_option", "open_engine", "write_json"]

database_option = typer.Option(
    None,
    "--database",
    envvar="DETENTE_DATABASE_URL",
    help="Database URL (default: sqlite:///detente.db).",
    show_envvar=True,
)


json_option = typer.Option(
    None,
    "--json",
    metavar="FILE",
    help="Write the result as JSON to FILE, or to standard output with -.",
)


def write_json(data: Any, target: str) -> None:
    """Write ``data`` as UTF-8 JSON to the file ``target``, or to standard output for ``-``.

    Raises
    ------
    InputError
        When the file cannot be written (naming it).
    """
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(target).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", location=target) from None


class DetenteGroup(TyperGroup):
    """A command group that reports domain errors as one line and exit status 2."""

    def invoke(self, ctx: typer.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except DetenteError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc


def open_engine(ctx: typer.Context) -> Engine:
    """The engine for this invocation, with the schema created or upgraded."""
    root = ctx.find_root()
    url = (root.obj or {}).get("database") or load_settings().database_url
    engine = create_db_engine(url)
    upgrade(engine)
    return engine
