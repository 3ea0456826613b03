"""One forum, end to end, in a real browser (headless Chromium against a running server), in
English and in Chinese.

The organizer logs in (and lands on the dashboard), creates a deliberation from the event
page, seeds it and opens the live view for the projector; three phone-sized participants join
by the address behind the QR code and vote while the projector's counters and map follow
without a reload; one of them adds a statement, which the organizer accepts; the organizer
drafts a proposal by ticking the consensus statements, uploads a photo and publishes the event
from its page; a visitor then finds the report on the event page and downloads the PDF.

Screenshots of each step go to ``$DETENTE_SCREENSHOTS/journey/<lang>/`` when that variable is
set (for review), else to the test's temporary folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from detente.accounts import create_user
from detente.forum import DEMO_EVENT_SLUG
from detente.store import session_scope
from tests.reports.conftest import make_image
from tests.web.conftest import live_count as _count
from tests.web.conftest import wait_until as _wait

pytestmark = pytest.mark.browser

PASSWORD = "a long enough organizer password"
DESKTOP = {"width": 1366, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
SESSION = 2
#: Per language: the question, eight seed statements, a participant's own statement, and how
#: each phone votes on each seed (1 agree, -1 disagree, 0 pass): the first two and the last
#: are shared by all, so the engine finds consensus; the rest split the room.
LANGUAGES = {
    "en": {
        "locale": "en-GB",
        "question": "Where should the red lines for military AI be drawn?",
        "seeds": [
            "Nuclear launch decisions must stay with humans.",
            "Major powers need a standing dialogue on AI incidents.",
            "Lethal autonomous weapons should be banned by treaty.",
            "Militaries should publish how they test AI systems.",
            "Falling behind in military AI is the greater danger.",
            "Existing humanitarian law already covers autonomy.",
            "Verification of limits on military AI is impossible.",
            "Defensive autonomy such as missile defence needs no limits.",
        ],
        "own": "Crisis hotlines should cover incidents involving military AI.",
        "title": "Keep humans in charge of nuclear launch decisions",
        "text": "The forum asks states to keep every nuclear launch decision with humans.",
        "dashboard": "Dashboard",
        "caption": "The forum in session",
    },
    "zh": {
        "locale": "zh-CN",
        "question": "军事人工智能的红线应划在哪里？",
        "seeds": [
            "核武器发射决定必须由人作出。",
            "大国需要就人工智能事件建立常设对话。",
            "应以条约禁止致命性自主武器。",
            "军队应公开其人工智能系统的测试方式。",
            "在军事人工智能上落后才是更大的危险。",
            "现有人道法已经涵盖自主性问题。",
            "对军事人工智能限制的核查是不可能的。",
            "导弹防御等防御性自主无需任何限制。",
        ],
        "own": "危机热线应涵盖涉及军事人工智能的事件。",
        "title": "核武器发射决定须由人作出",
        "text": "论坛呼吁各国确保每一项核武器发射决定都由人作出。",
        "dashboard": "工作台",
        "caption": "论坛会议现场",
    },
}
VOTES = [
    [1, 1, 1, 1, -1, -1, -1, 1],
    [1, 1, 1, -1, -1, 1, -1, 1],
    [1, 1, -1, -1, 1, 1, -1, 0],
]
BUTTONS = {1: ".d-agree", -1: ".d-disagree", 0: ".d-pass"}


@pytest.fixture
def screenshots(tmp_path: Path) -> Callable[[str], Path]:
    root = os.environ.get("DETENTE_SCREENSHOTS")
    base = Path(root) / "journey" if root else tmp_path / "journey"

    def folder(language: str) -> Path:
        path = base / language
        path.mkdir(parents=True, exist_ok=True)
        return path

    return folder


@pytest.fixture(autouse=True)
def recompute_in_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("detente.web.routes.deliberation_api.RECOMPUTE_IN_PROCESS", False)


@pytest.fixture
def server(settings, demo_engine: Engine, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The app served for real by uvicorn on a loopback port, recomputing quickly."""
    from dataclasses import replace

    from detente.web.app import create_app
    from tests.conftest import LiveServer

    app = create_app(replace(settings, recompute_delay=0.2))
    with LiveServer(app) as live:
        yield live


