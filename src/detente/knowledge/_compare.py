"""Side-by-side comparison, the coverage (gap) matrix and the register of red lines.

All three read the tags that stand (suggested or accepted; rejected tags are ignored) and the
document metadata. Coverage counts what binds: by default the obligations and prohibitions of
instruments in force on a chosen date (today unless given), so recitals, definitions and scope
clauses are context, an exclusion ("This Regulation does not apply to ... military ...") is shown
as an exclusion, and a revoked instrument stops counting on the day of its revocation. A cell of
the coverage matrix (risk domain × governance tool) lists the instruments with at least one such
provision tagged with both terms, and whether any of them is binding; an empty cell, or one
covered only by non-binding instruments, is a governance gap.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from detente.errors import InputError
from detente.i18n import gettext as _
from detente.knowledge._legal import (
    OPERATIVE_ROLES,
    ROLES,
    in_force_on,
    short_citation,
    short_title,
    status_on,
)
from detente.knowledge._taxonomy import Taxonomy
from detente.safecsv import SafeWriter, safe_cell
from detente.store.models.knowledge import KbDocument, KbProvision, KbTag

__all__ = [
    "Coverage",
    "compare_issuers",
    "coverage_matrix",
    "csv_cell",
    "matrix_csv",
    "red_lines",
    "rows_csv",
]

_LIVE = ("suggested", "accepted")


@dataclass(frozen=True)
class Coverage:
    """What counts as coverage: provisions of these ``roles`` of instruments in force ``on`` a
    date (every instrument, whatever its status, when ``on`` is None)."""

    on: date | None = None
    roles: tuple[str, ...] = OPERATIVE_ROLES
    count_unknown: bool = False

    @classmethod
    def default(
        cls, on: date | None = None, *, all_roles: bool = False, count_unknown: bool = False
    ) -> Coverage:
        """Binding obligations and prohibitions in force today (or on ``on``)."""
        roles = tuple(r for r in ROLES if r not in {"exclusion"}) if all_roles else OPERATIVE_ROLES
        return cls(on=on or date.today(), roles=roles, count_unknown=count_unknown)

    def live(self, document: KbDocument) -> bool:
        """Whether the document's provisions count on the rule's date."""
        return in_force_on(
            document.status,
            document.status_date,
            document.date,
            self.on,
            count_unknown=self.count_unknown,
        )

    def unestablished(self, document: KbDocument) -> bool:
        """Whether the document's status on the date is not established (and not counted)."""
        return (
            self.on is not None
            and not self.count_unknown
            and status_on(document.status, document.status_date, document.date, self.on)
            == "unknown"
        )

    def to_json(self) -> dict[str, object]:
        """The rule, for JSON output and pages."""
        return {
            "on": self.on.isoformat() if self.on else None,
            "roles": list(self.roles),
            "count_unknown": self.count_unknown,
        }


def _status_json(document: KbDocument, on: date | None) -> dict[str, object]:
    now = (
        status_on(document.status, document.status_date, document.date, on)
        if on is not None
        else (document.status or "unknown")
    )
    return {
        "status": document.status or "unknown",
        "status_on_date": now,
        "status_date": document.status_date.isoformat() if document.status_date else None,
        "status_by": document.status_by,
        "in_force": in_force_on(document.status, document.status_date, document.date, on),
        "established": on is None
        or status_on(document.status, document.status_date, document.date, on) != "unknown",
    }


def _cite(provision: KbProvision, document: KbDocument) -> dict[str, object]:
    return {
        "document_id": document.id,
        "document": document.title,
        "short_title": short_title(document.title),
        "provision_id": provision.id,
        "path": provision.path,
        "citation": short_citation(provision.path),
        "kind": provision.kind,
        "role": provision.role,
        "number": provision.number,
        "binding": document.binding,
        "excerpt": (provision.title or provision.text or "")[:240],
    }


def _exclusion_json(
    provision: KbProvision, document: KbDocument, term: dict[str, str]
) -> dict[str, object]:
    cite = _cite(provision, document)
    short, citation = cite["short_title"], cite["citation"]
    return {
        **cite,
        "text_en": f"{short} excludes {term['label_en'][:1].lower()}{term['label_en'][1:]} "
        f"({citation})",
        "text_zh": f"{short}将{term['label_zh']}排除在适用范围之外（{citation}）",
    }


