"""Knowledge-base pages (/kb...) and JSON API (/api/kb/...).

Pages: documents (/kb), a document's provisions with tags and, for organizers, review controls
(/kb/documents/{id}), search, comparison, coverage gaps with the red-line register, the
provisions one cell of the coverage matrix counts (/kb/gaps/{domain}/{tool}), taxonomy.
Tag reviews need an organizer login and a CSRF token, and are audited.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import Field
from sqlalchemy.orm import Session as DbSession

from detente.accounts import User
from detente.errors import InputError
from detente.i18n import current_language
from detente.i18n import gettext as _
from detente.knowledge import (
    KINDS,
    STATUS_FILTERS,
    Coverage,
    SearchFilters,
    Taxonomy,
    basis_text,
    browse,
    compare_issuers,
    comparison_csv,
    coverage_cell,
    coverage_matrix,
    display_label,
    document_json,
    get_document,
    has_filter,
    jurisdiction_name,
    language_name,
    list_documents,
    load_taxonomy,
    matrix_csv,
    parse_bool,
    parse_date,
    red_lines,
    retrain,
    review_tag,
    rows_csv,
    search,
    status_filter,
    tagging_status,
)
from detente.web.deps import get_db
from detente.web.edge import MAX_ID, NO_NUL, FormId, Id, StrictModel
from detente.web.offload import run_cpu
from detente.web.security import current_user, require_organizer, verify_csrf
from detente.web.templating import render

router = APIRouter()

DEFAULT_ISSUERS = ["United States", "European Union", "China", "United Nations"]
_CSS = "/static/knowledge.css"
#: The colour of a binding cell of the coverage matrix at full shade (over white).
_SHADE_RGB = (20, 90, 160)


def _page(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
    """Render a knowledge-base page with its style sheet and the helpers that put labels,
    languages and jurisdictions in the page's language."""
    lang = current_language()
    return render(
        request,
        name,
        {
            "css": _CSS,
            "kb_label": lambda text: display_label(str(text), lang),
            "language_name": lambda code: language_name(code, lang),
            "jurisdiction_name": lambda name: jurisdiction_name(name, lang),
            "status_filters": STATUS_FILTERS,
            "basis_text": basis_text,
            **context,
        },
    )


