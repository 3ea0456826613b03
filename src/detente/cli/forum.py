"""``detente forum``: import, export and list forum records."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import typer

from detente.capabilities import command_help
from detente.cli._common import (
    DetenteTyper,
    confirm_deletions,
    dry_run_option,
    json_option,
    max_size_option,
    open_engine,
    say_waiting,
    size_limit,
    wait_option,
    write_json,
    yes_option,
)
from detente.i18n import gettext as _
from detente.i18n import ngettext, paren, punct

app = DetenteTyper(help=command_help("forum"))


@app.command("import")
def import_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A detente-forum/1 YAML file."),
    dry_run: bool = dry_run_option,
    prune: bool = typer.Option(
        False, "--prune",
        help="Delete sessions (with their deliberations) and participants the file no longer "
             "lists; asks first."),
    yes: bool = yes_option,
    max_size: str = max_size_option,
    wait: float = wait_option,
) -> None:
    """Import a forum file (re-importing it changes nothing; deleting needs --prune)."""
    from detente.forum import import_forum_file

    limit = size_limit(max_size)
    engine = open_engine(ctx)
    summary = import_forum_file(
        engine, file, prune=prune, dry_run=dry_run, max_size=limit, wait=wait,
        on_wait=say_waiting, confirm=lambda s: confirm_deletions(s.removals, yes))
    events = ", ".join(summary.events) or _("no events")
    if dry_run:
        typer.echo(_("dry run, nothing written: would import %(events)s: %(summary)s")
                   % {"events": events, "summary": summary.describe()})
        if summary.removals:
            typer.echo(_("would delete (needs --prune):"))
            for line in summary.removals:
                typer.echo(f"  - {line}")
        return
    typer.echo(_("imported %(events)s: %(summary)s")
               % {"events": events, "summary": summary.describe()})
    if summary.batches > 1:
        typer.echo(_("written in %(n)d short transactions, so that the server kept answering")
                   % {"n": summary.batches})


@app.command("export")
def export_command(
    ctx: typer.Context,
    event: str = typer.Argument(..., help="Event id (slug) or number."),
    fmt: str = typer.Option("yaml", "--format", help="yaml or json."),
    include_attributions: bool = typer.Option(
        False, "--include-attributions",
        help="Internal archive only: keep who spoke even under the Chatham House rule.",
    ),
) -> None:
    """Write an event as YAML or JSON on stdout (importable again)."""
    from detente.forum import export_event, get_event
    from detente.store import session_scope

    if fmt not in ("yaml", "json"):
        raise typer.BadParameter(_("use yaml or json"), param_hint="--format")
    chosen: Literal["yaml", "json"] = "json" if fmt == "json" else "yaml"
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        text = export_event(get_event(db, event), chosen,
                            include_attributions=include_attributions)
    typer.echo(text, nl=False)


@app.command("list")
def list_command(
    ctx: typer.Context,
    json_out: str | None = json_option,
) -> None:
    """List events, newest first."""
    from detente.forum import list_events
    from detente.store import session_scope

    engine = open_engine(ctx)
    with session_scope(engine) as db:
        rows: list[dict[str, Any]] = [
            {"id": e.slug, "date": e.date.isoformat(), "title": e.title,
             "host": e.host.short_name or e.host.name, "sessions": len(e.sessions)}
            for e in list_events(db)
        ]
    if json_out is not None:
        write_json(rows, json_out)
        return
    for row in rows:
        sessions = ngettext("%(n)d session", "%(n)d sessions", row["sessions"]) % {
            "n": row["sessions"]}
        details = paren(f"{row['host']}{punct('comma')}{sessions}")
        typer.echo(f"{row['date']}  {row['id']}  {row['title']}{details}")


def register(root: typer.Typer) -> None:
    """Add ``detente forum`` to the root command."""
    root.add_typer(app, name="forum")
