"""The event page as the hub: deliberations, photos, news, proposals and the report for
visitors; the organizer's actions on the same page."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from detente.forum import DEMO_EVENT_SLUG
from detente.store import session_scope

EVENT = f"/events/{DEMO_EVENT_SLUG}"


@pytest.fixture
def pub_engine(demo_engine: Engine) -> Engine:
    """The demo forum with its simulated deliberation and the demo publications."""
    from detente.deliberation import load_demo_deliberation
    from detente.reports import load_demo_publications

    load_demo_deliberation(demo_engine)
    load_demo_publications(demo_engine)
    return demo_engine


def _withdraw(engine) -> None:  # type: ignore[no-untyped-def]
    from detente.reports import get_news, publish_news

    with session_scope(engine) as db:
        publish_news(db, get_news(db, DEMO_EVENT_SLUG), None)


def test_visitor_sees_deliberations_proposals_news_and_report(pub_engine, client) -> None:
    page = client.get(EVENT).text
    assert "/deliberations/1/results" in page
    assert 'href="/deliberations/1"' in page
    assert "participants have voted" in page
    assert 'href="/proposals/' not in page  # the demo proposals are drafts
    assert f"/news/{DEMO_EVENT_SLUG}" in page
    assert f"{EVENT}/report.html?lang=en" in page and f"{EVENT}/report.pdf?lang=en" in page
    assert "Organizer actions" not in page and "/manage" not in page


def test_report_of_an_unpublished_event_is_neither_linked_nor_served(pub_engine,
                                                                     client) -> None:
    _withdraw(pub_engine)
    page = client.get(EVENT).text
    assert "report.html" not in page and f"/news/{DEMO_EVENT_SLUG}" not in page
    response = client.get(f"{EVENT}/report.pdf", follow_redirects=False)
    assert response.status_code == 404


def test_organizer_gets_the_actions_on_the_event_page(pub_engine, organizer) -> None:
    page = organizer.get(EVENT).text
    assert "Organizer actions" in page
    assert f'href="/news/{DEMO_EVENT_SLUG}/edit"' in page
    assert f'href="{EVENT}/media"' in page
    assert f'href="/proposals/new?event={DEMO_EVENT_SLUG}"' in page
    assert 'href="/deliberations/new?session=1:1"' in page
    assert 'href="/deliberations/1/manage"' in page
    assert 'href="/proposals/1"' in page  # drafts too
    new = organizer.get("/deliberations/new?session=1:2").text
    assert '<option value="1:2" selected>' in new


def test_publishing_from_the_event_page_makes_the_report_public(pub_engine, organizer,
                                                               csrf) -> None:
    _withdraw(pub_engine)
    page = organizer.get(EVENT).text
    assert f'action="{EVENT}/publish"' in page
    response = organizer.post(f"{EVENT}/publish", data={"csrf_token": csrf(organizer, EVENT)},
                              follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == EVENT
    organizer.cookies.clear()
    assert organizer.get(f"{EVENT}/report.html").status_code == 200


def test_event_page_in_chinese(pub_engine, client) -> None:
    page = client.get(f"{EVENT}?lang=zh").text
    assert "阅读报告" in page and "下载报告（PDF）" in page


def test_proposals_are_in_the_navigation(client, demo_engine) -> None:
    assert '<a href="/proposals">Proposals</a>' in client.get("/").text


def test_visitors_report_leaves_out_draft_proposals(pub_engine, organizer) -> None:
    from detente.reports import DEMO_PROPOSALS

    title = DEMO_PROPOSALS[0][0]
    assert title in organizer.get(f"{EVENT}/report.html").text
    organizer.cookies.clear()
    public = organizer.get(f"{EVENT}/report.html")
    assert public.status_code == 200 and title not in public.text
