"""The knowledge-base pages in a browser, over instruments shaped like the shared corpus (long
titles, a long source URL, a revoked order): nothing widens the page on a phone, and the
coverage matrix passes axe's colour-contrast rule, in English and in Chinese (review 13).

The demo's only instrument is a short Chinese sample, on which the wide tables of /kb and
/kb/compare, the red-line register and a document's source URL were never measured."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import LiveServer
from tests.knowledge.test_web_coverage import ACT, MANIFEST, MEMO, ORDER

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
PAGES = ["/kb", "/kb/compare", "/kb/gaps", "/kb/search?q=cybersecurity",
         "/kb/gaps/cyber/testing-evaluation", "/kb/taxonomy"]


@pytest.fixture(scope="module")
def kb_site(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    from detente.knowledge import import_documents
    from detente.settings import Settings
    from detente.store import create_db_engine, upgrade
    from detente.web.app import create_app

    folder: Path = tmp_path_factory.mktemp("kb-browser")
    for name, text in (("act.md", ACT), ("order.txt", ORDER), ("memo.txt", MEMO)):
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    url = f"sqlite:///{folder / 'kb.db'}"
    engine = create_db_engine(url)
    upgrade(engine)
    import_documents(engine, [], manifest=folder / "manifest.csv")
    app = create_app(Settings(database_url=url, secret_key="kb-browser-" + "k" * 32,
                              media_dir=str(folder / "media")))
    with LiveServer(app) as server:
        yield server
    engine.dispose()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_kb_page_scrolls_sideways(browser, kb_site, language: str, viewport: str) -> None:  # type: ignore[no-untyped-def]
    phone = viewport == "phone"
    context = browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=phone,
                                  has_touch=phone)
    page = context.new_page()
    page.goto(f"{kb_site.url}/kb?lang={language}")
    documents = page.eval_on_selector_all(
        "main a[href^='/kb/documents/']", "links => links.map(a => a.getAttribute('href'))")
    assert len(documents) == 3
    wide = []
    for path in [*PAGES, *documents]:
        response = page.goto(kb_site.url + path)
        assert response is not None and response.status == 200, path
        # Against the layout width, not window.innerWidth: a phone browser widens its window
        # to a page that overflows, so that innerWidth hides the overflow it measures.
        sideways = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if sideways > 1:
            wide.append(f"{path}: the page scrolls sideways by {sideways}px")
    context.close()
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_coverage_matrix_passes_axe_colour_contrast(browser, kb_site, language: str,  # type: ignore[no-untyped-def]
                                                        viewport: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.goto(f"{kb_site.url}/kb/gaps?on=2025-01-01&lang={language}")
    assert page.locator("td.kb-binding").count() > 0
    rules = ["color-contrast", "scrollable-region-focusable"]
    found = Axe().run(page, options={"runOnly": {"type": "rule", "values": rules}})
    context.close()
    problems = [f"{rule['id']}: {[n['target'] for n in rule['nodes'][:3]]}"
                for rule in found.response["violations"]]
    assert problems == []
