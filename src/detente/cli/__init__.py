"""The ``detente`` command: a thin layer over the services.

Every sub-command turns a :class:`detente.errors.DetenteError` into one line on stderr and
exit status 2; see :class:`DetenteGroup`.
"""

from __future__ import annotations

import sys

import typer

from detente.cli import consensus, deliberation, kb, publish, serve, states
from detente.cli._common import DetenteGroup, database_option, open_engine
from detente.cli.db import app as db_app
from detente.cli.forum import app as forum_app
from detente.cli.user import app as user_app

__all__ = ["app", "main"]

app = typer.Typer(
    cls=DetenteGroup,
    help="detente: forums, deliberations and state positions on AI and international security.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_app, name="db")
app.add_typer(forum_app, name="forum")
app.add_typer(user_app, name="user")
for _capability in (consensus, deliberation, states, kb, publish, serve):
    _capability.register(app)


@app.callback()
def _root(
    ctx: typer.Context,
    database: str | None = database_option,
) -> None:
    """Forums, deliberations, state positions and governance knowledge for AI security."""
    ctx.obj = {"database": database}


@app.command()
def demo(
    ctx: typer.Context,
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Start the web app afterwards."),
    host: str = typer.Option("127.0.0.1", help="Address to serve on."),
    port: int = typer.Option(8000, help="Port to serve on."),
) -> None:
    """Create or upgrade the database, load the demo forum and serve it."""
    from detente.demo import load_demo

    engine = open_engine(ctx)
    for name, outcome in load_demo(engine):
        typer.echo(f"demo {name}: {outcome}", err=True)
    if serve:
        from detente.cli.serve import run_server
        from detente.settings import load_settings

        run_server(load_settings(database_url=ctx.obj.get("database")), host, port)
    else:
        typer.echo(f"Demo data loaded into {engine.url.render_as_string(hide_password=True)}")


def main() -> None:
    """Entry point of the ``detente`` console script."""
    sys.exit(app())  # pragma: no cover
