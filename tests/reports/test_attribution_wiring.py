"""Every publications path passes the attribution policy: a held text is not shown to visitors,
organizers see why, and publishing it anyway needs a reason that goes to the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from detente.cli import app as cli_app
from detente.forum import (
    DEMO_EVENT_SLUG,
    attribution_guard,
    event_texts,
    get_event,
    public_event,
)
from detente.reports import (
    build_report,
    compose_lead,
    compose_paragraphs,
    compose_title,
    create_news,
    public_proposals,
    render_html,
    report_holds,
)
from detente.store import session_scope
from detente.store.models.auth import AuditEntry
from detente.store.models.publications import MediaItem, NewsItem, Proposal

from .conftest import make_image

HELD_EN = "Ms Xiao said that trust between the great powers is scarce."
HELD_ZH = "肖 茜 认为，大国之间的信任十分稀缺。"
REASON = "Quoted with her written consent"


def _overrides(engine: Engine) -> list[AuditEntry]:
    with session_scope(engine) as db:
        entries = list(db.scalars(select(AuditEntry).where(
            AuditEntry.action == "attribution.override")))
        db.expunge_all()
    return entries


# --- what detente composes itself ----------------------------------------------------------

def test_composed_text_always_passes(pub_engine: Engine, other_forums: Engine) -> None:
    with session_scope(pub_engine) as db:
        for slug in (DEMO_EVENT_SLUG, "early-forum"):
            event = get_event(db, slug)
            public = public_event(event)
            guard = attribution_guard(db, event)
            assert guard.applies
            proposals = list(db.scalars(select(Proposal).where(Proposal.event_id == event.id)))
            for language in ("en", "zh"):
                texts = [compose_title(public, language), compose_lead(public, language),
                         *(p.text for p in compose_paragraphs(public, proposals, language))]
                for text in texts:
                    assert guard.checker.check(text) == [], text
            assert guard.review(event_texts(public)) == []
            assert report_holds(db, slug) == []


# --- news --------------------------------------------------------------------------------------

@pytest.fixture
def news(organizer, demo_engine: Engine):  # type: ignore[no-untyped-def]
    with session_scope(demo_engine) as db:
        create_news(db, DEMO_EVENT_SLUG)
    return organizer


def test_held_news_text_is_refused_with_the_reason(news, demo_engine: Engine, csrf) -> None:
    token = csrf(news, f"/news/{DEMO_EVENT_SLUG}/edit")
    response = news.post(f"/news/{DEMO_EVENT_SLUG}/edit", data={
        "lang": "en", "title": "", "lead": "", "body": HELD_EN, "csrf_token": token})
    assert response.status_code == 400
    assert "Ms Xiao said that trust" in response.text and "Xiao Qian (肖茜)" in response.text
    assert HELD_EN in response.text  # the organizer's text is kept in the form
    with session_scope(demo_engine) as db:
        assert db.scalar(select(NewsItem.body)) is None
    news.post(f"/news/{DEMO_EVENT_SLUG}/publish", data={"csrf_token": token})
    news.post("/logout", data={"csrf_token": token})
    assert "Ms Xiao said" not in news.get(f"/news/{DEMO_EVENT_SLUG}").text


def test_chinese_held_news_text_names_the_person_in_chinese(news, csrf) -> None:
    token = csrf(news, f"/news/{DEMO_EVENT_SLUG}/edit")
    response = news.post(f"/news/{DEMO_EVENT_SLUG}/edit?lang=zh", data={
        "lang": "zh", "title": "", "lead": "", "body": HELD_ZH, "csrf_token": token})
    assert response.status_code == 400
    assert "查塔姆宫规则" in response.text and "肖茜" in response.text


def test_held_news_text_published_with_a_reason_is_audited(news, demo_engine: Engine,
                                                          csrf) -> None:
    token = csrf(news, f"/news/{DEMO_EVENT_SLUG}/edit")
    response = news.post(f"/news/{DEMO_EVENT_SLUG}/edit", data={
        "lang": "en", "title": "", "lead": "", "body": HELD_EN, "override_reason": REASON,
        "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    entries = _overrides(demo_engine)
    assert len(entries) == 1 and REASON in (entries[0].detail or "")
    assert entries[0].target.endswith(":body")
    news.post(f"/news/{DEMO_EVENT_SLUG}/publish", data={"csrf_token": token})
    news.post("/logout", data={"csrf_token": token})
    assert "Ms Xiao said that trust" in news.get(f"/news/{DEMO_EVENT_SLUG}").text


def test_news_text_held_after_it_was_saved_is_not_shown(news, demo_engine: Engine,
                                                        csrf) -> None:
    token = csrf(news, f"/news/{DEMO_EVENT_SLUG}/edit")
    news.post(f"/news/{DEMO_EVENT_SLUG}/publish", data={"csrf_token": token})
    with session_scope(demo_engine) as db:  # stored before the check, or the records changed
        db.scalar(select(NewsItem)).lead = HELD_EN
    organizer_page = news.get(f"/news/{DEMO_EVENT_SLUG}").text
    assert "Held under the Chatham House rule" in organizer_page
    news.post("/logout", data={"csrf_token": token})
    page = news.get(f"/news/{DEMO_EVENT_SLUG}").text
    assert "Ms Xiao said" not in page and "hosted the Forum" in page  # composed lead instead
    assert "Ms Xiao said" not in news.get("/news/feed.atom").text


def test_news_cli_refuses_held_text_and_publishes_it_with_a_reason(
        sqlite_url: str, demo_engine: Engine, tmp_path: Path) -> None:
    runner = CliRunner()

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli_app, ["--database", sqlite_url, *args])

    assert run("news", "create", DEMO_EVENT_SLUG).exit_code == 0
    refused = run("news", "edit", DEMO_EVENT_SLUG, "--lang", "en", "--body", HELD_EN)
    assert refused.exit_code == 2
    assert "Xiao Qian (肖茜)" in refused.output and "--override-reason" in refused.output
    with session_scope(demo_engine) as db:
        db.scalar(select(NewsItem)).body = HELD_EN  # held later: publishing is refused
    assert run("news", "publish", DEMO_EVENT_SLUG).exit_code == 2
    assert _overrides(demo_engine) == []
    done = run("news", "publish", DEMO_EVENT_SLUG, "--override-reason", REASON)
    assert done.exit_code == 0, done.output
    assert REASON in (_overrides(demo_engine)[0].detail or "")


# --- proposals ---------------------------------------------------------------------------------

def test_public_proposal_with_held_text_is_refused(organizer, demo_engine: Engine,
                                                   csrf) -> None:
    token = csrf(organizer, "/proposals/new")
    data = {"event": DEMO_EVENT_SLUG, "title": "A crisis hotline", "text": HELD_EN,
            "status": "published", "csrf_token": token}
    response = organizer.post("/proposals/new", data=data)
    assert response.status_code == 400 and "Xiao Qian (肖茜)" in response.text
    assert HELD_EN in response.text
    with session_scope(demo_engine) as db:
        assert db.scalar(select(Proposal)) is None
    draft = organizer.post("/proposals/new", data={**data, "status": "draft"},
                           follow_redirects=False)
    assert draft.status_code == 303  # drafts are not public: not checked yet
    url = draft.headers["location"]
    refused = organizer.post(url + "/edit", data={**data, "csrf_token": token})
    assert refused.status_code == 400
    done = organizer.post(url + "/edit", data={**data, "override_reason": REASON},
                          follow_redirects=False)
    assert done.status_code == 303
    assert REASON in (_overrides(demo_engine)[0].detail or "")


def test_proposal_held_later_is_hidden_from_visitors(pub_engine: Engine, client, csrf) -> None:
    with session_scope(pub_engine) as db:
        proposal = db.scalar(select(Proposal))
        proposal.status = proposal.status.__class__("published")
        proposal.text = HELD_EN
        proposal_id = proposal.id
        assert public_proposals(db) == [] or all(p.id != proposal_id
                                                for p in public_proposals(db))
    assert client.get(f"/proposals/{proposal_id}").status_code == 404
    assert "Ms Xiao said" not in client.get("/proposals").text


def test_proposals_cli_checks_public_proposals(sqlite_url: str, demo_engine: Engine) -> None:
    runner = CliRunner()
    args = ["--database", sqlite_url, "proposals", "add", DEMO_EVENT_SLUG, "--title", "T",
            "--text", HELD_EN, "--status", "published"]
    refused = runner.invoke(cli_app, args)
    assert refused.exit_code == 2 and "held under the Chatham House rule" in refused.output
    done = runner.invoke(cli_app, [*args, "--override-reason", REASON])
    assert done.exit_code == 0, done.output
    assert len(_overrides(demo_engine)) == 1


# --- captions ----------------------------------------------------------------------------------

def test_held_caption_is_refused_on_upload_and_edit(organizer, demo_engine: Engine,
                                                    csrf) -> None:
    token = csrf(organizer, f"/events/{DEMO_EVENT_SLUG}/media")
    files = {"file": ("photo.jpg", make_image(), "image/jpeg")}
    refused = organizer.post(f"/events/{DEMO_EVENT_SLUG}/media", files=files, data={
        "caption": "Zhou Bo makes the case for an arms control treaty.", "csrf_token": token})
    assert refused.status_code == 400 and "Zhou Bo (周波)" in refused.text
    with session_scope(demo_engine) as db:
        assert db.scalar(select(MediaItem)) is None
    files = {"file": ("photo.jpg", make_image(), "image/jpeg")}
    ok = organizer.post(f"/events/{DEMO_EVENT_SLUG}/media", files=files, data={
        "caption": "Zhou Bo (right) with Dong Ting at the forum.", "csrf_token": token},
        follow_redirects=False)
    assert ok.status_code == 303
    with session_scope(demo_engine) as db:
        media_token = db.scalar(select(MediaItem.token))
    edit = organizer.post(f"/media/{media_token}/edit", data={
        "caption": "", "caption_zh": "图为周波阐述其军控主张。", "csrf_token": token})
    assert edit.status_code == 400 and "周波" in edit.text
    with session_scope(demo_engine) as db:
        assert db.scalar(select(MediaItem.caption_local)) is None
    organizer.post(f"/media/{media_token}/edit", data={
        "caption": "", "caption_zh": "图为周波阐述其军控主张。", "override_reason": REASON,
        "csrf_token": token})
    assert len(_overrides(demo_engine)) == 1


def test_caption_held_later_is_not_shown(pub_engine: Engine, tmp_path: Path,
                                         settings) -> None:  # type: ignore[no-untyped-def]
    from detente.reports import add_media, news_view

    with session_scope(pub_engine) as db:
        event = get_event(db, DEMO_EVENT_SLUG)
        item = add_media(db, settings.media_path, event, make_image(), "p.jpg",
                         caption="Xiao Qian at the forum.")
        item.caption = "Xiao Qian argues for a hotline."  # stored without the check
        db.flush()
        view = news_view(db, db.scalar(select(NewsItem)), "en")
        assert [p.caption for p in view.photos] == [None]
        assert view.photos[0].token == item.token


def test_media_cli_checks_captions(sqlite_url: str, demo_engine: Engine, tmp_path: Path,
                                   monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DETENTE_MEDIA_DIR", str(tmp_path / "media"))
    photo = tmp_path / "p.jpg"
    photo.write_bytes(make_image())
    runner = CliRunner()
    base = ["--database", sqlite_url, "media"]
    refused = runner.invoke(cli_app, [*base, "add", DEMO_EVENT_SLUG, str(photo), "--caption",
                                      "Dong Ting warns of AI terrorism."])
    assert refused.exit_code == 2 and "Dong Ting (董汀)" in refused.output
    added = runner.invoke(cli_app, [*base, "add", DEMO_EVENT_SLUG, str(photo)])
    token = added.output.split()[0]
    assert runner.invoke(cli_app, [*base, "caption", token, "--caption",
                                   "Dong Ting warns of AI terrorism."]).exit_code == 2
    done = runner.invoke(cli_app, [*base, "caption", token, "--caption",
                                   "Dong Ting warns of AI terrorism.", "--override-reason",
                                   REASON])
    assert done.exit_code == 0, done.output
    assert len(_overrides(demo_engine)) == 1


# --- the report --------------------------------------------------------------------------------

def test_report_leaves_out_held_record_text(pub_engine: Engine, settings, sqlite_url: str,
                                            tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    held = "Sun Chenghao argued that deterrence between AI-enabled militaries is fragile."
    with session_scope(pub_engine) as db:
        get_event(db, DEMO_EVENT_SLUG).sessions[1].description = held
        db.flush()
        data = build_report(db, DEMO_EVENT_SLUG, "en")
        html = render_html(data, settings.media_path)
    assert held not in html
    assert [h.target.split(":")[0] for h in data.held] == ["session"]
    assert "held under the Chatham House rule was left out" in html
    runner = CliRunner()
    out = tmp_path / "r.html"
    args = ["--database", sqlite_url, "report", DEMO_EVENT_SLUG, "--format", "html", "--out",
            str(out)]
    result = runner.invoke(cli_app, args)
    assert result.exit_code == 0 and "held, left out" in result.output
    assert held not in out.read_text(encoding="utf-8")
    result = runner.invoke(cli_app, [*args, "--override-reason", REASON])
    assert result.exit_code == 0, result.output
    assert held in out.read_text(encoding="utf-8")
    assert len(_overrides(pub_engine)) == 1


def test_event_pages_and_composed_news_leave_out_held_record_text(
        news, demo_engine: Engine, csrf) -> None:  # type: ignore[no-untyped-def]
    held = "Dong Ting argued that terrorists will use open models first."
    with session_scope(demo_engine) as db:
        get_event(db, DEMO_EVENT_SLUG).sessions[2].description = held
    token = csrf(news, f"/news/{DEMO_EVENT_SLUG}/edit")
    news.post(f"/news/{DEMO_EVENT_SLUG}/publish", data={"csrf_token": token})
    news.post("/logout", data={"csrf_token": token})
    for path in (f"/events/{DEMO_EVENT_SLUG}", f"/events/{DEMO_EVENT_SLUG}/sessions/3",
                 f"/api/events/{DEMO_EVENT_SLUG}", "/api/events", f"/news/{DEMO_EVENT_SLUG}"):
        response = news.get(path)
        assert response.status_code == 200, path
        assert "terrorists will use open models" not in response.text, path
    assert "Dong Ting" in news.get(f"/events/{DEMO_EVENT_SLUG}").text  # still the chair
