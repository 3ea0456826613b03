"""``detente states``: UN votes, endorsements, blocs and agreement between states.

States are given as ISO2 or ISO3 codes or as English or Chinese names (``detente states
agreement US China``); ``--lang zh`` writes the tables and messages in Chinese.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from detente.capabilities import command_help
from detente.cli._common import (
    DetenteTyper,
    confirm_deletions,
    dry_run_option,
    json_option,
    lang_option,
    max_size_option,
    open_engine,
    say_waiting,
    size_limit,
    wait_option,
    write_json,
    yes_option,
)
from detente.errors import InputError
from detente.i18n import current_language, ngettext, paren, punct
from detente.i18n import gettext as _

if TYPE_CHECKING:
    from detente.states import Selection

app = DetenteTyper(help=command_help("states"))

_FROM = typer.Option(None, "--from", help="First session (< 1945) or year (inclusive).")
_TO = typer.Option(None, "--to", help="Last session (< 1945) or year (inclusive).")
_CONVENTION = typer.Option("half", "--convention",
                           help="Abstentions in the agreement index: half, abstain-as-no or "
                           "exclude-abstain.")


@app.callback()
def _language(lang: str | None = lang_option) -> None:
    """``--lang`` before a states command (the group's help is the registry's line)."""


def _write_json(target: str | None, payload: Any) -> bool:
    if target is None:
        return False
    write_json(payload, target)
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
    from detente.states import import_votes

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
    from detente.states import import_positions

    summary = import_positions(open_engine(ctx), file, instrument, instruments)
    typer.echo(_("imported %(instruments)s, %(positions)s") % {
        "instruments": ngettext("%(n)d instrument", "%(n)d instruments", summary.roll_calls)
        % {"n": summary.roll_calls},
        "positions": ngettext("%(n)d position", "%(n)d positions", summary.votes)
        % {"n": summary.votes}})


@app.command("load-facts")
def load_facts_command(ctx: typer.Context) -> None:
    """Load the shipped AI instruments, positions and autonomous-weapons votes."""
    from detente.states import load_facts

    typer.echo(_("loaded %(summary)s") % {"summary": load_facts(open_engine(ctx)).describe()})


_WHOLE_TEXTS = typer.Option(False, "--whole-texts",
                            help="Leave out the votes on a paragraph or an amendment.")


def _selection(topic: str | None, keyword: str | None, issue: str | None, start: int | None,
               end: int | None, roll_calls: str | None, whole_texts: bool = False) -> Selection:
    from detente.states import Selection

    chosen = tuple(r.strip() for r in (roll_calls or "").split(",") if r.strip())
    return Selection(topic=topic, keyword=keyword, issue=issue, start=start, end=end,
                     roll_calls=chosen, whole_texts=whole_texts)


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
    whole_texts: bool = _WHOLE_TEXTS,
    convention: str = _CONVENTION,
    output: str | None = json_option,
) -> None:
    """Blocs of states, consensus and divisive roll calls, ideal points and agreement."""
    from detente.charts import bloc_name
    from detente.states import (
        analyze,
        basis_phrase,
        bloc_tally,
        chinese_titles,
        country_name,
        fragile_note,
        name_sort_key,
        tally_phrases,
    )
    from detente.store import session_scope

    engine = open_engine(ctx)
    selection = _selection(topic, keyword, issue, start, end, roll_calls, whole_texts)
    with session_scope(engine) as db:
        result = analyze(db, selection, convention=convention)
        titles = chinese_titles(db)
    if _write_json(output, result):
        return
    # What the blocs hold, as the page and the report say it: not "193 states, 3 blocs" when
    # some states voted too rarely to be grouped or cast no vote.
    typer.echo(_("Roll calls or instruments: %(statements)d")
               % {"statements": len(result["roll_calls"])})
    typer.echo(punct("semicolon").join(tally_phrases(bloc_tally(result))) + punct("stop"))
    basis = _("These blocs rest on %(basis)s.") % {"basis": basis_phrase(result, titles)}
    fragile = fragile_note(result)
    typer.echo(basis + (("" if current_language() == "zh" else " ") + fragile if fragile
                        else ""))
    for index, group in enumerate(result["groups"]):
        members = sorted(group["members"], key=name_sort_key)
        count = (f"（{len(members)}）：" if current_language() == "zh"
                 else f" ({len(members)}): ")
        names = punct("enum").join(country_name(code) for code in members)
        typer.echo(bloc_name(index) + count + names)
    _echo_converge_and_split(result, titles)


def _echo_converge_and_split(result: dict[str, Any], titles: dict[str, str]) -> None:
    """"Where all converge" and "where they split", as the page lists them."""
    from detente.charts import bloc_name
    from detente.states import statement_words, vote_phrase

    meta = {s["key"]: s for s in result["roll_calls"]}
    colon = punct("colon")
    total = len(result["states"])
    typer.echo("")
    typer.echo(_("Where all converge") + colon.rstrip())
    converging = [c for c in result.get("consensus", []) if c["statement"] in
                  set(result.get("converge", []))]
    if not converging:
        typer.echo("  " + _("No recorded roll call has a majority of every bloc voting the "
                            "same way."))
    for entry in converging:
        typer.echo(f"  - {statement_words(meta[entry['statement']], titles)}{colon}"
                   f"{vote_phrase(entry['counts'], total, _('states'))}")
    typer.echo("")
    typer.echo(_("Where they split") + colon.rstrip())
    if not result.get("divisive"):
        typer.echo("  " + _("No roll call divides the blocs significantly."))
    for entry in result.get("divisive", []):
        typer.echo(f"  - {statement_words(meta[entry['statement']], titles)}")
        for index, bloc in enumerate(entry["blocs"]):
            typer.echo(f"      {bloc_name(index)}{colon}"
                       f"{vote_phrase(bloc['counts'], bloc['size'], _('members'))}")


@app.command("agreement")
def agreement_command(
    ctx: typer.Context,
    a: str = typer.Argument(..., help="The first state: ISO2 or ISO3 code, or a name."),
    b: str = typer.Argument(..., help="The second state: ISO2 or ISO3 code, or a name."),
    start: int | None = _FROM,
    end: int | None = _TO,
    convention: str = _CONVENTION,
    succession: bool = typer.Option(True, "--succession/--no-succession",
                                    help="Continue a state through its predecessors (RUS<-SUN)."),
    output: str | None = json_option,
) -> None:
    """Per-session agreement of two states over every recorded roll call of each session."""
    from detente.states import alignment, alignment_notes, chinese_titles, resolve_state
    from detente.store import session_scope

    code_a, code_b = resolve_state(a, field="A"), resolve_state(b, field="B")
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        found = alignment(db, code_a, code_b, start, end, convention, succession)
        titles = chinese_titles(db)
    series = found["series"]
    if not series:
        raise InputError(_("%(a)s and %(b)s share no recorded vote in this range")
                         % {"a": _named(found["a"]), "b": _named(found["b"])})
    if _write_json(output, series):
        return
    typer.echo(f"{_named(found['a'])} / {_named(found['b'])}")
    typer.echo(f"{_cell(_('Year'), 6)}  {_cell(_('Session'), 7, True)}  "
               f"{_cell(_('Agreement'), 9, True)}  {_('Joint roll calls')}")
    flag = _("too few to compare")
    for row in series:
        typer.echo(f"{row['year']:<6}  {row['session']:>7}  {row['agreement']:>9.3f}  "
                   f"{row['roll_calls']}" + (f"  [{flag}]" if row["thin"] else ""))
    # The sessions missing from the data, and what the thin ones rest on, as on the page.
    for note in alignment_notes(series, found["missing"], titles):
        typer.echo(note)


def _cell(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    pad = " " * max(0, width - used)
    return pad + text if right else text + pad


def _named(code: str) -> str:
    from detente.states import country_name

    return f"{country_name(code)}{paren(code)}"


@app.command("ideal-points")
def ideal_points_command(
    ctx: typer.Context,
    start: int | None = _FROM,
    end: int | None = _TO,
    states: str | None = typer.Option(
        None, "--states", help="Show these states (codes or names, comma-separated)."),
    abstain: str = typer.Option("missing", "--abstain", help="missing or no."),
    min_votes: int = typer.Option(5, "--min-votes", help="Yes/no votes a state needs."),
    output: str | None = json_option,
) -> None:
    """One-dimensional ideal points per session (EM binary IRT; USA positive)."""
    from detente.states import chosen_states, follow_successors, ideal_points_by_session
    from detente.store import session_scope

    codes = chosen_states(states, field="--states")
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        result = ideal_points_by_session(db, start, end, abstain, min_votes)
    rows = result["sessions"]
    if _write_json(output, rows):
        return
    if not rows:
        raise InputError(_("no recorded votes in this range"))
    if codes:
        rows = [row for row in follow_successors(rows, codes)
                if any(c in row["points"] for c in codes)]
        typer.echo(f"{_cell(_('Year'), 6)}{_cell(_('Session'), 8, True)}"
                   + "".join(f"{c:>8}" for c in codes))
        for row in rows:
            typer.echo(f"{row['year']:<6}{row['session']:>8}" + "".join(
                f"{row['points'][c]:>+8.2f}" if c in row["points"] else f"{'–':>8}"
                for c in codes))
        return
    for row in rows:
        if not row["points"]:
            continue
        ranked = sorted(row["points"].items(), key=lambda kv: kv[1])
        typer.echo(_("%(year)d, session %(session)d: %(low)s %(low_x)+.2f … %(high)s "
                     "%(high_x)+.2f (correlation with the first principal dimension %(r)s)")
                   % {"year": row["year"], "session": row["session"], "low": ranked[0][0],
                      "low_x": ranked[0][1], "high": ranked[-1][0], "high_x": ranked[-1][1],
                      "r": row["correlation_with_first_dimension"]})


@app.command("list-roll-calls")
def list_roll_calls(
    ctx: typer.Context,
    topic: str | None = typer.Option(None, "--topic", help="Topic preset (see analyze)."),
    keyword: str | None = typer.Option(None, "--keyword", help="Word in title or description."),
    issue: str | None = typer.Option(None, "--issue", help="unvotes issue code."),
    start: int | None = _FROM,
    end: int | None = _TO,
    whole_texts: bool = _WHOLE_TEXTS,
    output: str | None = json_option,
) -> None:
    """Roll calls matching a selection, in date order, with their vote counts."""
    from detente.states import (
        Selection,
        empty_selection_message,
        full_stop,
        list_roll_calls_with_counts,
        part_label,
    )
    from detente.store import session_scope

    engine = open_engine(ctx)
    selection = Selection(topic=topic, keyword=keyword, issue=issue, start=start, end=end,
                          whole_texts=whole_texts)
    with session_scope(engine) as db:
        rows = list_roll_calls_with_counts(db, selection)
        # Why nothing is listed, by the rule `states analyze` uses: nothing is loaded (say how
        # to import), nothing falls in the range, or nothing matches.
        empty = "" if rows else empty_selection_message(db, selection)
    if _write_json(output, rows):
        return
    if not rows:
        typer.echo(full_stop(empty[:1].upper() + empty[1:]))
        return
    typer.echo(f"{_cell(_('Date'), 10)}  {_cell(_('Symbol'), 16)} {_cell(_('Yes'), 4, True)} "
               f"{_cell(_('No'), 4, True)} {_cell(_('Abstain'), 7, True)}  {_('Title')}")
    for row in rows:
        typer.echo(f"{row['date'] or '':<10}  {row['resolution'] or row['key']:<16} "
                   f"{row['yes']:>4} {row['no']:>4} {row['abstain']:>7}  {row['title']}"
                   + part_label(row))


@app.command("list-instruments")
def list_instruments_command(ctx: typer.Context, output: str | None = json_option) -> None:
    """AI instruments with who took part, counted over the 193 UN member states."""
    from detente.states import (
        instrument_date,
        instrument_headline,
        instrument_title,
        list_instruments,
    )
    from detente.store import session_scope

    engine = open_engine(ctx)
    with session_scope(engine) as db:
        views = list_instruments(db)
        rows = [{"id": v.item.slug, "symbol": v.item.symbol or None, "title": v.item.title,
                 "title_zh": v.item.title_zh, "kind": v.item.kind, "date": v.item.date,
                 "date_note": v.item.date_note, "body": v.item.body, "basis": v.item.basis,
                 "open_to": v.item.open_to, "record": v.item.record, "totals": v.item.totals,
                 "positions": len(v.item.positions), "member_states": v.standings.total,
                 "standings": v.standings.counts(), "named": v.standings.named(),
                 "inferred": len(v.standings.resting_on("inferred")),
                 "source_url": v.item.source_url,
                 "summary": instrument_headline(v.item, v.standings),
                 "shown_title": instrument_title(v.item)[0],
                 "shown_date": instrument_date(v.item)}
                for v in views]
    shown = ("summary", "shown_title", "shown_date")
    if _write_json(output, [{k: v for k, v in row.items() if k not in shown} for row in rows]):
        return
    for row in rows:
        # The UN symbol tells apart what the titles do not: three resolutions and two First
        # Committee drafts are all "Lethal autonomous weapons systems".
        symbol = f"{row['symbol']}  " if row["symbol"] else ""
        typer.echo(f"{row['shown_date']:<10}  {symbol}{row['shown_title']}")
        typer.echo(f"{'':<10}  {row['summary']}")


def register(root: typer.Typer) -> None:
    """Add this capability's commands to the root ``detente`` command."""
    root.add_typer(app, name="states")