def _issuer_clause(issuer: str) -> ColumnElement[bool]:
    needle = f"%{issuer.lower()}%"
    return or_(
        func.lower(KbDocument.issuer).like(needle), func.lower(KbDocument.jurisdiction).like(needle)
    )


def _empty_cell() -> dict[str, object]:
    return {
        "count": 0,
        "binding": False,
        "citations": [],
        "context": 0,
        "exclusions": [],
        "not_in_force": [],
        "unestablished": [],
    }


def compare_issuers(
    session: Session,
    issuers: list[str],
    taxonomy: Taxonomy,
    *,
    max_citations: int = 5,
    coverage: Coverage | None = None,
) -> dict[str, Any]:
    """Per taxonomy term, each issuer's instruments and cited provisions addressing it.

    ``issuers`` match the document issuer or jurisdiction (e.g. "United States", "EU", "China").
    A cell counts the provisions of ``coverage.roles`` (by default binding obligations and
    prohibitions) of instruments in force on ``coverage.on`` (by default today); ``context``
    counts the other tagged provisions (recitals, definitions, scope...), ``exclusions`` lists
    provisions that exclude the term from an instrument, and ``not_in_force`` the instruments
    that would count but are not in force on the date.
    """
    if not issuers:
        raise InputError(_("name at least one issuer to compare"))
    coverage = coverage or Coverage.default()
    columns: dict[str, dict[str, object]] = {}
    cells: dict[str, dict[str, dict[str, Any]]] = {t.id: {} for t in taxonomy.terms}
    terms_json = {t.id: _term_json(taxonomy, t.id) for t in taxonomy.terms}
    for issuer in issuers:
        documents = session.scalars(select(KbDocument).where(_issuer_clause(issuer))).all()
        columns[issuer] = {
            "documents": [
                {"id": d.id, "title": d.title, "binding": d.binding, **_status_json(d, coverage.on)}
                for d in documents
            ]
        }
        rows = session.execute(
            select(KbTag.term, KbProvision, KbDocument)
            .join(KbProvision, KbProvision.id == KbTag.provision_id)
            .join(KbDocument, KbDocument.id == KbProvision.document_id)
            .where(_issuer_clause(issuer), KbTag.status.in_(_LIVE))
            .order_by(KbTag.term, KbTag.confidence.desc(), KbProvision.id)
        ).all()
        for term, provision, document in rows:
            if term not in cells:
                continue
            cell = cells[term].setdefault(issuer, _empty_cell())
            live = coverage.live(document)
            if provision.role == "exclusion":
                if live:
                    cell["exclusions"].append(
                        _exclusion_json(provision, document, terms_json[term])
                    )
                continue
            if provision.role not in coverage.roles:
                cell["context"] += 1
                continue
            if not live:
                bucket = "unestablished" if coverage.unestablished(document) else "not_in_force"
                if all(x["id"] != document.id for x in cell[bucket]):
                    cell[bucket].append(
                        {
                            "id": document.id,
                            "title": document.title,
                            **_status_json(document, coverage.on),
                        }
                    )
                continue
            cell["count"] += 1
            cell["binding"] = bool(cell["binding"] or document.binding)
            if len(cell["citations"]) < max_citations:
                cell["citations"].append(_cite(provision, document))
    terms = [
        {
            "term": t.id,
            "facet": t.facet,
            "label_en": t.label_en,
            "label_zh": t.label_zh,
            "issuers": {i: cells[t.id].get(i, _empty_cell()) for i in issuers},
        }
        for t in taxonomy.terms
    ]
    return {"issuers": issuers, "columns": columns, "terms": terms, "coverage": coverage.to_json()}


