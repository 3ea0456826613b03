"""``detente kb``: import, list, search and compare the governance instruments and their gaps."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from detente.capabilities import command_help
from detente.cli._common import (
    DetenteTyper,
    aside,
    clip,
    columns,
    json_option,
    open_engine,
    pad,
    write_json,
)
from detente.errors import InputError
from detente.i18n import gettext as _
from detente.i18n import ngettext, paren, pick, punct

if TYPE_CHECKING:
    from detente.knowledge import Coverage

app = DetenteTyper(help=command_help("kb"))

_TAXONOMY = typer.Option(
    None,
    "--taxonomy",
    metavar="FILE",
    envvar="DETENTE_KB_TAXONOMY",
    help="A YAML file extending the shipped taxonomy.",
)

_CSV = typer.Option(None, "--csv", metavar="FILE", help="Also write the table as CSV to FILE.")

_ON = typer.Option(
    None,
    "--on",
    metavar="DATE",
    help="Count instruments in force on this date (YYYY-MM-DD; default today; 'any' for all).",
)
_ALL_ROLES = typer.Option(
    False,
    "--all-roles",
    help="Count every tagged provision, not only obligations and prohibitions (recitals too).",
)


_COUNT_UNKNOWN = typer.Option(
    False,
    "--count-unknown",
    help="Also count instruments whose status on the date is not established.",
)


def _coverage(on: str | None, all_roles: bool, count_unknown: bool) -> Coverage:
    from detente.knowledge import Coverage, parse_date

    if on is not None and on.strip().lower() == "any":
        rule = Coverage.default(all_roles=all_roles)
        return Coverage(on=None, roles=rule.roles)
    return Coverage.default(
        parse_date(on or "", "--on"), all_roles=all_roles, count_unknown=count_unknown
    )


def _counted(singular: str, plural: str, n: int) -> str:
    """``n`` and the word it counts, as wide as the plural form, so that what follows on the
    line starts in the same column for one as for several."""
    plural_form = ngettext(singular, plural, 2) % {"n": n}
    return pad(ngettext(singular, plural, n) % {"n": n}, columns(plural_form))


def _status_short(status: dict[str, Any]) -> str:
    """An instrument's status today in a table's column, as the pages word it: "in force",
    "revoked on 2025-01-20" (the page and --json also name what revoked it)."""
    now, day = status.get("status_on_date"), status.get("status_date")
    if now == "revoked" and day:
        return _("revoked on %(date)s") % {"date": day}
    if now == "superseded" and day:
        return _("superseded on %(date)s") % {"date": day}
    words = {"in_force": _("in force"), "not_yet_in_force": _("not yet in force"),
             "draft": _("draft"), "revoked": _("revoked"), "superseded": _("superseded"),
             "illustrative": _("not a real instrument")}
    return words.get(str(now), _("status not established"))


def _bool(value: str | None) -> bool | None:
    from detente.knowledge import parse_bool

    return parse_bool(value or "", "--binding")


@app.command("import")
def import_command(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(
        None,
        help="TXT, Markdown, HTML, PDF or DOCX files (default: every file the manifest lists).",
    ),
    manifest: Path | None = typer.Option(
        None,
        metavar="CSV",
        help="A CSV describing the files: columns file, title, issuer, date and language; "
        "optional kind, binding, source_url, status and more (docs/knowledge.md).",
    ),
    title: str | None = typer.Option(None, help="Title (single file without manifest)."),
    issuer: str | None = typer.Option(None, help="Issuing state or organisation."),
    issued: str | None = typer.Option(None, "--date", help="Date, YYYY-MM-DD."),
    kind: str | None = typer.Option(
        None,
        help="law, regulation, strategy, executive_order, declaration, resolution, standard...",
    ),
    binding: str | None = typer.Option(
        None, help="yes or no (inferred from the title if omitted)."
    ),
    language: str | None = typer.Option(None, help="en, zh... (detected if omitted)."),
    source_url: str | None = typer.Option(None, help="Where the text comes from."),
    taxonomy: Path | None = _TAXONOMY,
    max_size: str = typer.Option(
        "100MB", "--max-size", help="Largest file accepted, e.g. 100MB, 2GB or bytes."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Print what would be imported and write nothing."
    ),
) -> None:
    """Import instruments: parse, split into provisions, tag. One transaction; idempotent."""
    from detente.knowledge import (
        DocumentMeta,
        import_documents,
        load_taxonomy,
        parse_date,
        parse_kind,
        parse_size,
    )

    if title and len(paths) > 1 and manifest is None:
        raise InputError(_("--title applies to a single file; use --manifest for several"))
    defaults = None
    if any([title, issuer, issued, kind, binding, language, source_url]):
        defaults = DocumentMeta(
            title=title,
            issuer=issuer,
            date=parse_date(issued or "", "--date"),
            kind=parse_kind(kind or "", "--kind"),
            binding=_bool(binding),
            language=language,
            source_url=source_url,
        )
    report = import_documents(
        open_engine(ctx),
        paths or [],
        manifest=manifest,
        defaults=defaults,
        taxonomy=load_taxonomy(taxonomy),
        max_size=parse_size(max_size, "--max-size"),
        dry_run=dry_run,
    )
    for plan in report.plans:
        counted = _("would import %(provisions)s, %(tags)s  %(title)s") % {
            "provisions": _counted("%(n)5d provision", "%(n)5d provisions", plan.provisions),
            "tags": _counted("%(n)6d tag", "%(n)6d tags", plan.tags),
            "title": plan.title,
        }
        typer.echo(counted + (aside(plan.encoding) if plan.encoding else ""))
    for doc_title, count in report.added:
        typer.echo(_("imported %(provisions)s  %(title)s") % {
            "provisions": _counted("%(n)5d provision", "%(n)5d provisions", count),
            "title": doc_title})
    for skipped in report.skipped:
        typer.echo(_("unchanged (already imported)  %(title)s") % {"title": skipped})
    typer.echo(report.describe())
    if not dry_run and report.added:
        from detente.knowledge import pending_embeddings

        waiting = pending_embeddings(open_engine(ctx))
        if waiting:
            typer.echo(
                ngettext(
                    "%(n)d provision is not yet found by meaning: run detente kb embed",
                    "%(n)d provisions are not yet found by meaning: run detente kb embed",
                    waiting,
                )
                % {"n": waiting}
            )


@app.command("embed")
def embed_command(
    ctx: typer.Context,
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Count what would be embedded and write nothing."
    ),
    json_out: str | None = json_option,
) -> None:
    """Embed provisions for search by meaning (semantic extra); later runs embed only new or changed ones."""  # noqa: E501
    from detente.knowledge import embed_provisions

    def progress(done: int, total: int) -> None:
        if json_out is None:
            typer.echo(_("embedded %(done)d of %(total)d") % {"done": done, "total": total})

    report = embed_provisions(open_engine(ctx), dry_run=dry_run, progress=progress)
    if json_out is not None:
        write_json({**report.to_json(), "dry_run": dry_run}, json_out)
        return
    counts = {"n": report.embedded, "current": report.current, "skipped": report.skipped}
    if dry_run:
        line = _("would embed %(n)d provisions; %(current)d up to date; %(skipped)d not in English")
    else:
        line = _("embedded %(n)d provisions; %(current)d up to date; %(skipped)d not in English")
    typer.echo(line % counts)


def _say_if_tags_are_stale(session: Any, taxonomy: Path | None = None) -> None:
    """A line on stderr when suggested tags were made by older tagging rules, naming the
    taxonomy file to give detente kb retag; another when suggested tags are of terms this
    taxonomy lacks (made with another taxonomy file, which detente kb retag keeps as they are),
    instead of the first.
    ``taxonomy`` is the --taxonomy option, which defaults to the ``kb_taxonomy`` setting
    (DETENTE_KB_TAXONOMY), as on the pages."""
    from detente.knowledge import load_taxonomy, tagging_status

    state = tagging_status(session, load_taxonomy(taxonomy))
    # With terms of another taxonomy file in the database, the tags were most likely made with
    # that file: say so alone rather than advise a retag with the wrong taxonomy.
    if not state["current"] and not state["foreign_terms"]:
        counts = {"n": state["stale_tags"], "file": str(taxonomy)}
        if taxonomy is None:
            line = ngettext(
                "note: %(n)d suggested tag was made by older tagging rules; run detente kb "
                "retag to refresh it (reviewed tags are kept)",
                "note: %(n)d suggested tags were made by older tagging rules; run detente "
                "kb retag to refresh them (reviewed tags are kept)",
                state["stale_tags"],
            )
        else:
            line = ngettext(
                "note: %(n)d suggested tag was made by older tagging rules; run detente kb "
                "retag --taxonomy %(file)s to refresh it (reviewed tags are kept)",
                "note: %(n)d suggested tags were made by older tagging rules; run detente "
                "kb retag --taxonomy %(file)s to refresh them (reviewed tags are kept)",
                state["stale_tags"],
            )
        typer.echo(line % counts, err=True)
    if state["foreign_terms"]:
        terms = punct("enum").join(state["foreign_terms"])
        if taxonomy is None:
            line = _("note: suggested tags of terms the shipped taxonomy lacks (%(terms)s) were "
                     "made with a taxonomy file; give it with --taxonomy or DETENTE_KB_TAXONOMY "
                     "(detente kb retag keeps them as they are)")
        else:
            line = _("note: suggested tags of terms %(file)s lacks (%(terms)s) were made with "
                     "another taxonomy file; give it with --taxonomy or DETENTE_KB_TAXONOMY "
                     "(detente kb retag keeps them as they are)")
        typer.echo(line % {"terms": terms, "file": str(taxonomy)}, err=True)


@app.command("documents")
def documents_command(
    ctx: typer.Context,
    issuer: str | None = None,
    kind: str | None = None,
    taxonomy: Path | None = _TAXONOMY,
    json_out: str | None = json_option,
) -> None:
    """List documents with their provision counts (and whether their suggested tags were made
    by the current rules of the taxonomy)."""
    from detente.knowledge import list_documents
    from detente.store import session_scope

    with session_scope(open_engine(ctx)) as session:
        docs = list_documents(session, issuer=issuer, kind=kind)
        _say_if_tags_are_stale(session, taxonomy)
    if json_out is not None:
        write_json(docs, json_out)
        return
    for d in docs:
        # The kind as --kind takes it in English; its name, as the pages say it, in Chinese.
        kind = pick(d["kind"], _(d["kind"].replace("_", " "))) if d["kind"] else "-"
        typer.echo(
            f"{d['id']:4d}  {d['date'] or '':10}  {d['provisions']:5d}  "
            f"{pad(kind or '-', 16)} {d['title'][:90]}"
        )


@app.command("show")
def show_command(
    ctx: typer.Context,
    doc: str = typer.Argument(..., help="Id or file name."),
    json_out: str | None = json_option,
) -> None:
    """A document's provisions in order, with kind, number, parent, text and tags."""
    from detente.knowledge import document_json, get_document
    from detente.store import session_scope

    with session_scope(open_engine(ctx)) as session:
        data = document_json(get_document(session, doc))
    if json_out is not None:
        write_json(data, json_out)
        return
    known = [str(part) for part in (data["issuer"], data["date"]) if part]
    typer.echo(data["title"] + (paren(punct("comma").join(known)) if known else ""))
    for p in data["provisions"]:
        tags = ", ".join(t["term"] for t in p["tags"] if t["status"] != "rejected")
        typer.echo(f"{'  ' * p['depth']}{p['label']}  {(p['title'] or p['text'])[:80]}  [{tags}]")


