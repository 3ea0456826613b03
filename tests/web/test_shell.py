"""The web shell: OpenAPI docs without a CDN, security headers, log-in with CSRF."""

from __future__ import annotations

import re

from sqlalchemy import Engine

from detente.accounts import create_user
from detente.store import session_scope


def test_openapi_page_loads_its_scripts_locally(client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/openapi.json").json()
    assert "/api/events" in schema["paths"]


def test_no_page_pulls_from_a_cdn(client, demo_engine) -> None:
    for url in ("/", "/login"):
        assert not re.search(r'(src|href)="(https?:)?//', client.get(url).text)


def test_security_headers(client) -> None:
    headers = client.get("/").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in headers["content-security-policy"]


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "form has no CSRF field"
    return match.group(1)


def _make_organizer(engine: Engine) -> None:
    with session_scope(engine) as db:
        create_user(db, "organizer", "a long enough password", organizer=True)


def test_login_needs_the_csrf_token(client, sqlite_engine: Engine) -> None:
    _make_organizer(sqlite_engine)
    client.get("/login")
    refused = client.post("/login", data={"username": "organizer",
                                          "password": "a long enough password"})
    assert refused.status_code == 403


def test_login_and_logout(client, sqlite_engine: Engine) -> None:
    _make_organizer(sqlite_engine)
    token = _csrf(client.get("/login").text)
    wrong = client.post("/login", data={"username": "organizer", "password": "nope nope nope",
                                        "csrf_token": token})
    assert wrong.status_code == 401
    assert "Wrong username or password" in wrong.text
    right = client.post("/login", data={"username": "organizer",
                                        "password": "a long enough password",
                                        "csrf_token": token, "next": "https://evil.example/"},
                        follow_redirects=False)
    assert right.status_code == 303
    assert right.headers["location"] == "/dashboard"  # never the other site
    cookie = right.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    home = client.get("/")
    assert "organizer" in home.text and "Log out" in home.text
    out = client.post("/logout", data={"csrf_token": _csrf(home.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert "Log out" not in client.get("/").text


def test_login_attempts_are_rate_limited(client, sqlite_engine: Engine) -> None:
    token = _csrf(client.get("/login").text)
    statuses = [
        client.post("/login", data={"username": "x", "password": "y" * 12,
                                    "csrf_token": token}).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