def coverage_matrix(
    session: Session, taxonomy: Taxonomy, *, coverage: Coverage | None = None
) -> dict[str, Any]:
    """Risk domain × governance tool: which instruments cover each cell and how bindingly.

    A provision covers a cell when it is tagged with the risk domain, the governance tool is
    tagged on it or on one of its ancestors (a point "(i) biological weapons" under "(a)
    red-teaming guidelines" covers biological × testing), its role is one of
    ``coverage.roles`` (by default: an obligation or a prohibition, so recitals, definitions and
    scope clauses are context) and its instrument is in force on ``coverage.on`` (by default
    today; EO 14110 stops counting on its revocation). Each cell has ``documents`` (id, title,
    binding, provisions), ``binding`` (any binding instrument), ``context`` (tagged provisions of
    other roles), ``not_in_force`` (instruments that would count but are not in force on the
    date), ``unestablished`` (instruments that would count but whose status on the date is not
    established; counted only with ``coverage.count_unknown``) and ``status``: "binding",
    "non-binding only" or "gap". ``exclusions`` lists, per risk
    domain, the provisions that exclude it from an instrument in force ("the Artificial
    Intelligence Act excludes military AI and autonomous weapons (Art. 2(3))").
    """
    coverage = coverage or Coverage.default()
    domains = [t.id for t in taxonomy.by_facet("risk_domain")]
    tools = [t.id for t in taxonomy.by_facet("governance_tool")]
    documents = {d.id: d for d in session.scalars(select(KbDocument))}
    live_docs = {
        i for i, d in documents.items() if coverage.live(d)
    }
    meta = {
        pid: (parent, owner, role)
        for pid, parent, owner, role in session.execute(
            select(KbProvision.id, KbProvision.parent_id, KbProvision.document_id, KbProvision.role)
        )
    }
    tags: dict[int, dict[str, set[str]]] = defaultdict(lambda: {"d": set(), "t": set()})
    for pid, term in session.execute(
        select(KbTag.provision_id, KbTag.term).where(
            KbTag.status.in_(_LIVE), KbTag.term.in_(domains + tools)
        )
    ):
        tags[pid]["d" if term in domains else "t"].add(term)
    inherited: dict[int, set[str]] = {}

    def tools_of(pid: int) -> set[str]:
        chain = []
        node: int | None = pid
        while node is not None and node not in inherited:
            chain.append(node)
            node = meta[node][0]
        found = set(inherited[node]) if node is not None else set()
        for item in reversed(chain):
            found = found | tags[item]["t"] if item in tags else set(found)
            inherited[item] = found
        return inherited[pid]

    hits: dict[tuple[str, str], dict[int, list[Any]]] = defaultdict(dict)
    context: dict[tuple[str, str], int] = defaultdict(int)
    dormant: dict[tuple[str, str], set[int]] = defaultdict(set)
    exclusion_ids: dict[str, list[int]] = defaultdict(list)
    for pid in [p for p, t in tags.items() if t["d"]]:
        _parent, owner, role = meta[pid]
        if role == "exclusion":
            if owner in live_docs:
                for d_term in sorted(tags[pid]["d"]):
                    exclusion_ids[d_term].append(pid)
            continue
        for d_term in tags[pid]["d"]:
            for t_term in tools_of(pid):
                key = (d_term, t_term)
                if role not in coverage.roles:
                    context[key] += 1
                elif owner not in live_docs:
                    dormant[key].add(owner)
                else:
                    entry = hits[key].setdefault(owner, [0, pid])
                    entry[0] += 1
    matrix = []
    for d in domains:
        row = []
        for t in tools:
            docs = [
                {
                    "id": i,
                    "title": documents[i].title,
                    "binding": documents[i].binding,
                    "status": documents[i].status or "unknown",
                    "provisions": v[0],
                    "example_provision": v[1],
                }
                for i, v in sorted(hits[(d, t)].items())
            ]
            binding = any(x["binding"] for x in docs)
            status = "binding" if binding else ("non-binding only" if docs else "gap")
            row.append(
                {
                    "domain": d,
                    "tool": t,
                    "documents": docs,
                    "binding": binding,
                    "status": status,
                    "provisions": sum(x["provisions"] for x in docs),
                    "context": context[(d, t)],
                    "not_in_force": [
                        {
                            "id": i,
                            "title": documents[i].title,
                            **_status_json(documents[i], coverage.on),
                        }
                        for i in sorted(dormant[(d, t)])
                        if not coverage.unestablished(documents[i])
                    ],
                    "unestablished": [
                        {
                            "id": i,
                            "title": documents[i].title,
                            "short_title": short_title(documents[i].title),
                            "binding": documents[i].binding,
                        }
                        for i in sorted(dormant[(d, t)])
                        if coverage.unestablished(documents[i])
                    ],
                }
            )
        matrix.append(row)
    gaps = [
        {"domain": c["domain"], "tool": c["tool"], "status": c["status"]}
        for row in matrix
        for c in row
        if c["status"] != "binding"
    ]
    terms_json = {t: _term_json(taxonomy, t) for t in domains}
    exclusions: dict[str, list[dict[str, object]]] = {}
    if exclusion_ids:
        wanted = sorted({p for ids in exclusion_ids.values() for p in ids})
        provisions = {
            p.id: p for p in session.scalars(select(KbProvision).where(KbProvision.id.in_(wanted)))
        }
        for d_term in domains:
            if exclusion_ids.get(d_term):
                exclusions[d_term] = [
                    _exclusion_json(
                        provisions[p], documents[provisions[p].document_id], terms_json[d_term]
                    )
                    for p in exclusion_ids[d_term]
                ]
    return {
        "coverage": coverage.to_json(),
        "domains": [terms_json[d] for d in domains],
        "tools": [_term_json(taxonomy, t) for t in tools],
        "matrix": matrix,
        "gaps": gaps,
        "exclusions": exclusions,
        "documents": [
            {
                "id": i,
                "title": d.title,
                "short_title": short_title(d.title),
                "binding": d.binding,
                **_status_json(d, coverage.on),
            }
            for i, d in sorted(documents.items())
        ],
    }


