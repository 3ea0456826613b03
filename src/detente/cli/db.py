"""``detente db``: the database schema."""

from __future__ import annotations

import typer

from detente.capabilities import command_help
from detente.cli._common import DetenteTyper, open_engine
from detente.i18n import gettext as _

app = DetenteTyper(help=command_help("db"))


@app.command("upgrade")
def upgrade_command(ctx: typer.Context) -> None:
    """Apply every migration that the database lacks (and create the job queue's tables
    when DETENTE_JOB_QUEUE=postgresql)."""
    engine = open_engine(ctx)
    from detente.cli.serve import ensure_queue
    from detente.settings import load_settings

    settings = load_settings(database_url=(ctx.find_root().obj or {}).get("database"))
    if settings.job_queue == "postgresql":
        ensure_queue(settings)
    url = engine.url.render_as_string(hide_password=True)
    typer.echo(_("%(url)s is up to date") % {"url": url})


def register(root: typer.Typer) -> None:
    """Add ``detente db`` to the root command."""
    root.add_typer(app, name="db")