@app.command("taxonomy")
def taxonomy_command(
    taxonomy: Path | None = _TAXONOMY, json_out: str | None = json_option
) -> None:
    """Print the taxonomy (with any user extension), validated."""
    from detente.knowledge import load_taxonomy

    tax = load_taxonomy(taxonomy)
    if json_out is not None:
        write_json(tax.to_json(), json_out)
        return
    typer.echo(_("taxonomy version %(version)s") % {"version": tax.version}
               + paren(punct("enum").join(tax.sources)))
    for facet in tax.facets:
        typer.echo(f"\n{tax.facets[facet]['label_en']} / {tax.facets[facet]['label_zh']}")
        for term in tax.by_facet(facet):
            typer.echo(f"  {term.id:30} {term.label_en} / {term.label_zh}")


@app.command("import-risks")
def import_risks_command(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="mit_ai_risk_database_v3.csv or its folder."),
    taxonomy: Path | None = _TAXONOMY,
) -> None:
    """Import the MIT AI Risk Repository, mapping its domains onto our terms."""
    from detente.knowledge import import_risks, load_taxonomy

    typer.echo(import_risks(open_engine(ctx), path, load_taxonomy(taxonomy)).describe())


@app.command("search")
def search_command(
    ctx: typer.Context,
    query: str = typer.Argument("", metavar="[QUERY]", help="Words to find, English or "
                                "Chinese; with none, a filter (--term, --issuer...) browses "
                                "the provisions it selects."),
    term: str | None = typer.Option(None, metavar="TERM", help="Only provisions tagged with this "
                                    "taxonomy term (an id from kb taxonomy)."),
    issuer: str | None = typer.Option(None, metavar="ISSUER", help="Only this issuer."),
    kind: str | None = typer.Option(None, metavar="KIND", help="Only this kind of instrument."),
    date_from: str | None = typer.Option(None, "--from", metavar="DATE",
                                         help="Instruments dated on or after this day."),
    date_to: str | None = typer.Option(None, "--to", metavar="DATE",
                                       help="Instruments dated on or before this day."),
    binding: str | None = typer.Option(None, metavar="yes|no",
                                       help="Only binding (yes) or non-binding (no) ones."),
    status: str | None = typer.Option(
        None, metavar="in_force|not_in_force|unknown",
        help="Only instruments in force today, no longer or not yet in force (revoked, "
        "superseded, draft), or whose status is not established."),
    limit: int = typer.Option(20, metavar="N", help="Most hits shown."),
    json_out: str | None = json_option,
) -> None:
    """Full-text search over provisions (English and Chinese); without words, browse what a
    filter selects (kb search --term cyber)."""
    from detente.knowledge import SearchFilters, browse, parse_date, search, status_filter
    from detente.store import session_scope

    if not query.strip() and not any((term, issuer, kind, date_from, date_to, binding, status)):
        # Nothing to find and nothing to browse by: the usage mistake of a missing argument,
        # said before any setting or database is read.
        from typer._click import exceptions as click_errors

        query_param: Any = next(p for p in ctx.command.params if p.name == "query")
        raise click_errors.MissingParameter(ctx=ctx, param=query_param)
    filters = SearchFilters(
        term=term,
        issuer=issuer,
        kind=kind,
        date_from=parse_date(date_from or "", "--from"),
        date_to=parse_date(date_to or "", "--to"),
        binding=_bool(binding),
        status=status_filter(status, "--status"),
    )
    browsed = None
    with session_scope(open_engine(ctx)) as session:
        if query.strip():
            hits = search(session, query, filters, limit=limit)
        else:
            browsed = browse(session, filters, limit=limit, location="QUERY")
            hits = browsed.hits
    if json_out is not None:
        write_json([h.to_json() for h in hits], json_out)
        return
    if browsed is not None:
        typer.echo(_("no words given: %(selected)s, instruments in force first, then "
                     "obligations and prohibitions, then reviewed and more confident tags") % {
            "selected": ngettext("%(n)d provision selected by the filters",
                                 "%(n)d provisions selected by the filters",
                                 browsed.total) % {"n": browsed.total}})
    for h in hits:
        marked = "".join(f"[{part}]" if hit else part for part, hit in h.snippet)
        notes = []
        if h.translated:
            words = h.translated[0]
            notes.append(_("found through the other language: %(words)s") % {"words": words})
        if h.semantic:
            notes.append(_("found by meaning: none of the query's words is in it"))
        opening, closing = punct("open").strip(), punct("close")
        via = "".join(f"\n         {opening}{note}{closing}" for note in notes)
        document = pad(clip(h.document, 36), 36)
        status = pad(clip(_status_short(h.document_status), 22), 22)
        typer.echo(f"{h.score:7.2f}  {document}  {status}  {h.path}\n         {marked}{via}")
    typer.echo(ngettext("%(n)d hit", "%(n)d hits", len(hits)) % {"n": len(hits)})


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    issuers: list[str] = typer.Argument(..., help="e.g. 'United States' EU China 'United Nations'"),
    json_out: str | None = json_option,
    csv_out: Path | None = _CSV,
    taxonomy: Path | None = _TAXONOMY,
    on: str | None = _ON,
    all_roles: bool = _ALL_ROLES,
    count_unknown: bool = _COUNT_UNKNOWN,
) -> None:
    """Issuers side by side per taxonomy term, with cited provisions (binding obligations and
    prohibitions of instruments in force on a date count; recitals are context)."""
    from detente.knowledge import compare_issuers, comparison_csv, load_taxonomy
    from detente.store import session_scope

    with session_scope(open_engine(ctx)) as session:
        data = compare_issuers(
            session,
            issuers,
            load_taxonomy(taxonomy),
            coverage=_coverage(on, all_roles, count_unknown),
        )
    if csv_out is not None:
        csv_out.write_text(comparison_csv(data), encoding="utf-8")
    if json_out is not None:
        write_json(data, json_out)
    elif csv_out is None and not data["assessable"]:
        typer.echo(_not_assessable())
    elif csv_out is None:
        _comparison_table(data)


