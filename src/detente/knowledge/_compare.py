"""Side-by-side comparison, the coverage (gap) matrix and the register of red lines.

All three read the tags that stand (suggested or accepted; rejected tags are ignored) and the
document metadata. Coverage counts what binds: by default the obligations and prohibitions of
instruments in force on a chosen date (today unless given), so recitals, definitions and scope
clauses are context, an exclusion ("This Regulation does not apply to ... military ...") is shown
as an exclusion, and a revoked instrument stops counting on the day of its revocation. A cell of
the coverage matrix (risk domain × governance tool) lists the instruments with at least one such
provision tagged with both terms, and whether any of them is binding; an empty cell, or one
covered only by non-binding instruments, is a governance gap — but only when the knowledge base
holds at least one instrument that could count: with none (only the demo's illustrative sample,
or nothing at all), coverage cannot be assessed, every cell reads ``not assessed`` and no cell
is listed as a gap (``assessable`` is false).

Two things never count: an illustrative document (the demo's fictional sample), and a
provision of an instrument for a risk domain that the same instrument excludes (the AI Act's
Article 78 on "national security interests" is not coverage of military AI, which its Article
2(3) excludes). An exclusion excludes a domain only when what it excludes names the domain
(:func:`detente.knowledge._legal.excluded_subjects`), never through a tag on a proviso.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from detente.errors import InputError
from detente.i18n import gettext as _
from detente.knowledge._application import Stage, not_yet_applying, stages_of
from detente.knowledge._basis import basis_json
from detente.knowledge._legal import (
    OPERATIVE_ROLES,
    ROLES,
    excluded_subjects,
    in_force_on,
    is_illustrative,
    short_citation,
    short_title,
    status_on,
)
from detente.knowledge._queries import issuer_filter
from detente.knowledge._tagger import rule_tags
from detente.knowledge._taxonomy import Taxonomy
from detente.safecsv import SafeWriter, safe_cell
from detente.store.models.knowledge import KbDocument, KbProvision, KbTag

__all__ = [
    "NOT_ASSESSED",
    "Coverage",
    "compare_issuers",
    "coverage_assessable",
    "coverage_cell",
    "coverage_matrix",
    "csv_cell",
    "excluded_domains",
    "matrix_csv",
    "red_lines",
    "rows_csv",
]

_LIVE = ("suggested", "accepted")
#: A cell's status when the knowledge base holds no instrument that could count as coverage.
NOT_ASSESSED = "not assessed"


def _assessable(documents: Iterable[KbDocument]) -> bool:
    """Whether any document could count as coverage: a governance instrument, not an
    illustrative sample. With none, no cell is a gap: nothing was there to cover it."""
    return any(not is_illustrative(d.extra) for d in documents)


def coverage_assessable(session: Session) -> bool:
    """Whether the knowledge base holds any instrument that could count as coverage (not
    only an illustrative sample): until it does, no cell of the matrix is covered or a gap."""
    return _assessable(session.scalars(select(KbDocument)))


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
        roles = (
            tuple(r for r in ROLES if r not in {"exclusion", "exemption"})
            if all_roles
            else OPERATIVE_ROLES
        )
        return cls(on=on or date.today(), roles=roles, count_unknown=count_unknown)

    def live(self, document: KbDocument) -> bool:
        """Whether the document's provisions count on the rule's date (an illustrative
        sample's never do)."""
        return not is_illustrative(document.extra) and in_force_on(
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
            and not is_illustrative(document.extra)
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
            # On a date, a provision counts only once it applies (the AI Act's Art. 113).
            "by_date_of_application": self.on is not None,
        }


def _status_json(document: KbDocument, on: date | None) -> dict[str, object]:
    if is_illustrative(document.extra):
        return {
            "status": document.status or "unknown",
            "status_on_date": "illustrative",
            "status_date": None,
            "status_by": None,
            "in_force": False,
            "established": False,
            "illustrative": True,
        }
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
        "illustrative": False,
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


def excluded_domains(
    session: Session, taxonomy: Taxonomy
) -> dict[int, dict[str, list[KbProvision]]]:
    """Per document, the risk domains that its instrument-wide exclusions exclude, each with
    the provisions that exclude it.

    A domain is excluded when its lexicon rules match what the exclusion excludes (the words
    after "This Regulation does not apply to", up to a proviso; see
    :func:`~detente.knowledge._legal.excluded_subjects`), never through a word elsewhere in the
    provision; a domain whose tag a reviewer rejected on that provision is not excluded.
    """
    domains = {t.id for t in taxonomy.by_facet("risk_domain")}
    provisions = session.scalars(
        select(KbProvision)
        .where(KbProvision.role == "exclusion")
        .order_by(KbProvision.document_id, KbProvision.position)
    ).all()
    if not provisions:
        return {}
    rejected = set(
        session.execute(
            select(KbTag.provision_id, KbTag.term).where(
                KbTag.status == "rejected", KbTag.provision_id.in_([p.id for p in provisions])
            )
        ).all()
    )
    out: dict[int, dict[str, list[KbProvision]]] = defaultdict(dict)
    for provision in provisions:
        found = {
            suggestion.term
            for span in excluded_subjects(provision.text or "")
            for suggestion in rule_tags(span, taxonomy)
        }
        for term in sorted(found & domains):
            if (provision.id, term) not in rejected:
                out[provision.document_id].setdefault(term, []).append(provision)
    return dict(out)


def _excluded_json(
    document: KbDocument, provisions: int, excluded_by: list[KbProvision]
) -> dict[str, Any]:
    """An instrument whose provisions on a domain are not counted: it excludes the domain."""
    return {
        "id": document.id,
        "title": document.title,
        "short_title": short_title(document.title),
        "provisions": provisions,
        "citations": [short_citation(p.path) for p in excluded_by],
    }


def _empty_cell() -> dict[str, object]:
    return {
        "count": 0,
        "binding": False,
        "citations": [],
        "context": 0,
        "exclusions": [],
        "excluded": [],
        "not_in_force": [],
        "unestablished": [],
        "not_yet_applicable": [],
        "reviewed": 0,
    }


def _inherited_tool_rows(
    session: Session,
    rows: list[tuple[str, KbProvision, KbDocument]],
    taxonomy: Taxonomy,
    carriers: dict[tuple[int, str], int] | None = None,
) -> list[tuple[str, KbProvision, KbDocument]]:
    """(term, provision, document) for each governance tool that a provision takes from a
    provision above it and does not carry itself: the coverage matrix reads tools so (the points
    of "The following AI practices shall be prohibited:" are prohibitions and red lines), and a
    comparison counts by the same rule. ``carriers``, when given, receives for each such row
    (provision id, term) -> the id of the nearest provision above that carries the tag, whose
    review the row's counts as (the matrix's ``reviewed_tool`` walks up the same way)."""
    tools = {t.id for t in taxonomy.by_facet("governance_tool")}
    owners = sorted({document.id for _term, _provision, document in rows})
    if not owners:
        return []
    own: dict[int, set[str]] = defaultdict(set)
    for term, provision, _document in rows:
        if term in tools:
            own[provision.id].add(term)
    parents = dict(
        session.execute(
            select(KbProvision.id, KbProvision.parent_id).where(
                KbProvision.document_id.in_(owners)
            )
        ).all()
    )
    above: dict[int, set[str]] = {}

    def inherited(pid: int) -> set[str]:
        """The tools tagged on the provisions above ``pid``."""
        if pid not in above:
            parent = parents.get(pid)
            above[pid] = set() if parent is None else own.get(parent, set()) | inherited(parent)
        return above[pid]

    wanted = {
        pid: missing
        for pid in parents
        if (missing := inherited(pid) - own.get(pid, set()))
    }
    if not wanted:
        return []
    found = session.execute(
        select(KbProvision, KbDocument)
        .join(KbDocument, KbDocument.id == KbProvision.document_id)
        .where(KbProvision.id.in_(list(wanted)))
        .order_by(KbProvision.id)
    ).all()
    if carriers is not None:
        for pid, missing in wanted.items():
            for term in missing:
                node = parents.get(pid)
                while node is not None and term not in own.get(node, set()):
                    node = parents.get(node)
                if node is not None:
                    carriers[(pid, term)] = node
    return [
        (term, provision, document)
        for provision, document in found
        for term in sorted(wanted[provision.id])
    ]


def _accepted(session: Session, terms: list[str] | None = None) -> set[tuple[int, str]]:
    """(provision id, term) of every tag an analyst accepted (or added), of ``terms`` if given."""
    statement = select(KbTag.provision_id, KbTag.term).where(KbTag.status == "accepted")
    if terms is not None:
        statement = statement.where(KbTag.term.in_(terms))
    return {(pid, term) for pid, term in session.execute(statement)}


#: Citations kept per instrument and date in a cell's ``not_yet_applicable`` (all are counted).
_WAITING_CITED = 12


def _add_waiting(
    entries: list[dict[str, Any]], document: KbDocument, stage: Stage, path: str, pid: int
) -> None:
    """Count a provision of an instrument in force that does not yet apply on the rule's date
    ("in force, applies from 2026-08-02"), grouped by instrument and date of application."""
    day = stage.applies_from.isoformat()
    entry = next(
        (x for x in entries if x["id"] == document.id and x["applies_from"] == day), None
    )
    if entry is None:
        entry = {
            "id": document.id,
            "title": document.title,
            "short_title": short_title(document.title),
            "binding": document.binding,
            **stage.to_json(),
            "provisions": 0,
            "citations": [],
        }
        entries.append(entry)
        entries.sort(key=lambda x: (x["id"], x["applies_from"]))
    entry["provisions"] += 1
    if len(entry["citations"]) < _WAITING_CITED:
        entry["citations"].append(
            {"provision_id": pid, "path": path, "citation": short_citation(path)}
        )


def compare_issuers(
    session: Session,
    issuers: list[str],
    taxonomy: Taxonomy,
    *,
    max_citations: int = 5,
    coverage: Coverage | None = None,
) -> dict[str, Any]:
    """Per taxonomy term, each issuer's instruments and cited provisions addressing it.

    ``issuers`` match the document issuer or jurisdiction (e.g. "United States", "EU", "China",
    or their Chinese names: 美国, 欧盟). A cell counts the provisions of ``coverage.roles`` (by
    default binding obligations and prohibitions) of instruments in force on ``coverage.on`` (by
    default today); ``context`` counts the other tagged provisions (recitals, definitions,
    scope...), ``exclusions`` lists the provisions by which an instrument excludes the risk
    domain, ``excluded`` the instruments whose provisions on the domain are not counted because
    the instrument excludes it, and ``not_in_force`` / ``unestablished`` the instruments that
    would count but are not in force on the date / whose status then is not established;
    ``not_yet_applicable`` the provisions of instruments in force that do not yet apply on the
    date (the AI Act's staged application, :mod:`detente.knowledge._application`).
    A governance tool addresses a provision tagged with it or under one that is, as in
    :func:`coverage_matrix` (the points of "The following AI practices shall be prohibited:"
    count as prohibitions and red lines). Illustrative documents are left out.
    """
    if not issuers:
        raise InputError(_("name at least one issuer to compare"))
    coverage = coverage or Coverage.default()
    columns: dict[str, dict[str, object]] = {}
    cells: dict[str, dict[str, dict[str, Any]]] = {t.id: {} for t in taxonomy.terms}
    terms_json = {t.id: _term_json(taxonomy, t.id) for t in taxonomy.terms}
    excluded = excluded_domains(session, taxonomy)
    waiting = not_yet_applying(session, coverage.on)
    accepted = _accepted(session)
    counted: dict[int, bool] = {}
    for issuer in issuers:
        documents = [
            d
            for d in session.scalars(select(KbDocument).where(issuer_filter(issuer))).all()
            if not is_illustrative(d.extra)
        ]
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
            .where(issuer_filter(issuer), KbTag.status.in_(_LIVE))
            .order_by(KbTag.term, KbTag.confidence.desc(), KbProvision.id)
        ).all()
        found = [(term, provision, document) for term, provision, document in rows]
        carriers: dict[tuple[int, str], int] = {}
        found += _inherited_tool_rows(session, found, taxonomy, carriers)
        for term, provision, document in found:
            if term not in cells or is_illustrative(document.extra):
                continue
            cell = cells[term].setdefault(issuer, _empty_cell())
            live = coverage.live(document)
            excluding = excluded.get(document.id, {}).get(term)
            if provision.role == "exclusion":
                if live and excluding and provision in excluding:
                    cell["exclusions"].append(
                        _exclusion_json(provision, document, terms_json[term])
                    )
                continue
            if provision.role not in coverage.roles:
                cell["context"] += 1
                continue
            if excluding:
                if live:
                    entry = next((x for x in cell["excluded"] if x["id"] == document.id), None)
                    if entry is None:
                        entry = _excluded_json(document, 0, excluding)
                        cell["excluded"].append(entry)
                    entry["provisions"] += 1
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
            if provision.id in waiting:
                stage, path = waiting[provision.id]
                _add_waiting(cell["not_yet_applicable"], document, stage, path, provision.id)
                continue
            cell["count"] += 1
            # An inherited tool is as reviewed as the tag of the provision that carries it.
            reviewed = (carriers.get((provision.id, term), provision.id), term) in accepted
            cell["reviewed"] += int(reviewed)
            counted[provision.id] = counted.get(provision.id, True) and reviewed
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
    return {
        "issuers": issuers,
        "columns": columns,
        "terms": terms,
        "coverage": coverage.to_json(),
        "basis": basis_json(len(counted), sum(counted.values())),
        "assessable": coverage_assessable(session),
    }