def _luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance of an sRGB colour (0-255 channels)."""
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def cell_colours(provisions: int, peak: int) -> tuple[str, str]:
    """Background and text colour of a binding cell with ``provisions`` of ``peak``: the more
    provisions, the darker the blue; black text where it keeps a contrast of 4.5:1 (WCAG AA),
    else white (black on the darkest blue was 2.99:1)."""
    alpha = 0.25 + 0.75 * min(provisions, peak) / max(peak, 1) if provisions else 0.0
    rgb = tuple(round(255 - alpha * (255 - c)) for c in _SHADE_RGB)
    luminance = _luminance((rgb[0], rgb[1], rgb[2]))
    ink = "#000000" if (luminance + 0.05) / 0.05 >= 4.5 else "#ffffff"
    return "#{:02x}{:02x}{:02x}".format(*rgb), ink


@lru_cache(maxsize=4)
def _taxonomy_from(path: str | None) -> Taxonomy:
    return load_taxonomy(path)


def taxonomy(request: Request) -> Taxonomy:
    """The shipped taxonomy, extended by the file of the ``kb_taxonomy`` setting
    (``DETENTE_KB_TAXONOMY``) if set."""
    return _taxonomy_from(request.app.state.settings.kb_taxonomy)


Tax = Annotated[Taxonomy, Depends(taxonomy)]


def _filters(
    tax: Taxonomy,
    term: str | None,
    issuer: str | None,
    kind: str | None,
    date_from: str | None,
    date_to: str | None,
    binding: str | None,
    status: str | None = None,
) -> SearchFilters:
    if term and term not in tax:
        raise InputError(_("unknown taxonomy term %(term)r") % {"term": term}, location="term")
    if kind and kind not in KINDS:
        raise InputError(_("unknown kind %(kind)r") % {"kind": kind}, location="kind")
    return SearchFilters(
        term=term or None,
        issuer=issuer or None,
        kind=kind or None,
        date_from=parse_date(date_from or "", "from"),
        date_to=parse_date(date_to or "", "to"),
        binding=parse_bool(binding or "", "binding"),
        status=status_filter(status),
    )


def _coverage(on: str | None, all_roles: bool, count_unknown: bool = False) -> Coverage:
    """The coverage rule of a request: in force on ``on`` (default today, 'any' for every
    instrument), obligations and prohibitions unless ``all_roles``, instruments of unknown
    status only with ``count_unknown``."""
    if on and on.strip().lower() == "any":
        return Coverage(on=None, roles=Coverage.default(all_roles=all_roles).roles)
    return Coverage.default(
        parse_date(on or "", "on"), all_roles=all_roles, count_unknown=count_unknown
    )


def _labels(tax: Taxonomy) -> dict[str, dict[str, str]]:
    return {t.id: {"en": t.label_en, "zh": t.label_zh, "facet": t.facet} for t in tax.terms}


# --- pages ----------------------------------------------------------------------------------


@router.get("/kb", response_class=HTMLResponse, include_in_schema=False)
def kb_index(
    tax: Tax,
    request: Request,
    issuer: str | None = None,
    kind: str | None = None,
    binding: str | None = None,
    status: str | None = None,
    db: DbSession = Depends(get_db),
) -> HTMLResponse:
    """Documents with provision counts and their status today, filterable; how to import
    when the base is empty."""
    documents = list_documents(
        db,
        issuer=issuer or None,
        kind=kind or None,
        binding=parse_bool(binding or "", "binding"),
        status=status_filter(status),
    )
    filters = {
        "issuer": issuer or "",
        "kind": kind or "",
        "binding": binding or "",
        "status": status or "",
    }
    return _page(
        request,
        "knowledge/index.html",
        {
            "documents": documents,
            "kinds": KINDS,
            "filters": filters,
            "filtered": any(filters.values()),
            "tagging": tagging_status(db, tax),
        },
    )


@router.get("/kb/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
def kb_document(
    tax: Tax,
    doc_id: Id,
    request: Request,
    db: DbSession = Depends(get_db),
    user: User | None = Depends(current_user),
) -> HTMLResponse:
    """A document's provisions in their hierarchy, with tags (and review forms for organizers)."""
    document = document_json(get_document(db, doc_id))
    return _page(
        request,
        "knowledge/document.html",
        {
            "doc": document,
            "labels": _labels(tax),
            "can_review": bool(user and user.is_organizer),
            "taggable": [t for t in tax.terms if t.facet != "theme"],
        },
    )


@router.post(
    "/kb/provisions/{provision_id}/tags",
    include_in_schema=False,
    dependencies=[Depends(verify_csrf)],
)
def kb_review(
    tax: Tax,
    provision_id: Id,
    document_id: FormId,
    term: str = Form(...),
    action: str = Form(...),
    db: DbSession = Depends(get_db),
    user: User = Depends(require_organizer),
) -> RedirectResponse:
    """Accept, reject or add a tag (organizers only, CSRF-checked, audited)."""
    review_tag(db, user, provision_id, term, action, tax)
    return RedirectResponse(f"/kb/documents/{document_id}#p{provision_id}", status_code=303)


@router.post("/kb/retrain", include_in_schema=False, dependencies=[Depends(verify_csrf)])
async def kb_retrain(tax: Tax, request: Request,
                     user: User = Depends(require_organizer)) -> RedirectResponse:
    """Retrain the classifier on reviewed labels and recompute suggested tags (in the CPU
    pool, off the event loop)."""
    await run_cpu(request, retrain, request.app.state.engine, taxonomy=tax)
    return RedirectResponse("/kb?retrained=1", status_code=303)


