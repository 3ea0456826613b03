"""Pages in both languages, the JSON API, and audited, CSRF-checked tag reviews."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from detente.knowledge import DocumentMeta, import_documents, load_demo_knowledge
from detente.store import session_scope
from detente.store.models.auth import AuditEntry
from detente.store.models.knowledge import KbProvision, KbTag

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery"


@pytest.fixture
def loaded(sqlite_engine: Engine, zh_txt: Path, eu_md: Path) -> Engine:
    import_documents(
        sqlite_engine,
        [zh_txt],
        defaults=DocumentMeta(
            title="军事应用管理办法",
            issuer="中国测试机构",
            kind="regulation",
            binding=True,
            date=date(2024, 1, 1),
        ),
    )
    import_documents(
        sqlite_engine,
        [eu_md],
        defaults=DocumentMeta(
            title="Regulation (EU) 2099/1", issuer="European Union", date=date(2024, 1, 1)
        ),
    )
    return sqlite_engine


def _login(client, engine: Engine) -> str:  # type: ignore[no-untyped-def]
    from detente.accounts import create_user

    with session_scope(engine) as db:
        create_user(db, "analyst", PASSWORD, organizer=True)
    token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/login",
        data={"username": "analyst", "password": PASSWORD, "next": "/kb", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return token


def test_empty_base_explains_how_to_import(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/kb")
    assert page.status_code == 200 and "detente kb import" in page.text


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "path",
    [
        "/kb",
        "/kb/documents/1",
        "/kb/search?q=%E8%87%AA%E4%B8%BB%E6%AD%A6%E5%99%A8",
        "/kb/compare",
        "/kb/gaps",
        "/kb/taxonomy",
    ],
)
def test_pages_render_in_both_languages(client, loaded: Engine, path: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    sep = "&" if "?" in path else "?"
    page = client.get(f"{path}{sep}lang={lang}")
    assert page.status_code == 200
    if path == "/kb/compare":  # cites the prohibiting article, not the title preamble
        assert "第二章 › 第一节 › 第三条" in page.text
    else:
        assert "军事应用管理办法" in page.text or path in {"/kb/taxonomy", "/kb/gaps"}


def test_chinese_search_page_shows_context_and_link(client, loaded: Engine) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/kb/search", params={"q": "自主武器"})
    assert "第二章 › 第一节 › 第三条" in page.text
    assert re.search(r'href="/kb/documents/\d+#p\d+"', page.text)


def test_gaps_page_shows_bilingual_heatmap_and_red_lines(client, loaded: Engine) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/kb/gaps").text
    assert "Nuclear weapons and command and control" in page and "核武器与核指挥控制" in page
    assert "kb-heatmap" in page and "任何单位不得将人工智能用于核武器的发射决策" in page
    assert client.get("/kb/gaps.csv").headers["content-type"].startswith("text/csv")


def test_api_search_and_documents(client, loaded: Engine) -> None:  # type: ignore[no-untyped-def]
    hits = client.get("/api/kb/search", params={"q": "核武器"}).json()
    assert [h["path"] for h in hits] == ["第二章 › 第一节 › 第四条"]
    assert {"document", "number", "kind", "text", "score"} <= set(hits[0])
    assert client.get("/api/kb/search", params={"q": "x", "term": "nope"}).status_code == 400
    docs = client.get("/api/kb/documents").json()
    assert {d["provisions"] for d in docs} == {15, 19}
    spec = client.get("/openapi.json").json()
    assert "/api/kb/search" in spec["paths"] and "/api/kb/gaps" in spec["paths"]


def test_review_requires_login(client, loaded: Engine) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/kb/provisions/1/tags",
        data={"term": "cyber", "action": "add", "document_id": "1"},
        follow_redirects=False,
    )
    assert response.status_code in {303, 403}
    assert client.post(
        "/api/kb/provisions/1/tags", json={"term": "cyber", "action": "add"}
    ).status_code in {401, 403}


def test_review_accept_reject_add_is_audited(client, loaded: Engine) -> None:  # type: ignore[no-untyped-def]
    _login(client, loaded)
    with session_scope(loaded) as db:
        provision = db.scalars(
            select(KbProvision).where(KbProvision.path == "第二章 › 第一节 › 第三条")
        ).one()
        pid, doc_id = provision.id, provision.document_id
    page = client.get(f"/kb/documents/{doc_id}")
    assert "Review tags" in page.text
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    bad = client.post(
        f"/kb/provisions/{pid}/tags",
        data={"term": "cyber", "action": "add", "document_id": doc_id, "csrf_token": "wrong"},
    )
    assert bad.status_code == 403
    for term, action in [
        ("military-autonomous-weapons", "accept"),
        ("human-control", "reject"),
        ("verification-arms-control", "add"),
    ]:
        response = client.post(
            f"/kb/provisions/{pid}/tags",
            follow_redirects=False,
            data={"term": term, "action": action, "document_id": doc_id, "csrf_token": token},
        )
        assert response.status_code == 303
    with session_scope(loaded) as db:
        tags = {t.term: t for t in db.scalars(select(KbTag).where(KbTag.provision_id == pid))}
        actions = [a.action for a in db.scalars(select(AuditEntry))]
    assert tags["military-autonomous-weapons"].status == "accepted"
    assert tags["human-control"].status == "rejected"
    assert (tags["verification-arms-control"].source, tags["verification-arms-control"].status) == (
        "analyst",
        "accepted",
    )
    assert {"kb.tag.accept", "kb.tag.reject", "kb.tag.add"} <= set(actions)
    api = client.post(
        f"/api/kb/provisions/{pid}/tags",
        json={"term": "cyber", "action": "add"},
        headers={"x-csrf-token": token},
    )
    assert api.status_code == 200 and api.json()["status"] == "accepted"


def test_demo_loader_is_idempotent_and_labelled(sqlite_engine: Engine) -> None:
    first = load_demo_knowledge(sqlite_engine)
    second = load_demo_knowledge(sqlite_engine)
    assert len(first.added) == 1 and second.added == [] and len(second.skipped) == 1
    assert "虚构示例" in first.added[0][0]  # the sample is a Chinese text, labelled fictional


def test_chinese_interface_translates_the_pages(client, loaded: Engine) -> None:  # type: ignore[no-untyped-def]
    assert "治理知识库" in client.get("/kb?lang=zh").text
    gaps = client.get("/kb/gaps?lang=zh").text
    assert "覆盖情况与空白" in gaps and "红线登记表" in gaps


def test_every_kb_csv_neutralises_formula_cells(
    client, sqlite_engine: Engine, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "formula.txt"
    path.write_text(
        "Article 1\n\n=HYPERLINK(\"http://evil.example\",\"x\") uses shall be prohibited.\n\n"
        "Article 2\n\n@SUM(1+1) red lines on cyber weapons must not be crossed.\n"
    )
    import_documents(
        sqlite_engine, [path], defaults=DocumentMeta(title="=cmd|' /C calc'!A0", issuer="-X")
    )
    import csv
    import io

    for url in ("/kb/red-lines.csv", "/kb/gaps.csv", "/kb/compare.csv?issuer=-X"):
        response = client.get(url)
        assert response.status_code == 200
        cells = [c for row in csv.reader(io.StringIO(response.text)) for c in row]
        assert cells, url
        dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert dangerous == [], (url, dangerous)
    red = client.get("/kb/red-lines.csv").text
    assert "'=HYPERLINK(" in red and "'=cmd|" in red and "'-X" in red


def test_taxonomy_page_shows_words_not_regular_expressions(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/kb/taxonomy").text
    body = page.split('<table class="kb-taxonomy">', 1)[1]
    assert "human review" in body and "red lines" in body and "should be prohibited" in body
    for syntax in ("(?", "?)", "lines?", "\\b", "[- ]", "(judgment|"):
        assert syntax not in body, syntax


def test_search_page_and_api_mark_hits_found_by_meaning(  # type: ignore[no-untyped-def]
    client, sqlite_engine: Engine, tmp_path: Path
) -> None:
    from detente.knowledge import embed_provisions

    source = tmp_path / "order.txt"
    source.write_text(
        "1. Ministries shall procure software through competitive contracts with vendors.\n\n"
        "2. The board meets twice a year.\n",
        encoding="utf-8",
    )
    import_documents(sqlite_engine, [source], defaults=DocumentMeta(title="Order", issuer="T"))
    embed_provisions(sqlite_engine)
    question = {"q": "how to acquire AI?"}
    page = client.get("/kb/search", params=question).text
    assert "found by meaning: none of the query's words is in it" in page
    assert "按语义找到" in client.get("/kb/search", params={**question, "lang": "zh"}).text
    found = client.get("/api/kb/search", params=question).json()
    hits = found["hits"] if isinstance(found, dict) else found
    assert hits[0]["path"] == "1" and hits[0]["semantic"] is True
