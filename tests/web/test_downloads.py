"""Downloads name their files in any script (RFC 6266 / 5987); upload refusals are clear in both
languages."""

from __future__ import annotations

import io
from urllib.parse import unquote

from PIL import Image

from detente.forum import DEMO_EVENT_SLUG
from detente.web.edge import content_disposition
from tests.conftest import CSRF_PATTERN


def _upload(client, name: str, data: bytes, lang: str = "en"):  # type: ignore[no-untyped-def]
    page = client.get(f"/events/{DEMO_EVENT_SLUG}/media?lang={lang}")
    token = CSRF_PATTERN.search(page.text).group(1)  # type: ignore[union-attr]
    return client.post(f"/events/{DEMO_EVENT_SLUG}/media",
                       data={"csrf_token": token}, files={"file": (name, data, "image/jpeg")},
                       follow_redirects=False)


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (90, 120, 150)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_chinese_file_name_is_served_in_every_size(organizer) -> None:  # type: ignore[no-untyped-def]
    assert _upload(organizer, "清华会场照片.jpg", _jpeg()).status_code == 303
    page = organizer.get(f"/events/{DEMO_EVENT_SLUG}/media").text
    token = page.split("/media/")[1].split("/")[0]
    for size in ("thumb", "page", "print", "original"):
        served = organizer.get(f"/media/{token}/{size}")
        assert served.status_code == 200, size
        header = served.headers["content-disposition"]
        assert header.startswith("inline; filename=\"download")
        exact = header.split("filename*=UTF-8''")[1]
        assert unquote(exact).startswith("清华会场照片")


def test_content_disposition_keeps_ascii_names_and_quotes_nothing_unsafe() -> None:
    assert content_disposition("attachment", "report-en.pdf") == \
        'attachment; filename="report-en.pdf"'
    value = content_disposition("attachment", 'evil"\r\nSet-Cookie: x=1.pdf')
    assert "\r" not in value and "\n" not in value
    assert value.split('filename="')[1].split('"')[0].count('"') == 0
    value.encode("latin-1")  # every header value must be Latin-1


def test_an_image_bomb_is_refused_in_chinese_without_exception_names(organizer) -> None:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")
    page = organizer.get(f"/events/{DEMO_EVENT_SLUG}/media?lang=zh")
    token = CSRF_PATTERN.search(page.text).group(1)  # type: ignore[union-attr]
    refused = organizer.post(f"/events/{DEMO_EVENT_SLUG}/media", data={"csrf_token": token},
                             files={"file": ("bomb.png", buffer.getvalue(), "image/png")})
    assert refused.status_code == 400
    assert "像素" in refused.text and "bomb.png" in refused.text
    broken = organizer.post(f"/events/{DEMO_EVENT_SLUG}/media", data={"csrf_token": token},
                            files={"file": ("x.jpg", b"<html>not an image</html>", "image/jpeg")})
    assert broken.status_code == 400
    assert "无法读取该图片" in broken.text
    assert "Error" not in broken.text.split("<main", 1)[-1]
