"""axe-core on every page, in English and in Chinese, as a visitor and as an organizer.

The demo data of every capability is loaded; the walk starts from the home page and a few
pages that no link reaches (forms, a search), follows every same-site link and checks each
kind of page once per language and role (one instrument stands for all instruments). The
visitor takes part in the demo deliberation first, so that the vote buttons are on the page,
and a participant's statement waits for moderation, so that the organizer's page shows
Accept and Reject. Any serious or critical violation fails, colour contrast included, and so
does content outside the landmarks (axe's "region" rule, which axe rates moderate).

axe-core comes from the axe-playwright-python package (the test extra installs it); nothing
is fetched while the tests run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.web.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Impacts that fail the test; "moderate" and "minor" are reported by axe but tolerated,
#: except for the rules in FAILING_RULES.
FAILING = {"serious", "critical"}
#: Rules that fail the test whatever their impact: "region" (moderate) asks that all content
#: be inside landmarks, so that a screen reader's landmark list reaches every part of a page.
FAILING_RULES = {"region"}
AXE_OPTIONS = {
    "runOnly": {"type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                           "best-practice"]},
    "rules": {"region": {"enabled": True}},
}
#: Pages no link reaches, or reached only through a form.
SEEDS = ["/", "/login", "/docs", "/deliberations/new", "/proposals/new",
         "/kb/search?q=verification", "/kb/compare", "/kb/gaps", "/states/alignment"]
#: Files, feeds, streams and actions: not pages to check.
NOT_PAGES = re.compile(r"\.(csv|pdf|atom|json|zip|png|jpe?g|webp|docx|md|svg|ico)$"
                       r"|^/(static|media|docs-assets|api|j)/|^/logout$|/events$")
#: Path segments after these name one item of a collection; one item stands for all.
COLLECTIONS = {"events", "news", "instruments", "documents", "sessions", "roll-calls"}


def page_kind(path: str) -> str:
    """The route a path belongs to: ids and slugs replaced by ``*``."""
    parts = urlsplit(path).path.split("/")
    kind = []
    for index, part in enumerate(parts):
        after_collection = index > 0 and parts[index - 1] in COLLECTIONS
        kind.append("*" if after_collection or re.search(r"\d", part) else part)
    return "/".join(kind)


def walk(page, base: str) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Visit each kind of page once, following same-site links; yield each path when its
    page is loaded."""
    queue = list(SEEDS)
    seen: set[str] = set()
    while queue:
        path = queue.pop(0)
        kind = page_kind(path)
        if kind in seen:
            continue
        seen.add(kind)
        response = page.goto(base + path)
        assert response is not None
        assert response.status < 500, f"{path} answered {response.status}"
        if response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        yield path
        hrefs = page.eval_on_selector_all("a[href]",
                                          "links => links.map(a => a.getAttribute('href'))")
        for href in hrefs:
            target = href.split("#")[0]
            if (target.startswith("/") and not target.startswith("//")
                    and "lang=" not in target and not NOT_PAGES.search(urlsplit(target).path)):
                queue.append(target)


def violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """axe-core's violations on the loaded page."""
    from axe_playwright_python.sync_playwright import Axe

    if urlsplit(page.url).path == "/docs":  # the API reference renders after its script runs
        page.locator(".opblock").first.wait_for()
    return Axe().run(page, options=AXE_OPTIONS).response["violations"]


@pytest.mark.parametrize("role", ["visitor", "organizer"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_page_has_a_serious_accessibility_violation(browser, demo_site, language: str,
                                                       role: str) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    if role == "organizer":
        log_in(page, demo_site.url)
    else:  # take part, so that the statement and its vote buttons are shown
        page.goto(f"{demo_site.url}/deliberations/1")
        page.locator("form.d-join button").click()
        page.wait_for_load_state()
        assert page.locator("form.d-vote button").count() == 3
    page.goto(f"{demo_site.url}/?lang={language}")
    found: list[str] = []
    checked: list[str] = []
    for path in walk(page, demo_site.url):
        checked.append(path)
        declared = page.locator("html").get_attribute("lang")
        if declared != ("zh-Hans" if language == "zh" else "en"):
            found.append(f"{path}: the page declares lang={declared!r}")
        for rule in violations(page):
            if rule["impact"] in FAILING or rule["id"] in FAILING_RULES:
                targets = ", ".join(str(node["target"]) for node in rule["nodes"][:3])
                found.append(f"{path}: {rule['id']} ({rule['impact']}, "
                             f"{len(rule['nodes'])} nodes: {targets})")
    context.close()
    assert len(checked) >= 15, checked
    assert not found, "\n".join(found)


def test_page_kinds_stand_for_their_routes() -> None:
    assert page_kind("/states/instruments/unga-78-241") == "/states/instruments/*"
    assert page_kind("/deliberations/12/results") == "/deliberations/*/results"
    assert page_kind("/states/alignment") == "/states/alignment"
    assert page_kind("/events/forum-2026/sessions/2") == "/events/*/sessions/*"

