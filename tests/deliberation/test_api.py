"""The deliberation JSON API: join, next, vote, add statements, results; tokens and limits."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from detente.store import session_scope
from detente.store.models.deliberation import DeliberationVote

from .conftest import make_client, make_deliberation


def _join(client, d: int) -> dict:  # type: ignore[no-untyped-def]
    response = client.post(f"/api/deliberations/{d}/participants")
    assert response.status_code == 201
    return response.json()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_list_shows_open_deliberations(fast_client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    make_deliberation(demo_engine, status="draft", seeds=["A statement in a draft."])
    listed = fast_client.get("/api/deliberations").json()
    assert [item["id"] for item in listed] == [d]
    assert listed[0]["status"] == "open" and listed[0]["statements"] == 6


def test_participant_votes_until_204(fast_client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    joined = _join(fast_client, d)
    assert joined["participant"] and len(joined["token"]) >= 40
    seen = set()
    while True:
        response = fast_client.get(f"/api/deliberations/{d}/next", headers=_auth(joined["token"]))
        if response.status_code == 204:
            break
        statement = response.json()["statement"]
        assert statement["id"] not in seen
        seen.add(statement["id"])
        vote = fast_client.post(f"/api/deliberations/{d}/votes", headers=_auth(joined["token"]),
                                json={"statement": statement["id"], "vote": -1})
        assert vote.status_code == 201
    assert len(seen) == 6
    with session_scope(demo_engine) as db:
        assert db.scalar(select(func.count()).select_from(DeliberationVote)) == 6


def test_missing_or_wrong_token_is_401(fast_client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    assert fast_client.get(f"/api/deliberations/{d}/next").status_code == 401
    wrong = fast_client.post(f"/api/deliberations/{d}/votes", headers=_auth("nope"),
                             json={"statement": 1, "vote": 1})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"


def test_token_of_another_deliberation_is_refused(fast_client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    other = make_deliberation(demo_engine, seeds=["A statement of the other one."])
    joined = _join(fast_client, other)
    assert fast_client.get(f"/api/deliberations/{d}/next",
                           headers=_auth(joined["token"])).status_code == 403
    assert fast_client.post(f"/api/deliberations/{d}/votes", headers=_auth(joined["token"]),
                            json={"statement": 1, "vote": 1}).status_code == 403


def test_token_in_query_string_is_not_accepted(fast_client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    joined = _join(fast_client, d)
    response = fast_client.get(f"/api/deliberations/{d}/next?token={joined['token']}")
    assert response.status_code == 401


def test_bad_vote_values_are_400_or_422(fast_client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    joined = _join(fast_client, d)
    sid = fast_client.get(f"/api/deliberations/{d}/next",
                          headers=_auth(joined["token"])).json()["statement"]["id"]
    bad = fast_client.post(f"/api/deliberations/{d}/votes", headers=_auth(joined["token"]),
                           json={"statement": sid, "vote": 3})
    assert bad.status_code == 400 and "vote" in bad.json()["detail"]
    missing = fast_client.post(f"/api/deliberations/{d}/votes", headers=_auth(joined["token"]),
                               json={"statement": 999999, "vote": 1})
    assert missing.status_code == 404


def test_statement_via_api_pending_and_duplicate_409(fast_client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    joined = _join(fast_client, d)
    created = fast_client.post(f"/api/deliberations/{d}/statements",
                               headers=_auth(joined["token"]),
                               json={"text": "Chip export controls deepen mistrust."})
    assert created.status_code == 201 and created.json()["moderation"] == "pending"
    repeat = fast_client.post(f"/api/deliberations/{d}/statements",
                              headers=_auth(joined["token"]),
                              json={"text": "chip export controls deepen mistrust!"})
    assert repeat.status_code == 409
    assert "“Chip export controls deepen mistrust.”" in repeat.json()["detail"]
    short = fast_client.post(f"/api/deliberations/{d}/statements",
                             headers=_auth(joined["token"]), json={"text": "short"})
    assert short.status_code == 400


def test_api_votes_over_the_rate_limit_get_429(settings, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    with make_client(settings, vote_rate_limit="3/60") as client:
        joined = _join(client, d)
        codes = []
        for _ in range(4):
            sid = client.get(f"/api/deliberations/{d}/next",
                             headers=_auth(joined["token"])).json()["statement"]["id"]
            codes.append(client.post(f"/api/deliberations/{d}/votes",
                                     headers=_auth(joined["token"]),
                                     json={"statement": sid, "vote": 1}).status_code)
    assert codes == [201, 201, 201, 429]


def test_address_rate_limit_applies_across_participants(settings, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    with make_client(settings, address_rate_limit="2/60") as client:
        codes = [client.post(f"/api/deliberations/{d}/participants").status_code
                 for _ in range(3)]
    assert codes == [201, 201, 429]


def test_results_404_before_votes_then_consensus_schema(fast_client, demo_engine: Engine) -> None:
    import time

    from .test_results import two_camps

    d = make_deliberation(demo_engine)
    assert fast_client.get(f"/api/deliberations/{d}/results").status_code == 404
    public = two_camps(demo_engine, d, 12)
    joined = _join(fast_client, d)
    sid = fast_client.get(f"/api/deliberations/{d}/next",
                          headers=_auth(joined["token"])).json()["statement"]["id"]
    fast_client.post(f"/api/deliberations/{d}/votes", headers=_auth(joined["token"]),
                     json={"statement": sid, "vote": 1})
    deadline = time.monotonic() + 10
    response = fast_client.get(f"/api/deliberations/{d}/results")
    while response.status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
        response = fast_client.get(f"/api/deliberations/{d}/results")
    body = response.json()
    assert {"computed_at", "k", "groups", "consensus", "divisive", "projection",
            "statement_stats"} <= set(body)
    named = {p["participant"] for p in body["projection"]}
    assert named <= set(public.values()) | {joined["participant"]}


def test_openapi_documents_the_deliberation_api(fast_client) -> None:
    spec = fast_client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/deliberations", "/api/deliberations/{deliberation_id}/participants",
                 "/api/deliberations/{deliberation_id}/next",
                 "/api/deliberations/{deliberation_id}/votes",
                 "/api/deliberations/{deliberation_id}/statements",
                 "/api/deliberations/{deliberation_id}/results"):
        operations = paths[path]
        for operation in operations.values():
            assert operation["tags"] == ["deliberations"]
    vote = paths["/api/deliberations/{deliberation_id}/votes"]["post"]
    assert vote["security"] and "201" in vote["responses"]
    assert "/deliberations/{deliberation_id}" not in paths  # HTML pages stay out of the API