@router.get("/kb/search", response_class=HTMLResponse, include_in_schema=False)
def kb_search_page(
    tax: Tax,
    request: Request,
    q: str = "",
    term: str | None = None,
    issuer: str | None = None,
    kind: str | None = None,
    date_from: str | None = Query(None, alias="from"),
    date_to: str | None = Query(None, alias="to"),
    binding: str | None = None,
    status: str | None = None,
    db: DbSession = Depends(get_db),
) -> HTMLResponse:
    """Search form and results, each in context with its numbering, its instrument's status
    and a link."""
    filters = _filters(tax, term, issuer, kind, date_from, date_to, binding, status)
    # Words search; a filter alone (a term, an issuer...) browses what it selects.
    browsed = browse(db, filters, limit=100) if not q.strip() and has_filter(filters) else None
    hits = search(db, q, filters, limit=100) if q.strip() else browsed.hits if browsed else []
    return _page(
        request,
        "knowledge/search.html",
        {
            "q": q,
            "hits": hits,
            "browsed": browsed,
            "asked": bool(request.query_params),
            "term_label": _labels(tax).get(term or ""),
            "labels": _labels(tax),
            "kinds": KINDS,
            "terms": [t for t in tax.terms],
            "filters": {
                "term": term or "",
                "issuer": issuer or "",
                "kind": kind or "",
                "from": date_from or "",
                "to": date_to or "",
                "binding": binding or "",
                "status": status or "",
            },
        },
    )


@router.get("/kb/compare", response_class=HTMLResponse, include_in_schema=False)
def kb_compare_page(
    tax: Tax,
    request: Request,
    issuer: list[str] = Query(default=[]),
    facet: str | None = None,
    on: str | None = None,
    all_roles: bool = False,
    count_unknown: bool = False,
    db: DbSession = Depends(get_db),
) -> HTMLResponse:
    """Chosen issuers side by side per taxonomy term, with cited provisions (by default the
    United States, the EU, China and the UN, named in the page's language)."""
    lang = current_language()
    issuers = [i for i in issuer if i.strip()] or [
        str(jurisdiction_name(i, lang)) for i in DEFAULT_ISSUERS
    ]
    rule = _coverage(on, all_roles, count_unknown)
    data = compare_issuers(db, issuers, tax, coverage=rule)
    terms = [t for t in data["terms"] if not facet or t["facet"] == facet]
    return _page(
        request,
        "knowledge/compare.html",
        {
            "data": data,
            "terms": terms,
            "issuers": issuers,
            "facet": facet or "",
            "facets": tax.facets,
            "rule": rule,
            "on": on or "",
            "all_roles": all_roles,
            "count_unknown": count_unknown,
        },
    )


@router.get("/kb/gaps", response_class=HTMLResponse, include_in_schema=False)
def kb_gaps_page(
    tax: Tax,
    request: Request,
    on: str | None = None,
    all_roles: bool = False,
    count_unknown: bool = False,
    db: DbSession = Depends(get_db),
) -> HTMLResponse:
    """Coverage heatmap (risk domain × governance tool), the gaps, and the red-line register."""
    rule = _coverage(on, all_roles, count_unknown)
    data = coverage_matrix(db, tax, coverage=rule)
    peak = max([c["provisions"] for row in data["matrix"] for c in row] + [1])
    colours = [[cell_colours(c["provisions"], peak) for c in row] for row in data["matrix"]]
    return _page(
        request,
        "knowledge/gaps.html",
        {
            "data": data,
            "colours": colours,
            "red_lines": red_lines(db),
            "rule": rule,
            "on": on or "",
            "all_roles": all_roles,
            "count_unknown": count_unknown,
            "rule_query": _rule_query(rule, on, all_roles, count_unknown),
        },
    )


def _rule_query(rule: Coverage, on: str | None, all_roles: bool, count_unknown: bool) -> str:
    """The query string that repeats a coverage rule on another page."""
    day = on or (rule.on.isoformat() if rule.on else "any")
    return urlencode(
        {"on": day}
        | ({"all_roles": "true"} if all_roles else {})
        | ({"count_unknown": "true"} if count_unknown else {})
    )


