"""``detente deliberation``: create, seed, moderate, import, export and close deliberations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from detente.capabilities import command_help
from detente.cli._common import (
    DetenteTyper,
    dry_run_option,
    json_option,
    max_size_option,
    open_engine,
    pad,
    say_waiting,
    size_limit,
    wait_option,
    write_json,
)
from detente.errors import ImportFormatError, NotFoundError
from detente.i18n import gettext as _
from detente.i18n import ngettext, punct

app = DetenteTyper(help=command_help("deliberation"))


def register(root: typer.Typer) -> None:
    """Add this capability's commands to the root ``detente`` command."""
    root.add_typer(app, name="deliberation")


@app.command("create")
def create(
    ctx: typer.Context,
    event: str = typer.Argument(..., help="Event slug or id."),
    session: int = typer.Argument(..., help="Session position in the event (1-based)."),
    question: str = typer.Option(..., "--question", help="The question put to participants."),
    question_zh: str | None = typer.Option(None, "--question-zh", help="The question in Chinese."),
    description: str | None = typer.Option(None, help="A short description."),
    language: str = typer.Option("en", help="Main language of statements: en or zh."),
    statements: bool = typer.Option(True, "--statements/--no-statements",
                                    help="Whether participants may add statements."),
    invite_only: bool = typer.Option(False, "--invite-only", help="Only invited people join."),
    draft: bool = typer.Option(False, "--draft", help="Create as a draft (not yet open)."),
    override_reason: str | None = typer.Option(
        None, "--override-reason", help="Publish a question held under the Chatham House rule "
        "anyway, for this reason (written to the audit log)."),
) -> None:
    """Create a deliberation on a session; prints its id."""
    from detente.deliberation import create_deliberation
    from detente.store import session_scope

    engine = open_engine(ctx)
    with session_scope(engine) as db:
        deliberation = create_deliberation(
            db, int(event) if event.isdigit() else event, session, question,
            question_local=question_zh, description=description, language=language,
            allow_statements=statements, invite_only=invite_only,
            status="draft" if draft else "open", override_reason=override_reason)
        typer.echo(deliberation.id)


@app.command("seed")
def seed(
    ctx: typer.Context,
    deliberation_id: int = typer.Argument(..., metavar="ID"),
    file: Path = typer.Argument(...,
                                help="UTF-8 text, one statement per line; an optional Chinese "
                                     "translation after a TAB. Blank lines are skipped."),
    override_reason: str | None = typer.Option(
        None, "--override-reason", help="Accept statements held under the Chatham House rule "
        "anyway, for this reason (written to the audit log)."),
) -> None:
    """Add seed statements from a file (all or nothing; errors name the line)."""
    from detente.deliberation import get_deliberation, seed_statements
    from detente.inputs import read_text
    from detente.store import session_scope

    lines = read_text(file).splitlines()  # UTF-8 without NUL, or one line naming the line
    items, numbers = [], []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            text, _tab, local = line.partition("\t")
            items.append((text, local.strip() or None))
            numbers.append(number)
    engine = open_engine(ctx)
    with session_scope(engine) as db:
        added = len(seed_statements(db, get_deliberation(db, deliberation_id), items,
                                    source=str(file), line_numbers=numbers,
                                    override_reason=override_reason))
    _announce(ctx, deliberation_id, "statements", change="seeded", count=added)
    typer.echo(ngettext("added %(n)d statement to deliberation %(id)d",
                        "added %(n)d statements to deliberation %(id)d", added)
               % {"n": added, "id": deliberation_id})


@app.command("list")
def list_command(ctx: typer.Context) -> None:
    """List deliberations: id, status, statements, votes, question."""
    from detente.deliberation import list_deliberations, statement_counts
    from detente.store import session_scope

    engine = open_engine(ctx)
    with session_scope(engine) as db:
        for d in list_deliberations(db, include_drafts=True):
            counts = statement_counts(db, d.id)
            statements = ngettext("%(n)d statement", "%(n)d statements", counts["accepted"])
            votes = ngettext("%(n)d vote", "%(n)d votes", counts["votes"])
            typer.echo(f"{d.id}\t{_(d.status)}\t{statements % {'n': counts['accepted']}}\t"
                       f"{votes % {'n': counts['votes']}}\t{d.question}")


