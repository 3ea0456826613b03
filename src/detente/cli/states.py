"""``detente states``: State positions: UN votes, endorsements, blocs and agreement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import typer

from detente import states
from detente.cli._common import (
    confirm_deletions,
    dry_run_option,
    max_size_option,
    open_engine,
    say_waiting,
    size_limit,
    wait_option,
    yes_option,
)
from detente.errors import InputError
from detente.i18n import gettext as _
from detente.states import (
    CODES,
    CONVENTIONS,
    Selection,
    agreement_over_time,
    analyze,
    country_name,
    ideal_points,
    import_positions,
    import_votes,
    lineage,
    load_votes,
)
from detente.states._demo import load_facts
from detente.store import session_scope

app = typer.Typer(
    help="State positions: UN votes, endorsements, blocs and agreement.",
    no_args_is_help=True,
)

_FROM = typer.Option(None, "--from", help="First session (< 1945) or year (inclusive).")
_TO = typer.Option(None, "--to", help="Last session (< 1945) or year (inclusive).")
_CONVENTION = typer.Option("half", "--convention",
                           help=f"Abstentions in the agreement index: {', '.join(CONVENTIONS)}.")
_JSON = typer.Option(None, "--json", help="Write JSON to this file ('-' for stdout).")


def _write_json(target: Path | None, payload: Any) -> bool:
    if target is None:
        return False
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    if str(target) == "-":
        typer.echo(text)
    else:
        target.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {target}", err=True)
    return True


@app.command("import-unga")
def import_unga(
    ctx: typer.Context,
    path: Path = typer.Argument(
        ..., help="A UN Digital Library voting CSV, or a folder with the unvotes tables."),
    infer_absent: bool = typer.Option(
        True, "--infer-absent/--no-infer-absent",
        help="unvotes: a state voting elsewhere in the session but not on a roll call is absent."),
    replace: bool = typer.Option(
        False, "--replace",
        help="Let the file remove stored votes of its roll calls (a shorter list); asks first."),
    dry_run: bool = dry_run_option,
    yes: bool = yes_option,
    max_size: str = max_size_option,
    wait: float = wait_option,
) -> None:
    """Import UN General Assembly roll-call votes (layout detected; every row checked first)."""
    limit = size_limit(max_size)
    summary = import_votes(open_engine(ctx), path, infer_absent, replace=replace,
                           dry_run=dry_run, max_size=limit, wait=wait, on_wait=say_waiting,
                           confirm=lambda s: confirm_deletions(list(s.partial), yes))
    if dry_run:
        typer.echo(_("dry run, nothing written: would import %(summary)s")
                   % {"summary": summary.describe()})
        for line in summary.partial:
            typer.echo("  - " + _("would remove (needs --replace): %(line)s") % {"line": line})
        return
    typer.echo(_("imported %(summary)s") % {"summary": summary.describe()})


@app.command("import-positions")
def import_positions_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Positions CSV, or a folder with instruments.csv."),
    instrument: str | None = typer.Option(
        None, "--instrument", help="Instrument id for a per-instrument file (state,iso3,...)."),
    instruments: Path | None = typer.Option(
        None, "--instruments", help="An instruments.csv with titles, kinds, dates, sources."),
) -> None:
    """Import endorsements, signatures and votes on AI instruments (one transaction)."""
    summary = import_positions(open_engine(ctx), file, instrument, instruments)
    typer.echo(f"imported {summary.roll_calls} instruments, {summary.votes} positions")


@app.command("load-facts")
def load_facts_command(ctx: typer.Context) -> None:
    """Load the shipped AI instruments, positions and autonomous-weapons votes."""
    typer.echo(f"loaded {load_facts(open_engine(ctx)).describe()}")


def _selection(topic: str | None, keyword: str | None, issue: str | None, start: int | None,
               end: int | None, roll_calls: str | None) -> Selection:
    chosen = tuple(r.strip() for r in (roll_calls or "").split(",") if r.strip())
    return Selection(topic=topic, keyword=keyword, issue=issue, start=start, end=end,
                     roll_calls=chosen)


@app.command("analyze")
def analyze_command(
    ctx: typer.Context,
    topic: str | None = typer.Option(None, "--topic", help="Preset: ai, arms-control, nuclear, "
                                      "human-rights, colonialism, palestine, development."),
    keyword: str | None = typer.Option(None, "--keyword", help="Word in title or description."),
    issue: str | None = typer.Option(None, "--issue",
                                     help="unvotes issue code (me nu di hr co ec)."),
    start: int | None = _FROM,
    end: int | None = _TO,
    roll_calls: str | None = typer.Option(
        None, "--roll-calls", help="Comma-separated keys, ids or resolution symbols."),
    convention: str = _CONVENTION,
    output: Path | None = _JSON,
) -> None:
    """Blocs of states, consensus and divisive roll calls, ideal points and agreement."""
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        result = analyze(db, _selection(topic, keyword, issue, start, end, roll_calls),
                         convention=convention)
    if _write_json(output, result):
        return
    typer.echo(f"{len(result['roll_calls'])} statements, {len(result['states'])} states, "
               f"{result['k']} blocs")
    for group in result["groups"]:
        typer.echo(f"bloc {group['id'] + 1} ({len(group['members'])}): "
                   f"{' '.join(group['members'])}")


@app.command("agreement")
def agreement_command(
    ctx: typer.Context,
    a: str = typer.Argument(..., help="ISO3 code of the first state."),
    b: str = typer.Argument(..., help="ISO3 code of the second state."),
    start: int | None = _FROM,
    end: int | None = _TO,
    convention: str = _CONVENTION,
    succession: bool = typer.Option(True, "--succession/--no-succession",
                                    help="Continue a state through its predecessors (RUS<-SUN)."),
    output: Path | None = _JSON,
) -> None:
    """Per-session agreement of two states over every recorded roll call of each session."""
    a, b = a.upper(), b.upper()
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        data = load_votes(db, Selection(start=start, end=end), lineage(a) + lineage(b))
    series = agreement_over_time(data, a, b, convention, succession)
    if not series:
        raise InputError(f"{a} and {b} share no recorded vote in this range")
    if _write_json(output, series):
        return
    typer.echo(f"{country_name(a)} / {country_name(b)}")
    for row in series:
        typer.echo(f"{row['year']}  session {row['session']:>2}  {row['agreement']:.3f}  "
                   f"({row['roll_calls']} roll calls)")


@app.command("ideal-points")
def ideal_points_command(
    ctx: typer.Context,
    start: int | None = _FROM,
    end: int | None = _TO,
    abstain: str = typer.Option("missing", "--abstain", help="missing or no."),
    min_votes: int = typer.Option(5, "--min-votes", help="Yes/no votes a state needs."),
    output: Path | None = _JSON,
) -> None:
    """One-dimensional ideal points per session (EM binary IRT; USA positive)."""
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        data = load_votes(db, Selection(start=start, end=end))
    sessions = sorted({s["session"] for s in data.statements})
    rows = []
    for session in sessions:
        columns = [j for j, s in enumerate(data.statements) if s["session"] == session]
        part = data.subset(np.array(columns))
        points = ideal_points(part.codes, part.states, abstain=abstain, min_votes=min_votes)
        rows.append({"session": session, "year": 1945 + session, "roll_calls": len(columns),
                     "correlation_with_first_dimension": _finite(points.correlation_with_pca()),
                     "points": points.as_dict()})
    if _write_json(output, rows):
        return
    for row in rows:
        top = sorted(row["points"].items(), key=lambda kv: kv[1])
        typer.echo(f"{row['year']} session {row['session']}: {top[0][0]} {top[0][1]:+.2f} ... "
                   f"{top[-1][0]} {top[-1][1]:+.2f} (r with PC1 "
                   f"{row['correlation_with_first_dimension']})")


@app.command("list-roll-calls")
def list_roll_calls(
    ctx: typer.Context,
    topic: str | None = typer.Option(None, "--topic", help="Topic preset (see analyze)."),
    keyword: str | None = typer.Option(None, "--keyword", help="Word in title or description."),
    issue: str | None = typer.Option(None, "--issue", help="unvotes issue code."),
    start: int | None = _FROM,
    end: int | None = _TO,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Roll calls matching a selection, in date order, with their vote counts."""
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        data = load_votes(db, Selection(topic=topic, keyword=keyword, issue=issue, start=start,
                                        end=end))
    rows = [{**{k: meta[k] for k in ("key", "kind", "session", "date", "resolution", "title",
                                     "url")},
             **{name: int(np.sum(data.codes[:, j] == code)) for name, code in CODES.items()}}
            for j, meta in enumerate(data.statements)]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        typer.echo(f"{row['date'] or '':<10}  {row['resolution'] or row['key']:<16} "
                   f"{row['yes']:>3}-{row['no']}-{row['abstain']}  {row['title']}")


def _finite(value: float) -> float | None:
    return None if np.isnan(value) else round(value, 4)


@app.command("list-instruments")
def list_instruments_command(ctx: typer.Context, as_json: bool = typer.Option(
        False, "--json", help="Print JSON.")) -> None:
    """AI instruments with their kind, date and number of recorded positions."""
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        rows = [{"id": i.id, "title": i.title, "kind": i.kind, "date": i.date,
                 "body": i.body, "totals": i.totals, "positions": i.n_positions,
                 "source_url": i.source_url}
                for i in states.list_instruments(db)]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        typer.echo(f"{row['date'].split(' ')[0]:<10}  {row['id']:<34} {row['kind']:<11} "
                   f"{row['positions']:>3} positions  {row['title']}")


def register(root: typer.Typer) -> None:
    """Add this capability's commands to the root ``detente`` command."""
    root.add_typer(app, name="states")
