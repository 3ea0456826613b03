"""The states pages in a real browser: the bloc map script runs, the alignment form works."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from detente.states import load_facts

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


def test_alignment_form_draws_the_chosen_pair(page, live_server, facts) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/states/alignment")
    page.select_option("select[name=a]", "CHN")
    page.select_option("select[name=b]", "USA")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**a=CHN**")
    assert "China (CHN)" in page.locator("h2").first.inner_text()
    assert page.locator("svg.line-chart circle").count() == 3
