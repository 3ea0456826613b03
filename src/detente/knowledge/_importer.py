"""Import instruments: parse, segment, tag and store, all files of one call in one transaction.

Re-importing a file whose bytes are already stored (same SHA-256) changes nothing. Any file
that cannot be parsed aborts the whole import, naming the file, and nothing is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.orm import Session

from detente.errors import ImportFormatError
from detente.i18n import gettext as _
from detente.knowledge._legal import provision_role
from detente.knowledge._metadata import (
    DocumentMeta,
    infer_kind,
    jurisdiction_of,
    parse_language,
    read_manifest,
)
from detente.knowledge._parsers import (
    MAX_FILE_SIZE,
    MAX_PROVISION_CHARS,
    ParsedFile,
    check_readable,
    parse_file,
)
from detente.knowledge._segment import Segment, segment_blocks
from detente.knowledge._tagger import Classifier, rules_digest, suggest_tags
from detente.knowledge._taxonomy import Taxonomy, load_taxonomy
from detente.knowledge._text import has_cjk, search_text
from detente.store import session_scope
from detente.store.models.knowledge import KbClassifier, KbDocument, KbProvision, KbTag

__all__ = [
    "DocumentPlan",
    "ImportReport",
    "current_classifier",
    "import_documents",
    "provision_count",
    "store_document",
]


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do): documents added (title,
    provisions), files skipped as duplicates, and the plans of a dry run."""

    added: list[tuple[str, int]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    plans: list[DocumentPlan] = field(default_factory=list)
    dry_run: bool = False

    @property
    def provisions(self) -> int:
        """Provisions added in all."""
        return sum(n for _, n in self.added)

    def describe(self) -> str:
        """One line for the CLI."""
        if self.dry_run:
            return _(
                "dry run: %(docs)d document(s), %(provisions)d provision(s) and %(tags)d tag(s) "
                "would be imported; %(skipped)d already present; nothing was written"
            ) % {
                "docs": len(self.plans),
                "provisions": sum(p.provisions for p in self.plans),
                "tags": sum(p.tags for p in self.plans),
                "skipped": len(self.skipped),
            }
        return _(
            "%(docs)d document(s), %(provisions)d provision(s) imported; "
            "%(skipped)d already present"
        ) % {"docs": len(self.added), "provisions": self.provisions, "skipped": len(self.skipped)}


def current_classifier(session: Session) -> Classifier | None:
    """The most recently trained classifier, or None before the first training."""
    row = session.scalars(select(KbClassifier).order_by(KbClassifier.id.desc()).limit(1)).first()
    return Classifier.from_json(row.model) if row is not None else None


def _resolve_meta(path: Path, parsed: ParsedFile, given: DocumentMeta) -> DocumentMeta:
    title = given.title or parsed.meta.get("title") or path.stem
    issuer = given.issuer
    if not issuer:
        raise ImportFormatError(_("no issuer: give --issuer or a manifest row"), location=str(path))
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
    for name, limit in _META_LENGTHS.items():
        value = getattr(meta, name)
        if value is not None and len(value) > limit:
            values = {"name": name, "length": f"{len(value):,}", "limit": limit,
                      "line": meta.line}
            raise ImportFormatError(
                (_("%(name)s is %(length)s characters long, over the limit of %(limit)s "
                   "(manifest line %(line)s)") if meta.line else
                 _("%(name)s is %(length)s characters long, over the limit of %(limit)s"))
                % values,
                location=str(path),
            )
    return meta


#: Longest value of each metadata field (its column's length).
_META_LENGTHS = {
    "title": 500,
    "issuer": 300,
    "issuer_type": 20,
    "jurisdiction": 60,
    "source_url": 1000,
    "status_by": 500,
}


#: Provisions written per batch: the text, search text and tags of one batch are in memory at a
#: time, so a large instrument is stored in constant memory beyond its segmented text.
BATCH = 1000


@dataclass
class DocumentPlan:
    """What importing one document would write: its metadata and provision and tag counts."""

    title: str
    file: str
    provisions: int
    tags: int = 0
    encoding: str | None = None


def _fit(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters, keeping its end (a path's " #2" stays unique)."""
    if len(value) <= limit:
        return value
    keep = limit // 2 - 1
    return f"{value[:keep]}…{value[-(limit - keep - 1) :]}"


def _check_sizes(path: Path, segments: Sequence[Segment]) -> None:
    for segment in segments:
        size = len(segment.title or "") + sum(len(part) for part in segment.parts)
        if size > MAX_PROVISION_CHARS:
            raise ImportFormatError(
                _(
                    "provision %(path)s holds %(size)s characters, over the limit of %(limit)s "
                    "for one provision (split the text into numbered paragraphs)"
                )
                % {"path": segment.path, "size": f"{size:,}", "limit": f"{MAX_PROVISION_CHARS:,}"},
                location=str(path),
            )


def store_document(
    session: Session,
    path: Path,
    parsed: ParsedFile,
    digest: str,
    meta: DocumentMeta,
    taxonomy: Taxonomy,
    classifier: Classifier | None,
    *,
    segments: Sequence[Segment] | None = None,
) -> KbDocument:
    """Create the document, its provisions (with parents) and their suggested tags.

    Provisions and tags are inserted in batches of :data:`BATCH` rows without ORM objects, so
    memory stays bounded by the segmented text; ``document.provisions`` is not loaded (use
    :func:`provision_count`).
    """
    inferred_kind, inferred_binding = infer_kind(meta.title or "")
    extra = dict(meta.extra)
    if parsed.meta.get("encoding"):
        extra.setdefault("encoding", parsed.meta["encoding"])
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
        extra=extra,
        status=meta.status,
        status_date=meta.status_date,
        status_by=meta.status_by,
    )
    session.add(document)
    session.flush()
    if segments is None:
        segments = segment_blocks(parsed.blocks)
        _check_sizes(path, segments)
    ids: list[int] = []
    depths: list[int] = []
    roles: list[str] = []
    rules = rules_digest(taxonomy)
    #: The titles above each segment, outermost first (what search indexes as its headings).
    headings: list[str] = []
    for start in range(0, len(segments), BATCH):
        batch = segments[start : start + BATCH]
        texts = ["\n".join(x for x in (s.title, s.text) if x) for s in batch]
        rows = []
        for segment, full in zip(batch, texts, strict=True):
            parent = segment.parent
            depths.append(depths[parent] + 1 if parent is not None else 0)
            headings.append(
                " ".join(x for x in (headings[parent], segments[parent].title) if x)
                if parent is not None
                else ""
            )
            roles.append(
                provision_role(
                    segment.kind,
                    segment.title,
                    segment.text,
                    roles[parent] if parent is not None else None,
                    parent_text=segments[parent].text if parent is not None else None,
                    parent_title=segments[parent].title if parent is not None else None,
                )
            )
            rows.append(
                {
                    "document_id": document.id,
                    "parent_id": ids[parent] if parent is not None and parent < start else None,
                    "position": segment.index + 1,
                    "depth": depths[-1],
                    "kind": segment.kind,
                    "number": segment.number,
                    "label": _fit(segment.label, 80),
                    "path": _fit(segment.path, 400),
                    "title": (segment.title or None) and _fit(segment.title, 500),
                    "text": segment.text,
                    "search_text": search_text(full),
                    "search_title": search_text(segment.title or ""),
                    "search_heading": search_text(headings[-1]),
                    "role": roles[-1],
                }
            )
        result = session.execute(
            insert(KbProvision).returning(KbProvision.id, sort_by_parameter_order=True), rows
        )
        batch_ids = [row[0] for row in result]
        ids.extend(batch_ids)
        inside = [  # parents in this same batch get their id now that it is known
            {"id": ids[s.index], "parent_id": ids[s.parent]}
            for s in batch
            if s.parent is not None and s.parent >= start
        ]
        if inside:
            session.execute(update(KbProvision), inside)
        tag_rows = [
            {
                "provision_id": pid,
                "term": suggestion.term,
                "source": suggestion.source,
                "confidence": suggestion.confidence,
                "evidence": dict(suggestion.evidence),
                "status": "suggested",
                "rules": rules,
            }
            for pid, suggestions in zip(
                batch_ids, suggest_tags(texts, taxonomy, classifier), strict=True
            )
            for suggestion in suggestions
        ]
        if tag_rows:
            session.execute(insert(KbTag), tag_rows)
    session.expire(document, ["provisions"])
    return document


def provision_count(session: Session, document_id: int) -> int:
    """The number of provisions stored for a document."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(KbProvision)
            .where(KbProvision.document_id == document_id)
        )
        or 0
    )


def _resolve_paths(
    paths: Sequence[Path], manifest: Path | None, rows: dict[str, DocumentMeta]
) -> list[Path]:
    """The files to import: those given, or every file the manifest lists; each must exist.

    A manifest row whose file is neither given nor beside the manifest is an error.
    """
    given = {path.name: path for path in paths}
    if manifest is not None:
        for name, meta in rows.items():
            if name not in given and not (manifest.parent / name).is_file():
                raise ImportFormatError(
                    _("file %(file)r listed in the manifest does not exist beside it")
                    % {"file": name},
                    location=f"{manifest}:{meta.line}",
                )
        if not paths:
            return [manifest.parent / name for name in rows]
    if not paths:
        raise ImportFormatError(_("no file to import: name files or give --manifest"))
    return list(paths)


def import_documents(
    engine: Engine,
    paths: Sequence[Path],
    *,
    manifest: Path | None = None,
    defaults: DocumentMeta | None = None,
    taxonomy: Taxonomy | None = None,
    max_size: int = MAX_FILE_SIZE,
    dry_run: bool = False,
) -> ImportReport:
    """Import ``paths`` in one transaction; metadata from ``manifest`` rows, else ``defaults``.

    Every file is checked (it exists, is within ``max_size`` bytes, is listed in the manifest)
    before any is read; then each file is parsed, segmented and written in batches, one file at
    a time, so memory is bounded by the largest file rather than the sum. Any error rolls the
    whole import back. With ``dry_run`` nothing is written: the report says what would be.

    Raises
    ------
    ImportFormatError
        Naming the first file (or manifest line) that cannot be read; nothing is imported.
    """
    taxonomy = taxonomy or load_taxonomy()
    rows = read_manifest(manifest) if manifest else {}
    if defaults is not None and defaults.language:
        defaults.language = parse_language(defaults.language, "--language")
    files = _resolve_paths(paths, manifest, rows)
    for path in files:  # cheap checks first: a bad name or size stops before any parsing
        check_readable(path, max_size=max_size)
        if manifest and path.name not in rows and defaults is None:
            raise ImportFormatError(_("not listed in the manifest"), location=str(path))
    report = ImportReport(dry_run=dry_run)
    with session_scope(engine) as session:
        classifier = current_classifier(session)
        seen = set(session.scalars(select(KbDocument.content_hash)))
        for path in files:
            parsed, data = parse_file(path, max_size=max_size)
            digest = hashlib.sha256(data).hexdigest()
            del data
            meta = _resolve_meta(path, parsed, rows.get(path.name) or defaults or DocumentMeta())
            if digest in seen:
                report.skipped.append(str(path))
                continue
            seen.add(digest)
            segments = segment_blocks(parsed.blocks)
            parsed.blocks = []
            _check_sizes(path, segments)
            if dry_run:
                tags = 0
                for start in range(0, len(segments), BATCH):
                    texts = [
                        "\n".join(x for x in (s.title, s.text) if x)
                        for s in segments[start : start + BATCH]
                    ]
                    tags += sum(len(x) for x in suggest_tags(texts, taxonomy, classifier))
                report.plans.append(
                    DocumentPlan(
                        meta.title or path.name,
                        str(path),
                        len(segments),
                        tags,
                        parsed.meta.get("encoding"),
                    )
                )
                continue
            document = store_document(
                session, path, parsed, digest, meta, taxonomy, classifier, segments=segments
            )
            report.added.append((document.title, len(segments)))
        if dry_run:
            session.rollback()
    return report
