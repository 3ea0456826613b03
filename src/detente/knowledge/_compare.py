"""Side-by-side comparison, the coverage (gap) matrix and the register of red lines.

All three read the tags that stand (suggested or accepted; rejected tags are ignored) and the
document metadata. A cell of the coverage matrix (risk domain × governance tool) lists the
instruments with at least one provision tagged with both terms, and whether any of them is
binding; an empty cell, or one covered only by non-binding instruments, is a governance gap.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from detente.errors import InputError
from detente.knowledge._taxonomy import Taxonomy
from detente.store.models.knowledge import KbDocument, KbProvision, KbTag

__all__ = ["compare_issuers", "coverage_matrix", "matrix_csv", "red_lines", "rows_csv"]

_LIVE = ("suggested", "accepted")


def _cite(provision: KbProvision, document: KbDocument) -> dict[str, object]:
    return {
        "document_id": document.id,
        "document": document.title,
        "provision_id": provision.id,
        "path": provision.path,
        "kind": provision.kind,
        "number": provision.number,
        "binding": document.binding,
        "excerpt": (provision.title or provision.text or "")[:240],
    }


def _issuer_clause(issuer: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import func

    needle = f"%{issuer.lower()}%"
    return or_(
        func.lower(KbDocument.issuer).like(needle), func.lower(KbDocument.jurisdiction).like(needle)
    )


def compare_issuers(
    session: Session, issuers: list[str], taxonomy: Taxonomy, *, max_citations: int = 5
) -> dict[str, object]:
    """Per taxonomy term, each issuer's instruments and cited provisions addressing it.

    ``issuers`` match the document issuer or jurisdiction (e.g. "United States", "EU", "China").
    """
    if not issuers:
        raise InputError("name at least one issuer to compare")
    columns: dict[str, dict[str, object]] = {}
    cells: dict[str, dict[str, dict[str, object]]] = {t.id: {} for t in taxonomy.terms}
    for issuer in issuers:
        documents = session.scalars(select(KbDocument).where(_issuer_clause(issuer))).all()
        columns[issuer] = {
            "documents": [{"id": d.id, "title": d.title, "binding": d.binding} for d in documents]
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
            cell = cells[term].setdefault(issuer, {"count": 0, "binding": False, "citations": []})
            cell["count"] += 1  # type: ignore[operator]
            cell["binding"] = bool(cell["binding"] or document.binding)
            if len(cell["citations"]) < max_citations:  # type: ignore[arg-type]
                cell["citations"].append(_cite(provision, document))  # type: ignore[union-attr]
    terms = [
        {
            "term": t.id,
            "facet": t.facet,
            "label_en": t.label_en,
            "label_zh": t.label_zh,
            "issuers": {
                i: cells[t.id].get(i, {"count": 0, "binding": False, "citations": []})
                for i in issuers
            },
        }
        for t in taxonomy.terms
    ]
    return {"issuers": issuers, "columns": columns, "terms": terms}


def coverage_matrix(session: Session, taxonomy: Taxonomy) -> dict[str, object]:
    """Risk domain × governance tool: which instruments cover each cell and how bindingly.

    A provision tagged with a risk domain covers the cells of the governance tools tagged on it
    or on one of its ancestors (a point "(i) biological weapons" under "(a) red-teaming
    guidelines" covers biological × testing). Each cell has ``documents`` (id, title, binding,
    provisions), ``binding`` (any binding instrument) and ``status``: "binding",
    "non-binding only" or "gap".
    """
    domains = [t.id for t in taxonomy.by_facet("risk_domain")]
    tools = [t.id for t in taxonomy.by_facet("governance_tool")]
    documents = {d.id: d for d in session.scalars(select(KbDocument))}
    parents = dict(session.execute(select(KbProvision.id, KbProvision.parent_id)).all())
    owner = dict(session.execute(select(KbProvision.id, KbProvision.document_id)).all())
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
            node = parents.get(node)
        found = set(inherited[node]) if node is not None else set()
        for item in reversed(chain):
            found = found | tags[item]["t"] if item in tags else set(found)
            inherited[item] = found
        return inherited[pid]

    hits: dict[tuple[str, str], dict[int, list]] = defaultdict(dict)  # type: ignore[type-arg]
    for pid in [p for p, t in tags.items() if t["d"]]:
        for d_term in tags[pid]["d"]:
            for t_term in tools_of(pid):
                entry = hits[(d_term, t_term)].setdefault(owner[pid], [0, pid])
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
                }
            )
        matrix.append(row)
    gaps = [
        {"domain": c["domain"], "tool": c["tool"], "status": c["status"]}
        for row in matrix
        for c in row
        if c["status"] != "binding"
    ]
    return {
        "domains": [_term_json(taxonomy, d) for d in domains],
        "tools": [_term_json(taxonomy, t) for t in tools],
        "matrix": matrix,
        "gaps": gaps,
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


def matrix_csv(coverage: dict[str, object]) -> str:
    """The coverage matrix as CSV: one row per cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["domain", "tool", "status", "binding", "provisions", "documents"])
    for row in coverage["matrix"]:  # type: ignore[attr-defined]
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
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k) for k in fields})
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
