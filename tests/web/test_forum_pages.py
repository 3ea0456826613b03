"""Forum pages and API: sessions with chairs in both languages, escaping, attribution."""

from __future__ import annotations

import re

from sqlalchemy import Engine

from detente.forum import DEMO_EVENT_SLUG, import_forum_file

CHAIRS_EN = ["Xiao Qian", "Sun Chenghao", "Dong Ting", "Zhou Bo"]
CHAIRS_ZH = ["肖茜", "孙成昊", "董汀", "周波"]
EVENT_URL = f"/events/{DEMO_EVENT_SLUG}"


def _sessions(html: str) -> list[str]:
    return re.findall(r'<li class="session" data-session="(\d+)">', html)


def test_home_lists_the_demo_event(client, demo_engine: Engine) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Forum on Artificial Intelligence and International Security" in page.text
    assert "4 sessions" in page.text


def test_event_page_shows_four_sessions_with_chairs_in_english(client, demo_engine) -> None:
    page = client.get(EVENT_URL, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert page.status_code == 200
    assert _sessions(page.text) == ["1", "2", "3", "4"]
    for chair in CHAIRS_EN:
        assert chair in page.text
    assert "Chatham House rule" in page.text
    assert "Participating institutions" in page.text


def test_event_page_in_chinese_by_accept_language(client, demo_engine) -> None:
    page = client.get(EVENT_URL, headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert page.headers["content-language"] == "zh-Hans"
    assert '<html lang="zh-Hans">' in page.text
    assert "人工智能与国际安全论坛" in page.text
    for chair in CHAIRS_ZH:
        assert chair in page.text
    assert "主持人" in page.text and "查塔姆宫规则" in page.text


def test_language_switch_sticks_through_a_cookie(client, demo_engine) -> None:
    switched = client.get(f"{EVENT_URL}?lang=zh")
    assert "detente_lang=zh" in switched.headers["set-cookie"]
    later = client.get(EVENT_URL, headers={"Accept-Language": "en"})
    assert "单元" in later.text
    back = client.get(f"{EVENT_URL}?lang=en")
    assert "Sessions" in back.text


def test_closing_speaker_is_not_named_under_chatham_house(client, demo_engine) -> None:
    page = client.get(EVENT_URL)
    closing = page.text.split("Closing remarks", 1)[1]
    assert "Xiao Qian" not in closing


def test_session_page(client, demo_engine) -> None:
    page = client.get(f"{EVENT_URL}/sessions/2")
    assert page.status_code == 200
    assert "militarization of AI" in page.text
    assert "Sun Chenghao" in page.text
    assert client.get(f"{EVENT_URL}/sessions/9").status_code == 404


def test_unknown_event_is_a_404_page(client) -> None:
    page = client.get("/events/nope")
    assert page.status_code == 404
    assert "no event" in page.text


def test_user_text_is_escaped(client, sqlite_engine: Engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "xss.yaml"
    path.write_text(
        "format: detente-forum/1\n"
        "institutions: [{id: i, name: I}]\n"
        "events:\n"
        "  - id: xss\n"
        "    title: '<script>alert(1)</script>'\n"
        "    host: i\n"
        "    date: 2026-01-01\n",
        encoding="utf-8",
    )
    import_forum_file(sqlite_engine, path)
    page = client.get("/events/xss")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_api_lists_and_describes_events(client, demo_engine) -> None:
    listed = client.get("/api/events").json()
    assert listed[0]["slug"] == DEMO_EVENT_SLUG and listed[0]["chatham_house"] is True
    detail = client.get(f"/api/events/{DEMO_EVENT_SLUG}").json()
    assert [s["chair"]["name"] for s in detail["sessions"]] == CHAIRS_EN
    assert all(s["speakers"] == [] for s in detail["sessions"])
    assert detail["closing_speaker"] is None
    assert client.get("/api/events/nope").status_code == 404
    assert client.get("/api/events/nope").json()["detail"] == "no event 'nope'"


def test_pages_are_readable_on_a_phone(client, demo_engine) -> None:
    page = client.get(EVENT_URL)
    assert 'name="viewport" content="width=device-width' in page.text
    css = client.get("/static/style.css").text
    assert "@media (max-width" in css


def test_session_page_links_its_deliberations(client, demo_engine) -> None:
    from detente.deliberation import load_demo_deliberation

    load_demo_deliberation(demo_engine)
    page = client.get(f"{EVENT_URL}/sessions/2")
    assert 'href="/deliberations/' in page.text
    assert "Deliberations" in page.text
    assert 'href="/deliberations/' not in client.get(f"{EVENT_URL}/sessions/1").text
