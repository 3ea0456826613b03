"""Every format parses, and provisions keep their numbering and hierarchy."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.errors import ImportFormatError
from detente.knowledge import parse_bytes, parse_file, segment_blocks


def _segments(path: Path) -> dict[str, object]:
    parsed, _ = parse_file(path)
    return {s.path: s for s in segment_blocks(parsed.blocks)}


def _parent_path(segments: dict, path: str) -> str | None:
    ordered = list(segments.values())
    seg = segments[path]
    return ordered[seg.parent].path if seg.parent is not None else None


def test_eu_style_markdown_keeps_chapters_articles_paragraphs_points(eu_md: Path) -> None:
    segs = _segments(eu_md)
    assert segs["Chapter II › Article 2"].title == "Prohibited practices"
    assert segs["Chapter II"].title == "PROHIBITED PRACTICES"
    point = segs["Chapter II › Article 2 › 1(b)(ii)"]
    assert (point.kind, point.number, point.text) == ("point", "ii", "by private actors;")
    assert (
        _parent_path(segs, "Chapter II › Article 2 › 1(b)(ii)") == "Chapter II › Article 2 › 1(b)"
    )
    assert _parent_path(segs, "Chapter II › Article 2 › 1(c)") == "Chapter II › Article 2 › 1"
    assert segs["Recital 2"].kind == "recital"
    assert segs["Annex I"].kind == "annex" and segs["Annex I"].title == "List of test areas"
    assert segs["Annex I › 1(a)"].text == "road traffic and the supply of water."


def test_us_order_splits_inline_points_and_titles(us_txt: Path) -> None:
    segs = _segments(us_txt)
    assert segs["Sec. 2"].title == "Safety Testing"
    assert segs["Sec. 2 › (a)"].text.startswith("Within 90 days")
    assert segs["Sec. 2 › (a)(i)"].kind == "point"
    assert "(b)" not in "".join(p for p in segs if p.startswith("Sec. 2 › (a)(")), "b is a sibling"
    assert _parent_path(segs, "Sec. 2 › (b)") == "Sec. 2"
    assert segs["Sec. 1"].text == "Artificial intelligence must be safe."


def test_un_resolution_operative_paragraphs_after_preamble(un_txt: Path) -> None:
    segs = list(_segments(un_txt).values())
    kinds = [s.kind for s in segs]
    assert kinds == ["preamble"] * 3 + ["operative_paragraph"] * 3
    assert segs[4].number == "2" and "autonomous weapons" in segs[4].text


def test_chinese_chapters_sections_articles_and_points(zh_txt: Path) -> None:
    segs = _segments(zh_txt)
    article = segs["第二章 › 第一节 › 第三条"]
    assert article.kind == "article" and article.number == "三"
    assert "自主武器系统" in article.text
    assert segs["第二章 › 第一节"].title == "禁止性规定"
    point = segs["第二章 › 第二节 › 第五条 › （三）"]
    assert point.kind == "point" and point.text == "向主管部门报告严重事件。"
    # the article's second paragraph (an unnumbered 款) stays with the article
    assert "每年复核" in segs["第二章 › 第二节 › 第五条"].text


def test_roman_numeral_after_h_is_a_letter() -> None:
    text = "Article 1\n\n" + "\n\n".join(f"({c}) item {c};" for c in "abcdefghij")
    segs = segment_blocks(parse_bytes(text.encode(), "x.txt").blocks)
    points = [s for s in segs if s.kind == "point"]
    assert [s.number for s in points] == list("abcdefghij")
    assert {s.style for s in points} == {"lower"}


def test_html_uses_a_real_parser(html_file: Path) -> None:
    parsed, _ = parse_file(html_file)
    texts = [b.text for b in parsed.blocks]
    assert "menu" not in texts and not any("alert" in t for t in texts)
    assert parsed.meta == {
        "title": "Test Declaration on AI",
        "source_url": "https://example.org/decl",
    }
    segs = {s.path: s for s in segment_blocks(parsed.blocks)}
    assert segs["Article 1 › 2"].text == "States shall test frontier models & share results."


def test_docx_headings_and_paragraphs(docx_file: Path) -> None:
    parsed, _ = parse_file(docx_file)
    assert parsed.meta["title"] == "Test Strategy"
    segs = {s.path: s for s in segment_blocks(parsed.blocks)}
    assert segs["Chapter I › Article 1 › 1(a)"].text == "including malware generation;"
    assert segs["Chapter I › Article 2"].text == "Export controls apply to advanced chips."


def test_pdf_text_is_extracted_and_segmented(pdf_file: Path) -> None:
    parsed, _ = parse_file(pdf_file)
    segs = {s.path: s for s in segment_blocks(parsed.blocks)}
    assert segs["2"].kind == "operative_paragraph"
    assert segs["2 › (a)"].text == "including dialogue on autonomous weapons."


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("broken.pdf", b"%PDF-1.4 this is not a pdf"),
        ("broken.docx", b"PK not a zip"),
        ("notes.odt", b"whatever"),
        ("latin.txt", "caf\xe9".encode("latin-1") + b"\xff\xfe\x00"),
    ],
)
def test_unreadable_files_are_named_in_the_error(name: str, data: bytes) -> None:
    with pytest.raises(ImportFormatError) as info:
        parse_bytes(data, name)
    assert name in str(info.value)
