"""The live session mode over HTTP: the projector's page and stream, the participant's stream,
who may see them, the bound on streams, heartbeats, and what is (never) shown.

Streams are read from a real uvicorn server with httpx, as a browser's EventSource would."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import Engine, select

from detente.accounts import create_user
from detente.deliberation import (
    add_statement,
    get_deliberation,
    get_participant,
    join,
    set_status,
)
from detente.settings import Settings
from detente.store import session_scope
from detente.store.models.deliberation import DeliberationParticipant
from detente.store.models.forum import Person
from tests.conftest import CSRF_PATTERN, LiveServer
from tests.deliberation.conftest import make_deliberation
from tests.web.sse_client import Stream

PASSWORD = "a long enough organizer password"


@pytest.fixture(autouse=True)
def recompute_in_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Results recompute in a thread of the server: no worker process per app."""
    monkeypatch.setattr("detente.web.routes.deliberation_api.RECOMPUTE_IN_PROCESS", False)


@pytest.fixture
def live_settings(settings: Settings) -> Settings:
    return replace(settings, recompute_delay=0.05, live_heartbeat=0.3, live_streams=4,
                   public_url="https://forum.example.org")


@pytest.fixture
def server(live_settings: Settings, demo_engine: Engine) -> Iterator[LiveServer]:
    from detente.web.app import create_app

    with session_scope(demo_engine) as db:
        create_user(db, "organizer", PASSWORD, organizer=True)
    with LiveServer(create_app(live_settings)) as running:
        yield running


def _client(server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, follow_redirects=False, timeout=10)


def _log_in(server: LiveServer) -> httpx.Client:
    client = _client(server)
    token = CSRF_PATTERN.search(client.get("/login").text).group(1)
    response = client.post("/login", data={"username": "organizer", "password": PASSWORD,
                                           "next": "/", "csrf_token": token})
    assert response.status_code == 303
    return client


def _join(server: LiveServer, d: int) -> tuple[str, str]:
    """(participant token, public id) of a new participant through the API."""
    with _client(server) as client:
        answer = client.post(f"/api/deliberations/{d}/participants").json()
    return answer["token"], answer["participant"]


def _vote_all(server: LiveServer, d: int, token: str, value: Callable[[int], int]) -> int:
    """Vote on every statement the API offers; returns how many votes were acknowledged."""
    headers = {"Authorization": f"Bearer {token}"}
    count = 0
    with _client(server) as client:
        while True:
            answer = client.get(f"/api/deliberations/{d}/next", headers=headers)
            if answer.status_code == 204:
                return count
            statement = answer.json()["statement"]["id"]
            response = client.post(f"/api/deliberations/{d}/votes", headers=headers,
                                   json={"statement": statement, "vote": value(statement)})
            assert response.status_code == 201
            count += 1


def _form(client: httpx.Client, d: int, path: str, **data: str) -> httpx.Response:
    token = CSRF_PATTERN.search(client.get(f"/deliberations/{d}/manage").text).group(1)
    response = client.post(f"/deliberations/{d}/{path}", data={"csrf_token": token, **data})
    assert response.status_code == 303, response.text[:300]
    return response


# --- the projector --------------------------------------------------------------------------