@dataclass
class _Tally:
    """What the coverage rule makes of every tagged provision, per (domain, tool) cell."""

    documents: dict[int, KbDocument]
    #: Counted provisions: cell -> document id -> provision ids, in id order.
    hits: dict[tuple[str, str], dict[int, list[int]]]
    #: Tagged provisions of the roles not counted.
    context: dict[tuple[str, str], int]
    #: Instruments that would count but are not in force (or not established) on the date.
    dormant: dict[tuple[str, str], set[int]]
    #: Provisions not counted because their instrument excludes the domain: cell -> document
    #: id -> count.
    set_aside: dict[tuple[str, str], dict[int, int]]
    #: document id -> domain -> the provisions by which the instrument excludes the domain.
    excluded: dict[int, dict[str, list[KbProvision]]]
    #: Provisions of instruments in force that do not yet apply on the date: cell -> entries
    #: (instrument, date of application, provisions), as :func:`_add_waiting` makes them.
    waiting: dict[tuple[str, str], list[dict[str, Any]]]
    #: Counted provisions whose tags for the cell (the domain's, and the tool's on it or on the
    #: ancestor it is inherited from) an analyst accepted: cell -> count.
    reviewed: dict[tuple[str, str], int]
    #: Every counted provision: whether all its placements in cells rest on reviewed tags.
    counted: dict[int, bool]


