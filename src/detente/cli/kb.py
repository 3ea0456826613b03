"""``detente kb``: Governance knowledge base: instruments, provisions, taxonomy, search, gaps."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Governance knowledge base: instruments, provisions, taxonomy, search, gaps.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    """Add this capability's commands to the root ``detente`` command."""
    root.add_typer(app, name="kb")
