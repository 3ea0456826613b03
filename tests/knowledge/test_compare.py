"""Comparison by issuer, the coverage matrix with its gaps, the red-line register."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from detente.knowledge import (
    DocumentMeta,
    compare_issuers,
    coverage_matrix,
    import_documents,
    load_taxonomy,
    matrix_csv,
    red_lines,
)
from detente.store import session_scope


@pytest.fixture
def loaded(engine: Engine, eu_md: Path, us_txt: Path, zh_txt: Path) -> Engine:
    import_documents(
        engine,
        [eu_md],
        defaults=DocumentMeta(
            title="Regulation (EU) 2099/1", issuer="European Union", date=date(2024, 1, 1)
        ),
    )
    import_documents(
        engine,
        [us_txt],
        defaults=DocumentMeta(
            title="Declaration on testing", issuer="The White House", date=date(2024, 1, 1)
        ),
    )
    import_documents(
        engine,
        [zh_txt],
        defaults=DocumentMeta(
            title="测试办法",
            issuer="中国测试机构",
            kind="regulation",
            binding=True,
            date=date(2024, 1, 1),
        ),
    )
    return engine


def test_compare_puts_issuers_side_by_side_with_citations(loaded: Engine) -> None:
    with session_scope(loaded) as db:
        data = compare_issuers(db, ["United States", "European Union", "China"], load_taxonomy())
    rows = {t["term"]: t for t in data["terms"]}
    military = rows["military-autonomous-weapons"]["issuers"]
    # 第三条 prohibits; 第一条 (purpose) and 第二条 (definition) are context, not coverage.
    assert military["China"]["count"] == 1 and military["China"]["binding"] is True
    assert military["China"]["context"] >= 2
    assert any(c["path"] == "第二章 › 第一节 › 第三条" for c in military["China"]["citations"])
    assert military["United States"]["binding"] is False  # a declaration, inferred non-binding
    bio = rows["biological"]["issuers"]
    assert bio["United States"]["citations"][0]["path"] == "Sec. 2 › (a)(i)"
    assert bio["European Union"]["count"] == 0
    assert [d["title"] for d in data["columns"]["China"]["documents"]] == ["测试办法"]


def test_coverage_matrix_marks_binding_non_binding_and_gaps(loaded: Engine) -> None:
    with session_scope(loaded) as db:
        data = coverage_matrix(db, load_taxonomy())
    cells = {(c["domain"], c["tool"]): c for row in data["matrix"] for c in row}
    assert len(cells) == len(data["domains"]) * len(data["tools"])
    nuclear = cells[("nuclear-command-control", "prohibitions-red-lines")]
    assert nuclear["status"] == "binding" and nuclear["documents"][0]["title"] == "测试办法"
    assert cells[("biological", "testing-evaluation")]["status"] == "non-binding only"
    assert cells[("chemical", "verification-arms-control")]["status"] == "gap"
    gaps = {(g["domain"], g["tool"]) for g in data["gaps"]}
    assert ("chemical", "verification-arms-control") in gaps
    assert ("nuclear-command-control", "prohibitions-red-lines") not in gaps
    csv_text = matrix_csv(data)
    assert csv_text.splitlines()[0] == (
        "domain,tool,status,binding,provisions,documents,reviewed,applies_later")


def test_red_line_register_lists_prohibiting_provisions(loaded: Engine) -> None:
    with session_scope(loaded) as db:
        register = red_lines(db)
        china = red_lines(db, issuer="中国")
    paths = {r["path"] for r in register}
    assert {
        "Chapter II › Article 2 › 1",
        "第二章 › 第一节 › 第三条",
        "第二章 › 第一节 › 第四条",
    } <= paths
    assert {r["path"] for r in china} <= {p for p in paths if p.startswith("第")}
