"""A refusal is shown in the language of the page: the service's message, translated when it is
raised in the request's language, not under "Details (in English)"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup

from detente import i18n
from tests.conftest import CSRF_PATTERN, ORGANIZER_PASSWORD
from tests.web.conftest import demo_app


@pytest.fixture(scope="module")
def organizer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    app, engine = demo_app(tmp_path_factory.mktemp("error-language"))
    with TestClient(app) as client:
        token = CSRF_PATTERN.search(client.get("/login").text)
        assert token
        client.post("/login", data={"username": "organizer", "password": ORGANIZER_PASSWORD,
                                    "next": "/", "csrf_token": token.group(1)})
        yield client
    engine.dispose()


def _csrf(client: Any, path: str) -> str:
    token = CSRF_PATTERN.search(client.get(path).text)
    assert token, path
    return token.group(1)


def _alert(html: str) -> str:
    page = BeautifulSoup(html, "lxml")
    return " ".join((page.select_one("main") or page).get_text(" ").split())


@pytest.mark.parametrize(("language", "expected"), [
    ("zh", "每次可邀请 1 到 1000 名参与者"),
    ("en", "invite 1 to 1000 participants at a time"),
])
def test_a_refused_form_on_the_error_page_speaks_the_page_language(
        organizer: Any, language: str, expected: str) -> None:
    organizer.cookies.set("detente_lang", language)
    response = organizer.post("/deliberations/1/invites", data={
        "csrf_token": _csrf(organizer, "/deliberations/1/manage"), "count": "5000"})
    assert response.status_code == 400
    assert expected in _alert(response.text)
    with i18n.use_language("zh"):
        in_english = i18n.gettext("Details (in English)")
    assert in_english not in response.text and "Details (in English)" not in response.text


def test_a_refused_form_shown_again_names_the_fault_in_chinese(organizer: Any) -> None:
    organizer.cookies.set("detente_lang", "zh")
    session = BeautifulSoup(organizer.get("/deliberations/new").text, "lxml").select_one(
        "[name=session] option[value]")
    assert session is not None
    response = organizer.post("/deliberations/new", data={
        "csrf_token": _csrf(organizer, "/deliberations/new"), "session": session["value"],
        "question": "短", "status": "open", "language": "en"})
    assert response.status_code == 400
    assert "请写一个5至500个字符的问题" in _alert(response.text)
    assert "write a question" not in response.text


@pytest.mark.parametrize(("language", "expected"), [
    ("zh", "votes.csv:3 的 vote 列：投票 “2” 不是 -1、0、1 之一"),
    ("en", "votes.csv:3 column vote: vote '2' is not one of -1, 0, 1"),
])
def test_a_consensus_engine_error_is_said_in_the_page_language(
        app, language: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    """The consensus engine raises its errors in English with a code (as ``detente consensus``
    says them in the interface language, tests/consensus/test_cli.py): a page says them in its
    own language, not as the engine wrote them."""
    from fastapi.testclient import TestClient

    from detente.errors import InvalidVotesError

    @app.get("/engine-error")
    def _engine_error() -> None:
        raise InvalidVotesError("vote '2' is not one of -1, 0, 1",
                                location="votes.csv:3 column vote", code="vote-value",
                                params={"vote": "2", "column": "vote"})

    with TestClient(app) as client:
        page = client.get("/engine-error", headers={"Accept-Language": language})
    assert page.status_code == 400
    assert expected in _alert(page.text)


@pytest.mark.parametrize(("language", "expected"), [
    ("zh", "votes.csv:3 的 vote 列：投票 “2” 不是 -1、0、1 之一"),
    ("en", "votes.csv:3 column vote: vote '2' is not one of -1, 0, 1"),
])
def test_a_consensus_engine_error_is_said_in_the_request_language_by_the_api(
        app, language: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    """The JSON API says an engine error in the language the request asks for, as pages do."""
    from fastapi.testclient import TestClient

    from detente.errors import InvalidVotesError

    @app.get("/api/engine-error")
    def _engine_error() -> None:
        raise InvalidVotesError("vote '2' is not one of -1, 0, 1",
                                location="votes.csv:3 column vote", code="vote-value",
                                params={"vote": "2", "column": "vote"})

    with TestClient(app) as client:
        response = client.get("/api/engine-error", headers={"Accept-Language": language})
    assert response.status_code == 400
    assert response.json() == {"detail": expected}
