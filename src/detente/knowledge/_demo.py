"""Demo loader: a clearly labelled, fictional Chinese sample instrument written by us.

The taxonomy itself ships as a data file and needs no loading. No shared data is read: the demo
works on a bare checkout. The sample lets the Chinese path (segmentation, search, tags) be
tried at once; real instruments are imported with ``detente kb import`` (see docs/knowledge.md).
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, select

from detente.knowledge._importer import (
    ImportReport,
    current_classifier,
    provision_count,
    store_document,
)
from detente.knowledge._metadata import DocumentMeta
from detente.knowledge._parsers import parse_bytes
from detente.knowledge._taxonomy import load_taxonomy
from detente.store import session_scope
from detente.store.models.knowledge import KbDocument

__all__ = ["DEMO_SAMPLE_TITLE", "load_demo_knowledge"]

#: The sample is a Chinese text and carries a Chinese title; its pages say in both languages
#: that it is an illustrative sample, not a real instrument.
DEMO_SAMPLE_TITLE = "人工智能安全治理示范规定（虚构示例）"


def load_demo_knowledge(engine: Engine) -> ImportReport:
    """Import the illustrative Chinese sample once; running it again changes nothing."""
    data = (
        resources.files("detente") / "data" / "taxonomy" / "samples" / "illustrative-zh.txt"
    ).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    report = ImportReport()
    with session_scope(engine) as session:
        if session.scalars(select(KbDocument.id).where(KbDocument.content_hash == digest)).first():
            report.skipped.append("illustrative-zh.txt")
            return report
        parsed = parse_bytes(data, "illustrative-zh.txt")
        meta = DocumentMeta(
            title=DEMO_SAMPLE_TITLE,
            issuer="detente demo (illustrative sample)",
            kind="other",
            binding=False,
            language="zh",
            issuer_type="organisation",
            extra={
                "illustrative": "true",
                "note": "Fictional text written by the detente project.",
            },
        )
        document = store_document(
            session,
            Path("illustrative-zh.txt"),
            parsed,
            digest,
            meta,
            load_taxonomy(),
            current_classifier(session),
        )
        report.added.append((document.title, provision_count(session, document.id)))
    return report
