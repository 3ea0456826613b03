"""Search by meaning: ``kb embed`` stores a vector per English provision; search then finds a
provision that shares no word with the question, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from detente.cli import app
from detente.errors import InputError
from detente.knowledge import (
    DocumentMeta,
    SearchFilters,
    embed_provisions,
    import_documents,
    search,
)
from detente.store import session_scope
from detente.store.models.knowledge import KbProvision, KbProvisionVector

runner = CliRunner()

QUESTION = "how does the government acquire AI?"


@pytest.fixture
def corpus(engine: Engine, tmp_path: Path) -> Engine:
    source = tmp_path / "order.txt"
    # Point 1 answers the question in other words: no "government" (nor its related "agency"),
    # "acquire", "AI" or "artificial intelligence" in it.
    source.write_text(
        "1. Ministries shall procure software through competitive contracts with vendors.\n\n"
        "2. Students in schools and universities shall learn how such systems work.\n\n"
        "3. The board meets twice a year.\n\n"
        "4. The government publishes an annual report.\n",
        encoding="utf-8",
    )
    import_documents(
        engine, [source], defaults=DocumentMeta(title="Order", issuer="Test issuer")
    )
    chinese = tmp_path / "zh.txt"
    chinese.write_text("第一条 各机关应当通过竞争性合同采购系统。\n", encoding="utf-8")
    import_documents(
        engine, [chinese], defaults=DocumentMeta(title="办法", issuer="中国测试机构")
    )
    return engine


def _paths(engine: Engine, query: str, **filters: object) -> list[tuple[str, bool]]:
    with session_scope(engine) as db:
        hits = search(db, query, SearchFilters(**filters))  # type: ignore[arg-type]
        return [(h.path, h.semantic) for h in hits]


def test_a_question_in_other_words_finds_the_provision_once_embedded(corpus: Engine) -> None:
    # By words alone the procurement point is not found: it shares no word with the question.
    assert "1" not in [path for path, _ in _paths(corpus, QUESTION)]
    report = embed_provisions(corpus)
    assert (report.embedded, report.current, report.skipped) == (4, 0, 1)
    hits = _paths(corpus, QUESTION)
    # The point with a word of the question is found by it; of those found by meaning alone,
    # the procurement point comes first.
    assert hits[0] == ("4", False)
    assert next(path for path, semantic in hits if semantic) == "1"


def test_embedding_again_only_embeds_new_or_changed_provisions(corpus: Engine) -> None:
    embed_provisions(corpus)
    again = embed_provisions(corpus)
    assert (again.embedded, again.current) == (0, 4)
    with session_scope(corpus) as db:
        db.execute(
            update(KbProvision)
            .where(KbProvision.path == "3")
            .values(text="The board buys computers for schools.")
        )
    changed = embed_provisions(corpus, dry_run=True)
    assert (changed.embedded, changed.current) == (1, 3)
    assert embed_provisions(corpus).embedded == 1
    with session_scope(corpus) as db:
        assert db.scalar(select(KbProvisionVector.id).limit(1)) is not None
        count = len(db.scalars(select(KbProvisionVector.provision_id)).all())
    assert count == 4


def test_filters_apply_to_the_provisions_found_by_meaning(corpus: Engine) -> None:
    embed_provisions(corpus)
    assert _paths(corpus, QUESTION, issuer="中国测试机构") == []


def test_deleting_a_document_deletes_its_vectors(corpus: Engine) -> None:
    from detente.store.models.knowledge import KbDocument

    embed_provisions(corpus)
    with session_scope(corpus) as db:
        document = db.scalars(select(KbDocument).where(KbDocument.title == "Order")).one()
        db.delete(document)
    with session_scope(corpus) as db:
        assert db.scalars(select(KbProvisionVector)).all() == []
    assert _paths(corpus, QUESTION) == []


def test_a_chinese_question_is_embedded_through_its_english_words(corpus: Engine) -> None:
    embed_provisions(corpus)
    with session_scope(corpus) as db:
        hits = search(db, "政府 采购")
    # Its own language first: the Chinese provision that says 采购.
    assert hits[0].document == "办法" and not hits[0].translated
    english = {h.path: h for h in hits if h.document == "Order"}
    assert english["1"].translated and english["4"].translated


def test_kb_embed_reports_in_both_languages_and_as_json(
    corpus: Engine, db_url: str, tmp_path: Path
) -> None:
    dry = runner.invoke(app, ["--database", db_url, "kb", "embed", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would embed 4 provisions; 0 up to date; 1 not in English" in dry.output
    out = tmp_path / "embed.json"
    done = runner.invoke(app, ["--database", db_url, "kb", "embed", "--json", str(out)])
    assert done.exit_code == 0, done.output
    assert json.loads(out.read_text()) == {
        "model": "all-MiniLM-L6-v2",
        "embedded": 4,
        "current": 0,
        "skipped_not_english": 1,
        "dry_run": False,
    }
    zh = runner.invoke(app, ["--database", db_url, "--lang", "zh", "kb", "embed"])
    assert zh.exit_code == 0, zh.output
    assert "已嵌入 0 条条款；4 条已是最新；1 条非英文" in zh.output
    found = runner.invoke(app, ["--database", db_url, "kb", "search", QUESTION])
    assert "found by meaning: none of the query's words is in it" in found.output


def test_without_the_extra_embedding_is_refused_in_one_line(
    corpus: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from detente.knowledge import _semantic

    monkeypatch.setattr(_semantic, "available", lambda: False)
    with pytest.raises(InputError, match="semantic extra"):
        embed_provisions(corpus)
    result = runner.invoke(app, ["--database", db_url, "kb", "embed"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "detente[semantic]" in result.output


def test_an_import_after_embedding_says_what_is_not_yet_found_by_meaning(
    corpus: Engine, db_url: str, tmp_path: Path
) -> None:
    from detente.knowledge import pending_embeddings

    # Not in use before anything is embedded: no hint.
    assert pending_embeddings(corpus) is None
    embed_provisions(corpus)
    assert pending_embeddings(corpus) == 0
    more = tmp_path / "more.txt"
    more.write_text("1. Vendors shall disclose the energy their data centres use.\n\n"
                    "2. Contracts are reviewed each year.\n", encoding="utf-8")
    result = runner.invoke(
        app, ["--database", db_url, "kb", "import", str(more), "--issuer", "Test issuer"]
    )
    assert result.exit_code == 0, result.output
    assert "2 provisions are not yet found by meaning: run detente kb embed" in result.output
    assert pending_embeddings(corpus) == 2
    other = tmp_path / "other.txt"
    other.write_text("1. The council meets monthly.\n", encoding="utf-8")
    zh = runner.invoke(
        app,
        ["--database", db_url, "--lang", "zh", "kb", "import", str(other), "--issuer", "T"],
    )
    assert "3 条条款尚不能按语义找到：请运行 detente kb embed" in zh.output


def test_a_long_provision_is_embedded_as_overlapping_passages_each_after_its_title() -> None:
    from detente.knowledge._semantic import PASSAGE_WORDS, passages

    assert passages("Art. 1", "Short text.") == ["Art. 1 Short text."]
    words = [f"w{i}" for i in range(PASSAGE_WORDS * 3 + 7)]
    pieces = passages("Art. 2", " ".join(words))
    assert all(p.startswith("Art. 2 ") for p in pieces)
    assert all(len(p.split()) <= PASSAGE_WORDS + 2 for p in pieces)
    # Every word is in some passage, and each passage shares half its words with the next.
    assert {w for p in pieces for w in p.split()[2:]} == set(words)
    assert pieces[1].split()[2] == pieces[0].split()[2 + PASSAGE_WORDS // 2]


def test_the_answer_at_the_end_of_a_long_provision_is_found_by_meaning(
    engine: Engine, tmp_path: Path
) -> None:
    # The model reads about 256 word pieces of a text: a single vector of this provision would
    # stand for its first 300 words, about the board's meetings, and nothing of its last
    # sentence, which answers the question in other words.
    filler = " ".join(
        f"The board meets in session {i} to adopt minutes, elect officers and fix its agenda."
        for i in range(1, 21)
    )
    source = tmp_path / "long.txt"
    source.write_text(
        f"1. {filler} Ministries shall procure software through competitive contracts with "
        "vendors.\n\n2. Students in schools shall learn how such systems work.\n\n"
        "3. The government publishes an annual report.\n",
        encoding="utf-8",
    )
    import_documents(engine, [source], defaults=DocumentMeta(title="Rules", issuer="Test"))
    embed_provisions(engine)
    hits = _paths(engine, QUESTION)
    assert next(path for path, semantic in hits if semantic) == "1"


def test_vectors_made_before_provisions_were_cut_into_passages_are_made_again(
    corpus: Engine,
) -> None:
    import hashlib

    embed_provisions(corpus)
    with session_scope(corpus) as db:
        for vector in db.scalars(select(KbProvisionVector)):
            provision = db.get(KbProvision, vector.provision_id)
            assert provision is not None
            words = " ".join(x for x in (provision.title, provision.text) if x)
            vector.digest = hashlib.sha1(words.encode("utf-8")).hexdigest()  # the old digest
    assert embed_provisions(corpus, dry_run=True).embedded == 4
