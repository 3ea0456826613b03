"""Pages speak in words: no record ids, no reference syntax to type, confirmations for
irreversible steps, and forms that keep what was typed when they refuse it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine, func, select

from detente.forum import DEMO_EVENT_SLUG
from detente.store import session_scope
from detente.store.models.deliberation import DeliberationStatement


@pytest.fixture
def pub_engine(demo_engine: Engine) -> Engine:
    """The demo forum with its simulated deliberation and the demo publications."""
    from detente.deliberation import load_demo_deliberation
    from detente.reports import load_demo_publications

    load_demo_deliberation(demo_engine)
    load_demo_publications(demo_engine)
    return demo_engine


def _new_deliberation(organizer, csrf) -> int:  # type: ignore[no-untyped-def]
    response = organizer.post("/deliberations/new", data={
        "csrf_token": csrf(organizer, "/deliberations/new"), "session": "1:1",
        "question": "Should states share AI incident reports?", "status": "open"},
        follow_redirects=False)
    return int(response.headers["location"].split("/")[2])


def test_proposal_form_offers_lists_not_id_syntax(pub_engine, organizer, csrf) -> None:
    form = organizer.get(f"/proposals/new?event={DEMO_EVENT_SLUG}").text
    assert "Themes (ids" not in form and "DELIBERATION:STATEMENT" not in form
    picks = re.findall(r'name="evidence" value="(consensus_statement:[0-9:]+)"', form)
    assert picks, "the consensus statements are offered as checkboxes"
    assert re.search(r'type="checkbox" name="themes" value="[^"]+"', form)
    response = organizer.post("/proposals/new", data={
        "csrf_token": csrf(organizer, "/proposals/new"), "event": DEMO_EVENT_SLUG,
        "title": "A hotline for AI incidents", "text": "States should set up a hotline.",
        "session": "2", "evidence": [picks[0], "deliberation:1"]}, follow_redirects=False)
    assert response.status_code == 303
    page = organizer.get(response.headers["location"]).text
    assert "Consensus statement of a deliberation" in page
    assert not re.search(r"\(\d+:\d+\)", page)
    edit = organizer.get(response.headers["location"] + "/edit").text
    assert not re.search(r"\(\d+:\d+\)", edit) and "DELIBERATION:STATEMENT" not in edit
    assert f'value="{picks[0]}"' not in edit  # linked already: no second tick box


def test_refused_proposal_keeps_the_ticks(pub_engine, organizer, csrf) -> None:
    form = organizer.get(f"/proposals/new?event={DEMO_EVENT_SLUG}").text
    pick = re.findall(r'name="evidence" value="(consensus_statement:[0-9:]+)"', form)[0]
    response = organizer.post("/proposals/new", data={
        "csrf_token": csrf(organizer, "/proposals/new"), "event": DEMO_EVENT_SLUG,
        "title": "", "text": "", "evidence": [pick]})
    assert response.status_code == 400
    assert f'value="{pick}" checked' in response.text


def test_participant_page_shows_no_statement_number(pub_engine, client, csrf) -> None:
    client.post("/deliberations/1/join", data={"csrf_token": csrf(client, "/deliberations/1")})
    page = client.get("/deliberations/1").text
    assert 'class="d-statement"' in page
    assert "Statement #" not in page and not re.search(r"#\d+", page)


def test_closing_asks_first(pub_engine, organizer, csrf) -> None:
    deliberation_id = _new_deliberation(organizer, csrf)
    manage = organizer.get(f"/deliberations/{deliberation_id}/manage").text
    assert f'href="/deliberations/{deliberation_id}/close"' in manage
    assert 'value="closed"' not in manage
    confirm = organizer.get(f"/deliberations/{deliberation_id}/close").text
    assert "Close the deliberation?" in confirm and 'value="closed"' in confirm
    organizer.post(f"/deliberations/{deliberation_id}/status",
                   data={"csrf_token": csrf(organizer, f"/deliberations/{deliberation_id}/close"),
                         "status": "closed"})
    assert "Reopen" in organizer.get(f"/deliberations/{deliberation_id}/manage").text


def test_seed_form_keeps_the_text_and_names_the_bad_line(pub_engine, organizer, csrf) -> None:
    deliberation_id = _new_deliberation(organizer, csrf)
    typed = ("Incident reports should be shared within a week.\n\nToo short\n"
             "A neutral body should keep the reports.")
    response = organizer.post(f"/deliberations/{deliberation_id}/seed", data={
        "csrf_token": csrf(organizer, f"/deliberations/{deliberation_id}/manage"),
        "statements": typed})
    assert response.status_code == 400
    assert "Line 3:" in response.text
    assert "Incident reports should be shared within a week." in response.text
    assert "A neutral body should keep the reports.</textarea>" in response.text
    with session_scope(pub_engine) as db:
        assert db.scalar(select(func.count()).select_from(DeliberationStatement).where(
            DeliberationStatement.deliberation_id == deliberation_id)) == 0
    chinese = organizer.post(f"/deliberations/{deliberation_id}/seed?lang=zh", data={
        "csrf_token": csrf(organizer, f"/deliberations/{deliberation_id}/manage"),
        "statements": typed})
    assert "第3行：" in chinese.text
