"""Full-text search over provisions, in English and Chinese, on SQLite (FTS5) and PostgreSQL.

Both backends index ``search_text`` (lower-cased, Chinese segmented by jieba). On SQLite the
external-content FTS5 table ``kb_provision_fts`` (porter stemming) is queried with every query
word required; on PostgreSQL the GIN-indexed expression ``to_tsvector('english', search_text) ||
to_tsvector('simple', search_text)`` is matched against the same words. Filters narrow by tagged
term, issuer (or jurisdiction), document kind, date range and bindingness.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    Float,
    Integer,
    Select,
    and_,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from detente.errors import InputError
from detente.knowledge._text import query_tokens
from detente.store.models.knowledge import KbDocument, KbProvision, KbTag

__all__ = ["SearchFilters", "SearchHit", "apply_filters", "context_of", "search"]


@dataclass(frozen=True)
class SearchFilters:
    """Optional filters; ``issuer`` matches the issuer or jurisdiction (case-insensitive part)."""

    term: str | None = None
    issuer: str | None = None
    kind: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    binding: bool | None = None


@dataclass(frozen=True)
class SearchHit:
    """One matching provision with its document and citation."""

    provision_id: int
    document_id: int
    document: str
    issuer: str
    kind: str
    number: str | None
    path: str
    text: str
    score: float
    tags: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """JSON-ready form, with the link to the document page."""
        return {
            "provision_id": self.provision_id,
            "document_id": self.document_id,
            "document": self.document,
            "issuer": self.issuer,
            "kind": self.kind,
            "number": self.number,
            "path": self.path,
            "text": self.text,
            "score": round(self.score, 4),
            "tags": list(self.tags),
            "url": f"/kb/documents/{self.document_id}#p{self.provision_id}",
        }


def apply_filters(statement: Select, filters: SearchFilters) -> Select:  # type: ignore[type-arg]
    """Add the filters to a statement selecting from KbProvision joined to KbDocument."""
    if filters.term:
        statement = statement.where(
            exists().where(
                KbTag.provision_id == KbProvision.id,
                KbTag.term == filters.term,
                KbTag.status != "rejected",
            )
        )
    if filters.issuer:
        needle = f"%{filters.issuer.lower()}%"
        statement = statement.where(
            or_(
                func.lower(KbDocument.issuer).like(needle),
                func.lower(KbDocument.jurisdiction).like(needle),
            )
        )
    if filters.kind:
        statement = statement.where(KbDocument.kind == filters.kind)
    if filters.date_from:
        statement = statement.where(KbDocument.date >= filters.date_from)
    if filters.date_to:
        statement = statement.where(KbDocument.date <= filters.date_to)
    if filters.binding is not None:
        statement = statement.where(KbDocument.binding.is_(filters.binding))
    return statement


def _fts_query(words: list[str]) -> str:
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


def search(
    session: Session,
    query: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
) -> list[SearchHit]:
    """Provisions matching every word of ``query``, best first.

    Raises
    ------
    InputError
        When the query holds no searchable word.
    """
    filters = filters or SearchFilters()
    words = query_tokens(query)
    if not words:
        raise InputError("the search query holds no word to look for")
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        fts = (
            text(
                "SELECT rowid AS id, bm25(kb_provision_fts) AS rank FROM kb_provision_fts "
                "WHERE kb_provision_fts MATCH :q"
            )
            .columns(column("id", Integer), column("rank", Float))
            .subquery("fts")
        )
        score = (-fts.c.rank).label("score")
        statement = (
            select(KbProvision, KbDocument, score)
            .join(fts, fts.c.id == KbProvision.id)
            .join(KbDocument, KbDocument.id == KbProvision.document_id)
        )
        params = {"q": _fts_query(words)}
    else:
        words_query = " & ".join(w.replace("'", "").replace("\\", "") for w in words)
        vector = literal_column("kb_provisions.search_vector")
        tsquery = func.to_tsquery(literal_column("'english'::regconfig"), words_query).op("||")(
            func.to_tsquery(literal_column("'simple'::regconfig"), words_query)
        )
        score = func.ts_rank(vector, tsquery).label("score")
        statement = (
            select(KbProvision, KbDocument, score)
            .join(KbDocument, KbDocument.id == KbProvision.document_id)
            .where(vector.op("@@")(tsquery))
        )
        params = {}
    statement = apply_filters(statement, filters).order_by(score.desc(), KbProvision.id)
    rows = session.execute(statement.limit(limit).offset(offset), params).all()
    ids = [p.id for p, _, _ in rows]
    tags: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for pid, term in session.execute(
            select(KbTag.provision_id, KbTag.term).where(
                and_(KbTag.provision_id.in_(ids), KbTag.status != "rejected")
            )
        ):
            tags[pid].append(term)
    return [
        SearchHit(
            provision_id=p.id,
            document_id=d.id,
            document=d.title,
            issuer=d.issuer,
            kind=p.kind,
            number=p.number,
            path=p.path,
            text="\n".join(x for x in (p.title, p.text) if x),
            score=float(s or 0.0),
            tags=tuple(sorted(tags[p.id])),
        )
        for p, d, s in rows
    ]


def context_of(path: str) -> list[str]:
    """The citation chain of a provision path ("Chapter II › Article 5 › 1(a)") as a list."""
    return path.split(" › ")
