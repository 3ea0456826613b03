"""``detente user``: organizer accounts."""

from __future__ import annotations

import sys

import typer

from detente.capabilities import command_help
from detente.cli._common import DetenteTyper, open_engine

app = DetenteTyper(help=command_help("user"))


@app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Username."),
    organizer: bool = typer.Option(False, "--organizer", help="May organize and moderate."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Add a user; the password is asked for (or read from stdin) and stored hashed."""
    from detente.accounts import create_user
    from detente.store import session_scope

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        user = create_user(db, name, password, organizer=organizer)
        role = "organizer" if user.is_organizer else "user"
    typer.echo(f"added {role} {name}")


def register(root: typer.Typer) -> None:
    """Add ``detente user`` to the root command."""
    root.add_typer(app, name="user")
