"""What every sub-command shares: error rendering and opening the database."""

from __future__ import annotations

import typer
from sqlalchemy import Engine
from typer.core import TyperGroup

from detente.errors import DetenteError
from detente.settings import load_settings
from detente.store import create_db_engine, upgrade

__all__ = ["DetenteGroup", "database_option", "open_engine"]

database_option = typer.Option(
    None,
    "--database",
    envvar="DETENTE_DATABASE_URL",
    help="Database URL (default: sqlite:///detente.db).",
    show_envvar=True,
)


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