def _tally(session: Session, taxonomy: Taxonomy, coverage: Coverage) -> _Tally:
    domains = [t.id for t in taxonomy.by_facet("risk_domain")]
    tools = [t.id for t in taxonomy.by_facet("governance_tool")]
    documents = {d.id: d for d in session.scalars(select(KbDocument))}
    live_docs = {i for i, d in documents.items() if coverage.live(d)}
    shown = {i for i, d in documents.items() if not is_illustrative(d.extra)}
    excluded = excluded_domains(session, taxonomy)
    not_yet = not_yet_applying(session, coverage.on)
    waiting: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    meta = {
        pid: (parent, owner, role)
        for pid, parent, owner, role in session.execute(
            select(KbProvision.id, KbProvision.parent_id, KbProvision.document_id, KbProvision.role)
        )
    }
    accepted = _accepted(session, domains + tools)
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

    def reviewed_tool(pid: int, tool: str) -> bool:
        node: int | None = pid
        while node is not None:
            if (node, tool) in accepted:
                return True
            if tool in tags.get(node, {}).get("t", set()):
                return False  # the tag the provision inherits is a suggestion
            node = meta[node][0]
        return False

    reviewed: dict[tuple[str, str], int] = defaultdict(int)
    counted: dict[int, bool] = {}
    hits: dict[tuple[str, str], dict[int, list[int]]] = defaultdict(dict)
    context: dict[tuple[str, str], int] = defaultdict(int)
    dormant: dict[tuple[str, str], set[int]] = defaultdict(set)
    set_aside: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for pid in sorted(p for p, t in tags.items() if t["d"]):
        _parent, owner, role = meta[pid]
        if role == "exclusion" or owner not in shown:
            continue
        for d_term in tags[pid]["d"]:
            for t_term in tools_of(pid):
                key = (d_term, t_term)
                if role not in coverage.roles:
                    context[key] += 1
                elif d_term in excluded.get(owner, {}):
                    if owner in live_docs:
                        set_aside[key][owner] = set_aside[key].get(owner, 0) + 1
                elif owner not in live_docs:
                    dormant[key].add(owner)
                elif pid in not_yet:
                    stage, path = not_yet[pid]
                    _add_waiting(waiting[key], documents[owner], stage, path, pid)
                else:
                    hits[key].setdefault(owner, []).append(pid)
                    sure = (pid, d_term) in accepted and reviewed_tool(pid, t_term)
                    reviewed[key] += int(sure)
                    counted[pid] = counted.get(pid, True) and sure
    return _Tally(
        documents, hits, context, dormant, set_aside, excluded, waiting, reviewed, counted
    )