@app.command("queue")
def queue(ctx: typer.Context, deliberation_id: int = typer.Argument(..., metavar="ID")) -> None:
    """Statements waiting for moderation; those held under the Chatham House rule say why."""
    from detente.deliberation import get_deliberation, statement_holds, statements_of
    from detente.store import session_scope

    engine = open_engine(ctx)
    with session_scope(engine) as db:
        deliberation = get_deliberation(db, deliberation_id)
        pending = statements_of(db, deliberation_id, ("pending",))
        held = statement_holds(db, deliberation, pending)
        for statement in pending:
            typer.echo(f"{statement.id}\t{statement.text}")
            for hold in held.get(statement.id, []):
                for reason in hold.reasons():
                    typer.echo("\t" + _("held: %(reason)s") % {"reason": reason})


@app.command("moderate")
def moderate_command(
    ctx: typer.Context,
    statement_id: int = typer.Argument(..., metavar="STATEMENT_ID"),
    decision: str = typer.Argument(..., help="accept or reject"),
    override_reason: str | None = typer.Option(
        None, "--override-reason", help="Accept a statement held under the Chatham House rule "
        "anyway, for this reason (written to the audit log)."),
) -> None:
    """Accept or reject a statement (recorded in the audit log)."""
    from detente.deliberation import get_statement, moderate

    states = {"accept": "accepted", "reject": "rejected"}
    if decision not in states:
        raise ImportFormatError(_("decision must be accept or reject"), location="DECISION")
    from detente.store import session_scope

    engine = open_engine(ctx)
    with session_scope(engine) as db:
        statement = get_statement(db, statement_id)
        moderate(db, statement, states[decision], None, override_reason=override_reason)
        deliberation_id = statement.deliberation_id
    _announce(ctx, deliberation_id, "statements", recompute=True, change=states[decision],
              statement=statement_id)
    done = {"accepted": _("statement %(id)d accepted"),
            "rejected": _("statement %(id)d rejected")}
    typer.echo(done[states[decision]] % {"id": statement_id})


def _announce(ctx: typer.Context, deliberation_id: int, kind: str, *, recompute: bool = False,
              **data: object) -> None:
    """Tell running servers (through Redis and the job queue, where configured)."""
    from detente.deliberation import announce_change
    from detente.settings import load_settings

    settings = load_settings(database_url=(ctx.find_root().obj or {}).get("database"))
    announce_change(settings.database_url, settings.redis_url, settings.redis_prefix,
                    settings.job_queue, deliberation_id, kind, recompute=recompute, **data)


def _set(ctx: typer.Context, deliberation_id: int, status: str) -> None:
    from detente.deliberation import get_deliberation, set_status
    from detente.store import session_scope

    engine = open_engine(ctx)
    with session_scope(engine) as db:
        set_status(db, get_deliberation(db, deliberation_id), status, None)
    _announce(ctx, deliberation_id, "status", status=status)
    done = {"open": _("deliberation %(id)d open"), "closed": _("deliberation %(id)d closed")}
    typer.echo(done[status] % {"id": deliberation_id})


@app.command("close")
def close(ctx: typer.Context, deliberation_id: int = typer.Argument(..., metavar="ID")) -> None:
    """Close a deliberation to new votes and statements."""
    _set(ctx, deliberation_id, "closed")


@app.command("open")
def reopen(ctx: typer.Context, deliberation_id: int = typer.Argument(..., metavar="ID")) -> None:
    """Open (or reopen) a deliberation."""
    _set(ctx, deliberation_id, "open")


@app.command("invite")
def invite(
    ctx: typer.Context,
    deliberation_id: int = typer.Argument(..., metavar="ID"),
    count: int = typer.Option(1, help="How many personal links."),
    base_url: str = typer.Option("http://127.0.0.1:8000", help="Where the site is served."),
) -> None:
    """Print personal one-time invitation links (shown only now; stored hashed)."""
    from detente.deliberation import create_invites, get_deliberation
    from detente.store import session_scope

    engine = open_engine(ctx)
    with session_scope(engine) as db:
        created = create_invites(db, get_deliberation(db, deliberation_id), count)
        for _participant, token in created:
            typer.echo(f"{base_url.rstrip('/')}/deliberations/{deliberation_id}/invite/{token}")