@router.get("/kb/gaps/{domain}/{tool}", response_class=HTMLResponse, include_in_schema=False)
def kb_gap_cell_page(
    tax: Tax,
    request: Request,
    domain: str,
    tool: str,
    on: str | None = None,
    all_roles: bool = False,
    count_unknown: bool = False,
    db: DbSession = Depends(get_db),
) -> HTMLResponse:
    """The provisions one cell of the coverage matrix counts, by instrument, and what it
    does not count (context, provisions of an instrument that excludes the domain,
    instruments not in force or of unknown status)."""
    rule = _coverage(on, all_roles, count_unknown)
    return _page(
        request,
        "knowledge/gap_cell.html",
        {
            "cell": coverage_cell(db, tax, domain, tool, coverage=rule),
            "rule": rule,
            "on": on or "",
            "all_roles": all_roles,
            "count_unknown": count_unknown,
            "rule_query": _rule_query(rule, on, all_roles, count_unknown),
        },
    )


@router.get("/kb/gaps.csv", include_in_schema=False)
def kb_gaps_csv(
    tax: Tax,
    on: str | None = None,
    all_roles: bool = False,
    count_unknown: bool = False,
    db: DbSession = Depends(get_db),
) -> Response:
    """The coverage matrix as CSV."""
    return Response(
        matrix_csv(
            coverage_matrix(db, tax, coverage=_coverage(on, all_roles, count_unknown))
        ),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="kb-coverage.csv"'},
    )


@router.get("/kb/compare.csv", include_in_schema=False)
def kb_compare_csv(
    tax: Tax,
    issuer: list[str] = Query(default=[]),
    on: str | None = None,
    all_roles: bool = False,
    count_unknown: bool = False,
    db: DbSession = Depends(get_db),
) -> Response:
    """The comparison as CSV: one row per term and issuer."""
    data = compare_issuers(
        db,
        [i for i in issuer if i.strip()] or DEFAULT_ISSUERS,
        tax,
        coverage=_coverage(on, all_roles, count_unknown),
    )
    return Response(
        comparison_csv(data),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="kb-compare.csv"'},
    )


@router.get("/kb/red-lines.csv", include_in_schema=False)
def kb_red_lines_csv(db: DbSession = Depends(get_db)) -> Response:
    """The red-line register as CSV."""
    return Response(
        rows_csv(
            red_lines(db),
            [
                "document",
                "issuer",
                "path",
                "binding",
                "text",
                "confidence",
                "status",
                "inherited_from",
            ],
        ),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="kb-red-lines.csv"'},
    )


@router.get("/kb/taxonomy", response_class=HTMLResponse, include_in_schema=False)
def kb_taxonomy_page(tax: Tax, request: Request) -> HTMLResponse:
    """Every term with both labels, its definition and the words it is recognised by."""
    from detente.knowledge import rule_phrases

    phrases = {t.id: [p for rule in t.en for p in rule_phrases(rule, limit=3)] for t in tax.terms}
    return _page(request, "knowledge/taxonomy.html", {"tax": tax, "phrases": phrases})


# --- JSON API -------------------------------------------------------------------------------


class TagReview(StrictModel):
    """A tag review: ``action`` is accept, reject or add."""

    term: str = Field(max_length=200, pattern=NO_NUL)
    action: str = Field(max_length=20, pattern=NO_NUL)


@router.get("/api/kb/documents", tags=["knowledge"])
def api_documents(
    issuer: str | None = None,
    kind: str | None = None,
    binding: bool | None = None,
    status: str | None = Query(
        None, description="The status today: in_force, not_in_force or unknown."
    ),
    db: DbSession = Depends(get_db),
) -> list[dict[str, Any]]:
    """Documents with metadata, provision counts and their status today."""
    return list_documents(db, issuer=issuer, kind=kind, binding=binding,
                          status=status_filter(status))


@router.get("/api/kb/documents/{doc_id}", tags=["knowledge"])
def api_document(doc_id: Id, db: DbSession = Depends(get_db)) -> dict[str, Any]:
    """A document with its provisions in order (kind, number, parent, text, tags)."""
    return document_json(get_document(db, doc_id))