def _cell_json(tally: _Tally, d: str, t: str, coverage: Coverage) -> dict[str, Any]:
    documents = tally.documents
    docs = [
        {
            "id": i,
            "title": documents[i].title,
            "binding": documents[i].binding,
            "status": documents[i].status or "unknown",
            "provisions": len(pids),
            "example_provision": pids[0],
        }
        for i, pids in sorted(tally.hits[(d, t)].items())
    ]
    binding = any(x["binding"] for x in docs)
    status = "binding" if binding else ("non-binding only" if docs else "gap")
    return {
        "domain": d,
        "tool": t,
        "documents": docs,
        "binding": binding,
        "status": status if _assessable(documents.values()) else NOT_ASSESSED,
        "provisions": sum(x["provisions"] for x in docs),
        "reviewed": tally.reviewed.get((d, t), 0),
        "context": tally.context[(d, t)],
        "excluded": [
            _excluded_json(documents[i], n, tally.excluded[i][d])
            for i, n in sorted(tally.set_aside[(d, t)].items())
        ],
        "not_in_force": [
            {"id": i, "title": documents[i].title, **_status_json(documents[i], coverage.on)}
            for i in sorted(tally.dormant[(d, t)])
            if not coverage.unestablished(documents[i])
        ],
        "unestablished": [
            {
                "id": i,
                "title": documents[i].title,
                "short_title": short_title(documents[i].title),
                "binding": documents[i].binding,
            }
            for i in sorted(tally.dormant[(d, t)])
            if coverage.unestablished(documents[i])
        ],
        "not_yet_applicable": tally.waiting.get((d, t), []),
    }


