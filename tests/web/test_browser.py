"""The demo event page in a real browser, in English and in Chinese."""

from __future__ import annotations

import pytest

from detente.forum import DEMO_EVENT_SLUG

pytestmark = pytest.mark.browser

CHAIRS = {
    "en": ["Xiao Qian", "Sun Chenghao", "Dong Ting", "Zhou Bo"],
    "zh": ["肖茜", "孙成昊", "董汀", "周波"],
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_demo_event_page_shows_four_sessions_and_chairs(page, live_server, demo_engine,
                                                        language: str) -> None:
    page.goto(f"{live_server.url}/events/{DEMO_EVENT_SLUG}?lang={language}")
    sessions = page.locator("li.session")
    assert sessions.count() == 4
    for index, chair in enumerate(CHAIRS[language]):
        assert chair in sessions.nth(index).locator(".chair").inner_text()
    heading = page.locator("h1").inner_text()
    expected = "人工智能与国际安全论坛" if language == "zh" else "Artificial Intelligence"
    assert expected in heading


def test_language_switch_is_visible_and_works(page, live_server, demo_engine) -> None:
    page.goto(f"{live_server.url}/events/{DEMO_EVENT_SLUG}?lang=en")
    page.get_by_role("link", name="中文").click()
    page.wait_for_url("**lang=zh")
    assert "主持人" in page.locator("li.session").first.inner_text()


def test_event_page_fits_a_phone_screen(browser, live_server, demo_engine) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/events/{DEMO_EVENT_SLUG}")
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0
