"""The ``detente`` command: a thin layer over the services.

Every sub-command turns a :class:`detente.errors.DetenteError` into one line on stderr and
exit status 2; see :class:`DetenteGroup`. The capabilities' commands come from
:data:`detente.capabilities.CAPABILITIES` and are imported only when run (:class:`RootGroup`),
so ``detente --help`` lists them without importing their modules.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command

from detente.capabilities import Command, commands
from detente.cli._common import DetenteGroup, database_option, open_engine

__all__ = ["RootGroup", "app", "main"]


class RootGroup(DetenteGroup):
    """The root command: capability commands are listed from the registry and built from
    their modules the first time one is looked up to run (never to list them in the help)."""

    _listing = False
    # typer's click types live in the private typer._click: contexts are typed Any here.

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted({*super().list_commands(ctx), *commands()})

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = super().get_command(ctx, cmd_name)
        entry = commands().get(cmd_name)
        if found is not None or entry is None:
            return found
        if self._listing:  # the help lists the registry's words; nothing is imported
            return TyperCommand(cmd_name, help=entry.help, short_help=entry.help)
        built = _build(entry)
        self.add_command(built, cmd_name)
        return built

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def _build(entry: Command) -> Any:
    """The click command that ``entry``'s capability registers under ``entry.name``."""
    holder = typer.Typer(add_completion=False)
    entry.register()(holder)
    built = get_command(holder)
    if isinstance(built, TyperGroup):
        return built.commands[entry.name]
    return built


app = typer.Typer(
    cls=RootGroup,
    help="detente: forums, deliberations and state positions on AI and international security.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


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