def _exclusions_of(
    tally: _Tally, taxonomy: Taxonomy, domain: str, coverage: Coverage
) -> list[dict[str, object]]:
    """The provisions by which instruments that count on the date exclude ``domain``."""
    term = _term_json(taxonomy, domain)
    return [
        _exclusion_json(provision, tally.documents[owner], term)
        for owner, by_domain in sorted(tally.excluded.items())
        if coverage.live(tally.documents[owner])
        for provision in by_domain.get(domain, [])
    ]


def coverage_matrix(
    session: Session, taxonomy: Taxonomy, *, coverage: Coverage | None = None
) -> dict[str, Any]:
    """Risk domain × governance tool: which instruments cover each cell and how bindingly.

    A provision covers a cell when it is tagged with the risk domain, the governance tool is
    tagged on it or on one of its ancestors (a point "(i) biological weapons" under "(a)
    red-teaming guidelines" covers biological × testing), its role is one of
    ``coverage.roles`` (by default: an obligation or a prohibition, so recitals, definitions and
    scope clauses are context), its instrument is in force on ``coverage.on`` (by default
    today; EO 14110 stops counting on its revocation) and that instrument does not exclude the
    risk domain (:func:`excluded_domains`). Illustrative documents never count. Each cell has
    ``documents`` (id, title, binding, provisions), ``binding`` (any binding instrument),
    ``context`` (tagged provisions of other roles), ``excluded`` (instruments whose provisions
    on the domain are not counted because the instrument excludes it), ``not_in_force``
    (instruments that would count but are not in force on the date), ``unestablished``
    (instruments that would count but whose status on the date is not established; counted
    only with ``coverage.count_unknown``) and ``status``: "binding", "non-binding only" or
    "gap" (``not assessed`` in every cell, and no gaps, while the knowledge base holds no
    instrument that could count: ``assessable`` false). ``exclusions`` lists, per risk domain,
    the provisions that exclude it from an instrument in force ("the Artificial Intelligence
    Act excludes military AI and autonomous weapons (Art. 2(3))"); :func:`coverage_cell`
    lists the provisions a cell counts.
    """
    coverage = coverage or Coverage.default()
    domains = [t.id for t in taxonomy.by_facet("risk_domain")]
    tools = [t.id for t in taxonomy.by_facet("governance_tool")]
    tally = _tally(session, taxonomy, coverage)
    documents = tally.documents
    matrix = [[_cell_json(tally, d, t, coverage) for t in tools] for d in domains]
    gaps = [
        {"domain": c["domain"], "tool": c["tool"], "status": c["status"]}
        for row in matrix
        for c in row
        if c["status"] in {"gap", "non-binding only"}
    ]
    exclusions = {
        d: found for d in domains if (found := _exclusions_of(tally, taxonomy, d, coverage))
    }
    return {
        "coverage": coverage.to_json(),
        "assessable": _assessable(documents.values()),
        "domains": [_term_json(taxonomy, d) for d in domains],
        "tools": [_term_json(taxonomy, t) for t in tools],
        "matrix": matrix,
        "gaps": gaps,
        "exclusions": exclusions,
        "basis": basis_json(len(tally.counted), sum(tally.counted.values())),
        "documents": [
            {
                "id": i,
                "title": d.title,
                "short_title": short_title(d.title),
                "binding": d.binding,
                **_status_json(d, coverage.on),
                "counted": coverage.live(d),
                "application": [stage.to_json() for stage in stages_of(d.title)],
            }
            for i, d in sorted(documents.items())
        ],
    }


