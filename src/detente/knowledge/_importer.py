"""Import instruments: parse, segment, tag and store, all files of one call in one transaction.

Re-importing a file whose bytes are already stored (same SHA-256) changes nothing. Any file
that cannot be parsed aborts the whole import, naming the file, and nothing is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from detente.errors import ImportFormatError
from detente.knowledge._metadata import DocumentMeta, infer_kind, jurisdiction_of, read_manifest
from detente.knowledge._parsers import ParsedFile, parse_file
from detente.knowledge._segment import segment_blocks
from detente.knowledge._tagger import Classifier, suggest_tags
from detente.knowledge._taxonomy import Taxonomy, load_taxonomy
from detente.knowledge._text import has_cjk, search_text
from detente.store import session_scope
from detente.store.models.knowledge import KbClassifier, KbDocument, KbProvision, KbTag

__all__ = ["ImportReport", "current_classifier", "import_documents", "store_document"]


@dataclass
class ImportReport:
    """What an import did: documents added (title, provisions) and files skipped as duplicates."""

    added: list[tuple[str, int]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def provisions(self) -> int:
        """Provisions added in all."""
        return sum(n for _, n in self.added)

    def describe(self) -> str:
        """One line for the CLI."""
        return (
            f"{len(self.added)} document(s), {self.provisions} provision(s) imported; "
            f"{len(self.skipped)} already present"
        )


def current_classifier(session: Session) -> Classifier | None:
    """The most recently trained classifier, or None before the first training."""
    row = session.scalars(select(KbClassifier).order_by(KbClassifier.id.desc()).limit(1)).first()
    return Classifier.from_json(row.model) if row is not None else None


def _resolve_meta(path: Path, parsed: ParsedFile, given: DocumentMeta) -> DocumentMeta:
    title = given.title or parsed.meta.get("title") or path.stem
    issuer = given.issuer
    if not issuer:
        raise ImportFormatError("no issuer: give --issuer or a manifest row", location=str(path))
    meta = DocumentMeta(**{**given.__dict__, "title": title, "issuer": issuer})
    if meta.source_url is None:
        meta.source_url = parsed.meta.get("source_url")
    if meta.language is None:
        text = " ".join(b.text for b in parsed.blocks[:50])
        meta.language = "zh" if has_cjk(text) else "en"
    if meta.jurisdiction is None:
        meta.jurisdiction = jurisdiction_of(issuer)
    if meta.issuer_type is None:
        meta.issuer_type = (
            "organisation"
            if meta.jurisdiction in {"United Nations", "European Union"}
            else "state"
            if meta.jurisdiction
            else None
        )
    return meta


def _tag_suggestions(provision: KbProvision, suggestions: Sequence) -> None:  # type: ignore[type-arg]
    for suggestion in suggestions:
        provision.tags.append(
            KbTag(
                term=suggestion.term,
                source=suggestion.source,
                confidence=suggestion.confidence,
                evidence=dict(suggestion.evidence),
                status="suggested",
            )
        )


def store_document(
    session: Session,
    path: Path,
    parsed: ParsedFile,
    digest: str,
    meta: DocumentMeta,
    taxonomy: Taxonomy,
    classifier: Classifier | None,
) -> KbDocument:
    """Create the document, its provisions (with parents) and their suggested tags."""
    inferred_kind, inferred_binding = infer_kind(meta.title or "")
    document = KbDocument(
        title=meta.title,
        issuer=meta.issuer,
        issuer_type=meta.issuer_type,
        jurisdiction=meta.jurisdiction,
        date=meta.date,
        kind=meta.kind or inferred_kind,
        kind_inferred=meta.kind is None and inferred_kind is not None,
        binding=meta.binding if meta.binding is not None else inferred_binding,
        binding_inferred=meta.binding is None and inferred_binding is not None,
        language=meta.language,
        source_url=meta.source_url,
        file_name=path.name,
        file_format=parsed.format,
        content_hash=digest,
        extra=dict(meta.extra),
    )
    session.add(document)
    segments = segment_blocks(parsed.blocks)
    provisions: list[KbProvision] = []
    for segment in segments:
        full = "\n".join(x for x in (segment.title, segment.text) if x)
        parent = provisions[segment.parent] if segment.parent is not None else None
        provision = KbProvision(
            position=segment.index + 1,
            depth=(parent.depth + 1) if parent else 0,
            kind=segment.kind,
            number=segment.number,
            label=segment.label[:80],
            path=segment.path[:400],
            title=(segment.title or None) and segment.title[:500],
            text=segment.text,
            search_text=search_text(full),
        )
        provision.parent = parent
        provisions.append(provision)
    document.provisions = provisions
    texts = ["\n".join(x for x in (s.title, s.text) if x) for s in segments]
    for provision, suggestions in zip(
        provisions, suggest_tags(texts, taxonomy, classifier), strict=True
    ):
        _tag_suggestions(provision, suggestions)
    return document


def import_documents(
    engine: Engine,
    paths: Sequence[Path],
    *,
    manifest: Path | None = None,
    defaults: DocumentMeta | None = None,
    taxonomy: Taxonomy | None = None,
) -> ImportReport:
    """Import ``paths`` in one transaction; metadata from ``manifest`` rows, else ``defaults``.

    Raises
    ------
    ImportFormatError
        Naming the first file (or manifest line) that cannot be read; nothing is imported.
    """
    taxonomy = taxonomy or load_taxonomy()
    rows = read_manifest(manifest) if manifest else {}
    report = ImportReport()
    parsed_files = []
    for path in paths:  # parse everything first: a bad file stops the import before any write
        parsed, data = parse_file(path)
        given = rows.get(path.name) or defaults or DocumentMeta()
        if manifest and path.name not in rows and defaults is None:
            raise ImportFormatError("not listed in the manifest", location=str(path))
        parsed_files.append(
            (path, parsed, hashlib.sha256(data).hexdigest(), _resolve_meta(path, parsed, given))
        )
    with session_scope(engine) as session:
        classifier = current_classifier(session)
        seen = set(session.scalars(select(KbDocument.content_hash)))
        for path, parsed, digest, meta in parsed_files:
            if digest in seen:
                report.skipped.append(str(path))
                continue
            seen.add(digest)
            document = store_document(session, path, parsed, digest, meta, taxonomy, classifier)
            report.added.append((document.title, len(document.provisions)))
    return report
