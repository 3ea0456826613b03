"""The news page in a real browser: photos load, previous / next links work, both languages."""

from __future__ import annotations

import pytest

from detente.forum import DEMO_EVENT_SLUG, get_event
from detente.reports import add_media
from detente.store import session_scope

from .conftest import make_image

pytestmark = pytest.mark.browser


def test_news_page_shows_photos_and_navigates(page, live_server, other_forums, settings,
                                              tmp_path) -> None:
    import datetime as dt

    from detente.reports import create_news, publish_news

    with session_scope(other_forums) as db:
        add_media(db, settings.media_path, get_event(db, DEMO_EVENT_SLUG),
                  make_image("JPEG", (2400, 1600)), "hall.jpg", caption="Test hall",
                  caption_local="测试会场")
        for slug, day in (("early-forum", dt.date(2025, 6, 2)), (DEMO_EVENT_SLUG,
                                                                 dt.date(2026, 1, 26))):
            publish_news(db, create_news(db, slug), day)
    page.goto(f"{live_server.url}/news/{DEMO_EVENT_SLUG}?lang=zh")
    image = page.locator("figure.pub-photo img").first
    image.wait_for()
    handle = image.element_handle()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=handle,
                           timeout=15_000)
    source = page.evaluate("(img) => img.currentSrc", handle)
    assert source.endswith("/page")  # the 1024 px size for a 1200 px window
    assert "测试会场" in page.locator("figure.pub-photo figcaption").first.inner_text()
    assert "人工智能与国际安全论坛" in page.locator("h1").inner_text()
    page.screenshot(path=str(tmp_path / "news-zh.png"), full_page=True)
    page.locator("a[rel=prev]").click()
    page.wait_for_url("**/news/early-forum")
    assert page.locator("a[rel=next]").get_attribute("href") == f"/news/{DEMO_EVENT_SLUG}"