def coverage_cell(
    session: Session,
    taxonomy: Taxonomy,
    domain: str,
    tool: str,
    *,
    coverage: Coverage | None = None,
) -> dict[str, Any]:
    """The provisions one cell of :func:`coverage_matrix` counts, by instrument, with what
    the cell does not count: ``domain`` and ``tool`` (their ids and labels), ``status``,
    ``documents`` (each instrument with its status and its counted ``provisions``: citation,
    path, role, excerpt and link), ``context``, ``excluded``, ``not_in_force`` and
    ``unestablished`` as in the matrix, and the rule.

    Raises
    ------
    InputError
        When ``domain`` is not a risk domain or ``tool`` not a governance tool of the taxonomy.
    """
    for value, facet, name in (
        (domain, "risk_domain", "domain"),
        (tool, "governance_tool", "tool"),
    ):
        if value not in taxonomy or taxonomy.get(value).facet != facet:
            raise InputError(_("unknown taxonomy term %(term)r") % {"term": value}, location=name)
    coverage = coverage or Coverage.default()
    tally = _tally(session, taxonomy, coverage)
    cell = _cell_json(tally, domain, tool, coverage)
    counted = tally.hits[(domain, tool)]
    wanted = sorted(p for pids in counted.values() for p in pids)
    provisions = {
        p.id: p for p in session.scalars(select(KbProvision).where(KbProvision.id.in_(wanted)))
    }
    documents = []
    for owner, pids in sorted(counted.items()):
        document = tally.documents[owner]
        ordered = sorted((provisions[p] for p in pids), key=lambda p: p.position)
        documents.append(
            {
                "id": document.id,
                "title": document.title,
                "short_title": short_title(document.title),
                "binding": document.binding,
                "language": document.language,
                **_status_json(document, coverage.on),
                "provisions": [
                    {**_cite(p, document), "url": f"/kb/documents/{document.id}#p{p.id}"}
                    for p in ordered
                ],
            }
        )
    return {
        "coverage": coverage.to_json(),
        "domain": _term_json(taxonomy, domain),
        "tool": _term_json(taxonomy, tool),
        "assessable": cell["status"] != NOT_ASSESSED,
        "status": cell["status"],
        "binding": cell["binding"],
        "provisions": cell["provisions"],
        "basis": basis_json(cell["provisions"], cell["reviewed"]),
        "documents": documents,
        "context": cell["context"],
        "excluded": cell["excluded"],
        "not_in_force": cell["not_in_force"],
        "unestablished": cell["unestablished"],
        "not_yet_applicable": cell["not_yet_applicable"],
        "exclusions": _exclusions_of(tally, taxonomy, domain, coverage),
    }


def _term_json(taxonomy: Taxonomy, term_id: str) -> dict[str, str]:
    term = taxonomy.get(term_id)
    return {"id": term.id, "label_en": term.label_en, "label_zh": term.label_zh}


