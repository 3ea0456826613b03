"""``detente forum``: import, export and list forum records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import typer

from detente.cli._common import open_engine
from detente.forum import export_event, get_event, import_forum_file, list_events
from detente.store import session_scope

app = typer.Typer(help="Forum records: events, sessions, people, institutions.",
                  no_args_is_help=True)


@app.command("import")
def import_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A detente-forum/1 YAML file."),
) -> None:
    """Import a forum file in one transaction (re-importing it changes nothing)."""
    engine = open_engine(ctx)
    summary = import_forum_file(engine, file)
    typer.echo(f"imported {', '.join(summary.events) or 'no events'}: {summary.describe()}")


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
    if fmt not in ("yaml", "json"):
        raise typer.BadParameter("use yaml or json", param_hint="--format")
    chosen: Literal["yaml", "json"] = "json" if fmt == "json" else "yaml"
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        text = export_event(get_event(db, event), chosen,
                            include_attributions=include_attributions)
    typer.echo(text, nl=False)


@app.command("list")
def list_command(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List events, newest first."""
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        rows = [
            {"id": e.slug, "date": e.date.isoformat(), "title": e.title,
             "host": e.host.short_name or e.host.name, "sessions": len(e.sessions)}
            for e in list_events(db)
        ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        typer.echo(f"{row['date']}  {row['id']}  {row['title']} ({row['host']}, "
                   f"{row['sessions']} sessions)")


def register(root: typer.Typer) -> None:
    """Add ``detente forum`` to the root command."""
    root.add_typer(app, name="forum")
