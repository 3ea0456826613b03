"""Publication pages: login and CSRF on every organizer action, safe file serving, the register."""

from __future__ import annotations

from sqlalchemy import select

from detente.forum import DEMO_EVENT_SLUG
from detente.store import session_scope
from detente.store.models.auth import AuditEntry
from detente.store.models.publications import MediaItem, Proposal


def _upload(client, csrf, data: bytes, name: str, content_type: str, **fields: str):  # type: ignore[no-untyped-def]
    token = csrf(client, f"/events/{DEMO_EVENT_SLUG}/media")
    return client.post(f"/events/{DEMO_EVENT_SLUG}/media",
                       data={"csrf_token": token, **fields},
                       files={"file": (name, data, content_type)}, follow_redirects=False)


def test_media_page_and_upload_need_an_organizer(client, demo_engine, image_bytes) -> None:
    page = client.get(f"/events/{DEMO_EVENT_SLUG}/media", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    posted = client.post(f"/events/{DEMO_EVENT_SLUG}/media",
                         files={"file": ("a.jpg", image_bytes(), "image/jpeg")},
                         follow_redirects=False)
    assert posted.status_code in (303, 403)


def test_upload_without_csrf_token_is_refused(organizer, image_bytes) -> None:
    response = organizer.post(f"/events/{DEMO_EVENT_SLUG}/media",
                              files={"file": ("a.jpg", image_bytes(), "image/jpeg")})
    assert response.status_code == 403


def test_uploaded_photo_is_served_with_a_fixed_safe_type(organizer, csrf, demo_engine,
                                                         image_bytes) -> None:
    response = _upload(organizer, csrf, image_bytes("JPEG", (2400, 1600)), "hall.jpg",
                       "image/jpeg", caption="The hall", caption_zh="会场", session="1")
    assert response.status_code == 303
    with session_scope(demo_engine) as db:
        item = db.scalar(select(MediaItem))
        assert item.caption_local == "会场"
        token = item.token
        assert db.scalar(select(AuditEntry).where(AuditEntry.action == "media.add")) is not None
    for size, edge in (("thumb", 320), ("page", 1024), ("print", 2000)):
        served = organizer.get(f"/media/{token}/{size}")
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/jpeg"
        assert served.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in served.headers["content-security-policy"]
        assert served.headers["content-disposition"].startswith("inline")
        assert len(served.content) > 1000 and edge
    page = organizer.get(f"/events/{DEMO_EVENT_SLUG}/media")
    assert f"/media/{token}/thumb" in page.text


def test_image_original_is_for_organizers_only(organizer, csrf, client, image_bytes) -> None:
    _upload(organizer, csrf, image_bytes(), "hall.jpg", "image/jpeg")
    page = organizer.get(f"/events/{DEMO_EVENT_SLUG}/media").text
    token = page.split("/media/")[1].split("/")[0]
    assert organizer.get(f"/media/{token}/original").status_code == 200
    organizer.cookies.clear()
    assert client.get(f"/media/{token}/original").status_code == 404
    assert client.get(f"/media/{token}/page").status_code == 200


def test_document_is_served_as_an_attachment(organizer, csrf) -> None:
    pdf = b"%PDF-1.4\n%%EOF\n"
    assert _upload(organizer, csrf, pdf, "programme.pdf", "application/pdf").status_code == 303
    page = organizer.get(f"/events/{DEMO_EVENT_SLUG}/media").text
    token = page.split("/media/")[1].split("/")[0]
    served = organizer.get(f"/media/{token}/original")
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"].startswith("attachment")
    assert organizer.get(f"/media/{token}/page").status_code == 404


def test_refused_upload_says_why_and_stores_nothing(organizer, csrf, demo_engine,
                                                   image_bytes) -> None:
    cases = [
        (image_bytes("JPEG"), "fake.png", "image/png", "content is JPEG"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         "x.svg", "image/svg+xml", "SVG and HTML"),
        (b"MZ", "run.exe", "application/octet-stream", "not accepted"),
    ]
    for data, name, content_type, message in cases:
        response = _upload(organizer, csrf, data, name, content_type)
        assert response.status_code == 400
        assert message in response.text and name in response.text
    with session_scope(demo_engine) as db:
        assert db.scalar(select(MediaItem)) is None


def test_oversized_upload_is_refused(organizer, csrf, monkeypatch, image_bytes) -> None:
    from detente.web.routes import publications

    monkeypatch.setattr(publications, "MAX_UPLOAD_BYTES", 2000)
    response = _upload(organizer, csrf, image_bytes("PNG", (600, 600)), "big.png", "image/png")
    assert response.status_code == 400
    assert "more than the 2,000 bytes allowed" in response.text


def test_unknown_media_is_not_found(client, demo_engine) -> None:
    assert client.get("/media/0123456789abcdef/page").status_code == 404


def test_register_shows_drafts_only_to_organizers(pub_engine, client, csrf) -> None:
    public = client.get("/proposals")
    assert public.status_code == 200
    assert "A standing military-to-military channel" not in public.text
    with session_scope(pub_engine) as db:
        proposal_id = db.scalar(select(Proposal.id))
    assert client.get(f"/proposals/{proposal_id}").status_code == 404
    from detente.accounts import create_user

    with session_scope(pub_engine) as db:
        create_user(db, "editor2", "correct horse battery", organizer=True)
    client.post("/login", data={"username": "editor2", "password": "correct horse battery",
                                "next": "/", "csrf_token": csrf(client)})
    listed = client.get("/proposals")
    assert "A standing military-to-military channel" in listed.text
    assert "Illustrative example" in listed.text
    detail = client.get(f"/proposals/{proposal_id}")
    assert f"/events/{DEMO_EVENT_SLUG}/sessions/2" in detail.text  # evidence links back


def test_organizer_creates_edits_and_links_a_proposal(pub_engine, organizer, csrf) -> None:
    token = csrf(organizer, "/proposals/new")
    created = organizer.post("/proposals/new", data={
        "csrf_token": token, "event": DEMO_EVENT_SLUG, "title": "Incident hotline",
        "text": "States should set up a hotline.", "title_zh": "事故热线",
        "text_zh": "各国应建立热线。", "session": "2", "themes": "military-ai, red-lines",
        "status": "draft"}, follow_redirects=False)
    assert created.status_code == 303
    proposal_id = int(created.headers["location"].rsplit("/", 1)[1])
    edit_token = csrf(organizer, f"/proposals/{proposal_id}/edit")
    saved = organizer.post(f"/proposals/{proposal_id}/edit", data={
        "csrf_token": edit_token, "title": "Incident hotline", "text": "A hotline.",
        "title_zh": "事故热线", "text_zh": "", "session": "2", "themes": "military-ai",
        "status": "endorsed"}, follow_redirects=False)
    assert saved.status_code == 303
    linked = organizer.post(f"/proposals/{proposal_id}/evidence", data={
        "csrf_token": edit_token, "kind": "consensus_statement", "reference": "1:1",
        "note": "85% agree"}, follow_redirects=False)
    assert linked.status_code == 303
    missing = organizer.post(f"/proposals/{proposal_id}/evidence", data={
        "csrf_token": edit_token, "kind": "consensus_statement", "reference": "1:99999"})
    assert missing.status_code == 400
    assert "That item is no longer in the records; choose another." in missing.text
    page = organizer.get(f"/proposals/{proposal_id}?lang=zh")
    assert "事故热线" in page.text and "/deliberations/1/results" in page.text
    with session_scope(pub_engine) as db:
        proposal = db.get(Proposal, proposal_id)
        assert proposal.status.value == "endorsed" and proposal.text_local is None
        actions = set(db.scalars(select(AuditEntry.action)))
    assert {"proposal.create", "proposal.update", "proposal.evidence.add"} <= actions


def test_draft_from_deliberation_button(pub_engine, organizer, csrf) -> None:
    form = organizer.get(f"/proposals/new?event={DEMO_EVENT_SLUG}")
    assert "/proposals/draft-from/1" in form.text
    response = organizer.post("/proposals/draft-from/1",
                              data={"csrf_token": csrf(organizer, "/proposals/new")},
                              follow_redirects=False)
    assert response.status_code == 303
    edit = organizer.get(response.headers["location"])
    assert "Decisions to launch nuclear weapons" in edit.text


def test_report_is_public_once_the_event_is_published(pub_engine, client, organizer) -> None:
    from detente.reports import get_news, publish_news

    response = organizer.get(f"/events/{DEMO_EVENT_SLUG}/report.pdf?lang=zh")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    organizer.cookies.clear()
    anonymous = client.get(f"/events/{DEMO_EVENT_SLUG}/report.html", follow_redirects=False)
    assert anonymous.status_code == 200 and "<html" in anonymous.text
    with session_scope(pub_engine) as db:
        publish_news(db, get_news(db, DEMO_EVENT_SLUG), None)
    withdrawn = client.get(f"/events/{DEMO_EVENT_SLUG}/report.html", follow_redirects=False)
    assert withdrawn.status_code == 404


def test_news_is_in_the_navigation(client, demo_engine) -> None:
    assert '<a href="/news">News</a>' in client.get("/").text


def test_evidence_is_picked_from_lists_and_a_refused_link_keeps_what_was_chosen(
        pub_engine, organizer, csrf) -> None:
    """No id is typed: sessions are listed by name under their event; a refused address
    comes back with the note kept and the field named, in Chinese too."""
    from bs4 import BeautifulSoup

    page = organizer.get("/proposals/1/edit")
    soup = BeautifulSoup(page.text, "lxml")
    sessions = soup.select_one("#link-session select[name=reference]")
    assert sessions is not None and sessions.select_one("optgroup")
    labels = {o["value"]: o.get_text() for o in sessions.select("option") if o["value"]}
    assert labels[f"{DEMO_EVENT_SLUG}#1"].startswith("Session 1: ")
    assert f"{DEMO_EVENT_SLUG}#2" not in labels  # already linked by the demo proposal
    assert not soup.select("input[name=reference]:not([type=url])")
    assert "EVENT#POSITION" not in page.text and "finding id" not in page.text
    token = csrf(organizer, "/proposals/1/edit")
    linked = organizer.post("/proposals/1/evidence", data={
        "csrf_token": token, "kind": "session", "reference": f"{DEMO_EVENT_SLUG}#1",
        "note": "opening"}, follow_redirects=False)
    assert linked.status_code == 303
    refused = organizer.post("/proposals/1/evidence?lang=zh", data={
        "csrf_token": token, "kind": "url", "reference": "ftp://example.org/x",
        "note": "我的备注"})
    assert refused.status_code == 400
    soup = BeautifulSoup(refused.text, "lxml")
    form = soup.select_one("#link-url")
    assert form.select_one("[role=alert]").get_text() == (
        "公开资料：请使用以 http 或 https 开头的网址")
    field = form.select_one("input[name=reference]")
    assert field["value"] == "ftp://example.org/x" and field["aria-invalid"] == "true"
    assert form.select_one("input[name=note]")["value"] == "我的备注"
    assert organizer.get("/proposals/1/edit").text.count(f"{DEMO_EVENT_SLUG}#1") == 0


def test_a_refused_proposal_names_its_field_and_keeps_the_text(organizer, csrf) -> None:
    token = csrf(organizer, "/proposals/new")
    refused = organizer.post("/proposals/new?lang=zh", data={
        "csrf_token": token, "event": DEMO_EVENT_SLUG, "title": "x" * 301,
        "text": "保留的正文", "status": "endorsed"})
    assert refused.status_code == 400
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(refused.text, "lxml")
    assert soup.select_one("#form-error").get_text() == "标题：最多300个字符"
    assert soup.select_one("input[name=title]")["aria-invalid"] == "true"
    assert soup.select_one("textarea[name=text]").get_text() == "保留的正文"
    assert soup.select_one("select[name=status] option[selected]")["value"] == "endorsed"
