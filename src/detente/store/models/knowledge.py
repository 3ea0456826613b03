"""Governance knowledge base: instruments, their provisions, tags, AI risks and trained classifiers.

A document (an AI governance instrument) is split into provisions that keep their numbering and
hierarchy (``parent_id``). Provisions carry taxonomy tags, each from a lexicon rule, the classifier
or an analyst, with a confidence, the evidence that produced it and a review status. Full-text
search runs over ``search_text``, a lower-cased copy of the text with Chinese segmented into
words; SQLite indexes it in the FTS5 table ``kb_provision_fts`` and PostgreSQL through a GIN
expression index (both created by the migration, not declared here).
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from detente.store.base import Base, TimestampMixin, utcnow

__all__ = ["SEARCH_INDEX_OBJECTS", "KbClassifier", "KbDocument", "KbProvision", "KbRisk", "KbTag"]

#: Schema objects the knowledge migration creates outside the models (FTS5 virtual table and its
#: shadow tables on SQLite; the generated tsvector column and its GIN index on PostgreSQL).
#: Registered on the metadata so that model/migration comparisons can skip them
#: (``metadata.info["unmanaged_names"]``).
SEARCH_INDEX_OBJECTS = frozenset(
    {
        "kb_provision_fts",
        "kb_provision_fts_data",
        "kb_provision_fts_idx",
        "kb_provision_fts_docsize",
        "kb_provision_fts_config",
        "kb_provision_fts_content",
        "ix_kb_provisions_fts",
        "search_vector",
    }
)
Base.metadata.info.setdefault("unmanaged_names", set()).update(SEARCH_INDEX_OBJECTS)


class KbDocument(TimestampMixin, Base):
    """One governance instrument (law, regulation, executive order, resolution...)."""

    __tablename__ = "kb_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    issuer: Mapped[str] = mapped_column(String(300), index=True)
    issuer_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    jurisdiction: Mapped[str | None] = mapped_column(String(60), nullable=True)
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    kind: Mapped[str | None] = mapped_column(String(40), nullable=True)
    kind_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    binding: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    binding_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(20))
    source_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    file_name: Mapped[str] = mapped_column(String(500))
    file_format: Mapped[str] = mapped_column(String(10))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Legal status: in_force, revoked, superseded, draft or unknown (None: not given).
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: When it entered into force (in_force) or ended (revoked, superseded).
    status_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    #: The instrument that revoked or superseded it.
    status_by: Mapped[str | None] = mapped_column(String(500), nullable=True)
    provisions: Mapped[list[KbProvision]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="KbProvision.position"
    )


class KbProvision(Base):
    """A numbered unit of a document: chapter, section, article, paragraph, point, recital..."""

    __tablename__ = "kb_provisions"
    __table_args__ = (UniqueConstraint("document_id", "path", name="uq_kb_provisions_document_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("kb_documents.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("kb_provisions.id", ondelete="CASCADE"), nullable=True
    )
    position: Mapped[int] = mapped_column(Integer)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    label: Mapped[str] = mapped_column(String(80))
    path: Mapped[str] = mapped_column(String(400))
    title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    #: The provision's own title and the titles of the provisions above it (outermost first),
    #: prepared like ``search_text``: indexed as fields of their own so that ranking can weigh
    #: a match in a title or a heading apart from one in the text.
    search_title: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_heading: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: What the provision does in law: recital, definition, scope, exclusion, obligation,
    #: prohibition or other (see ``detente.knowledge._legal``).
    role: Mapped[str] = mapped_column(
        String(20), default="other", server_default="other", index=True
    )
    document: Mapped[KbDocument] = relationship(back_populates="provisions")
    parent: Mapped[KbProvision | None] = relationship(remote_side="KbProvision.id")
    tags: Mapped[list[KbTag]] = relationship(
        back_populates="provision", cascade="all, delete-orphan", order_by="KbTag.term"
    )


class KbTag(Base):
    """A taxonomy term attached to a provision, with where it came from and its review."""

    __tablename__ = "kb_tags"
    __table_args__ = (UniqueConstraint("provision_id", "term", name="uq_kb_tags_provision_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provision_id: Mapped[int] = mapped_column(
        ForeignKey("kb_provisions.id", ondelete="CASCADE"), index=True
    )
    term: Mapped[str] = mapped_column(String(80), index=True)
    source: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="suggested")
    #: The digest of the tagging rules that made a suggested tag (``rules_digest``); None on
    #: a tag made before digests were recorded, or by an analyst.
    rules: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reviewed_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    provision: Mapped[KbProvision] = relationship(back_populates="tags")


class KbProvisionVector(Base):
    """A provision's sentence embedding (float32 bytes) for search by meaning, with the model
    that made it and a digest of the words it embedded (``detente kb embed``)."""

    __tablename__ = "kb_provision_vectors"
    __table_args__ = (
        UniqueConstraint("provision_id", "model", name="uq_kb_provision_vectors_provision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provision_id: Mapped[int] = mapped_column(
        ForeignKey("kb_provisions.id", ondelete="CASCADE")
    )
    model: Mapped[str] = mapped_column(String(80))
    digest: Mapped[str] = mapped_column(String(40))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class KbRisk(TimestampMixin, Base):
    """A risk from the MIT AI Risk Repository with its domain labels and our crosswalked terms."""

    __tablename__ = "kb_risks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ev_id: Mapped[str] = mapped_column(String(40), unique=True)
    source_title: Mapped[str] = mapped_column(String(500), default="")
    category: Mapped[str] = mapped_column(Text, default="")
    subcategory: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    entity: Mapped[str | None] = mapped_column(String(40), nullable=True)
    intent: Mapped[str | None] = mapped_column(String(40), nullable=True)
    timing: Mapped[str | None] = mapped_column(String(40), nullable=True)
    domain: Mapped[str | None] = mapped_column(String(120), nullable=True, index=True)
    subdomain: Mapped[str | None] = mapped_column(String(200), nullable=True)
    terms: Mapped[list] = mapped_column(JSON, default=list)


class KbClassifier(Base):
    """A trained tag classifier, stored as plain JSON weights (no pickle) with its metrics."""

    __tablename__ = "kb_classifiers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trained_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    n_examples: Mapped[int] = mapped_column(Integer)
    terms: Mapped[list] = mapped_column(JSON, default=list)
    model: Mapped[dict] = mapped_column(JSON, default=dict)
    metrics: Mapped[dict] = mapped_column(JSON, default=dict)
