"""Media: images are checked, re-encoded into page sizes without metadata; refusals are clear."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine

from detente.errors import InputError
from detente.forum import DEMO_EVENT_SLUG, get_event
from detente.reports import IMAGE_SIZES, add_media, list_media, media_file
from detente.store import session_scope


def _add(engine: Engine, media_dir: Path, data: bytes, name: str, **options: object):  # type: ignore[no-untyped-def]
    with session_scope(engine) as db:
        item = add_media(db, media_dir, get_event(db, DEMO_EVENT_SLUG), data, name, **options)
        return item.token, item.width, item.height, item.content_type, item.variant_format


def test_jpeg_is_kept_and_resized_into_every_page_size(demo_engine, tmp_path, image_bytes) -> None:
    _token, width, height, content_type, fmt = _add(
        demo_engine, tmp_path, image_bytes("JPEG", (3000, 2000)), "hall.jpg",
        caption="The hall", caption_local="会场", session_position=2)
    assert (width, height, content_type, fmt) == (3000, 2000, "image/jpeg", "jpeg")
    with session_scope(demo_engine) as db:
        item = list_media(db, get_event(db, DEMO_EVENT_SLUG))[0]
        assert item.session.position == 2 and item.caption_local == "会场"
        for size, edge in IMAGE_SIZES.items():
            found = media_file(tmp_path, item, size)
            with Image.open(found.path) as variant:
                assert max(variant.size) == edge
                assert variant.format == "JPEG"
        original = media_file(tmp_path, item, "original")
        uploaded = image_bytes("JPEG", (3000, 2000))
        with Image.open(original.path) as kept, Image.open(io.BytesIO(uploaded)) as sent:
            assert kept.tobytes() == sent.tobytes()  # the same image data, not re-encoded
            assert not kept.getexif()  # but the camera and GPS fields are gone
    assert "hall" not in str(original.path)  # stored under a random name


def test_small_images_are_never_enlarged(demo_engine, tmp_path, image_bytes) -> None:
    _add(demo_engine, tmp_path, image_bytes("PNG", (500, 300)), "small.png")
    with session_scope(demo_engine) as db:
        item = list_media(db, get_event(db, DEMO_EVENT_SLUG))[0]
        with Image.open(media_file(tmp_path, item, "print").path) as variant:
            assert variant.size == (500, 300)
        with Image.open(media_file(tmp_path, item, "thumb").path) as variant:
            assert variant.size == (320, 192)


def test_exif_is_stripped_and_orientation_applied(demo_engine, tmp_path, image_bytes) -> None:
    # Orientation 6: the camera was turned; the stored pixels are 1600 x 1000 but the photo
    # is upright at 1000 x 1600.
    _, width, height, *_ = _add(demo_engine, tmp_path,
                                image_bytes("JPEG", (1600, 1000), orientation=6), "turned.jpg")
    assert (width, height) == (1000, 1600)
    with session_scope(demo_engine) as db:
        item = list_media(db, get_event(db, DEMO_EVENT_SLUG))[0]
        for size in IMAGE_SIZES:
            with Image.open(media_file(tmp_path, item, size).path) as variant:
                assert variant.height > variant.width
                assert not variant.getexif(), f"{size} still carries EXIF"
                blob = media_file(tmp_path, item, size).path.read_bytes()
                assert b"Detente Test Camera" not in blob


def test_transparent_png_stays_png(demo_engine, tmp_path, image_bytes) -> None:
    *_, content_type, fmt = _add(demo_engine, tmp_path, image_bytes("PNG", alpha=True), "logo.png")
    assert (content_type, fmt) == ("image/png", "png")


def test_pdf_document_is_kept_as_uploaded(demo_engine, tmp_path) -> None:
    data = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    _token, width, _, content_type, fmt = _add(demo_engine, tmp_path, data, "programme.pdf",
                                              declared_type="application/pdf")
    assert (width, content_type, fmt) == (None, "application/pdf", None)


REFUSALS: list[tuple[str, Callable[[Callable[..., bytes]], bytes], str, str | None, str]] = [
    ("fake PNG", lambda make: make("JPEG"), "photo.png", "image/png", "content is JPEG"),
    ("broken PNG", lambda make: b"\x89PNG\r\n\x1a\n" + b"not pixels" * 20, "photo.png", None,
     "cannot be read"),
    ("HTML named .jpg", lambda make: b"<html><script>alert(1)</script></html>", "x.jpg",
     "image/jpeg", "cannot be read"),
    ("SVG by name", lambda make: b'<svg xmlns="http://www.w3.org/2000/svg"/>', "chart.svg",
     None, "SVG and HTML"),
    ("SVG by type", lambda make: b'<svg xmlns="http://www.w3.org/2000/svg"/>', "chart.png",
     "image/svg+xml", "SVG and HTML"),
    ("HTML", lambda make: b"<html></html>", "page.html", "text/html", "SVG and HTML"),
    ("wrong type", lambda make: b"MZ\x90\x00", "tool.exe", None, "not accepted"),
    ("Word file", lambda make: b"PK\x03\x04", "notes.docx", None, "not accepted"),
    ("declared type lies", lambda make: make("JPEG"), "photo.jpg", "image/png",
     "declared as image/png"),
    ("fake PDF", lambda make: make("PNG"), "slides.pdf", "application/pdf", "not a PDF"),
    ("no extension", lambda make: make("PNG"), "photo", None, "no extension"),
    ("empty", lambda make: b"", "empty.jpg", None, "empty"),
]


@pytest.mark.parametrize(("case", "content", "name", "declared", "message"), REFUSALS,
                         ids=[r[0] for r in REFUSALS])
def test_upload_that_is_not_what_it_claims_is_refused(demo_engine, tmp_path, image_bytes, case,
                                                      content, name, declared, message) -> None:
    with pytest.raises(InputError, match=message) as raised:
        _add(demo_engine, tmp_path, content(image_bytes), name, declared_type=declared)
    assert name in str(raised.value)
    with session_scope(demo_engine) as db:
        assert list_media(db, get_event(db, DEMO_EVENT_SLUG)) == []
    assert not any(tmp_path.rglob("original.*"))


def test_oversized_file_is_refused(demo_engine, tmp_path, image_bytes) -> None:
    data = image_bytes("PNG", (800, 600))
    with pytest.raises(InputError, match="more than the 1,000 allowed"):
        _add(demo_engine, tmp_path, data, "big.png", max_bytes=1000)


def test_decompression_bomb_is_refused_before_decoding(demo_engine, tmp_path) -> None:
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")  # 144 megapixels in ~20 KB
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(InputError, match="pixels"):
        _add(demo_engine, tmp_path, buffer.getvalue(), "bomb.png")


def test_unknown_session_is_refused(demo_engine, tmp_path, image_bytes) -> None:
    with pytest.raises(InputError, match="no session 9"):
        _add(demo_engine, tmp_path, image_bytes(), "a.jpg", session_position=9)
