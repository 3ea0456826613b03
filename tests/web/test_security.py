"""Log-in sessions are revoked by log-out, limits count the real client address, and a response
is sent only after its transaction commits."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, select

from detente.accounts import create_user
from detente.settings import Settings
from detente.store import session_scope
from detente.store.models.auth import AuditEntry, UserSession
from tests.conftest import CSRF_PATTERN, run_async

PASSWORD = "a long enough password"


def _csrf(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match
    return match.group(1)


def _organizer(engine: Engine) -> None:
    with session_scope(engine) as db:
        create_user(db, "organizer", PASSWORD, organizer=True)


def _login(client: TestClient) -> None:
    response = client.post("/login", data={"username": "organizer", "password": PASSWORD,
                                           "csrf_token": _csrf(client.get("/login").text)},
                           follow_redirects=False)
    assert response.status_code == 303


def test_a_cookie_copied_before_logout_stops_working_after_it(app, sqlite_engine: Engine
                                                              ) -> None:
    _organizer(sqlite_engine)
    thief = TestClient(app)  # a second browser on the same server (no second lifespan)
    with TestClient(app) as browser:
        _login(browser)
        assert browser.get("/deliberations/new", follow_redirects=False).status_code == 200
        thief.cookies.update(browser.cookies)  # the copy
        assert thief.get("/deliberations/new", follow_redirects=False).status_code == 200
        home = browser.get("/")
        browser.post("/logout", data={"csrf_token": _csrf(home.text)})
        refused = thief.get("/deliberations/new", follow_redirects=False)
        assert refused.status_code == 303
        assert refused.headers["location"].startswith("/login")
    with session_scope(sqlite_engine) as db:
        assert db.scalar(select(func.count()).select_from(UserSession)) == 0


def test_login_limit_ignores_forwarded_for_from_an_untrusted_client(client) -> None:
    token = _csrf(client.get("/login").text)
    statuses = [
        client.post("/login", data={"username": "x", "password": "y" * 12, "csrf_token": token},
                    headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429


def test_a_trusted_proxy_reports_the_client_and_each_client_has_its_own_limit(
        sqlite_url: str, sqlite_engine: Engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from detente.web.app import create_app

    app = create_app(Settings(database_url=sqlite_url, secret_key="k" * 32,
                              media_dir=str(tmp_path), trusted_proxies="127.0.0.0/8"))

    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as proxy:
            page = await proxy.get("/login")
            token = _csrf(page.text)
            statuses = []
            for n in range(11):  # one attempt from each of 11 clients behind the proxy
                response = await proxy.post(
                    "/login", data={"username": "x", "password": "y" * 12, "csrf_token": token},
                    headers={"X-Forwarded-For": f"198.51.100.{n}"})
                statuses.append(response.status_code)
            for _ in range(10):  # then one client alone hits the limit
                response = await proxy.post(
                    "/login", data={"username": "x", "password": "y" * 12, "csrf_token": token},
                    headers={"X-Forwarded-For": "198.51.100.200"})
                statuses.append(response.status_code)
            return statuses

    statuses = run_async(run)
    assert statuses[:11] == [401] * 11
    assert statuses[11:20] == [401] * 9 and statuses[20] == 401
    assert 429 not in statuses[:20]


def test_untrusted_peer_cannot_choose_its_address(sqlite_url: str, sqlite_engine: Engine,
                                                  tmp_path) -> None:  # type: ignore[no-untyped-def]
    from detente.web.app import create_app

    app = create_app(Settings(database_url=sqlite_url, secret_key="k" * 32,
                              media_dir=str(tmp_path), trusted_proxies="10.9.9.9"))

    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=app, client=("192.0.2.7", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            token = _csrf((await client.get("/login")).text)
            return [(await client.post(
                "/login", data={"username": "x", "password": "y" * 12, "csrf_token": token},
                headers={"X-Forwarded-For": f"198.51.100.{n}"})).status_code for n in range(11)]

    assert run_async(run)[10] == 429


def test_login_is_answered_only_after_its_audit_row_is_committed(app, sqlite_engine: Engine
                                                                 ) -> None:
    """A commit that fails must turn into an error answer, never a 303 with a lost row."""
    _organizer(sqlite_engine)
    failing = {"on": False}

    def fail_commit(connection) -> None:  # type: ignore[no-untyped-def]
        if failing["on"]:
            raise RuntimeError("disk full")

    with TestClient(app, raise_server_exceptions=False) as client:
        token = _csrf(client.get("/login").text)
        event.listen(app.state.engine, "commit", fail_commit)
        try:
            failing["on"] = True
            response = client.post("/login", data={"username": "organizer",
                                                   "password": PASSWORD, "csrf_token": token},
                                   follow_redirects=False)
        finally:
            failing["on"] = False
            event.remove(app.state.engine, "commit", fail_commit)
        assert response.status_code == 500
        _login(client)
    with session_scope(sqlite_engine) as db:
        logins = db.scalar(select(func.count()).select_from(AuditEntry)
                           .where(AuditEntry.action == "user.login"))
    assert logins == 1


@pytest.mark.parametrize("key", ["", "   ", "short"])
def test_an_empty_or_short_secret_key_is_refused(key: str) -> None:
    from detente.errors import InputError
    from detente.settings import load_settings

    with pytest.raises(InputError, match="DETENTE_SECRET_KEY"):
        load_settings({"DETENTE_SECRET_KEY": key})


def test_the_address_limit_ignores_forwarded_for_from_an_untrusted_client(
        sqlite_url: str, sqlite_engine: Engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Joins (and votes, statements) are limited per address; a client that writes its own
    X-Forwarded-For must still be counted under its own address."""
    from detente.deliberation import create_deliberation
    from detente.forum import DEMO_EVENT_SLUG, load_demo_forum
    from detente.web.app import create_app

    load_demo_forum(sqlite_engine)
    with session_scope(sqlite_engine) as db:
        deliberation_id = create_deliberation(db, DEMO_EVENT_SLUG, 2, "Who decides?").id
    app = create_app(Settings(database_url=sqlite_url, secret_key="k" * 32,
                              media_dir=str(tmp_path), address_rate_limit="5/60"))
    with TestClient(app) as client:
        statuses = [client.post(f"/api/deliberations/{deliberation_id}/participants",
                                headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
                    for n in range(6)]
    assert statuses == [201] * 5 + [429]
