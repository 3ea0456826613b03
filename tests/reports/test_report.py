"""The forum report in every format and language, read back as a reader (or pypdf) sees it."""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import Engine

from detente.forum import DEMO_EVENT_SLUG, get_event
from detente.reports import add_media, build_report, render_report, write_report
from detente.store import session_scope

CHAIRS = {"en": ["Xiao Qian", "Sun Chenghao", "Dong Ting", "Zhou Bo"],
          "zh": ["肖茜", "孙成昊", "董汀", "周波"]}
THEMES = {"en": ["Militarization of AI", "AI arms control", "The role of the United Nations",
                 "Multilateral coordination", "Red lines and risk management"],
          "zh": ["人工智能军事化", "人工智能军备控制", "联合国的作用", "多边协调",
                 "红线与风险管理"]}


@pytest.fixture
def with_photos(pub_engine: Engine, tmp_path: Path, image_bytes) -> Path:  # type: ignore[no-untyped-def]
    media = tmp_path / "media"
    with session_scope(pub_engine) as db:
        event = get_event(db, DEMO_EVENT_SLUG)
        add_media(db, media, event, image_bytes("JPEG", (2400, 1600)), "hall.jpg",
                  caption="Test photo of the hall", caption_local="会场测试照片")
        add_media(db, media, event, image_bytes("PNG", (900, 600)), "panel.png",
                  session_position=2, caption="Test photo of session two",
                  caption_local="第二单元测试照片")
    return media


def _render(engine: Engine, media: Path, language: str, fmt: str) -> bytes:
    with session_scope(engine) as db:
        return render_report(build_report(db, DEMO_EVENT_SLUG, language), fmt, media)


def _pdf_pages(data: bytes) -> list[str]:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_html_report_has_every_section_chart_and_photo(pub_engine, with_photos, language) -> None:
    html = _render(pub_engine, with_photos, language, "html").decode("utf-8")
    for chair in CHAIRS[language]:
        assert chair in html
    for theme in THEMES[language]:
        assert theme in html
    for anchor in ("contents", "summary", "programme", "sessions", "deliberations",
                   "proposals", "closing", "photos", "about"):
        assert f'id="{anchor}"' in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    circles = ET.fromstring(svg).findall("{http://www.w3.org/2000/svg}circle")
    assert len(circles) >= 60  # one dot per simulated participant
    assert html.count("data:image/jpeg;base64,") + html.count("data:image/png;base64,") == 2
    assert ("Illustrative example" in html) if language == "en" else ("示例" in html)
    assert "Decisions to launch nuclear weapons" in html or "发射核武器的决定" in html


@pytest.mark.parametrize("language", ["en", "zh"])
def test_pdf_report_text_names_chairs_and_themes(pub_engine, with_photos, language) -> None:
    data = _render(pub_engine, with_photos, language, "pdf")
    assert data.startswith(b"%PDF")
    pages = _pdf_pages(data)
    assert len(pages) >= 6
    text = " ".join(pages)
    for chair in CHAIRS[language]:
        assert chair in text
    for theme in THEMES[language][:3]:
        assert theme.replace(" ", "") in text.replace(" ", "")
    if language == "zh":
        assert "人工智能与国际安全论坛" in text.replace(" ", "")
        assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 1500
    contents = pages[1]
    assert re.search(r"\d+\s*$", contents)  # the contents carry page numbers
    assert pages[2].strip().endswith("3") or " 3 " in pages[2]  # page numbers in the footer
    fonts = _fonts(data)
    assert fonts and all(embedded for embedded in fonts.values()), fonts


def _fonts(data: bytes) -> dict[str, bool]:
    """Each font of the PDF by name, and whether its program is embedded."""
    pypdf = pytest.importorskip("pypdf")
    found: dict[str, bool] = {}
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            parts = [font, *(d.get_object() for d in font.get("/DescendantFonts") or [])]
            embedded = any(
                key in (part.get("/FontDescriptor") or {}).get_object()
                for part in parts if part.get("/FontDescriptor") is not None
                for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont"))] = embedded
    return found


def test_pdf_embeds_a_cjk_font_in_the_chinese_report(pub_engine, with_photos) -> None:
    fonts = _fonts(_render(pub_engine, with_photos, "zh", "pdf"))
    assert any("CJK" in name and embedded for name, embedded in fonts.items()), fonts


def test_pdf_first_page_renders_to_png(pub_engine, with_photos, tmp_path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    data = _render(pub_engine, with_photos, "zh", "pdf")
    document = pdfium.PdfDocument(data)
    image = document[0].render(scale=1).to_pil()
    image.save(tmp_path / "cover.png")
    width, height = image.size
    assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours and len(colours) > 50  # a real page, not a blank one
    dominant = max(colours)[1]
    assert dominant[2] > dominant[0]  # the dark blue cover


@pytest.mark.parametrize("language", ["en", "zh"])
def test_markdown_report_with_photos_and_chart_beside_it(pub_engine, with_photos, tmp_path,
                                                         language) -> None:
    out = tmp_path / f"report-{language}.md"
    with session_scope(pub_engine) as db:
        write_report(build_report(db, DEMO_EVENT_SLUG, language), "md", with_photos, out)
    text = out.read_text(encoding="utf-8")
    for chair in CHAIRS[language]:
        assert chair in text
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(images) == 3  # two photos and the opinion-group chart
    for image in images:
        assert (tmp_path / image).is_file()


def test_unknown_format_and_language_are_refused(pub_engine, with_photos) -> None:
    from detente.errors import InputError

    with pytest.raises(InputError, match="format"):
        _render(pub_engine, with_photos, "en", "docx")
    with session_scope(pub_engine) as db, pytest.raises(InputError, match="en or zh"):
        build_report(db, DEMO_EVENT_SLUG, "fr")


def test_missing_sections_are_omitted_with_a_note(demo_engine, tmp_path) -> None:
    html = _render(demo_engine, tmp_path, "en", "html").decode("utf-8")
    assert 'id="deliberations"' not in html and 'id="proposals"' not in html
    assert "No deliberation was held at this event." in html
    assert "No proposal has been recorded for this event." in html


@pytest.mark.parametrize(("language", "first", "last"), [
    ("en", "1. Summary", ". About this report"), ("zh", "一、概要", "、关于本报告")])
def test_chapters_are_numbered_as_the_language_numbers_headings(
        pub_engine, tmp_path, language, first, last) -> None:  # type: ignore[no-untyped-def]
    """Chinese documents number their top-level headings 一、二、三、; English ones 1. 2. 3."""
    html = _render(pub_engine, tmp_path / "media", language, "html").decode("utf-8")
    headings = re.findall(r"<h2>([^<]*)</h2>", html)[1:]  # after "Contents"
    entries = re.findall(r'<li><a href="#[a-z-]+">([^<]*)</a>', html)
    assert headings[0] == first and headings[-1].endswith(last), headings
    assert entries == headings  # the contents list them the same way
    if language == "zh":
        assert not [h for h in headings if re.match(r"\d", h)], headings


def test_chinese_numerals_of_chapter_numbers() -> None:
    from detente.reports._report import chinese_numeral

    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 20, 21, 99)] == [
        "一", "九", "十", "十一", "二十", "二十一", "九十九"]
    assert chinese_numeral(100) == "100"