def _comparison_table(data: dict[str, Any]) -> None:
    """Terms down, issuers across: the provisions that count, * where one binds."""
    from detente.i18n import current_language
    from detente.knowledge import basis_text

    label = "label_zh" if current_language() == "zh" else "label_en"
    issuers = list(data["issuers"])
    width = max([columns(t[label]) for t in data["terms"]] + [10])
    typer.echo(pad("", width) + "  " + "  ".join(pad(clip(i, 14), 14, True) for i in issuers))
    for term in data["terms"]:
        cells = [term["issuers"][i] for i in issuers]
        if not any(c["count"] or _later(c) for c in cells):
            continue
        shown = [(f"{c['count']}{'*' if c['binding'] else ' '}" if c["count"] else "-")
                 + _later(c) for c in cells]
        typer.echo(pad(term[label], width) + "  " + "  ".join(pad(x, 14, True) for x in shown))
    typer.echo(_("* binding; terms without any provision are left out; --json FILE|- for the "
                 "cited provisions"))
    typer.echo(basis_text(data["basis"]))
    if any(_later(term["issuers"][i]) for term in data["terms"] for i in issuers):
        typer.echo(_("+N: provisions of instruments in force that apply only after the date "
                     "(the AI Act applies in stages, Art. 113)"))


def _later(cell: dict[str, Any]) -> str:
    """' +N' for the provisions of a cell that are in force but do not yet apply, or ''."""
    waiting = sum(int(x["provisions"]) for x in cell.get("not_yet_applicable", []))
    return f" +{waiting}" if waiting else ""


