"""Browsing provisions without words: what a filter alone selects, ranked.

A search with no words but a filter ("the provisions tagged cyber", "the provisions of EO
14110") lists what the filter selects instead of nothing. With a taxonomy term, the provisions
carrying it (a suggested or accepted tag, not a rejected one) are ranked as a reader of the term
would want them:

1. provisions of instruments in force today before the others (revoked, draft, not
   established, an illustrative sample);
2. provisions that bind (obligations, prohibitions) before exclusions, exemptions, scope
   clauses and definitions, and those before other provisions and recitals (the search
   re-ranker reads an exemption as "other"; browse ranks it with the exclusions it resembles);
3. a tag a reviewer accepted before a suggested one, then the more confident suggestion;
4. reading order (instrument, then position).

Without a term the same order holds without the tag's part. Word search
(:func:`~detente.knowledge._search.search`) is not touched: browsing never reorders its hits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from detente.errors import InputError
from detente.i18n import gettext as _
from detente.knowledge._legal import in_force_on, is_illustrative
from detente.knowledge._queries import documents_with_status
from detente.knowledge._search import SearchFilters, SearchHit, apply_filters, provision_hit
from detente.store.models.knowledge import KbDocument, KbProvision, KbTag

__all__ = ["Browse", "browse", "has_filter"]

#: Rank of a provision's role when browsing: what binds first, recitals last.
_ROLE_RANK = {
    "obligation": 0,
    "prohibition": 0,
    "exclusion": 1,
    "exemption": 1,
    "scope": 1,
    "definition": 2,
    "other": 3,
    "recital": 4,
}


@dataclass(frozen=True)
class Browse:
    """A page of browsed provisions and how many the filters select in all."""

    hits: list[SearchHit]
    total: int


def has_filter(filters: SearchFilters) -> bool:
    """Whether any filter is set (something to browse by)."""
    return any(
        value is not None and value != ""
        for value in (
            filters.term,
            filters.issuer,
            filters.kind,
            filters.date_from,
            filters.date_to,
            filters.binding,
            filters.status,
        )
    )


def browse(
    session: Session,
    filters: SearchFilters,
    *,
    limit: int = 50,
    offset: int = 0,
    location: str = "q",
) -> Browse:
    """The provisions ``filters`` select, without words, ranked (see the module); each hit's
    ``score`` is its tag's confidence with a term filter, else 0, and its passage marks the
    words by which the rules gave the term.

    Raises
    ------
    InputError
        When no filter is set: there is nothing to browse by.
    """
    if not has_filter(filters):
        raise InputError(
            _("write words to search for, or choose a term (or another filter) to browse by"),
            location=location,
        )
    if filters.status and filters.documents is None:
        filters = replace(
            filters, documents=frozenset(documents_with_status(session, filters.status))
        )
    tag_rank = (
        select(
            KbTag.provision_id.label("pid"),
            func.max(case((KbTag.status == "accepted", 1), else_=0)).label("reviewed"),
            func.max(KbTag.confidence).label("confidence"),
        )
        .where(KbTag.term == filters.term, KbTag.status != "rejected")
        .group_by(KbTag.provision_id)
        .subquery()
        if filters.term
        else None
    )
    statement = select(KbProvision.id, KbProvision.role, KbProvision.position, KbDocument.id)
    if tag_rank is not None:
        statement = statement.add_columns(tag_rank.c.reviewed, tag_rank.c.confidence).join(
            tag_rank, tag_rank.c.pid == KbProvision.id
        )
    statement = apply_filters(
        statement.join(KbDocument, KbDocument.id == KbProvision.document_id), filters
    )
    #: (provision, role, position, document, reviewed 0/1, confidence) per selected provision
    rows: list[tuple[int, str, int, int, int, float]] = []
    for found in session.execute(statement).all():
        cells: tuple[Any, ...] = tuple(found)
        extra = (int(cells[4] or 0), float(cells[5] or 0.0)) if len(cells) > 4 else (0, 0.0)
        rows.append((cells[0], cells[1], cells[2], cells[3], *extra))
    if not rows:
        return Browse([], 0)
    documents = {
        d.id: d
        for d in session.scalars(
            select(KbDocument).where(KbDocument.id.in_(sorted({r[3] for r in rows})))
        )
    }
    today = date.today()
    live = {
        i
        for i, d in documents.items()
        if not is_illustrative(d.extra) and in_force_on(d.status, d.status_date, d.date, today)
    }

    def rank(row: tuple[int, str, int, int, int, float]) -> tuple[bool, int, int, float, int,
                                                                   int, int]:
        pid, role, position, owner, reviewed, confidence = row
        return (owner not in live, _ROLE_RANK.get(role, 3), -reviewed, -confidence, owner,
                position, pid)

    ordered = sorted(rows, key=rank)
    page = ordered[offset : offset + limit]
    scores = {row[0]: row[5] for row in page}
    wanted = [row[0] for row in page]
    provisions = {
        p.id: p for p in session.scalars(select(KbProvision).where(KbProvision.id.in_(wanted)))
    }
    tags: dict[int, list[str]] = {pid: [] for pid in wanted}
    #: The words by which the rules gave the term: the passage shown holds them, marked.
    matched: dict[int, list[str]] = {pid: [] for pid in wanted}
    for pid, term, evidence in session.execute(
        select(KbTag.provision_id, KbTag.term, KbTag.evidence).where(
            KbTag.provision_id.in_(wanted), KbTag.status != "rejected"
        )
    ):
        tags[pid].append(term)
        if term == filters.term and isinstance(evidence, dict):
            matched[pid] += [str(w) for w in evidence.get("matched") or () if w]
    hits = [provision_hit(provisions[pid], documents[provisions[pid].document_id],
                          score=scores[pid], tags=tags[pid], words=matched[pid])
            for pid in wanted]
    return Browse(hits, len(rows))
