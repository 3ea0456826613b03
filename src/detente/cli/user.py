"""``detente user``: organizer accounts."""

from __future__ import annotations

import sys

import typer

from detente.capabilities import command_help
from detente.cli._common import DetenteTyper, open_engine
from detente.i18n import gettext as _
from detente.i18n import punct

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

    password = sys.stdin.readline().rstrip("\n") if password_stdin else _ask_password()
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        user = create_user(db, name, password, organizer=organizer)
        organizer = user.is_organizer
    typer.echo((_("added organizer %(name)s") if organizer else _("added user %(name)s"))
               % {"name": name})


def _ask_password() -> str:
    """The password, typed twice without echo; asked again until both agree (Click's own
    confirmation prints its mismatch message in English only)."""
    while True:
        colon = punct("colon")  # "：" in Chinese
        password: str = typer.prompt(_("Password"), hide_input=True, prompt_suffix=colon)
        again: str = typer.prompt(_("Repeat for confirmation"), hide_input=True,
                                  prompt_suffix=colon)
        if password == again:
            return password
        typer.echo(_("Error: The two entered values do not match."))


def register(root: typer.Typer) -> None:
    """Add ``detente user`` to the root command."""
    root.add_typer(app, name="user")
