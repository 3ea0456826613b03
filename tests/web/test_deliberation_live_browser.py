"""The live session mode in a real browser (headless Chromium), in English and in Chinese.

The projector's view at 1920x1080 and three phone-sized participants who join through the
address of the view's QR code: while they join and vote, the projector's counters and opinion
map change without a reload; when an organizer seeds a statement, a participant halfway
through a statement and a draft of their own is told of it without losing either.

Screenshots of each step go to ``$DETENTE_SCREENSHOTS/live`` when that variable is set (for
review), else to the test's temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import Engine

from detente.accounts import create_user
from detente.deliberation import create_deliberation, seed_statements
from detente.forum import DEMO_EVENT_SLUG
from detente.store import session_scope
from tests.web.conftest import live_count as _count
from tests.web.conftest import wait_until as _wait

pytestmark = pytest.mark.browser

PASSWORD = "a long enough organizer password"
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
SEEDS = [
    ("Nuclear launch decisions must stay with humans.",
     "核武器发射决定必须由人作出。"),
    ("Lethal autonomous weapons should be banned by treaty.",
     "应以条约禁止致命性自主武器。"),
    ("Militaries should publish how they test AI systems.",
     "军队应公开其人工智能系统的测试方式。"),
    ("Major powers need a standing dialogue on AI incidents.",
     "大国需要就人工智能事件建立常设对话。"),
    ("Falling behind in military AI is the greater danger.",
     "在军事人工智能上落后才是更大的危险。"),
    ("Existing humanitarian law already covers autonomy.",
     "现有人道法已经涵盖自主性问题。"),
    ("Verification of limits on military AI is impossible.",
     "对军事人工智能限制的核查是不可能的。"),
    ("Defensive autonomy such as missile defence needs no limits.",
     "导弹防御等防御性自主无需限制。"),
]
NEW_SEED = "Crisis hotlines should cover incidents involving military AI."
TEXT = {
    "en": {"locale": "en-GB", "notice": "1 new statement has arrived; it comes after this one.",
           "scan": "Scan the code, or open", "draft": "Hotlines between militaries help."},
    "zh": {"locale": "zh-CN", "notice": "新增 1 条观点，将在当前这条之后出现。",
           "scan": "扫描二维码，或打开", "draft": "各国军队之间的热线很有帮助。"},
}


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    root = os.environ.get("DETENTE_SCREENSHOTS")
    folder = Path(root) / "live" if root else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def recompute_in_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("detente.web.routes.deliberation_api.RECOMPUTE_IN_PROCESS", False)


@pytest.fixture
def fast_server(settings, demo_engine: Engine):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from detente.web.app import create_app
    from tests.conftest import LiveServer

    with LiveServer(create_app(replace(settings, recompute_delay=0.2))) as server:
        yield server


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_projector_follows_three_phones_voting_and_a_phone_hears_of_new_statements(
        browser, fast_server, demo_engine: Engine, screenshots: Path,  # type: ignore[no-untyped-def]
        language: str) -> None:
    text = TEXT[language]
    with session_scope(demo_engine) as db:
        create_user(db, "organizer", PASSWORD, organizer=True)
        deliberation = create_deliberation(
            db, DEMO_EVENT_SLUG, 2, "Where should the red lines for military AI be drawn?",
            question_local="军事人工智能的红线应划在哪里？")
        seed_statements(db, deliberation, SEEDS)
        d = deliberation.id
    base = fast_server.url
    shot = lambda page, name: page.screenshot(  # noqa: E731
        path=str(screenshots / f"{language}-{name}.png"))

    projector_context = browser.new_context(viewport=PROJECTOR, locale=text["locale"])
    phone_contexts = [browser.new_context(viewport=PHONE, locale=text["locale"],
                                          is_mobile=True, has_touch=True) for _ in range(3)]
    organizer_context = browser.new_context(locale=text["locale"])
    try:
        projector = projector_context.new_page()
        projector.goto(f"{base}/deliberations/{d}/live?lang={language}")
        _wait(lambda: projector.get_attribute("#live", "data-connection") == "live",
              "the projector's stream")
        projector.evaluate("window.__notReloaded = true")
        assert text["scan"] in projector.inner_text(".live-join")
        assert projector.locator(".live-qr svg[role=img]").count() == 1
        join = projector.get_attribute(".live-link a", "href")
        assert join == f"{base}/j/{d}"
        shot(projector, "projector-waiting")

        phones = [context.new_page() for context in phone_contexts]
        for number, phone in enumerate(phones, start=1):
            phone.goto(join)
            assert phone.url == f"{base}/deliberations/{d}"
            phone.click(".d-join button")
            phone.wait_for_selector(".d-vote")
            _wait(lambda n=number: _count(projector, "participants") == n,
                  f"{number} participants on the projector")
        shot(phones[0], "phone-statement")
        assert phones[0].evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth")

        patterns = [[".d-agree"] * 4 + [".d-disagree"] * 4,
                    [".d-agree"] * 4 + [".d-disagree"] * 4,
                    [".d-disagree"] * 4 + [".d-agree"] * 4]
        for phone, pattern in zip(phones[1:], patterns[1:], strict=True):
            for button in pattern:
                phone.click(button)
                phone.wait_for_load_state()
        for button in patterns[0][:7]:  # the first phone stops at its last statement
            phones[0].click(button)
            phones[0].wait_for_load_state()
        _wait(lambda: _count(projector, "votes") == 23, "23 votes on the projector")
        _wait(lambda: projector.locator("#live-board svg.opinion-map circle.point").count() == 3,
              "the opinion map with three participants", timeout=45)
        assert projector.evaluate("window.__notReloaded === true"), "the projector reloaded"
        shot(projector, "projector-live")

        # The first phone is halfway through a statement and a draft of its own.
        shown = phones[0].inner_text("#d-statement")
        phones[0].fill("textarea[name=text]", text["draft"])
        phones[0].evaluate("window.__notReloaded = true")

        organizer = organizer_context.new_page()
        organizer.goto(f"{base}/login?next=/deliberations/{d}/manage")
        organizer.fill("input[name=username]", "organizer")
        organizer.fill("input[name=password]", PASSWORD)
        organizer.click("form[action='/login'] button[type=submit]")
        organizer.wait_for_url(f"**/deliberations/{d}/manage")
        organizer.fill("form[action$='/seed'] textarea[name=statements]", NEW_SEED)
        organizer.click("form[action$='/seed'] button[type=submit]")
        organizer.wait_for_load_state()

        phones[0].wait_for_selector("#d-live-statements:not([hidden])")
        assert text["notice"] in phones[0].inner_text("#d-live-statements")
        assert phones[0].evaluate("window.__notReloaded === true"), "the phone reloaded"
        assert phones[0].input_value("textarea[name=text]") == text["draft"]
        assert phones[0].inner_text("#d-statement") == shown
        shot(phones[0], "phone-new-statement")
        _wait(lambda: _count(projector, "statements") == 9, "9 statements on the projector")

        # The last vote shows the next statement: the new one.
        phones[0].click(".d-agree")
        phones[0].wait_for_load_state()
        assert NEW_SEED in phones[0].inner_text("#d-statement")
        assert phones[0].locator("#d-live-statements").is_hidden()
        _wait(lambda: _count(projector, "votes") == 24, "24 votes on the projector")
        shot(projector, "projector-after-seed")
    finally:
        for context in (projector_context, organizer_context, *phone_contexts):
            context.close()
