"""The states pages in a real browser: the bloc map script runs, the alignment form works."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from detente.states import countries, load_facts

pytestmark = pytest.mark.browser


@pytest.fixture
def facts(sqlite_engine: Engine) -> Engine:
    load_facts(sqlite_engine)
    return sqlite_engine


def test_hovering_a_bloc_highlights_its_states_on_the_map(page, live_server, facts) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []  # script errors and content-security-policy refusals
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if "Refused" in message.text else None)
    page.goto(f"{live_server.url}/states?lang=zh")
    assert page.locator(".bloc-map circle.point").count() > 150
    first = page.locator("article.bloc").first
    members = first.get_attribute("data-members").split()
    first.hover()
    highlighted = page.locator(".bloc-map circle.point.highlight")
    assert highlighted.count() == len([m for m in members
                                       if page.locator(f'circle.point[data-key="{m}"]').count()])
    assert page.locator(".bloc-map circle.point.dim").count() > 0
    assert "集团分布图" in page.locator("h2").first.inner_text()
    assert errors == []


def test_alignment_form_takes_names_and_codes(page, live_server, facts) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/states/alignment")
    page.fill("input[name=a]", "China")
    page.fill("input[name=b]", "us")
    page.check("input[name=thin]")  # one vote per session: drawn only when asked
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**a=China**")
    assert "China (CHN)" in page.locator("h2").first.inner_text()
    assert "United States (USA)" in page.locator("h2").first.inner_text()
    assert page.locator("svg.line-chart circle").count() == 3
    page.fill("input[name=a]", "XX")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**a=XX**")
    assert "unknown code XX" in page.get_by_role("alert").inner_text()


def test_search_box_highlights_and_names_the_states_typed(page, live_server, facts) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/states")
    labels = page.locator(".bloc-map text.point-label")
    assert 0 < labels.count() <= 14  # a readable map: only a few states are named
    assert page.locator(".bloc-map circle.point").count() > 150
    page.fill("#state-search", "Mexico, CHN")
    highlighted = page.locator(".bloc-map circle.point.highlight")
    assert sorted(highlighted.evaluate_all("els => els.map(e => e.dataset.key)")) == [
        "CHN", "MEX"]
    assert page.locator('.bloc-map text.point-label[data-key="MEX"]').text_content() == "Mexico"
    assert "Mexico" in page.locator("#search-status").inner_text()
    page.fill("#state-search", "")
    assert page.locator(".bloc-map circle.point.highlight").count() == 0
    assert page.locator('.bloc-map text.point-label[data-key="MEX"]').count() == 0
    # without a script the same search goes through the form and is named by the server
    page.fill("#state-search", "墨西哥")
    page.get_by_role("button", name="Highlight").click()
    page.wait_for_url("**highlight=**")
    assert page.locator('.bloc-map text.point-label[data-key="MEX"]').count() == 1
    # the table lists every state of the map, sorted by name
    page.locator(".map-table summary").click()
    names = page.locator(".map-table tbody tr td:first-child").all_inner_texts()
    assert names == sorted(names, key=str.casefold) and len(names) > 150


def test_chinese_member_lists_are_sorted_by_pinyin(page, live_server, facts) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/states?lang=zh")
    members = page.locator("article.bloc .members").last.inner_text().split("、")
    pinyin = {c.name_zh: c.name_zh_pinyin for c in countries().values()}
    keys = [pinyin[m] for m in members]
    assert keys == sorted(keys) and len(members) > 2
    assert pinyin["中国"] == "zhong1 guo2"


def test_ideal_points_page_draws_one_line_per_state(  # type: ignore[no-untyped-def]
        page, live_server, sqlite_engine, spectrum_file) -> None:
    from detente.states import import_votes

    import_votes(sqlite_engine, spectrum_file)
    page.goto(f"{live_server.url}/states/ideal-points?states=United States, 中国, RU")
    assert page.locator("svg.line-chart g.series").count() == 3
    assert page.locator("svg.line-chart g.series circle").count() == 6  # 3 states x 2 sessions
    headers = page.locator("table.ideal-points thead th").all_inner_texts()
    assert headers[2:5] == ["USA", "CHN", "RUS"]
    page.goto(f"{live_server.url}/states/ideal-points?states=XX")
    assert "unknown code XX" in page.get_by_role("alert").inner_text()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_map_and_heatmap_can_be_scrolled_on_a_phone_by_touch_and_keyboard(  # type: ignore[no-untyped-def]
        page, live_server, facts, language: str) -> None:
    """At 390 px the bloc map (560 px) and the heatmap are wider than the screen: each says
    so above it and takes the keyboard focus, so that arrow keys scroll it (axe:
    scrollable-region-focusable); at 1366 px they fit and no hint shows."""
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}/states?lang={language}")
    for wrap, hint in ((".map-wrap", "#map-hint"), (".heatmap-wrap", "#heat-hint")):
        region = page.locator(wrap)
        assert region.evaluate("el => el.scrollWidth > el.clientWidth")
        assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
        assert region.get_attribute("aria-describedby") == hint[1:]
        assert page.locator(hint).is_visible()
        assert "→" in page.locator(hint).inner_text()
        region.focus()
        for _press in range(50):  # smooth scrolling may take a moment
            page.keyboard.press("ArrowRight")
            if region.evaluate("el => el.scrollLeft") > 0:
                break
            page.wait_for_timeout(100)
        assert region.evaluate("el => el.scrollLeft") > 0
    if language == "zh":
        assert "左右滑动" in page.locator("#map-hint").inner_text()
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pass
    else:
        found = Axe().run(page, options={"runOnly": ["scrollable-region-focusable",
                                                      "landmark-unique", "aria-allowed-attr"]})
        assert found.response["violations"] == []
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/states?lang={language}")
    assert not page.locator("#map-hint").is_visible()
    assert not page.locator("#heat-hint").is_visible()
    assert page.locator(".map-wrap").evaluate("el => el.scrollWidth <= el.clientWidth")