def _not_assessable() -> str:
    """What ``kb gaps`` and ``kb compare`` say while no instrument could count as coverage."""
    return _("coverage cannot be assessed yet: the knowledge base holds no governance "
             "instrument (an illustrative sample, such as the demo's, never counts), so no "
             "cell is covered or a gap; import instruments first: detente kb import FILE... "
             "--manifest manifest.csv")


@app.command("gaps")
def gaps_command(
    ctx: typer.Context,
    json_out: str | None = json_option,
    csv_out: Path | None = _CSV,
    taxonomy: Path | None = _TAXONOMY,
    on: str | None = _ON,
    all_roles: bool = _ALL_ROLES,
    count_unknown: bool = _COUNT_UNKNOWN,
) -> None:
    """Coverage matrix (risk domain × governance tool), the gaps, and the red-line register.

    By default a cell counts binding obligations and prohibitions of instruments in force today
    (--on DATE for another day); exclusions are listed as exclusions."""
    from detente.knowledge import basis_text, coverage_matrix, load_taxonomy, matrix_csv, red_lines
    from detente.store import session_scope

    rule = _coverage(on, all_roles, count_unknown)
    with session_scope(open_engine(ctx)) as session:
        data = coverage_matrix(session, load_taxonomy(taxonomy), coverage=rule)
        data["red_lines"] = red_lines(session)
        _say_if_tags_are_stale(session, taxonomy)
    if csv_out is not None:
        csv_out.write_text(matrix_csv(data), encoding="utf-8")
    if json_out is not None:
        write_json(data, json_out)
    elif csv_out is None and not data["assessable"]:
        typer.echo(_not_assessable())
    elif csv_out is None:
        typer.echo(_("in force on %(date)s; counting %(roles)s") % {
            "date": rule.on or _("any date"),
            "roles": punct("enum").join(_(role) for role in rule.roles)})
        if rule.on:
            typer.echo(_("a provision counts from the day it applies (the AI Act applies in "
                         "stages, Art. 113)"))
        typer.echo(basis_text(data["basis"]))
        cells = {(c["domain"], c["tool"]): c for row in data["matrix"] for c in row}
        statuses = {"gap": _("gap"), "non-binding only": _("non-binding only"),
                    "exclusion": _("exclusion")}
        width = max(17, *map(columns, statuses.values()))
        # Terms by id in English (the ids --term takes), by their Chinese names in Chinese.
        names = {t["id"]: pick(t["id"], t["label_zh"]) for t in data["domains"] + data["tools"]}
        for cell in data["gaps"]:
            status = statuses.get(cell["status"], cell["status"])
            domain, tool = (names.get(cell[k], cell[k]) for k in ("domain", "tool"))
            waiting = [
                ngettext("in force, applies from %(date)s: %(num)d provision of %(instrument)s",
                         "in force, applies from %(date)s: %(num)d provisions of %(instrument)s",
                         x["provisions"])
                % {"date": x["applies_from"], "num": x["provisions"],
                   "instrument": x["short_title"]}
                for x in cells[(cell["domain"], cell["tool"])]["not_yet_applicable"]]
            later = aside(punct("semicolon").join(waiting)) if waiting else ""
            typer.echo(f"{pad(status, width)} {domain} × {tool}{later}")
        for items in data["exclusions"].values():
            for item in items:
                typer.echo(f"{pad(statuses['exclusion'], width)} "
                           f"{pick(item['text_en'], item['text_zh'])}")


