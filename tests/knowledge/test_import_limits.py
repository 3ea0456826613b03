"""``kb import`` against hostile or careless input: one line, exit 2, nothing written.

Each case here failed before the importer was hardened: an alias bomb ran for minutes to a
MemoryError, Latin-1 was decoded as UTF-16, broken front matter was imported as body text,
manifest rows for missing files and the language ``xx`` were accepted, NUL-only text became an
empty provision, and a binary manifest ended in a traceback.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from detente.cli import app
from detente.errors import ImportFormatError
from detente.knowledge import DocumentMeta, import_documents
from detente.knowledge._parsers import decode_text
from detente.store import session_scope
from detente.store.models.knowledge import KbDocument, KbProvision

runner = CliRunner()

ALIAS_BOMB = "\n".join(
    ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(8)
    ]
    + ["title: bomb", "---", "", "Article 1", "", "Text."]
)
META = DocumentMeta(title="Test", issuer="Tester")


def _kb(db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--database", db, "kb", *args])


def _count(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as db:
        return (
            db.scalar(select(func.count()).select_from(KbDocument)) or 0,
            db.scalar(select(func.count()).select_from(KbProvision)) or 0,
        )


def _refused(engine: Engine, paths: list[Path], match: str, **kwargs: object) -> None:
    with pytest.raises(ImportFormatError, match=match):
        import_documents(engine, paths, defaults=kwargs.pop("defaults", META), **kwargs)  # type: ignore[arg-type]
    assert _count(engine) == (0, 0)


def test_a_yaml_alias_bomb_in_front_matter_is_refused_fast(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "bomb.md"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    start = time.perf_counter()
    _refused(sqlite_engine, [path], r"expands to more than 10000 nodes")
    assert time.perf_counter() - start < 5


def test_deeply_nested_front_matter_is_refused(sqlite_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "deep.md"
    path.write_text("---\ntitle: x\nx: " + "[" * 5_000 + "]" * 5_000 + "\n---\n\nText.\n")
    _refused(sqlite_engine, [path], r"nests deeper than 20 levels")


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("---\ntitle: [unclosed\n---\n\nArticle 1\n\nText.\n", r"not valid YAML"),
        ("---\ntitle: never closed\n\nArticle 1\n\nText.\n", r"never closed"),
        ("---\n- a list\n- not a mapping\n---\n\nText.\n", r"must be a mapping"),
        ("---\ntitle: {nested: map}\n---\n\nText.\n", r"title must be a single value"),
    ],
)
def test_broken_front_matter_is_refused_not_imported_as_text(
    sqlite_engine: Engine, tmp_path: Path, front: str, message: str
) -> None:
    path = tmp_path / "broken.md"
    path.write_text(front, encoding="utf-8")
    _refused(sqlite_engine, [path], message)


def test_latin1_text_is_detected_not_decoded_as_utf16(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    text = "Article 1\n\nLes États membres veillent à la sécurité des systèmes d'IA.\n"
    path.write_bytes(text.encode("latin-1"))
    import_documents(engine, [path], defaults=META)
    with session_scope(engine) as db:
        document = db.scalars(select(KbDocument)).one()
        texts = [p.text for p in db.scalars(select(KbProvision))]
    assert any("États membres veillent à la sécurité" in t for t in texts), texts
    assert document.extra["encoding"] == "cp1252"


@pytest.mark.parametrize(
    ("data", "expected", "encoding"),
    [
        ("Article 1 — été".encode("utf-16-le"), "Article 1 — été", "utf-16-le"),
        ("Article 1".encode("utf-16-be"), "Article 1", "utf-16-be"),
        (b"\xef\xbb\xbfArticle 1", "Article 1", "utf-8-sig"),
        ("Article 1".encode("utf-16"), "Article 1", "utf-16"),
        ("第一条 人工智能".encode("gb18030"), "第一条 人工智能", "gb18030"),
        ("café au lait, résumé".encode("latin-1"), "café au lait, résumé", "cp1252"),
    ],
)
def test_text_encodings_are_detected(data: bytes, expected: str, encoding: str) -> None:
    assert decode_text(data, "x.txt") == (expected, encoding)


@pytest.mark.parametrize("data", [b"\x00" * 64, b"\x00", b"Article 1\x00\x00\x00 text"])
def test_nul_text_is_refused_not_stored_as_an_empty_provision(
    engine: Engine, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(data)
    _refused(engine, [path], r"NUL characters")


def test_whitespace_only_text_is_refused(sqlite_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\n\t\n")
    _refused(sqlite_engine, [path], r"no text found")


def test_a_manifest_row_for_a_missing_file_is_refused(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("Article 1\n\nText.\n")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "file,title,issuer,date,language\na.txt,A,X,2024,en\nmissing.txt,B,X,2024,en\n"
    )
    with pytest.raises(ImportFormatError, match=r"manifest.csv:3: file 'missing.txt' listed"):
        import_documents(sqlite_engine, [tmp_path / "a.txt"], manifest=manifest)
    assert _count(sqlite_engine) == (0, 0)


def test_a_manifest_alone_imports_every_file_it_lists(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("Article 1\n\nText.\n")
    (tmp_path / "b.txt").write_text("Article 1\n\nOther text.\n")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,title,issuer,date,language\na.txt,A,X,2024,en\nb.txt,B,X,2024,en\n")
    report = import_documents(sqlite_engine, [], manifest=manifest)
    assert sorted(t for t, _ in report.added) == ["A", "B"]


@pytest.mark.parametrize("language", ["xx", "english", "zz-ZZ"])
def test_an_unknown_language_code_is_refused(
    sqlite_engine: Engine, tmp_path: Path, language: str
) -> None:
    (tmp_path / "a.txt").write_text("Article 1\n\nText.\n")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"file,title,issuer,date,language\na.txt,A,X,2024,{language}\n")
    with pytest.raises(ImportFormatError, match=r"manifest.csv:2 \(language\): language"):
        import_documents(sqlite_engine, [tmp_path / "a.txt"], manifest=manifest)
    with pytest.raises(ImportFormatError, match=r"--language"):
        import_documents(
            sqlite_engine,
            [tmp_path / "a.txt"],
            defaults=DocumentMeta(issuer="X", language=language),
        )
    assert _count(sqlite_engine) == (0, 0)


@pytest.mark.parametrize("language", ["en", "zh", "zh-Hans", "fr", "ar"])
def test_known_language_codes_are_accepted(
    sqlite_engine: Engine, tmp_path: Path, language: str
) -> None:
    (tmp_path / "a.txt").write_text("Article 1\n\nText.\n")
    import_documents(
        sqlite_engine, [tmp_path / "a.txt"], defaults=DocumentMeta(issuer="X", language=language)
    )
    assert _count(sqlite_engine)[0] == 1


def test_a_file_over_the_size_limit_names_the_limit_and_the_option(
    sqlite_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Article 1\n\n" + "word " * 400)
    result = _kb(sqlite_url, "import", str(path), "--issuer", "X", "--max-size", "1KB")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {path}: file is 2,011 bytes, over the size limit of 1,024 bytes "
        "(raise it with --max-size)"
    ]
    result = _kb(sqlite_url, "import", str(path), "--issuer", "X", "--max-size", "4KB")
    assert result.exit_code == 0, result.output


def test_a_provision_over_the_provision_limit_is_refused(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text("word " * 50_000)
    _refused(sqlite_engine, [path], r"over the limit of 200,000 for one provision")


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 50,
        b"file,title,issuer,date,language\n\x00\x00,x,y,2024,en\n",
        "file,title,issuer,date,language\na.txt,A,X,2024,en\n".encode("utf-16"),
    ],
)
def test_a_binary_manifest_gets_one_line(sqlite_url: str, tmp_path: Path, content: bytes) -> None:
    (tmp_path / "a.txt").write_text("Article 1\n\nText.\n")
    manifest = tmp_path / "manifest.csv"
    manifest.write_bytes(content)
    result = _kb(sqlite_url, "import", str(tmp_path / "a.txt"), "--manifest", str(manifest))
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {manifest}"), lines


def test_a_directory_as_path_gets_one_line(sqlite_url: str, tmp_path: Path) -> None:
    result = _kb(sqlite_url, "import", str(tmp_path), "--issuer", "X")
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {tmp_path}: not a file"


def test_dry_run_prints_what_would_change_and_writes_nothing(
    sqlite_url: str, eu_md: Path, us_txt: Path
) -> None:
    result = _kb(sqlite_url, "import", str(eu_md), "--issuer", "EU", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would import" in result.output and "nothing was written" in result.output
    listed = _kb(sqlite_url, "documents", "--json", "-")
    assert listed.output.strip() == "[]"
    assert _kb(sqlite_url, "import", str(eu_md), "--issuer", "EU").exit_code == 0
    again = _kb(sqlite_url, "import", str(eu_md), str(us_txt), "--issuer", "EU", "--dry-run")
    assert "1 already present" in again.output and "dry run: 1 document(s)" in again.output


def test_a_failure_in_the_second_file_writes_nothing_from_the_first(
    engine: Engine, eu_md: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(ALIAS_BOMB)
    _refused(engine, [eu_md, bad], r"expands")


def test_a_large_text_imports_in_bounded_memory(sqlite_engine: Engine, tmp_path: Path) -> None:
    """Provisions and tags are written in batches, so Python allocations stay flat (about 16 MB,
    mostly the taxonomy and jieba) instead of growing by ~290 MB per MB of text as they did when
    every provision and tag was an ORM object held until the commit (44 MB for this 0.15 MB
    text)."""
    import tracemalloc

    paragraph = (
        "{n}. Providers of high-risk AI systems shall test them for cybersecurity, report "
        "serious incidents to the market surveillance authority and keep logs for ten years."
    )
    blocks = []
    for article in range(1, 151):
        blocks.append(f"Article {article}")
        blocks.extend(paragraph.format(n=n) for n in range(1, 7))
    path = tmp_path / "large.txt"
    path.write_text("\n\n".join(blocks))
    assert path.stat().st_size > 140_000
    tracemalloc.start()
    import_documents(sqlite_engine, [path], defaults=META)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert _count(sqlite_engine) == (1, 150 * 7)
    assert peak < 25 * 1024 * 1024, f"peak Python allocations {peak / 2**20:.0f} MB"
