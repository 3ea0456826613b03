"""The web edge: one id type on every route, strict API bodies, NUL bytes and lengths refused
with 422 (never 500) on both backends."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI, routing
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from detente.forum import DEMO_EVENT_SLUG
from detente.settings import Settings
from detente.web.edge import MAX_ID


def _int_params(app: FastAPI) -> list[tuple[str, str, Any]]:
    """(route, parameter, field info) of every integer parameter in a path, query or form."""
    from fastapi.dependencies.models import Dependant

    found: list[tuple[str, str, Any]] = []

    def walk(path: str, dependant: Dependant) -> None:
        for kind, params in (("path", dependant.path_params),
                             ("query", dependant.query_params)):
            for param in params:
                if param.field_info.annotation in (int, int | None):
                    found.append((f"{path} {kind}", param.name, param.field_info))
        for sub in dependant.dependencies:
            walk(path, sub)

    for route in routing.iter_route_contexts(app.routes):
        dependant = getattr(route, "dependant", None)
        if dependant is not None:
            walk(route.path, dependant)
    return found


def _bounds(info: Any) -> tuple[int | None, int | None]:
    low = high = None
    for item in info.metadata:
        low = getattr(item, "ge", low) if getattr(item, "ge", None) is not None else low
        high = getattr(item, "le", high) if getattr(item, "le", None) is not None else high
    return low, high


def test_every_integer_path_parameter_is_the_shared_id_type(app: FastAPI) -> None:
    from detente.web.edge import Id

    expected = _bounds(Id.__metadata__[0])
    assert expected == (1, MAX_ID)
    params = [(where, name, info) for where, name, info in _int_params(app)
              if where.endswith(" path")]
    assert len(params) >= 15, "the walk found too few id routes: it is broken"
    others = [f"{where} {name}" for where, name, info in params
              if _bounds(info) != expected]
    assert others == [], f"use detente.web.edge.Id for these path parameters: {others}"


def test_every_integer_query_parameter_is_bounded(app: FastAPI) -> None:
    unbounded = [f"{where} {name}" for where, name, info in _int_params(app)
                 if where.endswith(" query") and None in _bounds(info)]
    assert unbounded == [], f"bound these (ge/le): {unbounded}"


# --- requests on both backends -----------------------------------------------------------------


@pytest.fixture
def edge_client(engine: Engine, tmp_path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
                ):
    """A client logged in as an organizer, over the demo forum with one open deliberation with
    a participant, on each backend. Yields (client, deliberation id, participant token)."""
    from detente.accounts import create_user
    from detente.deliberation import create_deliberation, join, seed_statements
    from detente.forum import DEMO_EVENT_SLUG, load_demo_forum
    from detente.store import session_scope
    from detente.web.app import create_app
    from tests.conftest import CSRF_PATTERN, ORGANIZER_PASSWORD

    monkeypatch.setattr("detente.web.routes.deliberation_api.RECOMPUTE_IN_PROCESS", False)
    load_demo_forum(engine)
    with session_scope(engine) as db:
        create_user(db, "organizer", ORGANIZER_PASSWORD, organizer=True)
        deliberation = create_deliberation(db, DEMO_EVENT_SLUG, 2, "Where are the red lines?")
        seed_statements(db, deliberation, ["Nuclear launch decisions must stay with humans.",
                                           "Military AI raises the risk of escalation."])
        token = join(db, deliberation).token
        deliberation_id = deliberation.id
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False),
                        secret_key="edge-test-secret-key-0123456789",
                        media_dir=str(tmp_path / "media"))
    with TestClient(create_app(settings)) as client:
        login = client.get("/login")
        csrf = CSRF_PATTERN.search(login.text).group(1)  # type: ignore[union-attr]
        response = client.post("/login", data={"username": "organizer",
                                               "password": ORGANIZER_PASSWORD,
                                               "csrf_token": csrf}, follow_redirects=False)
        assert response.status_code == 303
        client.headers["x-csrf-token"] = CSRF_PATTERN.search(  # type: ignore[union-attr]
            client.get("/").text).group(1)
        yield client, deliberation_id, token


def _routes(app: FastAPI) -> list[tuple[str, str, list[str]]]:
    """(method, path template, path parameter names) of every API route."""
    out = []
    for route in routing.iter_route_contexts(app.routes):
        dependant = getattr(route, "dependant", None)
        if dependant is None:
            continue
        names = [p.name for p in dependant.path_params]
        for method in sorted(route.methods or ()):
            if method in ("GET", "POST"):
                out.append((method, route.path, names))
    return out


def _url(template: str, values: dict[str, str]) -> str:
    import re

    return re.sub(r"{(\w+)(:\w+)?}", lambda m: values.get(m.group(1), "x"), template)


@pytest.mark.parametrize("big", [2**31, 2**63, 2**64 + 7])
def test_ids_past_the_column_range_answer_422_or_404_on_every_route(edge_client, big: int
                                                                     ) -> None:
    client, _d, token = edge_client
    checked = 0
    for method, path, names in _routes(client.app):
        ids = [n for n in names if n.endswith("_id") or n == "position"]
        if not ids:
            continue
        url = _url(path, {n: str(big) for n in ids})
        response = client.request(method, url, headers={"Authorization": f"Bearer {token}"},
                                  data={"statement": str(big), "vote": "1"})
        assert response.status_code in (404, 422), f"{method} {url}: {response.status_code}"
        checked += 1
    assert checked >= 30


def test_nul_in_a_path_or_query_parameter_answers_422_on_every_route(edge_client) -> None:
    client, d, token = edge_client
    for method, path, names in _routes(client.app):
        values = {n: str(d) if n.endswith("_id") or n == "position" else "a%00b" for n in names}
        url = _url(path, values)
        response = client.request(method, url + "?q=x%00y&lang=en",
                                  headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 422, f"{method} {url}: {response.status_code}"


def test_nul_in_a_form_field_answers_422_on_every_form(edge_client) -> None:
    client, d, _token = edge_client
    posts = [(path, names) for method, path, names in _routes(client.app)
             if method == "POST" and not path.startswith("/api/")]
    assert len(posts) >= 15
    for path, names in posts:
        url = _url(path, {n: str(d) if n.endswith("_id") or n == "position" else "x"
                          for n in names})
        fields = {"text": "Autonomous weapons\x00 need limits.", "title": "a\x00",
                  "csrf_token": client.headers["x-csrf-token"]}
        response = client.post(url, data=fields, follow_redirects=False)
        assert response.status_code == 422, f"POST {url}: {response.status_code}"
        assert "NUL" in response.text or "空字符" in response.text


def test_nul_in_an_upload_file_name_answers_422(edge_client) -> None:
    client, _d, _token = edge_client
    response = client.post(f"/events/{DEMO_EVENT_SLUG}/media",
                           files={"file": ("a\x00.jpg", b"x", "image/jpeg")},
                           follow_redirects=False)
    # A NUL inside a part's header is malformed multipart: the parser refuses it (400).
    assert response.status_code in (400, 422), response.text[:200]


def test_nul_and_overlong_text_in_api_bodies_answer_422(edge_client) -> None:
    client, d, token = edge_client
    auth = {"Authorization": f"Bearer {token}"}
    for text in ("Autonomous weapons\x00 need limits.", "x" * 5000):
        response = client.post(f"/api/deliberations/{d}/statements", json={"text": text},
                               headers=auth)
        assert response.status_code == 422, text[:20]


BAD_VOTES = [
    {"statement": "STATEMENT", "vote": "1"},
    {"statement": "STATEMENT", "vote": 1.0},
    {"statement": "STATEMENT", "vote": True},
    {"statement": True, "vote": 1},
    {"statement": "STATEMENT_AS_TEXT", "vote": 1},
    {"statement": 1.0, "vote": 1},
    {"statement": "STATEMENT", "vote": 1, "extra": 1},
]


def test_votes_take_json_integers_only(edge_client) -> None:
    client, d, token = edge_client
    auth = {"Authorization": f"Bearer {token}"}
    statement = client.get(f"/api/deliberations/{d}/next", headers=auth).json()["statement"]["id"]
    for body in BAD_VOTES:
        sent = {k: (statement if v == "STATEMENT" else str(statement)
                    if v == "STATEMENT_AS_TEXT" else v) for k, v in body.items()}
        response = client.post(f"/api/deliberations/{d}/votes", json=sent, headers=auth)
        assert response.status_code == 422, sent
    good = client.post(f"/api/deliberations/{d}/votes", json={"statement": statement, "vote": 1},
                       headers=auth)
    assert good.status_code == 201


def test_a_body_past_the_upload_limit_is_refused_with_413(client) -> None:  # type: ignore[no-untyped-def]
    from detente.web.edge import MAX_BODY_BYTES

    response = client.post("/api/deliberations/1/statements",
                           content=b"{" + b" " * MAX_BODY_BYTES + b"}",
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
