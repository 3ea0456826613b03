"""An error page leads back to the section the failed page belongs to (review 13, finding 19):
a missing instrument under /states offers the state positions, a bad cell under /kb the
knowledge base, each beside the way back to the events, in English and in Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from detente.settings import Settings


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from detente.store import create_db_engine, upgrade
    from detente.web.app import create_app

    folder: Path = tmp_path_factory.mktemp("error-pages")
    url = f"sqlite:///{folder / 'empty.db'}"
    engine = create_db_engine(url)
    upgrade(engine)
    app = create_app(Settings(database_url=url, secret_key="error-pages-" + "k" * 32,
                              media_dir=str(folder / "media")))
    with TestClient(app) as test_client:
        yield test_client
    engine.dispose()


def _links(html: str) -> list[tuple[str, str]]:
    main = BeautifulSoup(html, "lxml").select_one("main")
    assert main is not None
    return [(a["href"], " ".join(a.get_text(" ").split())) for a in main.select("a")]


@pytest.mark.parametrize(("path", "status", "back"), [
    ("/states/instruments/nope", 404, ("/states", "Back to State positions", "返回国家立场")),
    ("/kb/gaps/foo/bar", 400, ("/kb", "Back to Knowledge base", "返回知识库")),
    ("/kb/documents/999999", 404, ("/kb", "Back to Knowledge base", "返回知识库")),
])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_error_page_leads_back_to_its_own_section(
        client: Any, path: str, status: int, back: tuple[str, str, str], lang: str) -> None:
    response = client.get(path, params={"lang": lang})
    assert response.status_code == status
    href, english, chinese = back
    links = _links(response.text)
    assert (href, english if lang == "en" else chinese) in links
    assert links[-1] == ("/", "Back to the events" if lang == "en" else "返回活动列表")


def test_an_error_page_outside_every_section_leads_back_to_the_events_only(client: Any) -> None:
    response = client.get("/no-such-page", params={"lang": "en"})
    assert response.status_code == 404
    assert _links(response.text) == [("/", "Back to the events")]
