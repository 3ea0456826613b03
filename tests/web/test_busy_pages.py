"""Organizer and participant pages on a database that a long import keeps locked: every write
answers 503 with Retry-After on the site's own error page, never a plain-text 500 "database is
locked" (joins, proposals, media uploads, caption and news edits failed that way)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from detente.deliberation import create_deliberation
from detente.forum import DEMO_EVENT_SLUG, get_event
from detente.reports import add_media, create_news, list_media
from detente.store import session_scope
from detente.store.models.publications import Proposal
from tests.reports.conftest import make_image
from tests.store.test_busy import _db_path, _hold_write_lock


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("detente.store.db.BUSY_TIMEOUT", 0.2)


def test_writes_on_a_locked_database_answer_503_pages(short_busy_timeout: None, organizer,  # type: ignore[no-untyped-def]
                                                      demo_engine: Engine, csrf,
                                                      tmp_path: Path) -> None:
    client = organizer
    media_dir = Path(client.app.state.settings.media_dir)
    with session_scope(demo_engine) as db:
        deliberation_id = create_deliberation(db, DEMO_EVENT_SLUG, 2, "Who decides?",
                                              status="open").id
        news_slug = create_news(db, DEMO_EVENT_SLUG).slug
        token = add_media(db, media_dir, get_event(db, DEMO_EVENT_SLUG), make_image(),
                          "photo.jpg").token
    token_field = csrf(client, "/proposals/new")
    writes = [
        ("join", f"/deliberations/{deliberation_id}/join", {}, None),
        ("proposal", "/proposals/new", {"event": DEMO_EVENT_SLUG, "title": "A hotline",
                                        "text": "A hotline between militaries."}, None),
        ("news edit", f"/news/{news_slug}/edit", {"lang": "en", "title": "New title"}, None),
        ("caption", f"/media/{token}/edit", {"caption": "The opening session"}, None),
        ("upload", f"/events/{DEMO_EVENT_SLUG}/media", {"caption": "Another photo"},
         {"file": ("photo2.jpg", make_image(size=(400, 300)), "image/jpeg")}),
    ]
    files_before = sorted(p.name for p in media_dir.rglob("*"))
    for _ in _hold_write_lock(_db_path(demo_engine), 30):
        for name, path, data, files in writes:
            response = client.post(path, data={**data, "csrf_token": token_field}, files=files,
                                   follow_redirects=False)
            assert response.status_code == 503, (name, response.status_code, response.text[:300])
            assert int(response.headers["Retry-After"]) >= 1, name
            assert response.headers["content-type"].startswith("text/html"), name
            assert "<html" in response.text and "busy" in response.text, name
    with session_scope(demo_engine) as db:
        assert db.scalar(select(func.count()).select_from(Proposal)) == 0
        assert len(list_media(db, get_event(db, DEMO_EVENT_SLUG))) == 1
    assert sorted(p.name for p in media_dir.rglob("*")) == files_before, "files of a refused upload"