def red_lines(session: Session, *, issuer: str | None = None) -> list[dict[str, object]]:
    """The register of red lines: provisions whose role is ``prohibition`` and that are tagged
    ``prohibitions-red-lines``, or sit under a provision that is (the points of "The following
    AI practices shall be prohibited:" carry the ban that their lead-in's tag names), across
    instruments, each with its instrument's status today.

    Recitals ("such practices should be prohibited"), risk descriptions and exemptions tagged
    with the term are not prohibitions and are left out, as are illustrative documents and
    provisions on which a reviewer rejected the tag. ``inherited_from`` is the citation of the
    tagged provision above, or None when the provision carries the tag itself.
    """
    term = "prohibitions-red-lines"
    statement = (
        select(KbProvision, KbDocument)
        .join(KbDocument, KbDocument.id == KbProvision.document_id)
        .where(KbProvision.role == "prohibition")
        .order_by(KbDocument.id, KbProvision.position)
    )
    if issuer:
        statement = statement.where(issuer_filter(issuer))
    rows = [
        (p, d) for p, d in session.execute(statement).all() if not is_illustrative(d.extra)
    ]
    if not rows:
        return []
    owners = sorted({d.id for _p, d in rows})
    parents = dict(
        session.execute(
            select(KbProvision.id, KbProvision.parent_id).where(
                KbProvision.document_id.in_(owners)
            )
        ).all()
    )
    tags = {
        tag.provision_id: tag
        for tag in session.scalars(
            select(KbTag)
            .join(KbProvision, KbProvision.id == KbTag.provision_id)
            .where(KbTag.term == term, KbProvision.document_id.in_(owners))
        )
    }
    out = []
    today = date.today()
    for provision, document in rows:
        own = tags.get(provision.id)
        if own is not None and own.status not in _LIVE:
            continue  # a reviewer rejected the tag on this very provision
        carrier: int | None = provision.id if own is not None else None
        node = parents.get(provision.id)
        while carrier is None and node is not None:
            if node in tags and tags[node].status in _LIVE:
                carrier = node
            node = parents.get(node)
        if carrier is None:
            continue
        tag = tags[carrier]
        other = sorted(t.term for t in provision.tags if t.status in _LIVE and t.term != term)
        above = session.get(KbProvision, carrier) if carrier != provision.id else None
        out.append(
            {
                **_cite(provision, document),
                "issuer": document.issuer,
                "text": "\n".join(x for x in (provision.title, provision.text) if x),
                "confidence": tag.confidence,
                "status": tag.status,
                "inherited_from": short_citation(above.path) if above is not None else None,
                "terms": other,
                "document_status": _status_json(document, today),
            }
        )
    return out


#: One escape for every CSV detente writes (see :mod:`detente.safecsv`).
csv_cell = safe_cell


def _applies_later(cell: dict[str, Any]) -> str:
    """What a cell lists as in force but not yet applicable on the date, for a CSV cell:
    "2026-08-02: 3 (Artificial Intelligence Act)"."""
    return "; ".join(
        f"{x['applies_from']}: {x['provisions']} ({x['short_title']})"
        for x in cell.get("not_yet_applicable", [])
    )


def matrix_csv(coverage: dict[str, Any]) -> str:
    """The coverage matrix as CSV: one row per cell, with how many of its counted provisions
    rest on reviewed tags and what is in force but applies only later."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(
        ["domain", "tool", "status", "binding", "provisions", "documents", "reviewed",
         "applies_later"]
    )
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
                    # how many of the counted provisions rest on reviewed tags
                    cell.get("reviewed", 0),
                    _applies_later(cell),
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


COMPARISON_CSV_FIELDS = [
    "term", "facet", "issuer", "count", "binding", "citations", "reviewed", "applies_later"
]


def comparison_csv(comparison: dict[str, Any]) -> str:
    """A comparison from :func:`compare_issuers` as CSV: one row per term and issuer, with how
    many counted provisions rest on reviewed tags and what applies only later."""
    rows = [
        {
            "term": term["term"],
            "facet": term["facet"],
            "issuer": issuer,
            "count": cell["count"],
            "binding": cell["binding"],
            "citations": "; ".join(citation["path"] for citation in cell["citations"]),
            "reviewed": cell.get("reviewed", 0),
            "applies_later": _applies_later(cell),
        }
        for term in comparison["terms"]
        for issuer, cell in term["issuers"].items()
    ]
    return rows_csv(rows, COMPARISON_CSV_FIELDS)