@app.command("export")
def export(
    ctx: typer.Context,
    deliberation_id: int = typer.Argument(..., metavar="ID"),
    outdir: Path = typer.Argument(..., file_okay=False),
) -> None:
    """Write comments.csv, votes.csv and participants-votes.csv (Polis open-data format)."""
    from detente.deliberation import export_polis
    from detente.store import session_scope

    engine = open_engine(ctx)
    with session_scope(engine) as db:
        counts = export_polis(db, deliberation_id, outdir)
    typer.echo(_("wrote %(comments)s, %(votes)s of %(participants)s to %(folder)s") % {
        "comments": ngettext("%(n)d comment", "%(n)d comments", counts["comments"])
        % {"n": counts["comments"]},
        "votes": ngettext("%(n)d vote", "%(n)d votes", counts["votes"]) % {"n": counts["votes"]},
        "participants": ngettext("%(n)d participant", "%(n)d participants",
                                 counts["participants"]) % {"n": counts["participants"]},
        "folder": outdir})


@app.command("import-polis")
def import_polis_command(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="A Polis open-data export folder."),
    event: str = typer.Option(..., "--event", help="Event slug or id."),
    session: int = typer.Option(..., "--session", help="Session position (1-based)."),
    question: str | None = typer.Option(None, help="Question (default: the export's topic)."),
    dry_run: bool = dry_run_option,
    max_size: str = max_size_option,
    wait: float = wait_option,
) -> None:
    """Import a Polis export as a closed deliberation (checked whole first); prints its id."""
    from detente.deliberation import import_polis, plan_polis_import

    limit = size_limit(max_size)

    engine = open_engine(ctx)
    key = int(event) if event.isdigit() else event
    if dry_run:
        plan = plan_polis_import(engine, folder, event=key, session_position=session,
                                 question=question, max_size=limit)
        typer.echo(_("dry run, nothing written: would create a closed deliberation on session "
                     "%(session)d of %(event)s (%(question)s): %(counts)s") % {
            "session": session, "event": event,
            "question": f"{punct('lquote')}{plan.question}{punct('rquote')}",
            "counts": plan.describe()})
        return
    deliberation_id = import_polis(engine, folder, event=key, session_position=session,
                                   question=question, max_size=limit, wait=wait,
                                   on_wait=say_waiting)
    typer.echo(deliberation_id)


@app.command("results")
def results(
    ctx: typer.Context,
    deliberation_id: int = typer.Argument(..., metavar="ID", help="The deliberation's number."),
    recompute_now: bool = typer.Option(False, "--recompute", help="Compute afresh first."),
    json_out: str | None = json_option,
) -> None:
    """Print the stored results: opinion groups, consensus statements (--json: the API's
    schema)."""
    from detente.deliberation import get_deliberation, recompute, statements_of, stored_result
    from detente.store import session_scope

    engine = open_engine(ctx)
    if recompute_now:
        recompute(engine, deliberation_id)
    with session_scope(engine) as db:
        get_deliberation(db, deliberation_id)
        stored = stored_result(db, deliberation_id)
        if stored is None:
            raise NotFoundError(_("not enough votes yet: no results have been computed"))
        texts = {s.id: s.text for s in statements_of(db, deliberation_id, ("accepted",))}
    data = stored.to_json()
    if json_out is not None:
        write_json(data, json_out)
        return
    _print_results(data, texts)


def _print_results(data: dict[str, Any], texts: dict[int, str]) -> None:
    """The stored results for people: who was grouped, what each group stands for, and what
    the whole room shares."""
    from detente.charts import group_name

    def line(item: dict[str, Any]) -> str:
        share = item.get(f"{item['direction']}_share")
        if share is None:
            share = (item["n_agree"] if item["direction"] == "agree" else item["n_disagree"]) \
                / max(item["n_votes"], 1)
        verb = _("agree") if item["direction"] == "agree" else _("disagree")
        text = " ".join(str(texts.get(item["statement"], item["statement"])).split())
        if len(text) > 80:
            text = text[:79].rstrip() + "…"
        return f"    {100 * share:3.0f}% {pad(verb, 8)}  {text}"

    typer.echo(_("%(participants)s participants, %(statements)s statements, %(votes)s votes "
                 "(computed %(when)s)") % {
        "participants": data.get("participants", 0), "statements": data.get("statements", 0),
        "votes": data.get("votes", data.get("vote_count", 0)),
        "when": str(data.get("computed_at", ""))[:16].replace("T", " ")})
    for group in data.get("groups", []):
        n = len(group["members"])
        typer.echo("\n" + ngettext("%(name)s: %(n)d participant", "%(name)s: %(n)d participants",
                                    n) % {"name": group_name(group["id"]), "n": n})
        for item in group["representative"]:
            typer.echo(line(item))
    typer.echo("\n" + _("Consensus statements (shared across the conversation):"))
    for item in data.get("consensus", []):
        typer.echo(line(item))
    if not data.get("consensus"):
        typer.echo("    " + _("none"))
