"""News items: composed from the records, editable per language, ordered, fed as Atom."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import Engine

from detente.errors import ConflictError, InputError
from detente.forum import DEMO_EVENT_SLUG
from detente.reports import (
    create_news,
    edit_news,
    get_news,
    list_news,
    neighbours,
    news_view,
    publish_news,
)
from detente.store import session_scope

ATOM = "{http://www.w3.org/2005/Atom}"
CHAIRS_EN = ["Xiao Qian", "Sun Chenghao", "Dong Ting", "Zhou Bo"]
CHAIRS_ZH = ["肖茜", "孙成昊", "董汀", "周波"]


def test_demo_news_item_is_composed_from_the_records(pub_engine: Engine) -> None:
    with session_scope(pub_engine) as db:
        item = get_news(db, DEMO_EVENT_SLUG)
        assert item.published_on == dt.date(2026, 1, 26)
        en = news_view(db, item, "en")
        zh = news_view(db, item, "zh")
    assert en.title == "CISS Hosts Forum on Artificial Intelligence and International Security"
    assert "14 January 2026" in en.lead and "Peking University" in en.lead
    assert zh.title == "清华大学战略与安全研究中心举办人工智能与国际安全论坛"
    assert "2026年1月14日" in zh.lead and "北京大学" in zh.lead
    sessions_en = [p for p in en.paragraphs if p.session]
    sessions_zh = [p for p in zh.paragraphs if p.session]
    assert [p.session for p in sessions_en] == [1, 2, 3, 4]
    for paragraph, chair in zip(sessions_en, CHAIRS_EN, strict=True):
        assert f"chaired by {chair}" in paragraph.text
    for paragraph, chair in zip(sessions_zh, CHAIRS_ZH, strict=True):
        assert f"由{chair}" in paragraph.text
    assert "Militarization of AI" in sessions_en[1].text
    assert "人工智能军事化" in sessions_zh[1].text


def test_closing_remarks_name_nobody_under_chatham_house(pub_engine: Engine) -> None:
    with session_scope(pub_engine) as db:
        item = get_news(db, DEMO_EVENT_SLUG)
        for language, name in (("en", "Xiao Qian"), ("zh", "肖茜")):
            view = news_view(db, item, language)
            closing = [p.text for p in view.paragraphs if p.session is None
                       and ("losing remarks" in p.text or "闭幕" in p.text)]
            assert len(closing) == 1
            assert name not in closing[0]


def test_attributed_event_names_its_closing_speaker(other_forums: Engine) -> None:
    with session_scope(other_forums) as db:
        item = create_news(db, "open-forum")
        closing = [p.text for p in news_view(db, item, "en").paragraphs
                   if "Closing remarks" in p.text]
    assert closing and "Zhang Mingyuan" in closing[0]


def test_edits_are_kept_per_language_and_can_return_to_composed(pub_engine: Engine) -> None:
    with session_scope(pub_engine) as db:
        item = get_news(db, DEMO_EVENT_SLUG)
        edit_news(db, item, "zh", lead="论坛在清华大学举行。", body="第一段。\n\n第二段。")
        zh = news_view(db, item, "zh")
        en = news_view(db, item, "en")
        assert zh.lead == "论坛在清华大学举行。"
        assert [p.text for p in zh.paragraphs] == ["第一段。", "第二段。"]
        assert zh.edited == {"lead", "body"}
        assert en.edited == frozenset() and "14 January 2026" in en.lead
        edit_news(db, item, "zh", lead="")
        assert news_view(db, item, "zh").lead.startswith("2026年1月14日")


@pytest.mark.parametrize("text", [
    "In her closing remarks, Xiao Qian said that red lines are overdue.",
    "Zhou Bo argued for a UN role.",
    "肖茜指出，人工智能治理需要红线。",
])
def test_edit_that_attributes_a_view_is_refused(pub_engine: Engine, text: str) -> None:
    with session_scope(pub_engine) as db:
        item = get_news(db, DEMO_EVENT_SLUG)
        with pytest.raises(InputError, match="Chatham House"):
            edit_news(db, item, "zh" if "肖茜" in text else "en", body=text)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_title_longer_than_its_column_is_refused_naming_the_field(pub_engine: Engine,
                                                                   language: str) -> None:
    with session_scope(pub_engine) as db:
        item = get_news(db, DEMO_EVENT_SLUG)
        field = "title" if language == "en" else "title_local"
        with pytest.raises(InputError, match=rf"^{field}: at most 300 characters$"):
            edit_news(db, item, language, title="T" * 301)
        assert getattr(item, field) is None
        edit_news(db, item, language, title=" " + "T" * 300 + " ")
        assert getattr(item, field) == "T" * 300


def test_the_news_form_refuses_a_too_long_title_and_keeps_what_was_typed(
        pub_engine, organizer, csrf) -> None:
    token = csrf(organizer, f"/news/{DEMO_EVENT_SLUG}/edit")
    refused = organizer.post(f"/news/{DEMO_EVENT_SLUG}/edit", data={
        "csrf_token": token, "lang": "en", "title": "T" * 400, "lead": "Kept lead.", "body": ""})
    assert refused.status_code == 400
    assert "at most 300 characters" in refused.text and "Kept lead." in refused.text
    assert "T" * 400 not in organizer.get(f"/news/{DEMO_EVENT_SLUG}").text
    zh = organizer.post(f"/news/{DEMO_EVENT_SLUG}/edit?lang=zh", data={
        "csrf_token": token, "lang": "zh", "title": "题" * 301, "lead": "", "body": ""})
    assert zh.status_code == 400 and "标题：最多300个字符" in zh.text


def test_naming_a_chair_as_chair_is_allowed(pub_engine: Engine) -> None:
    with session_scope(pub_engine) as db:
        item = get_news(db, DEMO_EVENT_SLUG)
        edit_news(db, item, "en", body="The first session was chaired by Xiao Qian.")


def test_previous_and_next_follow_date_order(other_forums: Engine) -> None:
    with session_scope(other_forums) as db:
        for slug, day in (("open-forum", dt.date(2026, 9, 3)), (DEMO_EVENT_SLUG, None),
                          ("early-forum", dt.date(2025, 6, 2))):
            item = create_news(db, slug)
            publish_news(db, item, day or dt.date(2026, 1, 26))
        order = [i.slug for i in list_news(db)]
        assert order == ["early-forum", DEMO_EVENT_SLUG, "open-forum"]
        before, after = neighbours(db, get_news(db, DEMO_EVENT_SLUG))
        assert (before.slug, after.slug) == ("early-forum", "open-forum")
        first = neighbours(db, get_news(db, "early-forum"))
        assert first[0] is None and first[1].slug == DEMO_EVENT_SLUG
        publish_news(db, get_news(db, "open-forum"), None)  # a draft is not a neighbour
        assert neighbours(db, get_news(db, DEMO_EVENT_SLUG))[1] is None


def test_one_news_item_per_event(other_forums: Engine) -> None:
    with session_scope(other_forums) as db:
        create_news(db, DEMO_EVENT_SLUG)
        with pytest.raises(ConflictError):
            create_news(db, DEMO_EVENT_SLUG)
        with pytest.raises(InputError, match="slug"):
            create_news(db, "early-forum", slug="bad slug")
        with pytest.raises(ConflictError):
            create_news(db, "early-forum", slug=DEMO_EVENT_SLUG)


def _publish_all(engine: Engine) -> None:
    with session_scope(engine) as db:
        for slug, day in (("early-forum", dt.date(2025, 6, 2)), (DEMO_EVENT_SLUG, None),
                          ("open-forum", dt.date(2026, 9, 3))):
            publish_news(db, create_news(db, slug), day or dt.date(2026, 1, 26))


def test_news_pages_show_photos_and_previous_next_links(other_forums, organizer, csrf,
                                                        image_bytes) -> None:
    _publish_all(other_forums)
    token = csrf(organizer, f"/events/{DEMO_EVENT_SLUG}/media")
    for name, session in (("hall.jpg", ""), ("panel.jpg", "2")):
        organizer.post(f"/events/{DEMO_EVENT_SLUG}/media",
                       data={"csrf_token": token, "session": session, "caption": name},
                       files={"file": (name, image_bytes(), "image/jpeg")})
    page = organizer.get(f"/news/{DEMO_EVENT_SLUG}").text
    assert page.count('class="pub-photo') == 2
    assert 'rel="prev" href="/news/early-forum"' in page
    assert 'rel="next" href="/news/open-forum"' in page
    second_session = page.index("The second session")
    assert page.index("panel.jpg", second_session) > second_session  # photo follows its session
    listing = organizer.get("/news").text
    assert listing.index("/news/open-forum") < listing.index(f"/news/{DEMO_EVENT_SLUG}")
    zh = organizer.get(f"/news/{DEMO_EVENT_SLUG}?lang=zh").text
    assert "清华大学战略与安全研究中心举办人工智能与国际安全论坛" in zh and "Read in English" in zh


def test_draft_news_is_hidden_from_the_public(demo_engine, client) -> None:
    with session_scope(demo_engine) as db:
        create_news(db, DEMO_EVENT_SLUG)
    assert client.get(f"/news/{DEMO_EVENT_SLUG}").status_code == 404
    assert DEMO_EVENT_SLUG not in client.get("/news").text


def test_organizer_edits_news_in_the_browser_form(pub_engine, organizer, csrf) -> None:
    token = csrf(organizer, f"/news/{DEMO_EVENT_SLUG}/edit")
    refused = organizer.post(f"/news/{DEMO_EVENT_SLUG}/edit", data={
        "csrf_token": token, "lang": "en", "title": "", "lead": "",
        "body": "Xiao Qian said the forum was a success."})
    assert refused.status_code == 400 and "Chatham House" in refused.text
    saved = organizer.post(f"/news/{DEMO_EVENT_SLUG}/edit", data={
        "csrf_token": token, "lang": "en", "title": "", "lead": "A shorter lead.", "body": ""},
        follow_redirects=False)
    assert saved.status_code == 303
    assert "A shorter lead." in organizer.get(f"/news/{DEMO_EVENT_SLUG}").text
    no_token = organizer.post(f"/news/{DEMO_EVENT_SLUG}/edit",
                              data={"lang": "en", "lead": "x"})
    assert no_token.status_code == 403


def test_atom_feed_parses_with_absolute_urls_newest_first(other_forums, client) -> None:
    _publish_all(other_forums)
    response = client.get("/news/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles == ["IFT Hosts Open Forum",
                      "CISS Hosts Forum on Artificial Intelligence and International Security",
                      "IFT Hosts Early Forum"]
    for entry in entries:
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert link.startswith("http://testserver/news/")
        assert entry.findtext(f"{ATOM}id").startswith("http://")
        assert entry.findtext(f"{ATOM}updated")
    published = [e.findtext(f"{ATOM}published") for e in entries]
    assert published[1] == "2026-01-26T00:00:00Z"
    zh = ET.fromstring(client.get("/news/feed.atom?lang=zh").content)
    assert "人工智能与国际安全论坛" in zh.find(f"{ATOM}entry[2]/{ATOM}title").text
