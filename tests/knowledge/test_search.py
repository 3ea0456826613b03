"""Full-text search in English and Chinese with filters, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from detente.errors import InputError
from detente.knowledge import DocumentMeta, SearchFilters, import_documents, search
from detente.store import session_scope


@pytest.fixture
def loaded(engine: Engine, eu_md: Path, us_txt: Path, zh_txt: Path) -> Engine:
    import_documents(
        engine,
        [eu_md],
        defaults=DocumentMeta(
            title="Regulation (EU) 2099/1", issuer="European Union", date=date(2099, 1, 1)
        ),
    )
    import_documents(
        engine,
        [us_txt],
        defaults=DocumentMeta(
            title="Executive Order 99999", issuer="The White House", date=date(2098, 1, 1)
        ),
    )
    import_documents(
        engine,
        [zh_txt],
        defaults=DocumentMeta(
            title="军事应用管理办法",
            issuer="China test issuer 中国",
            date=date(2097, 1, 1),
            kind="regulation",
            binding=True,
        ),
    )
    return engine


def _paths(engine: Engine, query: str, **filters: object) -> list[str]:
    with session_scope(engine) as db:
        return [h.path for h in search(db, query, SearchFilters(**filters))]  # type: ignore[arg-type]


def test_english_search_with_stemming_and_context(loaded: Engine) -> None:
    with session_scope(loaded) as db:
        hits = search(db, "prohibited practices")
    assert hits and hits[0].path.startswith("Chapter II")
    assert hits[0].score > 0 and hits[0].to_json()["url"].startswith("/kb/documents/")
    assert "Chapter II › Article 2 › 1" in _paths(loaded, "prohibit")


def test_chinese_search_finds_segmented_words(loaded: Engine) -> None:
    paths = _paths(loaded, "自主武器")
    assert "第二章 › 第一节 › 第三条" in paths and "第一章 › 第二条" in paths
    assert _paths(loaded, "核武器")[0] == "第二章 › 第一节 › 第四条"


def test_filters_by_issuer_kind_date_binding_and_term(loaded: Engine) -> None:
    assert _paths(loaded, "weapons", issuer="white house") == ["Sec. 2 › (a)(i)"]
    assert _paths(loaded, "social scoring", issuer="white house") == []
    assert _paths(loaded, "autonomous weapons", issuer="european union") == ["Recital 2"]
    assert _paths(loaded, "自主武器", kind="regulation", binding=True)
    assert _paths(loaded, "自主武器", date_to=date(2096, 12, 31)) == []
    assert _paths(loaded, "biological", term="biological") == ["Sec. 2 › (a)(i)"]
    assert _paths(loaded, "biological", term="chemical") == []


def test_not_every_query_word_is_required_and_hits_are_ranked(loaded: Engine) -> None:
    assert _paths(loaded, "social scoring")[0] == "Chapter II › Article 2 › 1(b)"
    assert _paths(loaded, "social nonexistentword")[0] == "Chapter II › Article 2 › 1(b)"
    assert _paths(loaded, "nonexistentword") == []


def test_snippets_highlight_the_matched_words_escaped(loaded: Engine) -> None:
    with session_scope(loaded) as db:
        hit = search(db, "scoring")[0]
    assert ("scoring", True) in hit.snippet
    assert "<mark>scoring</mark>" in hit.snippet_html


def test_a_chinese_query_finds_english_provisions_marked_as_translated(loaded: Engine) -> None:
    with session_scope(loaded) as db:
        hits = search(db, "生物武器")
    english = [h for h in hits if h.path == "Sec. 2 › (a)(i)"]
    assert english and english[0].translated


def test_empty_query_is_refused(loaded: Engine) -> None:
    with session_scope(loaded) as db, pytest.raises(InputError):
        search(db, " ,, ")


def test_deleting_a_document_removes_it_from_the_index(loaded: Engine) -> None:
    from sqlalchemy import select

    from detente.store.models.knowledge import KbDocument

    with session_scope(loaded) as db:
        db.delete(db.scalars(select(KbDocument).where(KbDocument.language == "zh")).one())
    assert not [p for p in _paths(loaded, "自主武器") if p.startswith("第")]


def test_a_point_is_found_through_the_headings_above_it(loaded: Engine) -> None:
    # Point (a) of Article 2 ("Prohibited practices") does not repeat its article's title.
    paths = _paths(loaded, "prohibited practices")
    assert "Chapter II › Article 2 › 1(a)" in paths
    assert paths.index("Chapter II › Article 2") < paths.index("Chapter II › Article 2 › 1(a)")
    # Annex I's heading "List of test areas" leads to its points.
    assert "Annex I › 1(a)" in _paths(loaded, "test areas")


def test_a_query_also_looks_for_the_related_words_of_its_taxonomy_term(loaded: Engine) -> None:
    # "military uses" shares no word with the query; the taxonomy term of autonomous weapons
    # ("armed forces", "military", "use of force", ...) leads to it, after the direct matches.
    paths = _paths(loaded, "lethal autonomous weapons", issuer="white house")
    assert paths == ["Sec. 2 › (a)(i)", "Sec. 2 › (b)"]


def test_glossary_words_for_the_same_thing_are_looked_for_in_the_query_language() -> None:
    from detente.knowledge import load_taxonomy
    from detente.knowledge._search import expansions

    taxonomy = load_taxonomy()
    same = [e for e in expansions("deepfakes", taxonomy) if not e.cross]
    assert any("deep fake" in e.targets for e in same)
    cross = [t for e in expansions("deepfakes", taxonomy) if e.cross for t in e.targets]
    assert "深度伪造" in cross
    # Words the query already holds are not looked for again, in any number.
    assert all("deepfake" not in e.targets for e in expansions("deepfakes", taxonomy))


def test_neighbouring_query_words_side_by_side_rank_first(engine: Engine, tmp_path: Path) -> None:
    source = tmp_path / "incidents.txt"
    source.write_text(
        "1. Serious or not, an incident shall be reported.\n\n"
        "2. A serious incident shall be reported to the authority without delay.\n\n"
        "3. The board meets twice a year.\n\n4. Providers keep technical documentation.\n\n"
        "5. Fees are published each year.\n\n6. This order takes effect today.\n",
        encoding="utf-8",
    )
    import_documents(engine, [source], defaults=DocumentMeta(title="T", issuer="Test issuer"))
    from detente.knowledge._search import proximity_units

    assert proximity_units("nuclear command and control") == (
        (("nuclear", "command"), True),
        (("command", "and", "control"), True),
    )
    assert _paths(engine, "serious incident")[:2] == ["2", "1"]
