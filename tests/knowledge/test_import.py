"""Import: metadata from options or a manifest, inference, idempotence, one transaction."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from detente.errors import ImportFormatError
from detente.knowledge import (
    DocumentMeta,
    document_json,
    get_document,
    import_documents,
    list_documents,
)
from detente.store import session_scope
from detente.store.models.knowledge import KbDocument, KbProvision


def _manifest(path: Path, rows: list[dict[str, str]]) -> Path:
    fields = sorted({k for r in rows for k in r}, key=lambda k: (k not in ("file",), k))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _count(engine: Engine, model) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def test_manifest_metadata_inference_and_extra_columns(
    engine: Engine, eu_md: Path, us_txt: Path, tmp_path: Path
) -> None:
    manifest = _manifest(
        tmp_path / "m.csv",
        [
            {
                "file": eu_md.name,
                "title": "Regulation (EU) 2099/1 on test systems",
                "issuer": "European Union",
                "date": "2099-01-02",
                "language": "en",
                "notes": "fixture",
            },
            {
                "file": us_txt.name,
                "title": "Executive Order 99999 on testing",
                "issuer": "The White House",
                "date": "2099-02",
                "language": "en",
                "kind": "",
                "source_url": "https://example.org/eo",
            },
        ],
    )
    report = import_documents(engine, [eu_md, us_txt], manifest=manifest)
    assert len(report.added) == 2 and report.skipped == []
    with session_scope(engine) as db:
        docs = {d["file"]: d for d in list_documents(db)}
    eu, us = docs[eu_md.name], docs[us_txt.name]
    assert (eu["kind"], eu["binding"], eu["kind_inferred"], eu["binding_inferred"]) == (
        "regulation",
        True,
        True,
        True,
    )
    assert eu["jurisdiction"] == "European Union" and eu["extra"] == {"notes": "fixture"}
    assert eu["date"] == "2099-01-02" and us["date"] == "2099-02-01"
    assert (us["kind"], us["jurisdiction"], us["source_url"]) == (
        "executive_order",
        "United States",
        "https://example.org/eo",
    )
    assert eu["provisions"] == 19


def test_explicit_kind_and_binding_are_not_marked_inferred(engine: Engine, un_txt: Path) -> None:
    meta = DocumentMeta(
        title="Resolution 99/1",
        issuer="United Nations General Assembly",
        kind="declaration",
        binding=False,
        date=date(2099, 3, 1),
    )
    import_documents(engine, [un_txt], defaults=meta)
    with session_scope(engine) as db:
        doc = list_documents(db)[0]
    assert (doc["kind"], doc["kind_inferred"], doc["binding"], doc["binding_inferred"]) == (
        "declaration",
        False,
        False,
        False,
    )
    assert doc["issuer_type"] == "organisation"


def test_reimport_is_idempotent(engine: Engine, eu_md: Path) -> None:
    meta = DocumentMeta(issuer="European Union")
    import_documents(engine, [eu_md], defaults=meta)
    before = (_count(engine, KbDocument), _count(engine, KbProvision))
    report = import_documents(engine, [eu_md], defaults=meta)
    assert report.added == [] and report.skipped == [str(eu_md)]
    assert (_count(engine, KbDocument), _count(engine, KbProvision)) == before


def test_a_bad_file_aborts_the_whole_import(engine: Engine, eu_md: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(ImportFormatError, match=r"bad\.pdf"):
        import_documents(engine, [eu_md, bad], defaults=DocumentMeta(issuer="EU"))
    assert _count(engine, KbDocument) == 0 and _count(engine, KbProvision) == 0


def test_manifest_errors_name_line_and_column(engine: Engine, eu_md: Path, tmp_path: Path) -> None:
    manifest = _manifest(
        tmp_path / "m.csv",
        [
            {
                "file": eu_md.name,
                "title": "x",
                "issuer": "EU",
                "date": "13/06/2024",
                "language": "en",
            }
        ],
    )
    with pytest.raises(ImportFormatError, match=r"m\.csv:2 \(date\)"):
        import_documents(engine, [eu_md], manifest=manifest)
    missing = tmp_path / "missing.csv"
    missing.write_text("file,title\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="missing column"):
        import_documents(engine, [eu_md], manifest=missing)


def test_no_issuer_is_an_error(engine: Engine, eu_md: Path) -> None:
    with pytest.raises(ImportFormatError, match="issuer"):
        import_documents(engine, [eu_md])


def test_show_gives_provisions_in_order_with_parent_and_tags(engine: Engine, zh_txt: Path) -> None:
    import_documents(engine, [zh_txt], defaults=DocumentMeta(issuer="测试机构", title="测试办法"))
    with session_scope(engine) as db:
        data = document_json(get_document(db, zh_txt.name))
    assert data["language"] == "zh"
    provisions = data["provisions"]
    assert [p["position"] for p in provisions] == sorted(p["position"] for p in provisions)
    article = next(p for p in provisions if p["path"] == "第二章 › 第一节 › 第三条")
    assert (article["kind"], article["number"], article["parent"]) == (
        "article",
        "三",
        "第二章 › 第一节",
    )
    terms = {t["term"] for t in article["tags"]}
    assert {"military-autonomous-weapons", "prohibitions-red-lines", "human-control"} <= terms
    tag = next(t for t in article["tags"] if t["term"] == "prohibitions-red-lines")
    assert tag["evidence"]["matched"] == ["禁止"] and 0 < tag["confidence"] <= 1