def _term_json(taxonomy: Taxonomy, term_id: str) -> dict[str, str]:
    term = taxonomy.get(term_id)
    return {"id": term.id, "label_en": term.label_en, "label_zh": term.label_zh}


def red_lines(session: Session, *, issuer: str | None = None) -> list[dict[str, object]]:
    """Provisions that prohibit (tagged prohibitions-red-lines), across instruments."""
    statement = (
        select(KbProvision, KbDocument, KbTag)
        .join(KbTag, KbTag.provision_id == KbProvision.id)
        .join(KbDocument, KbDocument.id == KbProvision.document_id)
        .where(KbTag.term == "prohibitions-red-lines", KbTag.status.in_(_LIVE))
        .order_by(KbDocument.id, KbProvision.position)
    )
    if issuer:
        statement = statement.where(_issuer_clause(issuer))
    out = []
    for provision, document, tag in session.execute(statement).all():
        other = sorted(t.term for t in provision.tags if t.status in _LIVE and t.term != tag.term)
        out.append(
            {
                **_cite(provision, document),
                "issuer": document.issuer,
                "text": "\n".join(x for x in (provision.title, provision.text) if x),
                "confidence": tag.confidence,
                "status": tag.status,
                "terms": other,
            }
        )
    return out


#: One escape for every CSV detente writes (see :mod:`detente.safecsv`).
csv_cell = safe_cell


def matrix_csv(coverage: dict[str, Any]) -> str:
    """The coverage matrix as CSV: one row per cell."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["domain", "tool", "status", "binding", "provisions", "documents"])
    for row in coverage["matrix"]:
        for cell in row:
            writer.writerow(
                [
                    cell["domain"],
                    cell["tool"],
                    cell["status"],
                    cell["binding"],
                    cell["provisions"],
                    "; ".join(d["title"] for d in cell["documents"]),
                ]
            )
    return buffer.getvalue()


def rows_csv(rows: list[dict[str, object]], fields: list[str]) -> str:
    """Dict rows as CSV with the given columns."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(list(fields))
    for row in rows:
        writer.writerow([row.get(k) for k in fields])
    return buffer.getvalue()


COMPARISON_CSV_FIELDS = ["term", "facet", "issuer", "count", "binding", "citations"]


def comparison_csv(comparison: dict[str, Any]) -> str:
    """A comparison from :func:`compare_issuers` as CSV: one row per term and issuer."""
    rows = [
        {
            "term": term["term"],
            "facet": term["facet"],
            "issuer": issuer,
            "count": cell["count"],
            "binding": cell["binding"],
            "citations": "; ".join(citation["path"] for citation in cell["citations"]),
        }
        for term in comparison["terms"]
        for issuer, cell in term["issuers"].items()
    ]
    return rows_csv(rows, COMPARISON_CSV_FIELDS)
