"""``detente publish``: Publications: proposals, media, news items and reports."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Publications: proposals, media, news items and reports.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    """Add this capability's commands to the root ``detente`` command."""
    root.add_typer(app, name="publish")
