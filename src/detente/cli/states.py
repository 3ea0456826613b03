"""``detente states``: State positions: UN votes, endorsements, blocs and agreement."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="State positions: UN votes, endorsements, blocs and agreement.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    """Add this capability's commands to the root ``detente`` command."""
    root.add_typer(app, name="states")