@app.command("retrain")
def retrain_command(
    ctx: typer.Context,
    gold: Path | None = typer.Option(
        None, help="Also train on a gold labels CSV (file,path,labels)."
    ),
    taxonomy: Path | None = _TAXONOMY,
) -> None:
    """Train the tag classifier on reviewed labels and re-tag all provisions."""
    from detente.knowledge import load_taxonomy, retrain

    result = retrain(open_engine(ctx), gold=gold, taxonomy=load_taxonomy(taxonomy))
    examples, terms, tags = result["examples"], len(result["terms"]), result["suggested_tags"]
    typer.echo(_("trained on %(provisions)s for %(terms)s; %(tags)s recomputed") % {
        "provisions": ngettext("%(n)d provision", "%(n)d provisions", examples) % {"n": examples},
        "terms": ngettext("%(n)d term", "%(n)d terms", terms) % {"n": terms},
        "tags": ngettext("%(n)d suggested tag", "%(n)d suggested tags", tags) % {"n": tags},
    })
    if result["gold_skipped"]:
        typer.echo(
            ngettext(
                "%(n)d gold row skipped: its provision is not in the database",
                "%(n)d gold rows skipped: their provision is not in the database",
                result["gold_skipped"],
            )
            % {"n": result["gold_skipped"]}
        )


