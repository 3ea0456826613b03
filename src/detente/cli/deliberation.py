"""``detente deliberation``.

Deliberations: statements, votes, moderation, Polis import and export.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Deliberations: statements, votes, moderation, Polis import and export.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    """Add this capability's commands to the root ``detente`` command."""
    root.add_typer(app, name="deliberation")
