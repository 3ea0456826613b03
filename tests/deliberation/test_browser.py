"""In a real browser (headless Chromium): three participants on phones, an organizer, results."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import Engine

from detente.accounts import create_user
from detente.store import session_scope

from .conftest import make_deliberation

pytestmark = pytest.mark.browser

SEEDS = [
    "Nuclear launch decisions must stay with humans.",
    "Lethal autonomous weapons should be banned by treaty.",
    "Militaries should publish how they test AI systems.",
    "Major powers need a standing dialogue on AI incidents.",
    "Falling behind in military AI is the greater danger.",
    "Existing humanitarian law already covers autonomy.",
    "Verification of limits on military AI is impossible.",
    "Defensive autonomy such as missile defence needs no limits.",
]
PHONE = {"width": 390, "height": 844}


def _vote_all(page, base: str, d: int, pattern: list[str]) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/deliberations/{d}")
    page.get_by_role("button", name="Take part").click()
    for choice in pattern:
        page.get_by_role("button", name=choice, exact=True).click()
        page.wait_for_load_state()
    assert "voted on every statement" in page.content()


def test_three_participants_and_an_organizer_reach_groups(
        browser, live_server, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    d = make_deliberation(demo_engine, seeds=SEEDS)
    with session_scope(demo_engine) as db:
        create_user(db, "moderator", "a long enough password", organizer=True)
    base = live_server.url
    patterns = [["Agree"] * 4 + ["Disagree"] * 4, ["Agree"] * 4 + ["Disagree"] * 4,
                ["Disagree"] * 4 + ["Agree"] * 4]
    contexts = [browser.new_context(viewport=PHONE) for _ in patterns]
    try:
        pages = [context.new_page() for context in contexts]
        for page, pattern in zip(pages, patterns, strict=True):
            _vote_all(page, base, d, pattern)
        # The page fits a phone: no horizontal scrolling.
        assert pages[0].evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        pages[0].get_by_label("One short, clear statement").fill(
            "Crisis hotlines should cover AI incidents between militaries.")
        pages[0].get_by_role("button", name="Submit for moderation").click()
        assert "once a moderator accepts it" in pages[0].content()

        organizer = browser.new_context().new_page()
        organizer.goto(f"{base}/deliberations/{d}/manage")
        organizer.get_by_label("Username").fill("moderator")
        organizer.get_by_label("Password").fill("a long enough password")
        organizer.get_by_role("button", name="Log in").click()
        assert "Moderation queue (1)" in organizer.content()
        organizer.locator(".d-queue").get_by_role("button", name="Accept").click()
        assert "Moderation queue (0)" in organizer.content()
        organizer.context.close()

        pages[2].goto(f"{base}/deliberations/{d}")
        assert "Crisis hotlines should cover AI incidents" in pages[2].content()

        deadline = time.monotonic() + 30
        while True:
            pages[1].goto(f"{base}/deliberations/{d}/results")
            content = pages[1].content()
            if "Opinion group B" in content or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert "Opinion group A" in content and "Opinion group B" in content
        assert pages[1].locator("svg circle").count() == 3
        assert "You are in Opinion group" in content
    finally:
        for context in contexts:
            context.close()