@app.command("retag")
def retag_command(ctx: typer.Context, taxonomy: Path | None = _TAXONOMY) -> None:
    """Recompute every suggested tag with the current lexicon rules and classifier (reviewed
    tags are kept) and read every provision's role again; run it after the taxonomy's rules or
    detente's role rules change. Suggested tags of terms the taxonomy lacks are kept."""
    from detente.knowledge import load_taxonomy, reread_roles, retag_all
    from detente.store import session_scope

    with session_scope(open_engine(ctx)) as session:
        count = retag_all(session, load_taxonomy(taxonomy))
        roles = reread_roles(session)
    typer.echo(
        ngettext("%(n)d suggested tag recomputed", "%(n)d suggested tags recomputed", count)
        % {"n": count}
    )
    typer.echo(
        ngettext("%(n)d provision's role changed", "%(n)d provisions' roles changed", roles)
        % {"n": roles}
    )


@app.command("evaluate")
def evaluate_command(
    ctx: typer.Context,
    gold: Path = typer.Argument(..., help="Gold labels CSV."),
    folds: int = 5,
    json_out: str | None = json_option,
    taxonomy: Path | None = _TAXONOMY,
) -> None:
    """Precision, recall and F1 of the tagger against gold labels (classifier cross-validated)."""
    from detente.knowledge import evaluate_gold, load_taxonomy
    from detente.store import session_scope

    with session_scope(open_engine(ctx)) as session:
        report = evaluate_gold(session, gold, load_taxonomy(taxonomy), folds=folds)
    if json_out is not None:
        write_json(report, json_out)
        return  # the table after the JSON on standard output would make it unreadable
    parts = {"all": _("all"), "dev": _("dev"), "held_out": _("held_out")}
    methods = {"rules": _("rules"), "classifier": _("classifier"), "combined": _("combined")}
    part_width = max(9, *map(columns, parts.values()))
    method_width = max(10, *map(columns, methods.values()))
    for part, part_label in parts.items():
        data = report if part == "all" else report[part]
        for method, method_label in methods.items():
            m = data[method]["micro"]
            typer.echo(
                f"{pad(part_label, part_width)} {pad(method_label, method_width)} "
                + _("micro P=%(precision).3f R=%(recall).3f F1=%(f1).3f") % m
            )


def register(root: typer.Typer) -> None:
    """Add this capability's commands to the root ``detente`` command."""
    root.add_typer(app, name="kb")
