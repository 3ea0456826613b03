"""No stored size of an image keeps its metadata: EXIF, XMP, comments, text chunks."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageCms, PngImagePlugin
from sqlalchemy import Engine

from detente.forum import DEMO_EVENT_SLUG, get_event
from detente.reports import add_media, list_media, media_file, sizes
from detente.reports._image_meta import strip_original
from detente.store import session_scope

MARK = "detente-private-mark"


def _photo(size: tuple[int, int] = (900, 600)) -> Image.Image:
    image = Image.new("RGB", size, (30, 110, 160))
    for x in range(0, size[0], 60):
        image.paste((220, 140, 40), (x, 0, x + 25, size[1]))
    return image


def _exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = MARK  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 59.0, 58.0)}  # GPS position
    if orientation:
        exif[0x0112] = orientation
    return exif


def _xmp() -> bytes:
    return (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><dc:creator>{MARK}</dc:creator>'
            "</rdf:RDF></x:xmpmeta>").encode()


def _jpeg(orientation: int | None = None) -> bytes:
    buffer = io.BytesIO()
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    _photo().save(buffer, "JPEG", exif=_exif(orientation), comment=MARK.encode(), xmp=_xmp(),
                  icc_profile=profile, progressive=True)
    return buffer.getvalue()


def _png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", MARK)
    info.add_text("Comment", MARK, zip=True)
    info.add_itxt("XML:com.adobe.xmp", _xmp().decode())
    buffer = io.BytesIO()
    _photo().convert("RGBA").save(buffer, "PNG", pnginfo=info, exif=_exif())
    return buffer.getvalue()


def _webp() -> bytes:
    buffer = io.BytesIO()
    _photo().save(buffer, "WEBP", exif=_exif(), xmp=_xmp())
    return buffer.getvalue()


def _gif() -> bytes:
    buffer = io.BytesIO()
    frames = [_photo().convert("P"), _photo((900, 600)).rotate(180).convert("P")]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], loop=0,
                   comment=MARK.encode())
    return buffer.getvalue()


CASES = {"JPEG": (_jpeg, "photo.jpg"), "PNG": (_png, "photo.png"),
         "WEBP": (_webp, "photo.webp"), "GIF": (_gif, "photo.gif")}


@pytest.mark.parametrize("fmt", list(CASES))
def test_no_stored_size_keeps_metadata(demo_engine: Engine, tmp_path: Path, fmt: str) -> None:
    make, name = CASES[fmt]
    data = make()
    assert MARK.encode() in data or fmt == "WEBP"  # the test file does carry it
    with session_scope(demo_engine) as db:
        add_media(db, tmp_path, get_event(db, DEMO_EVENT_SLUG), data, name)
    with session_scope(demo_engine) as db:
        item = list_media(db, get_event(db, DEMO_EVENT_SLUG))[0]
        for size in sizes(item):
            stored = media_file(tmp_path, item, size).path.read_bytes()
            assert MARK.encode() not in stored, size
            assert b"xmpmeta" not in stored and b"GPS" not in stored, size
            with Image.open(io.BytesIO(stored)) as image:
                image.load()
                exif = image.getexif()
                assert 0x8825 not in exif and 0x010F not in exif, size
                assert "comment" not in image.info and "xmp" not in image.info, size
                if size != "original":
                    assert "icc_profile" not in image.info, size
        original = media_file(tmp_path, item, "original").path.read_bytes()
        with Image.open(io.BytesIO(original)) as kept, Image.open(io.BytesIO(data)) as sent:
            assert kept.tobytes() == sent.tobytes()  # the image data is untouched


def test_a_jpeg_original_keeps_its_colour_profile_and_orientation() -> None:
    data = _jpeg(orientation=6)
    stripped = strip_original(data, "JPEG", orientation=6)
    with Image.open(io.BytesIO(stripped)) as image:
        assert image.info.get("icc_profile")
        assert dict(image.getexif()) == {0x0112: 6}
        assert "comment" not in image.info


def test_resized_sizes_drop_the_profile_and_keep_the_colours(demo_engine: Engine,
                                                            tmp_path: Path) -> None:
    buffer = io.BytesIO()
    _photo().save(buffer, "JPEG", icc_profile=ImageCms.ImageCmsProfile(
        ImageCms.createProfile("sRGB")).tobytes(), quality=95)
    with session_scope(demo_engine) as db:
        add_media(db, tmp_path, get_event(db, DEMO_EVENT_SLUG), buffer.getvalue(), "srgb.jpg")
    with session_scope(demo_engine) as db:
        item = list_media(db, get_event(db, DEMO_EVENT_SLUG))[0]
        with Image.open(media_file(tmp_path, item, "page").path) as page:
            assert page.mode == "RGB" and "icc_profile" not in page.info
            red, green, blue = page.getpixel((10, 300))  # type: ignore[misc]
            assert abs(red - 220) < 12 and abs(green - 140) < 12 and abs(blue - 40) < 12


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_a_broken_file_is_refused_by_the_stripper(fmt: str) -> None:
    data = CASES[fmt][0]()
    with pytest.raises(ValueError):
        strip_original(data[:40] + b"\xff\x00" * 3 if fmt == "JPEG" else data[:30], fmt)
