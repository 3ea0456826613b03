"""``detente db``: the database schema."""

from __future__ import annotations

import typer

from detente.cli._common import open_engine

app = typer.Typer(help="Create or upgrade the database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(ctx: typer.Context) -> None:
    """Apply every migration that the database lacks."""
    engine = open_engine(ctx)
    typer.echo(f"{engine.url.render_as_string(hide_password=True)} is up to date")


def register(root: typer.Typer) -> None:
    """Add ``detente db`` to the root command."""
    root.add_typer(app, name="db")