def test_the_projector_stream_opens_with_a_fresh_snapshot_then_follows_votes_and_results(
        server: LiveServer, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    stream = Stream(_client(server), f"/deliberations/{d}/live/events")
    try:
        assert stream.status == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert stream.headers["cache-control"] == "no-store"
        assert stream.headers["x-accel-buffering"] == "no"
        hello = stream.next()
        assert hello["retry"] == "3000" and "event" not in hello  # reconnect after 3 s
        first = [stream.next(), stream.next(), stream.next()]
        assert [m["event"] for m in first] == ["status", "counts", "board"]
        assert first[0]["json"] == {"status": "open"}
        assert first[1]["json"]["votes"] == 0 and first[1]["json"]["statements"] == 6
        assert "at least three participants" in first[2]["json"]["html"]

        token, _public = _join(server, d)
        joined = stream.next("counts", where=lambda m: m["json"]["participants"] == 1)
        assert 'data-count="participants" data-value="1"' in joined["json"]["html"]
        started = time.monotonic()
        _vote_all(server, d, token, lambda _s: 1)
        counted = stream.next("counts", where=lambda m: m["json"]["votes"] == 6)
        assert counted["at"] - started < 3.0
        for camp in (1, -1):
            _vote_all(server, d, _join(server, d)[0], lambda s, c=camp: c if s % 2 else -c)
        board = stream.next("board", timeout=20, where=lambda m: m["json"]["computed_at"])
        assert "<svg" in board["json"]["html"] and "opinion-map" in board["json"]["html"]
    finally:
        stream.close()


def test_a_stream_hears_only_its_own_deliberation_and_keeps_alive_when_idle(
        server: LiveServer, demo_engine: Engine) -> None:
    mine, other = make_deliberation(demo_engine), make_deliberation(demo_engine)
    stream = Stream(_client(server), f"/deliberations/{mine}/live/events")
    try:
        stream.next("board")
        token, _public = _join(server, other)
        _vote_all(server, other, token, lambda _s: 1)
        later = stream.events_within(1.5)
        assert [m for m in later if "event" in m] == []
        assert sum(1 for m in later if m.get(":comment") == "keep-alive") >= 3
    finally:
        stream.close()


def test_a_status_change_reaches_the_projector_and_the_participant(
        server: LiveServer, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    organizer = _log_in(server)
    projector = Stream(_client(server), f"/deliberations/{d}/live/events")
    phone = Stream(_client(server), f"/deliberations/{d}/events?waiting=6")
    try:
        projector.next("board")
        phone.next("statements")
        _form(organizer, d, "status", status="closed")
        assert projector.next("status")["json"] == {"status": "closed"}
        closed = phone.next("status", where=lambda m: m["json"]["status"] == "closed")
        assert "your votes are kept" in closed["json"]["html"]
    finally:
        projector.close(), phone.close(), organizer.close()


def test_a_draft_is_seen_live_by_organizers_only(server: LiveServer,
                                                 demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine, status="draft")
    visitor = _client(server)
    for path in (f"/deliberations/{d}/live", f"/deliberations/{d}/live/events",
                 f"/deliberations/{d}/events"):
        assert visitor.get(path).status_code == 404, path
    organizer = _log_in(server)
    page = organizer.get(f"/deliberations/{d}/live")
    assert page.status_code == 200 and 'data-status="draft"' in page.text
    stream = Stream(organizer, f"/deliberations/{d}/live/events")
    try:
        assert stream.next("status")["json"] == {"status": "draft"}
        _form(organizer, d, "status", status="open")
        assert stream.next("status")["json"] == {"status": "open"}
    finally:
        stream.close(), organizer.close(), visitor.close()


def test_streams_beyond_the_limit_get_503_and_a_closed_stream_frees_its_slot(
        server: LiveServer, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    streams = [Stream(_client(server), f"/deliberations/{d}/events") for _ in range(4)]
    try:
        assert [s.status for s in streams] == [200] * 4
        refused = Stream(_client(server), f"/deliberations/{d}/live/events")
        assert refused.status == 503 and 5 <= int(refused.headers["retry-after"]) <= 15
        assert "Too many live connections" in refused.body
        streams.pop().close()
        deadline = time.monotonic() + 5
        while True:
            again = Stream(_client(server), f"/deliberations/{d}/live/events")
            if again.status == 200 or time.monotonic() > deadline:
                break
            again.close()
            time.sleep(0.1)
        assert again.status == 200
        streams.append(again)
    finally:
        for stream in streams:
            stream.close()


# --- the participant's phone ----------------------------------------------------------------


def test_a_participant_hears_of_accepted_and_seeded_statements_not_of_pending_ones(
        server: LiveServer, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    organizer = _log_in(server)
    with session_scope(demo_engine) as db:
        author = join(db, get_deliberation(db, d)).participant.id
    phone = Stream(_client(server), f"/deliberations/{d}/events?waiting=6&showing=1")
    try:
        assert phone.next("statements")["json"]["new"] == 0
        with session_scope(demo_engine) as db:
            statement = add_statement(db, get_deliberation(db, d), get_participant(db, author),
                                      "Crisis hotlines should cover AI incidents.")
            pending = statement.id
        _form(organizer, d, f"moderate/{pending}", decision="accepted")
        one = phone.next("statements")
        assert one["json"]["new"] == 1
        assert "1 new statement has arrived; it comes after this one." in one["json"]["html"]
        _form(organizer, d, "seed", statements="States should share AI test results.\n"
                                               "Red lines need verification by inspectors.")
        assert phone.next("statements")["json"]["new"] == 3
        _form(organizer, d, f"moderate/{pending}", decision="rejected")
        assert phone.next("statements")["json"]["new"] == 2
    finally:
        phone.close(), organizer.close()


def test_a_reconnecting_participant_is_told_what_arrived_meanwhile_in_their_language(
        server: LiveServer, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    token, _public = _join(server, d)
    with _client(server) as client:
        client.cookies.set(f"detente_p{d}", token, path=f"/deliberations/{d}")
        client.cookies.set("detente_lang", "zh")
        _vote_all(server, d, token, lambda _s: 0)
        # The page was drawn with 0 waiting; two statements were seeded while it was away.
        organizer = _log_in(server)
        _form(organizer, d, "seed", statements="States should share AI test results.\n"
                                               "Red lines need verification by inspectors.")
        phone = Stream(client, f"/deliberations/{d}/events?waiting=0")
        try:
            news = phone.next("statements")
            assert news["json"]["new"] == 2
            assert "有 2 条新观点等待您投票。" in news["json"]["html"]
        finally:
            phone.close(), organizer.close()


# --- the page -------------------------------------------------------------------------------


def test_the_live_page_shows_the_join_link_qr_and_counts_and_no_person(
        server: LiveServer, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    with session_scope(demo_engine) as db:
        deliberation = get_deliberation(db, d)
        event = deliberation.session.event
        assert event.is_chatham_house
        names = [p.name for p in db.scalars(select(Person))]
        author = join(db, deliberation).participant
        add_statement(db, deliberation, author, "A pending statement nobody accepted yet.")
        set_status(db, deliberation, "open", None)
    for camp in (1, 1, -1, -1):
        _vote_all(server, d, _join(server, d)[0], lambda s, c=camp: c if s % 2 else -c)
    with _client(server) as client:
        deadline = time.monotonic() + 20
        while "opinion-map" not in (page := client.get(f"/deliberations/{d}/live")).text:
            assert time.monotonic() < deadline, "no results on the live page"
            time.sleep(0.2)
    html = page.text
    assert 'href="https://forum.example.org/j/' + str(d) + '"' in html
    assert f"forum.example.org<wbr>/j/{d}" in html
    assert '<svg role="img" aria-label="QR code of the link to take part' in html
    assert 'data-count="participants" data-value="5"' in html
    assert 'data-live-events="/deliberations/' + str(d) + '/live/events"' in html
    assert "<script src=\"/static/live.js\" defer></script>" in html
    assert not re.search(r"<script>|style=\"", html)
    # No names under the Chatham House rule, no pseudonyms, nothing unmoderated.
    with session_scope(demo_engine) as db:
        publics = list(db.scalars(select(DeliberationParticipant.public_id)))
    assert names and not [n for n in names if n in html]
    assert publics and not [p for p in publics if p in html]
    assert "A pending statement nobody accepted yet." not in html


def test_the_short_link_leads_to_the_participant_page(server: LiveServer,
                                                      demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    with _client(server) as client:
        response = client.get(f"/j/{d}")
        assert response.status_code == 303
        assert response.headers["location"] == f"/deliberations/{d}"
        page = client.get(response.headers["location"])
        assert f'data-events="/deliberations/{d}/events?waiting=6"' in page.text


def test_without_a_public_url_the_join_link_is_the_request_address(
        settings: Settings, demo_engine: Engine) -> None:
    from fastapi.testclient import TestClient

    from detente.web.app import create_app

    d = make_deliberation(demo_engine)
    with TestClient(create_app(settings), base_url="http://room.example:8000") as client:
        html = client.get(f"/deliberations/{d}/live?lang=zh").text
    assert 'href="http://room.example:8000/j/' + str(d) + '"' in html
    assert "扫描二维码，或打开" in html and 'lang="zh-Hans"' in html