@router.get("/api/kb/search", tags=["knowledge"])
def api_search(
    tax: Tax,
    q: str = Query("", description="Words to find; with none, a filter (term, issuer...) "
                   "browses the provisions it selects, ranked."),
    term: str | None = None,
    issuer: str | None = None,
    kind: str | None = None,
    date_from: str | None = Query(None, alias="from"),
    date_to: str | None = Query(None, alias="to"),
    binding: str | None = None,
    status: str | None = Query(
        None, description="The instrument's status today: in_force, not_in_force or unknown."
    ),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_ID),
    db: DbSession = Depends(get_db),
) -> list[dict[str, Any]]:
    """Full-text search in English or Chinese; hits with document, number, kind, text, score
    and the instrument's status today (``document_status``). Without words, the provisions the
    filters select (e.g. ``term=cyber``), ranked: instruments in force first, then binding
    roles, then reviewed and more confident tags (``score`` is the tag's confidence)."""
    filters = _filters(tax, term, issuer, kind, date_from, date_to, binding, status)
    if not q.strip():
        return [h.to_json() for h in browse(db, filters, limit=limit, offset=offset).hits]
    return [h.to_json() for h in search(db, q, filters, limit=limit, offset=offset)]


@router.get("/api/kb/compare", tags=["knowledge"])
def api_compare(
    tax: Tax,
    issuer: list[str] = Query(default=[]),
    on: str | None = Query(None, description="In force on YYYY-MM-DD (default today; 'any')."),
    all_roles: bool = Query(False, description="Count every role, not only obligations."),
    count_unknown: bool = Query(False, description="Count instruments of unknown status."),
    db: DbSession = Depends(get_db),
) -> dict[str, Any]:
    """Issuers side by side per taxonomy term (default: US, EU, China, UN): binding obligations
    and prohibitions of instruments in force on the date count; exclusions are listed."""
    return compare_issuers(
        db,
        [i for i in issuer if i.strip()] or DEFAULT_ISSUERS,
        tax,
        coverage=_coverage(on, all_roles, count_unknown),
    )


@router.get("/api/kb/gaps", tags=["knowledge"])
def api_gaps(
    tax: Tax,
    on: str | None = Query(None, description="In force on YYYY-MM-DD (default today; 'any')."),
    all_roles: bool = Query(False, description="Count every role, not only obligations."),
    count_unknown: bool = Query(False, description="Count instruments of unknown status."),
    db: DbSession = Depends(get_db),
) -> dict[str, Any]:
    """Coverage matrix of risk domain × governance tool, with the gaps and the exclusions."""
    return coverage_matrix(db, tax, coverage=_coverage(on, all_roles, count_unknown))


@router.get("/api/kb/gaps/{domain}/{tool}", tags=["knowledge"])
def api_gap_cell(
    tax: Tax,
    domain: str,
    tool: str,
    on: str | None = Query(None, description="In force on YYYY-MM-DD (default today; 'any')."),
    all_roles: bool = Query(False, description="Count every role, not only obligations."),
    count_unknown: bool = Query(False, description="Count instruments of unknown status."),
    db: DbSession = Depends(get_db),
) -> dict[str, Any]:
    """The provisions one cell of the coverage matrix (risk domain × governance tool)
    counts, by instrument, with what it does not count."""
    return coverage_cell(
        db, tax, domain, tool, coverage=_coverage(on, all_roles, count_unknown)
    )


@router.get("/api/kb/red-lines", tags=["knowledge"])
def api_red_lines(
    issuer: str | None = None, db: DbSession = Depends(get_db)
) -> list[dict[str, Any]]:
    """Provisions that prohibit, across instruments."""
    return red_lines(db, issuer=issuer)


@router.get("/api/kb/taxonomy", tags=["knowledge"])
def api_taxonomy(tax: Tax) -> dict[str, Any]:
    """The taxonomy with labels in English and Chinese, definitions, rules and MIT crosswalk."""
    return tax.to_json()


@router.post(
    "/api/kb/provisions/{provision_id}/tags",
    tags=["knowledge"],
    dependencies=[Depends(verify_csrf)],
)
def api_review(
    tax: Tax,
    provision_id: Id,
    review: TagReview,
    db: DbSession = Depends(get_db),
    user: User = Depends(require_organizer),
) -> dict[str, Any]:
    """Accept, reject or add a tag (organizer session + ``X-CSRF-Token`` header; audited)."""
    tag = review_tag(db, user, provision_id, review.term, review.action, tax)
    return {
        "provision_id": provision_id,
        "term": tag.term,
        "status": tag.status,
        "source": tag.source,
    }
