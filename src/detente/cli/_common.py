"""What every sub-command shares: error rendering, ``--json``, opening the database and the
options of import commands."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import Engine
from typer.core import TyperGroup

from detente import i18n
from detente.errors import DetenteError, InputError
from detente.i18n import gettext as _
from detente.inputs import parse_size
from detente.settings import load_settings
from detente.store import create_db_engine, upgrade

__all__ = [
    "DetenteGroup",
    "confirm_deletions",
    "database_option",
    "dry_run_option",
    "json_option",
    "max_size_option",
    "open_engine",
    "say_waiting",
    "size_limit",
    "wait_option",
    "write_json",
    "yes_option",
]

database_option = typer.Option(
    None,
    "--database",
    envvar="DETENTE_DATABASE_URL",
    help="Database URL (default: sqlite:///detente.db).",
    show_envvar=True,
)
#: Options every import command takes (docs/forum-format.md, "Importing safely").
dry_run_option = typer.Option(
    False, "--dry-run", help="Print what the import would change; write nothing.")
max_size_option = typer.Option(
    "64MB", "--max-size", metavar="SIZE",
    help="Largest input file read, e.g. 64MB or 1GB (refused above it).")
yes_option = typer.Option(False, "--yes", "-y", help="Do not ask before deleting.")
wait_option = typer.Option(
    600.0, "--wait", metavar="SECONDS",
    help="How long to wait for another import of the same database to finish.")


def _language_from_environment() -> str:
    """``zh`` when the locale variables ask for Chinese (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


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
    """A command group that reports domain errors as one line and exit status 2.

    Messages follow the locale of the environment (``LANG=zh_CN.UTF-8`` gives Chinese).
    """

    def invoke(self, ctx: typer.Context):  # type: ignore[no-untyped-def]
        i18n.set_language(_language_from_environment())
        try:
            return super().invoke(ctx)
        except DetenteError as exc:
            message = " ".join(str(exc).split())  # always one line
            typer.echo(_("error: %(message)s") % {"message": message}, err=True)
            raise typer.Exit(2) from exc


def open_engine(ctx: typer.Context) -> Engine:
    """The engine for this invocation, with the schema created or upgraded."""
    root = ctx.find_root()
    url = (root.obj or {}).get("database") or load_settings().database_url
    engine = create_db_engine(url)
    upgrade(engine)
    return engine


def size_limit(text: str) -> int:
    """The bytes of a ``--max-size`` value (an InputError naming the option when invalid)."""
    return parse_size(text)


def say_waiting(line: str) -> None:
    """Tell the user, on stderr, that the import waits for another one."""
    typer.echo(line, err=True)


def confirm_deletions(lines: list[str], yes: bool) -> bool:
    """List what an import deletes (stderr) and ask; True with ``--yes``.

    Without a terminal to ask on and without ``--yes`` the answer is no.
    """
    typer.echo(_("This import deletes or removes:"), err=True)
    for line in lines:
        typer.echo(f"  - {line}", err=True)
    if yes:
        return True
    try:
        return typer.confirm(_("Delete these records?"), default=False, err=True)
    except typer.Abort:  # end of input: nobody to ask
        typer.echo(_("No answer: give --yes to delete without asking."), err=True)
        return False
