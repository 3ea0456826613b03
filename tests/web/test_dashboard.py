"""The organizer's dashboard after log-in, and audit entries in words (both languages)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from detente.forum import DEMO_EVENT_SLUG
from tests.conftest import ORGANIZER_PASSWORD


@pytest.fixture
def pub_engine(demo_engine: Engine) -> Engine:
    """The demo forum with its simulated deliberation and the demo publications."""
    from detente.deliberation import load_demo_deliberation
    from detente.reports import load_demo_publications

    load_demo_deliberation(demo_engine)
    load_demo_publications(demo_engine)
    return demo_engine


def _open_deliberation(organizer, csrf) -> int:  # type: ignore[no-untyped-def]
    response = organizer.post("/deliberations/new", data={
        "csrf_token": csrf(organizer, "/deliberations/new"), "session": "1:1",
        "question": "Should states share AI incident reports?", "status": "open",
        "allow_statements": "true"}, follow_redirects=False)
    assert response.status_code == 303
    deliberation_id = int(response.headers["location"].split("/")[2])
    seeded = organizer.post(f"/deliberations/{deliberation_id}/seed", data={
        "csrf_token": csrf(organizer, f"/deliberations/{deliberation_id}/manage"),
        "statements": "Incident reports should be shared within a week.\n"
                      "A neutral body should keep the reports."}, follow_redirects=False)
    assert seeded.status_code == 303
    return deliberation_id


def test_log_in_leads_organizers_to_the_dashboard(client, demo_engine, csrf) -> None:
    from detente.accounts import create_user
    from detente.store import session_scope

    with session_scope(demo_engine) as db:
        create_user(db, "chair", ORGANIZER_PASSWORD, organizer=True)
    response = client.post("/login", data={"username": "chair", "password": ORGANIZER_PASSWORD,
                                           "csrf_token": csrf(client)},
                           follow_redirects=False)
    assert response.headers["location"] == "/dashboard"
    asked = client.post("/login", data={"username": "chair", "password": ORGANIZER_PASSWORD,
                                        "next": "/news", "csrf_token": csrf(client)},
                        follow_redirects=False)
    assert asked.headers["location"] == "/news"


def test_dashboard_needs_an_organizer(client, demo_engine) -> None:
    response = client.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_dashboard_lists_events_open_deliberations_drafts_and_changes(pub_engine, organizer,
                                                                      csrf) -> None:
    deliberation_id = _open_deliberation(organizer, csrf)
    page = organizer.get("/dashboard").text
    assert f'href="/events/{DEMO_EVENT_SLUG}"' in page
    assert f'href="/deliberations/{deliberation_id}/manage"' in page
    assert 'href="/proposals/1/edit"' in page  # the demo proposals are drafts
    assert ("Added 2 statements to the deliberation “Should states share AI incident "
            "reports?”") in page
    assert "Created the deliberation" in page
    assert "deliberation.seed" not in page and f"deliberation:{deliberation_id}" not in page


def test_pending_statements_are_counted_on_the_dashboard(pub_engine, organizer, csrf) -> None:
    from detente.deliberation import add_statement, get_deliberation, join
    from detente.store import session_scope

    deliberation_id = _open_deliberation(organizer, csrf)
    with session_scope(pub_engine) as db:
        record = get_deliberation(db, deliberation_id)
        add_statement(db, record, join(db, record).participant,
                      "Reports should name the system that failed.")
    assert "1 statement awaits moderation" in organizer.get("/dashboard").text


def test_dashboard_and_audit_log_in_chinese(pub_engine, organizer, csrf) -> None:
    deliberation_id = _open_deliberation(organizer, csrf)
    page = organizer.get("/dashboard?lang=zh").text
    assert "工作台" in page
    assert "向审议“Should states share AI incident reports?”添加了2条观点" in page
    manage = organizer.get(f"/deliberations/{deliberation_id}/manage?lang=zh").text
    assert "添加了2条观点" in manage and "deliberation.seed" not in manage