def _vote_all(phone, plan: dict[str, int]) -> int:  # type: ignore[no-untyped-def]
    """Vote on every statement the phone is shown, as ``plan`` says; the number of votes."""
    votes = 0
    while phone.locator("#d-statement").count():
        shown = phone.inner_text("#d-statement").strip()
        phone.click(BUTTONS[plan[shown]])
        phone.wait_for_load_state()
        votes += 1
        assert votes <= len(plan), "a statement came back after the vote"
    return votes


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_forum_journey_from_log_in_to_the_published_report(
        browser, server, demo_engine: Engine, screenshots,  # type: ignore[no-untyped-def]
        tmp_path: Path, language: str) -> None:
    words = LANGUAGES[language]
    folder = screenshots(language)
    with session_scope(demo_engine) as db:
        create_user(db, "organizer", PASSWORD, organizer=True)
    base = server.url
    event = f"{base}/events/{DEMO_EVENT_SLUG}"
    step = iter(range(1, 100))

    def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
        page.screenshot(path=str(folder / f"{next(step):02d}-{name}.png"), full_page=True)

    organizer_context = browser.new_context(viewport=DESKTOP, locale=words["locale"])
    projector_context = browser.new_context(viewport=PROJECTOR, locale=words["locale"])
    phone_contexts = [browser.new_context(viewport=PHONE, locale=words["locale"],
                                          is_mobile=True, has_touch=True) for _ in range(3)]
    visitor_context = browser.new_context(viewport=DESKTOP, locale=words["locale"])
    try:
        # 1. Log in: the dashboard.
        organizer = organizer_context.new_page()
        organizer.goto(f"{base}/login")
        organizer.fill("input[name=username]", "organizer")
        organizer.fill("input[name=password]", PASSWORD)
        organizer.click("form[action='/login'] button[type=submit]")
        organizer.wait_for_url(f"{base}/dashboard")
        assert words["dashboard"] in organizer.inner_text("h1")
        shot(organizer, "dashboard")

        # 2. The event page; a new deliberation for session 2 from it.
        organizer.click(f"a[href='/events/{DEMO_EVENT_SLUG}']")
        organizer.wait_for_url(event)
        shot(organizer, "event-organizer")
        organizer.click(f"a[href^='/deliberations/new?session='][href$=':{SESSION}']")
        organizer.wait_for_url("**/deliberations/new?session=*")
        organizer.fill("input[name=question]", words["question"])
        shot(organizer, "new-deliberation")
        organizer.click("form[action='/deliberations/new'] button[type=submit]")
        organizer.wait_for_url(re.compile(r".*/deliberations/\d+/manage$"))
        d = int(organizer.url.rsplit("/", 2)[1])
        organizer.fill("form[action$='/seed'] textarea[name=statements]",
                       "\n".join(words["seeds"]))
        organizer.click("form[action$='/seed'] button[type=submit]")
        organizer.wait_for_load_state()
        assert organizer.locator(".d-table tbody tr").count() == len(words["seeds"])
        shot(organizer, "seeded")

        # 3. The live view for the projector; three phones join by its QR code's address.
        projector = projector_context.new_page()
        projector.goto(f"{base}/deliberations/{d}/live")
        _wait(lambda: projector.get_attribute("#live", "data-connection") == "live",
              "the projector's stream")
        projector.evaluate("window.__notReloaded = true")
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
        assert phones[0].evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        # 4. They vote; the projector follows without a reload.
        for phone, plan in zip(phones, VOTES, strict=True):
            assert _vote_all(phone, dict(zip(words["seeds"], plan, strict=True))) == 8
        shot(phones[2], "phone-done")
        _wait(lambda: _count(projector, "votes") == 24, "24 votes on the projector")
        _wait(lambda: projector.locator("#live-board svg.opinion-map circle.point").count() == 3,
              "the opinion map with three participants")
        assert projector.evaluate("window.__notReloaded === true"), "the projector reloaded"
        shot(projector, "projector-live")

        # 5. A participant's own statement waits for moderation; the organizer accepts it.
        phones[0].fill("textarea[name=text]", words["own"])
        phones[0].click("form[action$='/statements'] button[type=submit]")
        phones[0].wait_for_load_state()
        shot(phones[0], "phone-statement-sent")
        organizer.goto(f"{base}/deliberations/{d}/manage")
        assert words["own"] in organizer.inner_text(".d-queue")
        shot(organizer, "moderation-queue")
        organizer.click(".d-queue button[value=accepted]")
        organizer.wait_for_load_state()
        assert organizer.locator(".d-queue").count() == 0
        _wait(lambda: _count(projector, "statements") == 9, "9 statements on the projector")

        # 6. A proposal drafted from the consensus statements, ticked from a list.
        ticks = "input[name=evidence][value^='consensus_statement:']"

        def consensus_offered() -> bool:
            organizer.goto(event)
            organizer.click(f"a[href='/proposals/new?event={DEMO_EVENT_SLUG}']")
            organizer.wait_for_load_state()
            return organizer.locator(ticks).count() >= 2

        _wait(consensus_offered, "the consensus statements on the proposal form")
        organizer.fill("input[name=title]", words["title"])
        organizer.fill("textarea[name=text]", words["text"])
        for box in organizer.locator(ticks).all():
            box.check()
        organizer.select_option("select[name=session]", str(SESSION))
        shot(organizer, "proposal-form")
        organizer.click("form[action='/proposals/new'] button[type=submit]")
        organizer.wait_for_url(re.compile(r".*/proposals/\d+$"))
        evidence = organizer.inner_text(".pub-evidence")
        assert words["seeds"][0] in evidence and not re.search(r"\(\d+:\d+\)", evidence)
        shot(organizer, "proposal")

        # 7. A photo, uploaded from the event page.
        photo = tmp_path / "hall.png"
        photo.write_bytes(make_image("PNG", (1200, 800)))
        organizer.goto(event)
        organizer.click(f"a[href='/events/{DEMO_EVENT_SLUG}/media']")
        organizer.set_input_files("input[name=file]", str(photo))
        organizer.fill("input[name=caption]" if language == "en" else "input[name=caption_zh]",
                       words["caption"])
        organizer.click("form[enctype='multipart/form-data'] button[type=submit]")
        organizer.wait_for_load_state()
        assert organizer.locator(".pub-media-list img").count() == 1
        shot(organizer, "photo-uploaded")

        # 8. Before publishing, a visitor finds no report; then the organizer publishes.
        visitor = visitor_context.new_page()
        visitor.goto(event)
        assert visitor.locator("a[href*='/report.pdf']").count() == 0
        assert visitor_context.request.get(
            f"{event}/report.pdf", max_redirects=0).status == 404
        organizer.goto(event)
        organizer.click(f"form[action='/events/{DEMO_EVENT_SLUG}/publish'] button")
        organizer.wait_for_url(event)
        assert organizer.locator(f"form[action='/events/{DEMO_EVENT_SLUG}/publish']").count() == 0
        shot(organizer, "event-published")

        # 9. The visitor: the event page links the news, the photo and the report.
        visitor.goto(event)
        assert visitor.locator(f"a[href='/deliberations/{d}/results']").count() == 1
        assert visitor.locator(".pub-gallery img").count() == 1
        assert visitor.locator(f"a[href='/news/{DEMO_EVENT_SLUG}']").count() == 1
        assert visitor.locator("a[href*='/manage'], .hub-actions").count() == 0
        shot(visitor, "event-visitor")
        pdf_link = visitor.get_attribute("a[href*='/report.pdf']", "href")
        assert pdf_link == f"/events/{DEMO_EVENT_SLUG}/report.pdf?lang={language}"
        pdf = visitor_context.request.get(f"{base}{pdf_link}", max_redirects=0)
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")
        (folder / f"report-{language}.pdf").write_bytes(pdf.body())
        visitor.click("a[href*='/report.html']")
        visitor.wait_for_load_state()
        report = visitor.content()
        assert words["question"] in report and words["seeds"][0] in report
        shot(visitor, "report")
    finally:
        for context in (organizer_context, projector_context, visitor_context,
                        *phone_contexts):
            context.close()
